#include "rpc/district_units.h"

#include "status/grpc_status.h"

namespace vetrack {

absl::StatusOr<std::map<std::string, std::string>> ListDistrictDepartments(
    tasks::v1::TaskRegistryService::StubInterface& registry, grpc::ClientContext* context) {
  tasks::v1::ListUnitsRequest request;
  request.set_kind(tasks::v1::UNIT_KIND_DEPARTMENT);
  tasks::v1::ListUnitsResponse response;
  grpc::Status status = registry.ListUnits(context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  std::map<std::string, std::string> departments;
  for (const auto& unit : response.units()) departments[unit.code()] = unit.display_name();
  return departments;
}

}  // namespace vetrack
