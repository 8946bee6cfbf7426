#include "unit_directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "log/log.h"
#include "status/disclosure.h"
#include "status/grpc_status.h"

namespace vetrack::gateway {

absl::StatusOr<KnownUnits> BackendUnitSource::Read() {
  // The gateway's own reads: units and institutions are not secret.
  const Principal self{Role::kOperator, ""};
  // The deadline bounds how long the one caller that reads is held.
  KnownUnits known;
  {
    grpc::ClientContext context;
    Backends::Prepare(&context, self, absl::Now() + timeout_);
    tasks::v1::ListUnitsResponse response;
    grpc::Status status = backends_.tasks().ListUnits(&context, {}, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const auto& unit : response.units()) {
      (unit.kind() == tasks::v1::UNIT_KIND_SCHOOL ? known.schools : known.departments)
          .insert(unit.code());
    }
  }
  schools::v1::ListInstitutionsRequest request;
  request.set_page_size(500);
  do {
    grpc::ClientContext context;
    Backends::Prepare(&context, self, absl::Now() + timeout_);
    schools::v1::ListInstitutionsResponse response;
    grpc::Status status = backends_.schools().ListInstitutions(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const auto& institution : response.institutions()) {
      known.schools.insert(institution.code());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return known;
}

UnitDirectory::Verdict UnitDirectory::Look(const Principal& principal) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!read_) return Verdict::kUnread;
  const bool school = principal.role == Role::kSchool;
  // No departments at all: the registry was read before the plan's catalog
  // was loaded, and cannot tell a department's token from a mistaken one.
  if (!school && known_.departments.empty()) return Verdict::kUnread;
  const auto& own = school ? known_.schools : known_.departments;
  const auto& other = school ? known_.departments : known_.schools;
  if (own.count(principal.unit) > 0) return Verdict::kKnown;
  return other.count(principal.unit) > 0 ? Verdict::kOtherKind : Verdict::kUnknown;
}

namespace {

// How soon a read is tried again while no copy holds the departments: every
// department's and school's call is refused meanwhile.
constexpr absl::Duration kUnsettledRetry = absl::Seconds(1);

}  // namespace

void UnitDirectory::Reread() const {
  std::unique_lock<std::mutex> reading(read_mu_, std::try_to_lock);
  if (!reading.owns_lock()) return;  // another caller is reading
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool settled = read_ && !known_.departments.empty();
    const absl::Duration wait = settled ? reread_after_ : std::min(reread_after_, kUnsettledRetry);
    if (clock_.Now() - tried_at_ < wait) return;
  }
  auto units = source_.Read();
  std::lock_guard<std::mutex> lock(mu_);
  tried_at_ = clock_.Now();
  if (!units.ok()) {
    LogWarn("units not read; the copy held is used", {{"error", units.status().ToString()}});
    return;
  }
  known_ = *std::move(units);
  read_ = true;
}

void UnitDirectory::Prime() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (read_ && !known_.departments.empty()) return;
  }
  Reread();
}

absl::Status UnitDirectory::Check(const Principal& principal) const {
  if (principal.role != Role::kDepartment && principal.role != Role::kSchool) {
    return absl::OkStatus();
  }
  Verdict verdict = Look(principal);
  if (verdict == Verdict::kUnknown || verdict == Verdict::kUnread) {
    Reread();
    verdict = Look(principal);
  }
  const std::string role = RoleName(principal.role);
  switch (verdict) {
    case Verdict::kKnown:
      return absl::OkStatus();
    case Verdict::kOtherKind:
      return absl::UnauthenticatedError(absl::StrCat(
          "bearer token rejected: it names ", principal.unit, " as a ", role, ", but ",
          principal.unit, " is a ", principal.role == Role::kSchool ? "department" : "school",
          "; ask for a token of the right role"));
    case Verdict::kUnknown:
      return absl::UnauthenticatedError(
          absl::StrCat("bearer token rejected: it names ", principal.unit, " as a ", role,
                       ", but there is no such ", role,
                       " (the units are read again when one is missing, at most every ",
                       absl::FormatDuration(reread_after_), ")"));
    case Verdict::kUnread:
      break;  // Reread has logged why
  }
  return WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
      "the gateway cannot check the token's ", role, " ", principal.unit,
      " yet: the task registry and school reporting have not listed the units (not answered, or "
      "the plan's catalog not loaded); retry shortly")));
}

}  // namespace vetrack::gateway
