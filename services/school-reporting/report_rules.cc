#include "report_rules.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
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

// The whole a part is checked against. On a submission an optional item left
// out means none, so its parts are held to 0; a draft may not have reached the
// whole yet, and a required whole left out is named by CheckRequired.
std::optional<int64_t> Whole(const Counts& counts, const std::string& id, bool complete) {
  if (const int64_t* whole = Find(counts, id); whole != nullptr) {
    if (*whole < 0) return std::nullopt;  // CheckCountIds names it
    return *whole;
  }
  const v1::Item* item = FindItem(id);
  if (!complete || item == nullptr || item->required()) return std::nullopt;
  return 0;
}

std::string WholeText(const Counts& counts, const std::string& id, int64_t whole) {
  if (Find(counts, id) == nullptr) return absl::StrCat(id, " (not reported, so 0)");
  return absl::StrCat(id, " (", whole, ")");
}

void CheckBounds(const v1::DataReport& report, v1::InstitutionType type, bool complete,
                 const std::string& prefix, std::vector<FieldViolation>* out) {
  for (const v1::Item* item : ItemsFor(type)) {
    if (item->at_most_item().empty()) continue;
    const int64_t* value = Find(report.counts(), item->id());
    if (value == nullptr || *value < 0) continue;
    const std::optional<int64_t> bound = Whole(report.counts(), item->at_most_item(), complete);
    if (!bound.has_value()) continue;
    if (*value > *bound) {
      out->push_back({CountField(prefix, item->id()),
                      absl::StrCat(item->id(), " (", *value, ") cannot exceed ",
                                   WholeText(report.counts(), item->at_most_item(), *bound))});
    }
  }
}

// Parts that together may not exceed their whole, besides each on its own
// (at_most_item): 升学 and 就业 are separate destinations of the same
// graduates, so no graduate is counted in both.
struct SumRule {
  const char* parts[2];
  const char* whole;
  const char* why;
};
constexpr SumRule kSumRules[] = {
    {{"graduates_further_study", "graduates_employed"},
     "graduates",
     "a graduate goes on to study or into employment, not both"},
};

// Reported on the rule's last part. Each part is also held to the whole on its
// own (at_most_item): one out of range or over the whole is named already, and
// the sum would only name it again.
void CheckSums(const v1::DataReport& report, v1::InstitutionType type, bool complete,
               const std::string& prefix, std::vector<FieldViolation>* out) {
  for (const SumRule& rule : kSumRules) {
    const v1::Item* whole_item = FindItem(rule.whole);
    if (whole_item == nullptr || !AppliesTo(*whole_item, type)) continue;
    const std::optional<int64_t> whole = Whole(report.counts(), rule.whole, complete);
    if (!whole.has_value()) continue;
    int64_t values[2] = {0, 0};
    bool named_already = false;
    for (int i = 0; i < 2; ++i) {
      if (const int64_t* value = Find(report.counts(), rule.parts[i]); value != nullptr) {
        values[i] = *value;
      }
      if (values[i] < 0 || values[i] > kMaxCount || values[i] > *whole) named_already = true;
    }
    if (named_already || values[0] + values[1] <= *whole) continue;
    out->push_back(
        {CountField(prefix, rule.parts[1]),
         absl::StrCat(rule.parts[0], " (", values[0], ") and ", rule.parts[1], " (", values[1],
                      ") together (", values[0] + values[1], ") cannot exceed ",
                      WholeText(report.counts(), rule.whole, *whole), ": ", rule.why)});
  }
}

void CheckRequired(const v1::DataReport& report, v1::InstitutionType type,
                   const std::string& prefix, std::vector<FieldViolation>* out) {
  for (const v1::Item* item : ItemsFor(type)) {
    if (!item->required()) continue;
    if (item->type() == v1::ITEM_TYPE_MAJOR_LIST) {
      // A 技工 school's majors are coded by 人社's 技工院校专业目录, not the
      // 2021 catalog this list is coded by: it lists those that have a 中职
      // code, and is not made to invent codes for the others.
      if (report.majors().empty() && type != v1::INSTITUTION_TYPE_TECHNICAL) {
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
  CheckBounds(report, type, complete, prefix, &out);
  CheckSums(report, type, complete, prefix, &out);
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

namespace {

// Calls `changed(key, a, b)`, in key order, for each key whose element
// differs between the two lists; a or b is null where its list lacks it.
template <typename T, typename OnChange>
void ForEachChange(const google::protobuf::RepeatedPtrField<T>& from,
                   const google::protobuf::RepeatedPtrField<T>& to,
                   const std::string& (T::*key_of)() const, OnChange changed) {
  std::map<std::string, std::pair<const T*, const T*>> by_key;
  for (const T& element : from) by_key[(element.*key_of)()].first = &element;
  for (const T& element : to) by_key[(element.*key_of)()].second = &element;
  for (const auto& [key, pair] : by_key) {
    const auto& [a, b] = pair;
    if (a != nullptr && b != nullptr &&
        google::protobuf::util::MessageDifferencer::Equals(*a, *b)) {
      continue;
    }
    changed(key, a, b);
  }
}

}  // namespace

std::vector<std::string> DiffDataReports(const v1::DataReport& from, const v1::DataReport& to,
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
  ForEachChange(from.majors(), to.majors(), &v1::Major::catalog_code,
                [&](const std::string& code, const v1::Major* a, const v1::Major* b) {
                  v1::MajorChange* change = diff->add_major_changes();
                  change->set_catalog_code(code);
                  if (a != nullptr) *change->mutable_from_major() = *a;
                  if (b != nullptr) *change->mutable_to_major() = *b;
                });
  std::vector<std::string> changed;
  for (const v1::CountChange& change : diff->count_changes()) changed.push_back(change.item());
  if (diff->major_changes_size() > 0) changed.push_back(kMajorsItem);
  return changed;
}

std::vector<std::string> DiffQualityReports(const v1::QualityReport& from,
                                            const v1::QualityReport& to,
                                            v1::QualityReportDiff* diff) {
  std::vector<std::string> changed;
  if (from.title() != to.title()) {
    diff->set_from_title(from.title());
    diff->set_to_title(to.title());
    changed.push_back("title");
  }
  if (from.document_uri() != to.document_uri() || from.document_sha256() != to.document_sha256()) {
    diff->set_from_document_uri(from.document_uri());
    diff->set_from_document_sha256(from.document_sha256());
    diff->set_to_document_uri(to.document_uri());
    diff->set_to_document_sha256(to.document_sha256());
    changed.push_back("document");
  }
  ForEachChange(from.key_figures(), to.key_figures(), &v1::KeyFigure::key,
                [&](const std::string& key, const v1::KeyFigure* a, const v1::KeyFigure* b) {
                  v1::KeyFigureChange* change = diff->add_key_figure_changes();
                  change->set_key(key);
                  if (a != nullptr) *change->mutable_from_figure() = *a;
                  if (b != nullptr) *change->mutable_to_figure() = *b;
                  changed.push_back(key);
                });
  return changed;
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
