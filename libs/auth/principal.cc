#include "auth/principal.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rpc/resource_name.h"

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

absl::StatusOr<Principal> ParsePrincipal(const std::string& role, const std::string& unit) {
  for (const auto& [r, name] : kRoleNames) {
    if (role != name) continue;
    const bool acts_for_a_unit = r == Role::kDepartment || r == Role::kSchool;
    if (acts_for_a_unit && unit.empty()) {
      return absl::UnauthenticatedError(absl::StrCat("a ", name, " caller must name its unit"));
    }
    // Found in review: "evaluator:hrss" was taken, and went into histories
    // and the audit trail as a principal no search by role finds.
    if (!acts_for_a_unit && !unit.empty()) {
      return absl::UnauthenticatedError(absl::StrCat("the role ", name, " acts for no unit"));
    }
    // A unit is a unit or institution code; anything else could not even be
    // passed on in call metadata.
    if (!unit.empty() && !IsValidResourceId(unit)) {
      return absl::UnauthenticatedError(
          absl::StrCat("'", unit.substr(0, 64), "' is not a unit code"));
    }
    return Principal{r, unit};
  }
  return absl::UnauthenticatedError(role.empty() ? std::string("no caller identity: no role")
                                                 : absl::StrCat("unknown role '", role, "'"));
}

}  // namespace vetrack
