#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_REPORTING_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_REPORTING_H_

#include <functional>
#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "auth/principal.h"
#include "clock/clock.h"
#include "periods.h"
#include "school_store.h"
#include "status/errors.h"
#include "vetrack/schools/v1/schools.pb.h"

namespace vetrack::schools {

struct ReportingOptions {
  PeriodPolicy periods;
  // A submitted count further than this share from last year's accepted
  // value is accepted with a warning.
  double warn_change_share = 0.3;
  // The district's department codes (the task registry's), which no new
  // institution may take (found in review: "hrss" was imported as a school,
  // whose token the gateway refuses as naming a department, so it stayed
  // missing from every statement and round for good). Unset: not checked
  // (a test's or a tool's setting; `--tasks` sets it). Read by `answer_by`,
  // the importing caller's deadline less the time to answer it.
  std::function<absl::StatusOr<std::set<std::string>>(absl::Time answer_by)> department_codes;
};

// School reporting's domain: institutions, periods, data and quality reports
// with their review, and spot checks. It knows nothing of gRPC: requests come
// already validated for shape (validation.h), and errors are absl::Status
// with field details. Every mutation is idempotent by its request_id.
class SchoolReporting {
 public:
  SchoolReporting(SchoolStore& store, const Clock& clock, ReportingOptions options = {});

  // Reference data (reporting_reference.cc).
  absl::StatusOr<v1::ListInstitutionsResponse> ListInstitutions(
      const Principal& caller, const v1::ListInstitutionsRequest& req);
  absl::StatusOr<v1::Institution> GetInstitution(const Principal& caller,
                                                 const v1::GetInstitutionRequest& req);
  // `answer_by` bounds the one remote read an import may make (the
  // departments, when it creates institutions).
  absl::StatusOr<v1::ImportInstitutionsResponse> ImportInstitutions(
      const Principal& caller, const v1::ImportInstitutionsRequest& req,
      absl::Time answer_by = absl::InfiniteFuture());
  absl::StatusOr<v1::ImportMajorCatalogResponse> ImportMajorCatalog(
      const Principal& caller, const v1::ImportMajorCatalogRequest& req);
  absl::StatusOr<v1::ListCatalogMajorsResponse> ListCatalogMajors(
      const Principal& caller, const v1::ListCatalogMajorsRequest& req);
  absl::StatusOr<v1::CatalogMajor> GetCatalogMajor(const Principal& caller,
                                                   const v1::GetCatalogMajorRequest& req);
  absl::StatusOr<v1::ListItemsResponse> ListItems(const Principal& caller,
                                                  const v1::ListItemsRequest& req);
  absl::StatusOr<v1::ListPeriodsResponse> ListPeriods(const Principal& caller,
                                                      const v1::ListPeriodsRequest& req);
  absl::StatusOr<v1::Period> UpdatePeriod(const Principal& caller,
                                          const v1::UpdatePeriodRequest& req);

  // Data reports (reporting_data.cc, reporting_revisions.cc).
  absl::StatusOr<v1::DataReport> GetDataReport(const Principal& caller,
                                               const v1::GetDataReportRequest& req);
  absl::StatusOr<v1::ListDataReportsResponse> ListDataReports(
      const Principal& caller, const v1::ListDataReportsRequest& req);
  absl::StatusOr<v1::DataReport> UpdateDataReport(const Principal& caller,
                                                  const v1::UpdateDataReportRequest& req);
  absl::StatusOr<v1::DataReport> SubmitDataReport(const Principal& caller,
                                                  const v1::SubmitDataReportRequest& req);
  absl::StatusOr<v1::DataReport> ReviewDataReport(const Principal& caller,
                                                  const v1::ReviewDataReportRequest& req);
  absl::StatusOr<v1::DataReport> ReopenDataReport(const Principal& caller,
                                                  const v1::ReopenDataReportRequest& req);
  absl::StatusOr<v1::ListDataReportRevisionsResponse> ListDataReportRevisions(
      const Principal& caller, const v1::ListDataReportRevisionsRequest& req);
  absl::StatusOr<v1::DataReportDiff> DiffDataReportRevisions(
      const Principal& caller, const v1::DiffDataReportRevisionsRequest& req);
  absl::StatusOr<v1::QualityReportDiff> DiffQualityReportRevisions(
      const Principal& caller, const v1::DiffQualityReportRevisionsRequest& req);
  absl::StatusOr<v1::ListQualityReportRevisionsResponse> ListQualityReportRevisions(
      const Principal& caller, const v1::ListQualityReportRevisionsRequest& req);
  absl::StatusOr<v1::AcceptedFigures> GetAcceptedFigures(const Principal& caller,
                                                         const v1::GetAcceptedFiguresRequest& req);
  absl::StatusOr<v1::BatchGetAcceptedFiguresResponse> BatchGetAcceptedFigures(
      const Principal& caller, const v1::BatchGetAcceptedFiguresRequest& req);
  absl::StatusOr<v1::ListReportHistoryResponse> ListReportHistory(
      const Principal& caller, const v1::ListReportHistoryRequest& req);
  // Read by whoever reads every report or may import reference data.
  absl::StatusOr<v1::ListReferenceHistoryResponse> ListReferenceHistory(
      const Principal& caller, const v1::ListReferenceHistoryRequest& req);

  // Quality annual reports (reporting_quality.cc).
  absl::StatusOr<v1::QualityReport> GetQualityReport(const Principal& caller,
                                                     const v1::GetQualityReportRequest& req);
  absl::StatusOr<v1::ListQualityReportsResponse> ListQualityReports(
      const Principal& caller, const v1::ListQualityReportsRequest& req);
  absl::StatusOr<v1::QualityReport> SubmitQualityReport(const Principal& caller,
                                                        const v1::SubmitQualityReportRequest& req);
  absl::StatusOr<v1::QualityReport> ReviewQualityReport(const Principal& caller,
                                                        const v1::ReviewQualityReportRequest& req);
  absl::StatusOr<v1::QualityReport> ReopenQualityReport(const Principal& caller,
                                                        const v1::ReopenQualityReportRequest& req);

  // Spot checks (reporting_spot_checks.cc).
  absl::StatusOr<v1::SpotCheck> DrawSpotCheck(const Principal& caller,
                                              const v1::DrawSpotCheckRequest& req);
  absl::StatusOr<v1::SpotCheck> GetSpotCheck(const Principal& caller,
                                             const v1::GetSpotCheckRequest& req);
  absl::StatusOr<v1::ListSpotChecksResponse> ListSpotChecks(const Principal& caller,
                                                            const v1::ListSpotChecksRequest& req);
  absl::StatusOr<v1::SpotCheck> RecordSpotCheckResult(const Principal& caller,
                                                      const v1::RecordSpotCheckResultRequest& req);
  absl::StatusOr<v1::ListCredibilityResponse> ListCredibility(
      const Principal& caller, const v1::ListCredibilityRequest& req);

 private:
  // Adds a violation for each new institution (code → its index in the
  // catalog) whose code is a district department's; UNAVAILABLE when the
  // departments cannot be read (ReportingOptions::department_codes).
  absl::Status CheckNotDepartments(const std::map<std::string, int>& created_at,
                                   absl::Time answer_by, Violations* violations);

  // Runs a mutation once per (caller, request_id): a replay gets the stored
  // answer in `response` without running `prepare`. `prepare` fills the write
  // and `response`; both are committed together.
  absl::Status Once(const Principal& caller, const google::protobuf::Message& request,
                    const std::string& request_id, google::protobuf::Message* response,
                    const std::function<absl::Status(SchoolWrite*)>& prepare);

  // Once, or with `validate_only` only `prepare` on a write that is then
  // dropped: the answer says what would change, and nothing is stored.
  absl::Status OnceUnlessValidating(bool validate_only, const Principal& caller,
                                    const google::protobuf::Message& request,
                                    const std::string& request_id,
                                    google::protobuf::Message* response,
                                    const std::function<absl::Status(SchoolWrite*)>& prepare);

  // The report's majors that the loaded major catalog does not hold, as
  // violations on "{prefix}majors[i].catalog_code"; none while no catalog as
  // issued is loaded (the code's format is then all that is checked). In the
  // same read, each major without a display name takes the loaded catalog's
  // name for its code, so that every reader sees what the code stands for.
  absl::StatusOr<std::vector<FieldViolation>> CheckMajorsAgainstCatalog(v1::DataReport* report,
                                                                        const std::string& prefix);

  // For a catalog import that carries an issue time: INVALID_ARGUMENT on
  // catalog.issue_time when it is more than a few minutes past the clock,
  // FAILED_PRECONDITION (reason REFERENCE_OUTDATED) when it was issued before
  // the part's mark, else sets the mark to it in `write`, guarded by the
  // mark's version. Without one (nullptr) it passes and the mark stays.
  absl::Status CheckAndAdvanceReferenceMark(ReferencePart part,
                                            const google::protobuf::Timestamp* issue_time,
                                            SchoolWrite* write);

  // The flows the data report and the quality report share
  // (reporting_reports.cc; report_kinds.h says how the two kinds differ).
  template <typename Report>
  absl::StatusOr<Report> GetReport(const Principal& caller, const std::string& name);
  template <typename Report, typename ListResponse, typename ListRequest>
  absl::StatusOr<ListResponse> ListReports(const Principal& caller, const ListRequest& req);
  template <typename Report, typename ReviewRequest>
  absl::StatusOr<Report> ReviewReport(const Principal& caller, const ReviewRequest& req);
  template <typename Report, typename ReopenRequest>
  absl::StatusOr<Report> ReopenReport(const Principal& caller, const ReopenRequest& req);

  // INVALID_ARGUMENT when `req` changes nothing of `check`; FAILED_PRECONDITION
  // when it was corrected before (ALREADY_CORRECTED) or another draw of the
  // period recorded the same figure (CHECKED_ELSEWHERE: which draw's outcome
  // the tally counts is then not this check's to change).
  absl::Status CheckCorrectable(const v1::Check& check, const v1::RecordSpotCheckResultRequest& req,
                                const CountedFigure& figure, const std::string& this_draw);
  // With the correction of a check's outcome to `corrected`: the figure's
  // count (as read, `count`) follows it, unless it was never counted or a
  // return withdrew it.
  absl::Status CountCorrection(const CountedFigure& figure,
                               const std::optional<Stored<FigureCount>>& count,
                               v1::CheckOutcome corrected, SchoolWrite* write);
  // With the return of a quality report's `revision`: the outcomes recorded
  // on its figures leave the tallies, as outcomes recorded after a return are
  // refused (REVISION_RETURNED), so the order of the two does not matter
  // (reporting_spot_checks.cc).
  absl::Status WithdrawFigureCounts(const ReportRef& ref, const v1::QualityReport& revision,
                                    SchoolWrite* write);

  // The accepted figures of each (institution code, field naming it) for an
  // academic year, in order: a fixed number of reads however many are asked.
  absl::StatusOr<std::vector<v1::AcceptedFigures>> AcceptedFiguresOf(
      const Principal& caller, const std::vector<std::pair<std::string, std::string>>& asked,
      const std::string& period_id);

  // NOT_FOUND on `field` when the institution is unknown.
  absl::StatusOr<Stored<v1::Institution>> LoadInstitution(const std::string& code,
                                                          const std::string& field);
  // The period id parsed; INVALID_ARGUMENT on `field` when malformed or
  // before the plan's first year. Reads nothing.
  absl::StatusOr<PeriodRef> PlanPeriod(const std::string& period_id,
                                       const std::string& field) const;
  // The period with its window (the coordinator's, else the default);
  // PlanPeriod's errors.
  absl::StatusOr<Stored<v1::Period>> LoadPeriod(const std::string& period_id,
                                                const std::string& field);
  // LoadPeriod, and FAILED_PRECONDITION unless its window has opened.
  absl::StatusOr<v1::Period> LoadOpenPeriod(const std::string& period_id, const std::string& field);
  // The institutions the caller may see reports of: all, or a school's own.
  absl::StatusOr<std::vector<v1::Institution>> VisibleInstitutions(const Principal& caller);
  v1::ReportHistoryEntry History(const Principal& caller, const std::string& action, int revision,
                                 const std::string& detail) const;
  // The IMPORT entry of a catalog's history: its source and issue time (when
  // set), and what it did (reporting_reference.cc), including how many
  // changes it held back to keep the stored values.
  v1::ReportHistoryEntry ImportHistory(const Principal& caller, const std::string& source,
                                       const google::protobuf::Timestamp* issue_time, int created,
                                       int updated, int unchanged, int not_applied) const;

  SchoolStore& store_;
  const Clock& clock_;
  ReportingOptions options_;
};

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_SCHOOL_REPORTING_H_
