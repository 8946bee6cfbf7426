#ifndef VETRACK_SERVICES_VETCTL_REFERENCE_FILES_H_
#define VETRACK_SERVICES_VETCTL_REFERENCE_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vetrack/schools/v1/schools.pb.h"

// Reference-data files for `institutions import` and `majors import`, in
// either of two forms:
//   JSON: protobuf JSON of InstitutionCatalog or MajorCatalog, like the data
//         files in services/school-reporting/data/;
//   CSV:  UTF-8 with or without a BOM, a header row naming the columns (any
//         order; English or the Chinese words in brackets):
//           institutions: code (院校代码), display_name (学校名称), type (类型:
//             higher_vocational|secondary_vocational|technical or 高职|中职|技工),
//             school_id_code (学校标识码), credit_code (统一社会信用代码),
//             first_year (开办年份 or 计入年份: the first year the plan counts it in)
//           majors: code (专业代码), display_name (专业名称), level (层次:
//             secondary|junior_college|undergraduate or 中职|高职专科|职业本科),
//             category (专业大类), subcategory (专业类)
// Either way the line each row starts on is kept, so the violations the
// service answers with ("catalog.majors[3].code") can name the line to fix.
namespace vetrack::vetctl {

namespace schools_v1 = ::vetrack::schools::v1;

// A file's rows and where they are: lines[i] is the line row i starts on
// (0 where it is not known).
template <typename Catalog>
struct ReferenceFile {
  Catalog catalog;
  std::vector<int64_t> lines;
};
using InstitutionFile = ReferenceFile<schools_v1::InstitutionCatalog>;
using MajorFile = ReferenceFile<schools_v1::MajorCatalog>;

// The whole file without a leading BOM; NOT_FOUND when it cannot be opened,
// INVALID_ARGUMENT naming the line when it is not UTF-8.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// The file's rows; `path` names the file in messages and, for CSV, the
// catalog's source. INVALID_ARGUMENT when the file cannot be read as a whole
// (not JSON of the catalog, a CSV header without a required column), or with
// a violation per row that cannot be read ("line 7: catalog.institutions[5].type").
absl::StatusOr<InstitutionFile> ParseInstitutionFile(const std::string& path,
                                                     const std::string& text);
absl::StatusOr<MajorFile> ParseMajorFile(const std::string& path, const std::string& text);

// `status` (an import's answer) with each violation of row i of `collection`
// ("catalog.majors[5].code") prefixed with that row's line ("line 7: …"),
// and a message naming the lines refused.
absl::Status NameFileLines(const absl::Status& status, const std::string& path,
                           const std::string& collection, const std::vector<int64_t>& lines);

// The line each element of the top-level array `key` starts on in JSON `text`.
std::vector<int64_t> JsonArrayElementLines(const std::string& text, const std::string& key);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_REFERENCE_FILES_H_
