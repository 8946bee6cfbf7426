#include "report_rules.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "items.h"
#include "major_catalog.h"
#include "status/errors.h"

namespace vetrack::schools {
namespace {

constexpr int kMaxMajorNameChars = 64;

std::string CountField(const std::string& prefix, const std::string& id) {
  return absl::StrCat(prefix, "counts.", id);
}

const int64_t* Find(const Counts& counts, const std::string& id) {
  auto it = counts.find(id);
  return it == counts.end() ? nullptr : &it->second;
}

// Position in the catalog, so answers list items as the catalog does.
size_t CatalogIndex(const std::string& id) {
  const auto& catalog = ItemCatalog();
  for (size_t i = 0; i < catalog.size(); ++i) {
    if (catalog[i].id() == id) return i;
  }
  return catalog.size();
}

std::vector<std::string> InCatalogOrder(std::set<std::string> ids) {
  std::vector<std::string> out(ids.begin(), ids.end());
  std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return CatalogIndex(a) < CatalogIndex(b);
  });
  return out;
}

// No count of a district's school comes near a billion; the bound keeps the
// figures built on them (2 × enrolment in the ledger, sums across schools,
// doubles on the municipal exchange) exact and far from overflow.
constexpr int64_t kMaxCount = 1'000'000'000;

void CheckCountIds(const v1::DataReport& report, v1::InstitutionType type,
                   const std::string& prefix, std::vector<FieldViolation>* out) {
  std::set<std::string> ids;
  for (const auto& [id, value] : report.counts()) ids.insert(id);
  for (const std::string& id : InCatalogOrder(ids)) {
    const v1::Item* item = FindItem(id);
    const std::string field = CountField(prefix, id.substr(0, 64));
    if (item == nullptr) {
      out->push_back({field, "no such item in the catalog (see ListItems)"});
    } else if (item->type() != v1::ITEM_TYPE_COUNT) {
      out->push_back({field, absl::StrCat(id, " is a list: report it in majors")});
    } else if (!AppliesTo(*item, type)) {
      out->push_back({field, absl::StrCat(TypeLabel(type), " institutions do not report ", id)});
    } else if (report.counts().at(id) < 0 || report.counts().at(id) > kMaxCount) {
      out->push_back({field, absl::StrCat("must be an integer from 0 to ", kMaxCount)});
    }
  }
}

void CheckBounds(const v1::DataReport& report, v1::InstitutionType type, const std::string& prefix,
                 std::vector<FieldViolation>* out) {
  for (const v1::Item* item : ItemsFor(type)) {
    if (item->at_most_item().empty()) continue;
    const int64_t* value = Find(report.counts(), item->id());
    const int64_t* bound = Find(report.counts(), item->at_most_item());
    if (value == nullptr || bound == nullptr || *value < 0 || *bound < 0) continue;
    if (*value > *bound) {
      out->push_back({CountField(prefix, item->id()),
                      absl::StrCat(item->id(), " (", *value, ") cannot exceed ",
                                   item->at_most_item(), " (", *bound, ")")});
    }
  }
}

void CheckRequired(const v1::DataReport& report, v1::InstitutionType type,
                   const std::string& prefix, std::vector<FieldViolation>* out) {
  for (const v1::Item* item : ItemsFor(type)) {
    if (!item->required()) continue;
    if (item->type() == v1::ITEM_TYPE_MAJOR_LIST) {
      if (report.majors().empty()) {
        out->push_back({prefix + "majors", "required: the majors offered"});
      }
    } else if (Find(report.counts(), item->id()) == nullptr) {
      out->push_back({CountField(prefix, item->id()),
                      absl::StrCat("required: ", item->display_name(), " (", item->unit(), ")")});
    }
  }
}

void CheckMajors(const v1::DataReport& report, v1::InstitutionType type, const std::string& prefix,
                 std::vector<FieldViolation>* out) {
  std::set<std::string> seen;
  for (int i = 0; i < report.majors_size(); ++i) {
    const v1::Major& major = report.majors(i);
    const std::string field = absl::StrCat(prefix, "majors[", i, "]");
    if (std::string problem = CatalogCodeProblem(major.catalog_code(), type); !problem.empty()) {
      out->push_back({field + ".catalog_code", problem});
    } else if (!seen.insert(major.catalog_code()).second) {
      out->push_back({field + ".catalog_code", "listed twice"});
    }
    if (major.status() == v1::MAJOR_STATUS_UNSPECIFIED ||
        !v1::MajorStatus_IsValid(major.status())) {
      out->push_back({field + ".status", "required: CONTINUING, NEW, UPGRADED or CLOSING"});
    }
    if (Utf8Length(major.display_name()) > kMaxMajorNameChars) {
      out->push_back(
          {field + ".display_name", absl::StrCat("at most ", kMaxMajorNameChars, " characters")});
    }
  }
}

std::vector<FieldViolation> ReturnViolations(
    const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
    const std::function<std::string(const std::string&)>& problem_of) {
  std::vector<FieldViolation> out;
  std::set<std::string> seen;
  for (int i = 0; i < returns.size(); ++i) {
    const std::string field = absl::StrCat("returns[", i, "].item");
    const std::string& item = returns[i].item();
    if (std::string problem = problem_of(item); !problem.empty()) {
      out.push_back({field, problem});
    } else if (!seen.insert(item).second) {
      out.push_back({field, "returned twice: give one reason per item"});
    }
  }
  return out;
}

}  // namespace

std::string CatalogCodeProblem(const std::string& code, v1::InstitutionType type) {
  if (std::string problem = CatalogCodeFormatProblem(code); !problem.empty()) return problem;
  const bool secondary = LevelOfCode(code) == v1::MAJOR_LEVEL_SECONDARY;
  if (type == v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL && secondary) {
    return "a 高职 institution offers 本科 (21–39) or 专科 (41–59) majors";
  }
  if (type != v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL && !secondary) {
    return absl::StrCat("a ", TypeLabel(type), " institution offers 中职 majors (61–79)");
  }
  return "";
}

std::vector<FieldViolation> DataReportViolations(const v1::DataReport& report,
                                                 v1::InstitutionType type, bool complete,
                                                 const std::string& prefix) {
  std::vector<FieldViolation> out;
  CheckCountIds(report, type, prefix, &out);
  CheckBounds(report, type, prefix, &out);
  if (complete) CheckRequired(report, type, prefix, &out);
  CheckMajors(report, type, prefix, &out);
  return out;
}

std::vector<v1::ChangeWarning> ChangeWarnings(const Counts& current, const Counts& previous,
                                              double max_share) {
  std::vector<v1::ChangeWarning> warnings;
  for (const v1::Item& item : ItemCatalog()) {
    const int64_t* now = Find(current, item.id());
    const int64_t* before = Find(previous, item.id());
    if (now == nullptr || before == nullptr || *before <= 0) continue;
    const double share = static_cast<double>(*now - *before) / static_cast<double>(*before);
    if (std::abs(share) <= max_share) continue;
    v1::ChangeWarning warning;
    warning.set_item(item.id());
    warning.set_previous_value(*before);
    warning.set_value(*now);
    warning.set_change_share(share);
    warnings.push_back(std::move(warning));
  }
  return warnings;
}

void DiffDataReports(const v1::DataReport& from, const v1::DataReport& to,
                     v1::DataReportDiff* diff) {
  std::set<std::string> ids;
  for (const auto& [id, value] : from.counts()) ids.insert(id);
  for (const auto& [id, value] : to.counts()) ids.insert(id);
  for (const std::string& id : InCatalogOrder(ids)) {
    const int64_t* a = Find(from.counts(), id);
    const int64_t* b = Find(to.counts(), id);
    if (a != nullptr && b != nullptr && *a == *b) continue;
    v1::CountChange* change = diff->add_count_changes();
    change->set_item(id);
    if (a != nullptr) change->set_from_value(*a);
    if (b != nullptr) change->set_to_value(*b);
  }
  std::map<std::string, const v1::Major*> before, after;
  for (const v1::Major& m : from.majors()) before[m.catalog_code()] = &m;
  for (const v1::Major& m : to.majors()) after[m.catalog_code()] = &m;
  std::set<std::string> codes;
  for (const auto& [code, m] : before) codes.insert(code);
  for (const auto& [code, m] : after) codes.insert(code);
  for (const std::string& code : codes) {
    const v1::Major* a = before.count(code) ? before[code] : nullptr;
    const v1::Major* b = after.count(code) ? after[code] : nullptr;
    if (a != nullptr && b != nullptr &&
        google::protobuf::util::MessageDifferencer::Equals(*a, *b)) {
      continue;
    }
    v1::MajorChange* change = diff->add_major_changes();
    change->set_catalog_code(code);
    if (a != nullptr) *change->mutable_from_major() = *a;
    if (b != nullptr) *change->mutable_to_major() = *b;
  }
}

std::vector<FieldViolation> DataReturnViolations(
    const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns, v1::InstitutionType type) {
  return ReturnViolations(returns, [type](const std::string& id) -> std::string {
    const v1::Item* item = FindItem(id);
    if (item == nullptr) return "no such item in the catalog (see ListItems)";
    if (!AppliesTo(*item, type)) {
      return absl::StrCat(TypeLabel(type), " institutions do not report ", id);
    }
    return "";
  });
}

std::vector<FieldViolation> QualityReturnViolations(
    const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
    const v1::QualityReport& report) {
  return ReturnViolations(returns, [&report](const std::string& item) -> std::string {
    if (item == "title" || item == "document") return "";
    for (const v1::KeyFigure& figure : report.key_figures()) {
      if (figure.key() == item) return "";
    }
    return "not in the report: name \"title\", \"document\" or a key figure's key";
  });
}

}  // namespace vetrack::schools
