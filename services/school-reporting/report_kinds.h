#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_KINDS_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_KINDS_H_

// What the data report and the quality report (质量年报) differ in, for the
// flows they share: reading, listing, review and reopening
// (reporting_reports.cc). Each is a one-line answer: where the kind is
// stored, how it is named, what a return may name, what its acceptance sends.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clock/timestamp.h"
#include "exchange_entry.h"
#include "names.h"
#include "report_rules.h"
#include "school_store.h"
#include "vetrack/schools/v1/schools.pb.h"

namespace vetrack::schools {

template <typename Report>
struct ReportKindOf;

template <>
struct ReportKindOf<v1::DataReport> {
  using ListResponse = v1::ListDataReportsResponse;
  static constexpr ReportKind kKind = ReportKind::kData;
  static constexpr const char* kNoun = "data report";
  // Whether spot checks draw its figures, so a return withdraws their counts.
  static constexpr bool kSpotChecked = false;

  static absl::StatusOr<std::optional<Stored<v1::DataReport>>> Get(SchoolStore& store,
                                                                   const ReportRef& ref) {
    return store.GetDataReport(ref);
  }
  static absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetMany(
      SchoolStore& store, const std::vector<std::string>& codes, const std::string& period_id) {
    return store.GetDataReports(codes, period_id);
  }
  static absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetRevision(
      SchoolStore& store, const ReportRef& ref, int revision) {
    return store.GetDataRevisions(ref, {revision});
  }
  static v1::DataReport* AddTo(ListResponse* list) { return list->add_data_reports(); }
  static std::vector<GuardedPut<v1::DataReport>>& Reports(SchoolWrite* write) {
    return write->data_reports;
  }
  static std::vector<RevisionPut<v1::DataReport>>& Revisions(SchoolWrite* write) {
    return write->data_revisions;
  }
  static std::vector<FieldViolation> ReturnViolations(
      const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
      const v1::Institution& institution, const v1::DataReport& report) {
    return DataReturnViolations(returns, SubmittedType(report, institution.type()));
  }
  // The type the report counts under in its year.
  static v1::InstitutionType YearType(const v1::DataReport& report,
                                      v1::InstitutionType current_type) {
    return SubmittedType(report, current_type);
  }
  static std::string AcceptedEntry(const v1::Institution& institution, const v1::DataReport& report,
                                   const v1::DataReport& revision, absl::Time accepted_time) {
    return AcceptedDataReportEntry(institution, report, revision, accepted_time);
  }
  // A reopened data report is a draft again, edited from now on.
  static void MarkReopened(const std::string& by, absl::Time now, v1::DataReport* report) {
    report->set_updated_by(by);
    *report->mutable_update_time() = TimeToProto(now);
  }
};

template <>
struct ReportKindOf<v1::QualityReport> {
  using ListResponse = v1::ListQualityReportsResponse;
  static constexpr ReportKind kKind = ReportKind::kQuality;
  static constexpr const char* kNoun = "quality report";
  static constexpr bool kSpotChecked = true;

  static absl::StatusOr<std::optional<Stored<v1::QualityReport>>> Get(SchoolStore& store,
                                                                      const ReportRef& ref) {
    return store.GetQualityReport(ref);
  }
  static absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetMany(
      SchoolStore& store, const std::vector<std::string>& codes, const std::string& period_id) {
    return store.GetQualityReports(codes, period_id);
  }
  static absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetRevision(
      SchoolStore& store, const ReportRef& ref, int revision) {
    return store.GetQualityRevisions(ref, {revision});
  }
  static v1::QualityReport* AddTo(ListResponse* list) { return list->add_quality_reports(); }
  static std::vector<GuardedPut<v1::QualityReport>>& Reports(SchoolWrite* write) {
    return write->quality_reports;
  }
  static std::vector<RevisionPut<v1::QualityReport>>& Revisions(SchoolWrite* write) {
    return write->quality_revisions;
  }
  static std::vector<FieldViolation> ReturnViolations(
      const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns, const v1::Institution&,
      const v1::QualityReport& report) {
    return QualityReturnViolations(returns, report);
  }
  // A quality report records no type: its institution's, now.
  static v1::InstitutionType YearType(const v1::QualityReport&, v1::InstitutionType current_type) {
    return current_type;
  }
  static std::string AcceptedEntry(const v1::Institution& institution,
                                   const v1::QualityReport& report,
                                   const v1::QualityReport& revision, absl::Time accepted_time) {
    return AcceptedQualityReportEntry(institution, report, revision, accepted_time);
  }
  // A quality report is only ever submitted whole: no draft edits to stamp.
  static void MarkReopened(const std::string&, absl::Time, v1::QualityReport*) {}
};

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_KINDS_H_
