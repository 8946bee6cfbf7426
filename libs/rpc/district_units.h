#ifndef VETRACK_LIBS_RPC_DISTRICT_UNITS_H_
#define VETRACK_LIBS_RPC_DISTRICT_UNITS_H_

#include <grpcpp/client_context.h>

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack {

// The district's departments as the task registry lists them: code → display
// name (empty while its catalog is not loaded). `context` carries the call's
// identity and deadline. The evaluation checks an indicator's responsible
// unit against them, and school reporting keeps their codes from schools.
absl::StatusOr<std::map<std::string, std::string>> ListDistrictDepartments(
    tasks::v1::TaskRegistryService::StubInterface& registry, grpc::ClientContext* context);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_DISTRICT_UNITS_H_
