#include "major_catalog.h"

#include "absl/strings/str_cat.h"
#include "names.h"

namespace vetrack::schools {
namespace {

int MajorClassOf(absl::string_view code) { return (code[0] - '0') * 10 + (code[1] - '0'); }

std::string LevelText(v1::MajorLevel level) {
  return level == v1::MAJOR_LEVEL_UNSPECIFIED ? "" : v1::MajorLevel_Name(level);
}

}  // namespace

std::string CatalogCodeFormatProblem(absl::string_view code) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != absl::string_view::npos) {
    return "a 2021 catalog code is 6 digits, e.g. 510201";
  }
  if (LevelOfCode(code) == v1::MAJOR_LEVEL_UNSPECIFIED) {
    return "the first two digits are not a 专业大类 of the 2021 catalog "
           "(21–39 本科, 41–59 高职专科, 61–79 中职)";
  }
  if (code.substr(2, 2) == "00" || code.substr(4, 2) == "00") {
    return "the 专业类 and 专业 digits cannot be 00";
  }
  return "";
}

v1::MajorLevel LevelOfCode(absl::string_view code) {
  if (code.size() != 6 || code.find_first_not_of("0123456789") != absl::string_view::npos) {
    return v1::MAJOR_LEVEL_UNSPECIFIED;
  }
  const int major_class = MajorClassOf(code);
  if (major_class >= 21 && major_class <= 39) return v1::MAJOR_LEVEL_UNDERGRADUATE;
  if (major_class >= 41 && major_class <= 59) return v1::MAJOR_LEVEL_JUNIOR_COLLEGE;
  if (major_class >= 61 && major_class <= 79) return v1::MAJOR_LEVEL_SECONDARY;
  return v1::MAJOR_LEVEL_UNSPECIFIED;
}

const char* LevelLabel(v1::MajorLevel level) {
  switch (level) {
    case v1::MAJOR_LEVEL_SECONDARY:
      return "中职";
    case v1::MAJOR_LEVEL_JUNIOR_COLLEGE:
      return "高职专科";
    case v1::MAJOR_LEVEL_UNDERGRADUATE:
      return "职业本科";
    default:
      return "";
  }
}

void MergeCatalogMajor(const v1::CatalogMajor& incoming, v1::CatalogMajor* stored,
                       std::vector<v1::CatalogMajorChange>* changes) {
  auto note = [&](const std::string& field, const std::string& before, const std::string& after) {
    v1::CatalogMajorChange change;
    change.set_major(CatalogMajorName(stored->code()));
    change.set_field(field);
    change.set_old_value(before);
    change.set_new_value(after);
    changes->push_back(std::move(change));
  };
  auto text = [&](const std::string& field, const std::string& value, std::string* target) {
    if (value.empty() || value == *target) return;
    note(field, *target, value);
    *target = value;
  };
  text("display_name", incoming.display_name(), stored->mutable_display_name());
  if (incoming.level() != v1::MAJOR_LEVEL_UNSPECIFIED && incoming.level() != stored->level()) {
    note("level", LevelText(stored->level()), LevelText(incoming.level()));
    stored->set_level(incoming.level());
  }
  text("category", incoming.category(), stored->mutable_category());
  text("subcategory", incoming.subcategory(), stored->mutable_subcategory());
}

std::vector<FieldViolation> UnknownMajorViolations(const v1::DataReport& report,
                                                   const std::set<std::string>& known,
                                                   const std::string& prefix) {
  std::vector<FieldViolation> out;
  for (int i = 0; i < report.majors_size(); ++i) {
    const std::string& code = report.majors(i).catalog_code();
    if (!CatalogCodeFormatProblem(code).empty() || known.count(code) > 0) continue;
    out.push_back(
        {absl::StrCat(prefix, "majors[", i, "].catalog_code"),
         absl::StrCat(code, " is not in the loaded 职业教育专业目录 (see ListCatalogMajors)")});
  }
  return out;
}

}  // namespace vetrack::schools
