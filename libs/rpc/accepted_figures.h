#ifndef VETRACK_LIBS_RPC_ACCEPTED_FIGURES_H_
#define VETRACK_LIBS_RPC_ACCEPTED_FIGURES_H_

#include <grpcpp/client_context.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace vetrack {

// School reporting's accepted figures of each institution for a period
// ("ay2025"); entry i answers institution_codes[i]. One BatchGetAcceptedFigures
// per hundred institutions (all or nothing: a failed batch fails each of its
// entries, but for NOT_FOUND, which concerns one institution, and
// RESOURCE_EXHAUSTED, an answer too large for one message: the batch's
// institutions are then asked one by one); a school reporting without it
// (UNIMPLEMENTED, during a rolling upgrade) is asked one institution at a
// time, kCallsAtOncePerRequest at once
// (rpc/fan_out.h). `prepare` sets up each call's context (identity,
// deadline). The ledger's enrolment and the evaluation's indicators both read
// them this way.
std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> GetAcceptedFiguresOf(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::vector<std::string>& institution_codes, const std::string& period_id,
    const std::function<void(grpc::ClientContext*)>& prepare);

// Every institution school reporting lists, following its page tokens. A
// school reporting that keeps handing out tokens is broken, not large: past
// kMaxInstitutionPages pages it is INTERNAL rather than a call without end.
inline constexpr int kMaxInstitutionPages = 100;
absl::StatusOr<std::vector<schools::v1::Institution>> ListAllInstitutions(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::function<void(grpc::ClientContext*)>& prepare);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_ACCEPTED_FIGURES_H_
