#include "grpc_school_sources.h"

#include <chrono>

#include "log/log.h"
#include "records.h"
#include "rpc/accepted_figures.h"
#include "status/disclosure.h"
#include "status/grpc_status.h"

namespace vetrack::ledger {
namespace {

namespace schools_v1 = ::vetrack::schools::v1;

constexpr char kEnrolledStudents[] = "enrolled_students";

}  // namespace

GrpcSchoolReporting::GrpcSchoolReporting(std::shared_ptr<grpc::Channel> channel, const Clock& clock,
                                         SchoolReportingOptions options)
    : stub_(schools_v1::SchoolReportingService::NewStub(std::move(channel))),
      clock_(clock),
      options_(options) {}

void GrpcSchoolReporting::Prepare(const Principal& caller, grpc::ClientContext* context) const {
  context->AddMetadata(kRoleMetadataKey, RoleName(caller.role));
  if (!caller.unit.empty()) context->AddMetadata(kUnitMetadataKey, caller.unit);
  context->set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::microseconds(absl::ToInt64Microseconds(options_.call_timeout)));
}

absl::StatusOr<GrpcSchoolReporting::Listing> GrpcSchoolReporting::Fetch(
    const Principal& caller) const {
  auto listed = ListAllInstitutions(
      *stub_, [this, &caller](grpc::ClientContext* context) { Prepare(caller, context); });
  if (!listed.ok()) return listed.status();
  Listing listing;
  for (const auto& institution : *listed) {
    v1::InstitutionIdentity& identity = listing.institutions[institution.code()];
    identity.set_institution_code(institution.code());
    identity.set_display_name(institution.display_name());
    identity.set_school_id_code(institution.school_id_code());
    identity.set_credit_code(institution.credit_code());
    if (institution.first_year() != 0) {
      listing.first_years[institution.code()] = institution.first_year();
    }
  }
  return listing;
}

absl::Status GrpcSchoolReporting::Refetch(std::unique_lock<std::mutex>& lock,
                                          const Principal& caller) {
  const int64_t installed_when_asked = installs_;
  ++refetching_;
  lock.unlock();
  // One fetch at a time, so that lists are installed in the order they were
  // read (an older one never over a newer one), and those who need the list
  // afresh wait for the fetch under way instead of each starting their own.
  std::unique_lock<std::mutex> one_fetch(fetch_mu_);
  lock.lock();
  if (installs_ > installed_when_asked && fetched_as_ == caller.ToString()) {
    --refetching_;  // read for this caller while it waited
    return absl::OkStatus();
  }
  lock.unlock();
  absl::StatusOr<Listing> listing = Fetch(caller);
  lock.lock();
  --refetching_;
  if (!listing.ok()) {
    failed_at_ = clock_.Now();
    return listing.status();
  }
  listing_ = *std::move(listing);
  fetched_ = true;
  fetched_at_ = clock_.Now();
  fetched_as_ = caller.ToString();
  ++installs_;
  return absl::OkStatus();
}

bool GrpcSchoolReporting::FailedLately() const {
  return failed_at_ > fetched_at_ && clock_.Now() - failed_at_ < options_.min_refetch_interval;
}

absl::Status GrpcSchoolReporting::EnsureFresh(std::unique_lock<std::mutex>& lock,
                                              const Principal& caller, absl::Duration max_age) {
  if (fetched_ && clock_.Now() - fetched_at_ < max_age) return absl::OkStatus();
  // The held list answers while a refresh is under way or has just failed,
  // except for a caller that wants the list as it is now (max_age 0).
  if (fetched_ && max_age > absl::ZeroDuration() && (refetching_ > 0 || FailedLately())) {
    return absl::OkStatus();
  }
  absl::Status fetched = Refetch(lock, caller);
  if (!fetched.ok() && fetched_) {
    LogWarn("school reporting unreachable; using the cached institution list",
            {{"error", fetched.ToString()}});
    return absl::OkStatus();
  }
  return fetched;
}

absl::StatusOr<std::vector<std::string>> GrpcSchoolReporting::InstitutionCodes(
    const Principal& caller) {
  std::unique_lock<std::mutex> lock(mu_);
  // A district statement names every institution from this list: one
  // imported since the list was fetched would read as not listed (found in
  // use: for a minute, to the evaluation). Asked again at most once a second.
  if (absl::Status fresh = EnsureFresh(lock, caller, options_.min_refetch_interval); !fresh.ok()) {
    return fresh;
  }
  std::vector<std::string> codes;
  for (const auto& [code, identity] : listing_.institutions) codes.push_back(code);
  return codes;
}

absl::StatusOr<std::vector<v1::InstitutionIdentity>> GrpcSchoolReporting::Identities(
    const Principal& caller) {
  std::unique_lock<std::mutex> lock(mu_);
  // National codes arrive by import at any time: a publication asks afresh,
  // and falls back to the cached list only while school reporting is down.
  if (absl::Status fresh = EnsureFresh(lock, caller, absl::ZeroDuration()); !fresh.ok()) {
    return fresh;
  }
  std::vector<v1::InstitutionIdentity> identities;
  for (const auto& [code, identity] : listing_.institutions) identities.push_back(identity);
  return identities;
}

absl::StatusOr<std::map<std::string, int>> GrpcSchoolReporting::FirstYears(
    const Principal& caller) {
  std::unique_lock<std::mutex> lock(mu_);
  if (absl::Status fresh = EnsureFresh(lock, caller, options_.directory_ttl); !fresh.ok()) {
    return fresh;
  }
  return listing_.first_years;
}

absl::StatusOr<bool> GrpcSchoolReporting::IsKnown(const Principal& caller,
                                                  const std::string& code) {
  std::unique_lock<std::mutex> lock(mu_);
  if (absl::Status fresh = EnsureFresh(lock, caller, options_.directory_ttl); !fresh.ok()) {
    return fresh;
  }
  if (listing_.institutions.count(code) > 0) return true;
  // The list may predate the institution, or have been fetched for a caller
  // who sees less of it: ask again, but not for every row of a bad file.
  const bool other_viewer = fetched_as_ != caller.ToString();
  const absl::Time now = clock_.Now();
  if (other_viewer || now - fetched_at_ >= options_.min_refetch_interval) {
    // Not the cached list when school reporting is down: it may predate the
    // institution, and "no such institution" would refuse for good what
    // waits only for school reporting to return.
    if (FailedLately()) {
      return WrittenForTheCaller(absl::UnavailableError(
          "school reporting did not answer for the institution list just now; try again"));
    }
    if (absl::Status again = Refetch(lock, caller); !again.ok()) return again;
  }
  return listing_.institutions.count(code) > 0;
}

absl::StatusOr<AcceptedEnrolment> GrpcSchoolReporting::Enrolment(
    const Principal& caller, const std::string& institution_code, const std::string& period_id) {
  return Enrolments(caller, {institution_code}, period_id).front();
}

std::vector<absl::StatusOr<AcceptedEnrolment>> GrpcSchoolReporting::Enrolments(
    const Principal& caller, const std::vector<std::string>& institution_codes,
    const std::string& period_id) {
  auto answers =
      GetAcceptedFiguresOf(*stub_, institution_codes, period_id,
                           [&](grpc::ClientContext* context) { Prepare(caller, context); });
  std::vector<absl::StatusOr<AcceptedEnrolment>> out;
  for (auto& answer : answers) {
    if (!answer.ok()) {
      out.push_back(answer.status());
      continue;
    }
    AcceptedEnrolment enrolment;
    auto count = answer->counts().find(kEnrolledStudents);
    if (answer->accepted() && count != answer->counts().end()) {
      enrolment.accepted = true;
      enrolment.enrolled_students = count->second;
      enrolment.revision = answer->revision();
    }
    out.push_back(enrolment);
  }
  return out;
}

}  // namespace vetrack::ledger
