#ifndef VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SCHOOL_SOURCES_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SCHOOL_SOURCES_H_

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "clock/clock.h"
#include "school_sources.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace vetrack::ledger {

struct SchoolReportingOptions {
  // Each call's deadline.
  absl::Duration call_timeout = absl::Seconds(3);
  // How long the institution list answers whether a code is known (each
  // record's check) and the years institutions are counted from; it changes
  // rarely.
  absl::Duration directory_ttl = absl::Seconds(60);
  // An unknown code fetches the list again at most this often, so a new
  // institution is found without waiting for the TTL and a file full of bad
  // codes does not flood school reporting. Also how old the list a district
  // statement names every institution from may be, and how long a failed
  // fetch is not retried (the held list answers meanwhile).
  absl::Duration min_refetch_interval = absl::Seconds(1);
};

// Both sources over the school-reporting gRPC API. Every call forwards the
// caller's identity (x-vetrack-role, x-vetrack-unit). The institution list
// is cached; while school reporting is down, a stale list still answers for
// the institutions it holds, but does not say that one is unknown
// (UNAVAILABLE instead: the institution may be newer than the list).
class GrpcSchoolReporting : public InstitutionDirectory, public EnrolmentSource {
 public:
  GrpcSchoolReporting(std::shared_ptr<grpc::Channel> channel, const Clock& clock,
                      SchoolReportingOptions options = {});

  absl::StatusOr<std::vector<std::string>> InstitutionCodes(const Principal& caller) override;
  absl::StatusOr<bool> IsKnown(const Principal& caller, const std::string& code) override;
  absl::StatusOr<std::vector<v1::InstitutionIdentity>> Identities(const Principal& caller) override;
  absl::StatusOr<std::map<std::string, int>> FirstYears(const Principal& caller) override;
  absl::StatusOr<AcceptedEnrolment> Enrolment(const Principal& caller,
                                              const std::string& institution_code,
                                              const std::string& period_id) override;
  // A few calls in flight at once (kCallsAtOncePerRequest): a district
  // statement asks about every institution.
  std::vector<absl::StatusOr<AcceptedEnrolment>> Enrolments(
      const Principal& caller, const std::vector<std::string>& institution_codes,
      const std::string& period_id) override;

 private:
  struct Listing {
    std::map<std::string, v1::InstitutionIdentity> institutions;  // by code
    std::map<std::string, int> first_years;                       // as FirstYears answers
  };
  // Every page of ListInstitutions; takes no lock.
  absl::StatusOr<Listing> Fetch(const Principal& caller) const;
  // Fetches with `lock` released meanwhile, so callers answered from the
  // held list do not queue behind a slow school reporting; one fetch at a
  // time. Installs what it got, or notes the failure.
  absl::Status Refetch(std::unique_lock<std::mutex>& lock, const Principal& caller);
  // Fetches when the list is missing or older than `max_age`. While a list is
  // held, a refetch under way or failed within min_refetch_interval leaves
  // it to answer, unless `max_age` is zero.
  absl::Status EnsureFresh(std::unique_lock<std::mutex>& lock, const Principal& caller,
                           absl::Duration max_age);
  // The last fetch failed, within min_refetch_interval.
  bool FailedLately() const;
  void Prepare(const Principal& caller, grpc::ClientContext* context) const;

  std::unique_ptr<schools::v1::SchoolReportingService::Stub> stub_;
  const Clock& clock_;
  SchoolReportingOptions options_;

  std::mutex fetch_mu_;  // held through a fetch; taken only without mu_
  std::mutex mu_;        // guards what follows
  bool fetched_ = false;
  absl::Time fetched_at_ = absl::InfinitePast();
  std::string fetched_as_;
  int64_t installs_ = 0;  // lists installed so far
  int refetching_ = 0;    // callers in Refetch
  absl::Time failed_at_ = absl::InfinitePast();
  Listing listing_;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SCHOOL_SOURCES_H_
