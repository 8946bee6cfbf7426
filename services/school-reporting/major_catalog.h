#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_MAJOR_CATALOG_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_MAJOR_CATALOG_H_

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "status/errors.h"
#include "vetrack/schools/v1/schools.pb.h"

// The rules of 职业教育专业目录（2021年） as pure functions: what its codes
// look like, which level a code belongs to, how an import changes a stored
// major, and which majors of a report the loaded catalog does not hold.
namespace vetrack::schools {

// Why `code` is not a well-formed 2021 catalog code (six digits, a 专业大类
// of one of the three levels, 专业类 and 专业 not 00), or "" when it is one.
std::string CatalogCodeFormatProblem(absl::string_view code);

// The level of a well-formed code's 专业大类 (21–39 职业本科, 41–59 高职专科,
// 61–79 中职); UNSPECIFIED otherwise.
v1::MajorLevel LevelOfCode(absl::string_view code);

// 中职, 高职专科, 职业本科.
const char* LevelLabel(v1::MajorLevel level);

// Applies the fields `incoming` knows (non-empty, or a level) to `stored`,
// noting each change; an empty field keeps the stored value.
void MergeCatalogMajor(const v1::CatalogMajor& incoming, v1::CatalogMajor* stored,
                       std::vector<v1::CatalogMajorChange>* changes);

// A violation on "{prefix}majors[i].catalog_code" for each well-formed code
// of the report that `known` does not hold (malformed ones are reported by
// DataReportViolations already).
std::vector<FieldViolation> UnknownMajorViolations(const v1::DataReport& report,
                                                   const std::set<std::string>& known,
                                                   const std::string& prefix);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_MAJOR_CATALOG_H_
