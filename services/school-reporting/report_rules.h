#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_RULES_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_RULES_H_

#include <string>
#include <vector>

#include "google/protobuf/map.h"
#include "status/errors.h"
#include "vetrack/schools/v1/schools.pb.h"

// The rules on what a report says, as pure functions: the domain runs them on
// every save and submission and refuses the whole change on any violation.
// Field paths name counts by item id ("counts.graduates") and majors by index
// ("majors[2].catalog_code").
namespace vetrack::schools {

using Counts = google::protobuf::Map<std::string, int64_t>;

// Every rule the content breaks, all at once: items known and reported by
// this type, counts non-negative, each item within the item it may not
// exceed (双师型 ≤ professional teachers, going on and employed ≤ graduates,
// municipal cases ≤ all cases), going on and employed together ≤ graduates,
// catalog codes well-formed, statuses set, no major twice. `complete` (a
// submission) also requires every required item, and holds a part whose
// optional whole is left out to 0 (left out means none), where a draft waits
// for the whole. Each field is prefixed with `prefix`, e.g. "data_report.".
std::vector<FieldViolation> DataReportViolations(const v1::DataReport& report,
                                                 v1::InstitutionType type, bool complete,
                                                 const std::string& prefix);

// Why `code` is not a 职业教育专业目录（2021年） code that an institution of
// `type` offers, or "" when it is one.
std::string CatalogCodeProblem(const std::string& code, v1::InstitutionType type);

// Counts that moved by more than `max_share` (0.3 = 30%) from last year's
// accepted value, in catalog order. Items last year reported as 0 are not
// compared (any change would be infinite).
std::vector<v1::ChangeWarning> ChangeWarnings(const Counts& current, const Counts& previous,
                                              double max_share);

// What differs between two revisions, counts in catalog order, majors by
// code. Returns what changed by the names a return uses (item ids, "majors").
std::vector<std::string> DiffDataReports(const v1::DataReport& from, const v1::DataReport& to,
                                         v1::DataReportDiff* diff);
// The same for quality reports: title, document, key figures by key; the
// names are "title", "document" and the figures' keys.
std::vector<std::string> DiffQualityReports(const v1::QualityReport& from,
                                            const v1::QualityReport& to,
                                            v1::QualityReportDiff* diff);

// A return must name items the institution reports, each once.
std::vector<FieldViolation> DataReturnViolations(
    const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns, v1::InstitutionType type);
// The type `report` is of (recorded at its first submission and kept), by
// which it is checked and reviewed and its figures counted: the institution's
// `current_type` before its first submission, or when the report predates
// the record.
inline v1::InstitutionType SubmittedType(const v1::DataReport& report,
                                         v1::InstitutionType current_type) {
  return report.institution_type() != v1::INSTITUTION_TYPE_UNSPECIFIED ? report.institution_type()
                                                                       : current_type;
}
// For quality reports: "title", "document" or one of the report's key figures.
std::vector<FieldViolation> QualityReturnViolations(
    const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
    const v1::QualityReport& report);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_REPORT_RULES_H_
