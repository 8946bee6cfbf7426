#ifndef VETRACK_LIBS_AUTH_PRINCIPAL_H_
#define VETRACK_LIBS_AUTH_PRINCIPAL_H_

#include <string>

#include "absl/status/statusor.h"

namespace vetrack {

enum class Role {
  kCoordinator,  // 区教委 督查 office: sees everything, reviews, escalates.
  kDepartment,   // A district unit named in the task list.
  kSchool,       // One of the plan's vocational institutions.
  kEvaluator,    // The third-party evaluation body.
  kExchange,     // The municipal platforms.
  kOperator,     // Whoever runs the system.
};

// Who is calling. The gateway authenticates callers and passes this on in
// call metadata; each service authorizes with what only it knows.
struct Principal {
  Role role = Role::kOperator;
  // Unit or institution code; empty for roles not tied to one.
  std::string unit;

  // "department:edu", the form kept in histories and audit trails.
  std::string ToString() const;
};

// Metadata keys that carry the principal between processes.
inline constexpr char kRoleMetadataKey[] = "x-vetrack-role";
inline constexpr char kUnitMetadataKey[] = "x-vetrack-unit";

std::string RoleName(Role role);
// UNAUTHENTICATED when the role is missing or unknown, when a department or
// school comes without its unit code, or another role with one.
absl::StatusOr<Principal> ParsePrincipal(const std::string& role, const std::string& unit);

}  // namespace vetrack

#endif  // VETRACK_LIBS_AUTH_PRINCIPAL_H_
