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
// ("ay2025"), kCallsAtOncePerRequest calls at a time (rpc/fan_out.h); entry i
// answers institution_codes[i]. `prepare` sets up each call's context
// (identity, deadline). The ledger's enrolment and the evaluation's
// indicators both read them this way.
std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> GetAcceptedFiguresOf(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::vector<std::string>& institution_codes, const std::string& period_id,
    const std::function<void(grpc::ClientContext*)>& prepare);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_ACCEPTED_FIGURES_H_
