#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_STORE_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_STORE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "idempotency/idempotency.h"
#include "names.h"
#include "redis/stored_entity.h"
#include "vetrack/schools/v1/schools.pb.h"

namespace vetrack::schools {

using redis::GuardedPut;
using redis::Stored;

// Spot-check tallies of one institution; in a write, the amounts to add.
struct CredibilityCount {
  std::string institution_code;
  int checks = 0;
  int confirmed = 0;
  int discrepancies = 0;
};

// One stated figure as the credibility tallies know it: the same figure drawn
// again, in another draw of the period, is the same figure and counts once.
struct CountedFigure {
  std::string institution_code;
  std::string period_id;
  int report_revision = 0;
  std::string item;
};

// What a tally holds of one figure.
struct FigureCount {
  CountedFigure figure;
  // The outcome counted; PENDING when it was counted before outcomes were
  // kept with the count (the spot checks' records then say which it was).
  v1::CheckOutcome outcome = v1::CHECK_OUTCOME_PENDING;
  // Its revision was returned for correction: the tally no longer counts it,
  // and as no outcome is recorded on a returned revision, nothing counts it
  // again.
  bool withdrawn = false;
};

// A report's revision that a write was decided on and leaves as it is.
struct RevisionGuard {
  ReportRef ref;
  int revision = 0;
  int64_t version = 0;
};

// A report's revision as submitted, to keep (expected_version 0) or to
// update with its review (the stored version).
template <typename T>
struct RevisionPut {
  ReportRef ref;
  int revision = 0;
  GuardedPut<T> put;
};

// Which reference catalog an issue-time mark belongs to.
enum class ReferencePart { kInstitutions, kMajors };

// When the reference catalog last imported with an issue time was issued
// (v1::InstitutionCatalog.issue_time): imports older than it are refused.
struct ReferenceMark {
  ReferencePart part = ReferencePart::kInstitutions;
  absl::Time issued;
};

// One change to school reporting. The store applies it all or nothing.
struct SchoolWrite {
  std::vector<GuardedPut<v1::Institution>> institutions;
  // National codes are unique across institutions, so a write of institutions
  // is decided on all of them: it is refused (ABORTED) unless the register is
  // still at this version (GetInstitutionRegisterVersion), and advances it.
  int64_t institution_register_version = 0;
  std::vector<GuardedPut<v1::CatalogMajor>> catalog_majors;
  // Windows the coordinator set.
  std::vector<GuardedPut<v1::Period>> periods;
  std::vector<GuardedPut<v1::DataReport>> data_reports;
  std::vector<RevisionPut<v1::DataReport>> data_revisions;
  std::vector<GuardedPut<v1::QualityReport>> quality_reports;
  std::vector<RevisionPut<v1::QualityReport>> quality_revisions;
  // Appended to the history of the report named by each ref.
  std::vector<std::pair<ReportRef, v1::ReportHistoryEntry>> history;
  // The write is refused (ABORTED) unless each is still at the version read,
  // so what it was decided on cannot change before it lands.
  std::vector<RevisionGuard> quality_revision_guards;
  std::vector<GuardedPut<v1::SpotCheck>> spot_checks;
  // Added to the tallies; negative where a return withdraws counts.
  std::vector<CredibilityCount> credibility_increments;
  // Figures the increments count or withdraw, each guarded by the version
  // read (0: counted by this write, refused if another counted it first).
  std::vector<GuardedPut<FigureCount>> figure_counts;
  // Figures read as uncounted that must stay so: the write is refused if
  // another counts one first.
  std::vector<CountedFigure> uncounted_figures;
  std::vector<GuardedPut<ReferenceMark>> reference_marks;
  // Appended to the history of the reference resource named by each
  // ("institutions", "catalogMajors", "periods/{id}").
  std::vector<std::pair<std::string, v1::ReportHistoryEntry>> reference_history;
  // Exchange entries (JSON) appended to the outbox, so an accepted report is
  // delivered to the municipality if and only if it is stored.
  std::vector<std::string> outbox;
  // The request and its answer (idempotency/idempotency.h).
  std::optional<Answer> answer;
};

// Where school reporting keeps its state. Reads return entities with their
// etag set from the stored version.
class SchoolStore {
 public:
  virtual ~SchoolStore() = default;

  // OK while the store answers; drives the health status.
  virtual absl::Status Ping() = 0;

  // In code order.
  virtual absl::StatusOr<std::vector<Stored<v1::Institution>>> ListInstitutions() = 0;
  // Advanced by every write of institutions; 0 before the first. Read before
  // ListInstitutions, a write guarded by it is refused if any institution
  // changed since.
  virtual absl::StatusOr<int64_t> GetInstitutionRegisterVersion() = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::Institution>>> GetInstitution(
      const std::string& code) = 0;
  // The major catalog, in code order.
  virtual absl::StatusOr<std::vector<Stored<v1::CatalogMajor>>> ListCatalogMajors() = 0;
  // Entry i is the catalog's major codes[i], if it holds one.
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::CatalogMajor>>>> GetCatalogMajors(
      const std::vector<std::string>& codes) = 0;
  // Absent until a catalog of the part is imported with an issue time.
  virtual absl::StatusOr<std::optional<Stored<ReferenceMark>>> GetReferenceMark(
      ReferencePart part) = 0;
  // The window the coordinator set for a period, if any.
  virtual absl::StatusOr<std::optional<Stored<v1::Period>>> GetPeriod(
      const std::string& period_id) = 0;

  virtual absl::StatusOr<std::optional<Stored<v1::DataReport>>> GetDataReport(
      const ReportRef& ref) = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::QualityReport>>> GetQualityReport(
      const ReportRef& ref) = 0;
  // Entry i is institution_codes[i]'s report for the period.
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataReports(
      const std::vector<std::string>& institution_codes, const std::string& period_id) = 0;
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityReports(
      const std::vector<std::string>& institution_codes, const std::string& period_id) = 0;
  // Entry i is revisions[i] of the report (absent when never submitted).
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) = 0;
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) = 0;
  // Entry i is revisions[i].second of the data report revisions[i].first:
  // revisions of many reports in one round trip.
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisionsOf(
      const std::vector<std::pair<ReportRef, int>>& revisions) = 0;

  // Oldest first; `total` receives the history's length.
  virtual absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListHistory(const ReportRef& ref,
                                                                          int offset, int limit,
                                                                          int* total) = 0;

  // The same for a reference resource (SchoolWrite::reference_history).
  virtual absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListReferenceHistory(
      const std::string& resource, int offset, int limit, int* total) = 0;

  // Spot-check ids, oldest first.
  virtual absl::StatusOr<std::vector<std::string>> ListSpotCheckIds() = 0;
  // Entry i answers ids[i].
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::SpotCheck>>>> GetSpotChecks(
      const std::vector<std::string>& ids) = 0;
  // Entry i is institution_codes[i]'s tally (zero when never checked).
  virtual absl::StatusOr<std::vector<CredibilityCount>> GetCredibility(
      const std::vector<std::string>& institution_codes) = 0;
  // Entry i is what the tallies hold of figures[i]: absent while uncounted.
  virtual absl::StatusOr<std::vector<std::optional<Stored<FigureCount>>>> GetFigureCounts(
      const std::vector<CountedFigure>& figures) = 0;

  // The earlier answer to a request, if any; INVALID_ARGUMENT on request_id
  // when the key was used with a different fingerprint.
  virtual absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                                const std::string& fingerprint) = 0;
  virtual absl::StatusOr<WriteOutcome> Write(const SchoolWrite& write) = 0;
};

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_STORE_H_
