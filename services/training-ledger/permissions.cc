#include "permissions.h"

#include "absl/strings/str_cat.h"

namespace vetrack::ledger {
namespace {

bool ReadsEverything(const Principal& caller) {
  return caller.role == Role::kCoordinator || caller.role == Role::kDepartment ||
         caller.role == Role::kEvaluator;
}

absl::Status Denied(const Principal& caller, const std::string& what) {
  return absl::PermissionDeniedError(absl::StrCat(caller.ToString(), " may not ", what));
}

}  // namespace

absl::Status CheckCanRecord(const Principal& caller, const std::string& institution_code) {
  if (caller.role == Role::kCoordinator) return absl::OkStatus();
  if (caller.role == Role::kSchool && caller.unit == institution_code) return absl::OkStatus();
  if (caller.role == Role::kSchool) {
    return Denied(caller, absl::StrCat("record training for ", institution_code,
                                       ": a school records only its own"));
  }
  return Denied(caller, "record training: schools record their own, the coordinator any");
}

absl::Status CheckCanReadInstitution(const Principal& caller, const std::string& institution_code) {
  if (ReadsEverything(caller)) return absl::OkStatus();
  if (caller.role == Role::kSchool && caller.unit == institution_code) return absl::OkStatus();
  return Denied(caller, absl::StrCat("read the training of ", institution_code));
}

absl::Status CheckCanReadDistrict(const Principal& caller) {
  if (ReadsEverything(caller)) return absl::OkStatus();
  return Denied(caller, "read the district's training statement");
}

absl::Status CheckCanSetPolicy(const Principal& caller) {
  if (caller.role == Role::kCoordinator) return absl::OkStatus();
  return Denied(caller, "set the accounting policy: only the coordinator does");
}

absl::Status CheckCanReadPolicy(const Principal& caller) {
  if (ReadsEverything(caller) || caller.role == Role::kSchool) return absl::OkStatus();
  return Denied(caller, "read the accounting policy");
}

absl::Status CheckCanPublishStatement(const Principal& caller) {
  if (caller.role == Role::kCoordinator) return absl::OkStatus();
  return Denied(caller, "publish the district's training statement: only the coordinator does");
}

}  // namespace vetrack::ledger
