#include "auth/principal.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vetrack {
namespace {

constexpr std::array<std::pair<Role, const char*>, 6> kRoleNames = {{
    {Role::kCoordinator, "coordinator"},
    {Role::kDepartment, "department"},
    {Role::kSchool, "school"},
    {Role::kEvaluator, "evaluator"},
    {Role::kExchange, "exchange"},
    {Role::kOperator, "operator"},
}};

}  // namespace

std::string RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::string Principal::ToString() const {
  return unit.empty() ? RoleName(role) : absl::StrCat(RoleName(role), ":", unit);
}

absl::StatusOr<Principal> ParsePrincipal(const std::string& role,
                                         const std::string& unit) {
  for (const auto& [r, name] : kRoleNames) {
    if (role != name) continue;
    if ((r == Role::kDepartment || r == Role::kSchool) && unit.empty()) {
      return absl::UnauthenticatedError(
          absl::StrCat("a ", name, " caller must name its unit in ", kUnitMetadataKey));
    }
    return Principal{r, unit};
  }
  return absl::UnauthenticatedError(
      role.empty() ? absl::StrCat("no caller identity: ", kRoleMetadataKey, " is missing")
                   : absl::StrCat("unknown role '", role, "'"));
}

}  // namespace vetrack
