#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_WORKFLOW_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_WORKFLOW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "redis/stored_entity.h"
#include "vetrack/schools/v1/schools.pb.h"

// Who may do what, and which state a report must be in for it, as pure
// functions. A report that does not exist yet is in state UNSPECIFIED.
namespace vetrack::schools {

// The coordinator, departments and the evaluator read every report.
bool ReadsEveryReport(const Principal& caller);

// PERMISSION_DENIED unless the caller reads every report or is the
// institution itself.
absl::Status CheckCanRead(const Principal& caller, const std::string& institution_code);
// PERMISSION_DENIED unless the caller reads every report.
absl::Status CheckReadsEverything(const Principal& caller, const std::string& what);
// PERMISSION_DENIED unless the caller is the institution: a school writes only
// its own reports, and nobody writes them for it.
absl::Status CheckCanWrite(const Principal& caller, const std::string& institution_code);
// PERMISSION_DENIED unless the caller is the coordinator; `action` says what
// was refused.
absl::Status CheckIsCoordinator(const Principal& caller, const std::string& action);
// Reference data comes from the coordinator, an operator or the municipal exchange.
absl::Status CheckCanImportReferenceData(const Principal& caller);

// A report's state as loaded: UNSPECIFIED while it does not exist.
template <typename Report>
v1::ReportState StateOf(const std::optional<redis::Stored<Report>>& report) {
  return report.has_value() ? report->value.state() : v1::REPORT_STATE_UNSPECIFIED;
}
template <typename Report>
int64_t VersionOf(const std::optional<redis::Stored<Report>>& report) {
  return report.has_value() ? report->version : 0;
}

// ABORTED (STALE_ETAG on `field`) when an etag is given and is not `version`.
absl::Status CheckEtag(const std::string& etag, int64_t version, const std::string& field);

// FAILED_PRECONDITION unless the institution may change the report: it does
// not exist yet, is a draft, or was returned. Submitted reports wait for
// review (UNDER_REVIEW); accepted ones are locked (REPORT_LOCKED).
absl::Status CheckCanEdit(v1::ReportState state);
// FAILED_PRECONDITION unless a draft or returned report exists.
absl::Status CheckCanSubmit(v1::ReportState state);
// FAILED_PRECONDITION unless the report waits for review.
absl::Status CheckCanReview(v1::ReportState state);
// FAILED_PRECONDITION unless the report is accepted.
absl::Status CheckCanReopen(v1::ReportState state);

// Applies a review to the report and to the submitted revision it reviews
// (whose content stays as submitted): ACCEPTED with the accepted revision
// set, or RETURNED with the reasons and one more return counted.
// Report is v1::DataReport or v1::QualityReport.
template <typename Report>
void ApplyReview(bool accept, const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
                 const Principal& reviewer, absl::Time now, Report* report, Report* revision);

// "graduates: 与学籍系统不符; majors: …", for the history.
std::string DescribeReturns(const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns);

// 100 × (confirmed + 1) / (checks + 1), see Credibility.score.
double CredibilityScore(int checks, int confirmed);

// Clears the fields of `message` named by `fields` (proto field names, as
// the changes of a reference import name them): an import that keeps the
// stored values leaves those as they are.
void ClearFieldsNamed(const std::vector<std::string>& fields, google::protobuf::Message* message);

// For an import that keeps the stored values: of `would`, the changes an
// entry would make, those that replace a stored value go to `not_applied`,
// and their fields are cleared in `incoming` (blanks are still filled).
template <typename Change>
void HoldBackReplacements(std::vector<Change> would, google::protobuf::Message* incoming,
                          google::protobuf::RepeatedPtrField<Change>* not_applied) {
  std::vector<std::string> held;
  for (auto& change : would) {
    if (change.old_value().empty()) continue;
    held.push_back(change.field());
    *not_applied->Add() = std::move(change);
  }
  ClearFieldsNamed(held, incoming);
}

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_WORKFLOW_H_
