#ifndef VETRACK_SERVICES_EXCHANGE_REFERENCE_IMPORT_H_
#define VETRACK_SERVICES_EXCHANGE_REFERENCE_IMPORT_H_

#include <grpcpp/client_context.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "http_endpoint.h"
#include "reference_document.h"
#include "server/config.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

// The exchange's one-shot reference import (SCHEMA.md, "Reference data"):
//   exchange --import-reference=institutions,majors --reference-endpoint=URL
//            --secret-file=F --gateway=HOST:PORT (--token-file=F | --token-key-file=F)
// GETs the signed document, refuses it unless the signature is good, and
// imports the parts asked for into school reporting through the gateway, as
// the principal "exchange" (a bearer token for that role: the gateway
// authenticates and audits the change; school reporting lets the exchange
// import reference data). Running it again changes nothing.
namespace vetrack::exchange {

enum class ReferencePart { kInstitutions, kMajors };

// "institutions,majors" in the order given; INVALID_ARGUMENT on an unknown
// or repeated part, or none.
absl::StatusOr<std::vector<ReferencePart>> ParseReferenceParts(const std::string& list);

// The document as the endpoint answered it.
struct FetchedReference {
  std::string body;
  // X-Vetrack-Signature; empty when the answer had none.
  std::string signature;
};

// GETs `endpoint` (https://… or http://…, see OpenHttpEndpoint); INVALID_ARGUMENT
// for a malformed URL, UNAVAILABLE unless it answers 2xx.
absl::StatusOr<FetchedReference> FetchReference(const std::string& endpoint,
                                                const HttpEndpointOptions& options);

// Imports `parts` of a verified document into school reporting through
// `stub`, each call set up by `prepare` (credentials, deadline). Every part is
// checked first (validate_only) and the parts are applied only when all pass,
// each in one atomic step, so one malformed row refuses the whole document.
// A part that fails to apply after another was applied (a deadline, a race
// with another import) leaves that one applied, and the error says so: a run
// again applies the rest.
// What changed, or every violation with its row's code, goes to `out`.
// `run_id` makes the request ids of this run.
absl::Status ImportReference(const ReferenceDocument& document,
                             const std::vector<ReferencePart>& parts,
                             ::vetrack::schools::v1::SchoolReportingService::StubInterface& stub,
                             const std::function<void(grpc::ClientContext*)>& prepare,
                             const std::string& run_id, std::ostream& out);

// The one-shot mode as main runs it; the process's exit status (0 imported,
// 1 refused or failed, 2 bad flags).
int RunReferenceImport(const Config& config);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_REFERENCE_IMPORT_H_
