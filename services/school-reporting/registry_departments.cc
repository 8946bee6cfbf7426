#include "registry_departments.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <memory>

#include "absl/time/clock.h"
#include "auth/principal.h"
#include "rpc/district_units.h"
#include "rpc/service_channel.h"

namespace vetrack::schools {

std::function<absl::StatusOr<std::set<std::string>>(absl::Time)> RegistryDepartmentCodes(
    const std::string& address, absl::Duration longest) {
  std::shared_ptr<tasks::v1::TaskRegistryService::StubInterface> registry =
      tasks::v1::TaskRegistryService::NewStub(ServiceChannel(address));
  return [registry, longest](absl::Time answer_by) -> absl::StatusOr<std::set<std::string>> {
    grpc::ClientContext context;
    context.AddMetadata(kRoleMetadataKey, RoleName(Role::kOperator));
    context.set_deadline(absl::ToChronoTime(std::min(answer_by, absl::Now() + longest)));
    auto departments = ListDistrictDepartments(*registry, &context);
    if (!departments.ok()) return departments.status();
    std::set<std::string> codes;
    for (const auto& [code, name] : *departments) codes.insert(code);
    return codes;
  };
}

}  // namespace vetrack::schools
