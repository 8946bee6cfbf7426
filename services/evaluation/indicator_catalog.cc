#include "indicator_catalog.h"

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "compute.h"
#include "google/protobuf/util/json_util.h"
#include "inputs.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::evaluation {
namespace {

bool IsSnakeKey(const std::string& key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

void CheckRef(const std::string& ref, const std::set<std::string>& stats, const std::string& field,
              Violations& v) {
  if (absl::StartsWith(ref, "school:") && IsSnakeKey(ref.substr(7))) return;
  if (ref == "ledger:person_times" || ref == "ledger:enrolment") return;
  if (absl::StartsWith(ref, "stat:")) {
    if (stats.count(ref.substr(5)) == 0)
      v.Add(field, absl::StrCat("statistic '", ref.substr(5), "' is not defined"));
    return;
  }
  v.Add(field, absl::StrCat(
                   "'", ref,
                   "' is not school:<item>, ledger:person_times, ledger:enrolment or stat:<key>"));
}

// The unit that enters every figure of `formula` when all of them are
// district statistics of one unit; "" otherwise. Such an indicator must name
// that unit: any other could not record its figures, and the indicator would
// miss the workbench of the unit that can.
std::string SoleEnteringUnit(const v1::Formula& formula,
                             const std::map<std::string, std::string>& entered_by) {
  std::set<std::string> units;
  for (const auto* refs : {&formula.numerator(), &formula.denominator()}) {
    for (const auto& ref : *refs) {
      if (!absl::StartsWith(ref.ref(), "stat:")) return "";
      auto it = entered_by.find(ref.ref().substr(5));
      if (it == entered_by.end() || it->second.empty()) return "";
      units.insert(it->second);
    }
  }
  return units.size() == 1 ? *units.begin() : "";
}

// Why some scope of the indicator would have no target, or "": a scope is
// judged against the target of its type, else the untyped one (TargetFor).
std::string TargetGap(const v1::Indicator& indicator) {
  if (indicator.targets().empty()) return "";  // refused as such
  if (indicator.scope() == v1::SCOPE_DISTRICT) {
    return TargetFor(indicator, v1::INSTITUTION_TYPE_UNSPECIFIED) != nullptr
               ? ""
               : "a district-wide indicator with several targets needs one naming no type";
  }
  std::vector<int> types(indicator.institution_types().begin(),
                         indicator.institution_types().end());
  if (types.empty()) {
    types = {v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL,
             v1::INSTITUTION_TYPE_TECHNICAL};
  }
  for (int type : types) {
    const auto typed = static_cast<v1::InstitutionType>(type);
    if (TargetFor(indicator, typed) == nullptr) {
      return absl::StrCat("no target for ", v1::InstitutionType_Name(typed),
                          ", which the indicator applies to: add one, or a target naming no type");
    }
  }
  return "";
}

}  // namespace

absl::StatusOr<v1::IndicatorCatalog> ReadIndicatorCatalogFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  v1::IndicatorCatalog catalog;
  auto parsed = google::protobuf::util::JsonStringToMessage(buffer.str(), &catalog);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.message().as_string()));
  }
  return catalog;
}

absl::Status CheckIndicatorCatalog(const v1::IndicatorCatalog& catalog) {
  Violations v;
  std::set<std::string> stats;
  std::map<std::string, std::string> entered_by;  // statistic key → responsible unit
  for (int i = 0; i < catalog.statistics_size(); ++i) {
    const auto& s = catalog.statistics(i);
    if (!IsSnakeKey(s.key()) || !stats.insert(s.key()).second) {
      v.Add(absl::StrCat("catalog.statistics[", i, "].key"), "a unique snake_case key");
    }
    if (!IsValidResourceId(s.responsible_unit())) {
      v.Add(absl::StrCat("catalog.statistics[", i, "].responsible_unit"),
            "the code of the district unit that enters it");
    }
    entered_by.emplace(s.key(), s.responsible_unit());
  }
  std::set<std::string> ids;
  for (int i = 0; i < catalog.indicators_size(); ++i) {
    const auto& ind = catalog.indicators(i);
    std::string field = absl::StrCat("catalog.indicators[", i, "]");
    if (!IsValidResourceId(ind.id()) || !ids.insert(ind.id()).second) {
      v.Add(field + ".id", "a unique lower-case id");
    }
    if (ind.name() != "indicators/" + ind.id()) v.Add(field + ".name", "must be indicators/{id}");
    if (IsBlank(ind.title())) v.Add(field + ".title", "required");
    if (!IsValidResourceId(ind.responsible_unit())) {
      v.Add(field + ".responsible_unit", "the code of the district unit responsible");
    }
    if (ind.task_number() < 0) v.Add(field + ".task_number", "a task's number, or 0 for none");
    if (ind.scope() == v1::SCOPE_UNSPECIFIED) v.Add(field + ".scope", "required");
    if (ind.formula().numerator().empty()) v.Add(field + ".formula", "needs a numerator");
    for (const auto& ref : ind.formula().numerator())
      CheckRef(ref.ref(), stats, field + ".formula", v);
    for (const auto& ref : ind.formula().denominator())
      CheckRef(ref.ref(), stats, field + ".formula", v);
    if (std::string unit = SoleEnteringUnit(ind.formula(), entered_by);
        !unit.empty() && ind.responsible_unit() != unit) {
      // Either side may be the typo (found in use: a misspelt statistic's
      // unit had the indicator told to take the misspelling).
      v.Add(
          field + ".responsible_unit",
          absl::StrCat("is ", ind.responsible_unit(), ", but its statistics are entered by ", unit,
                       " alone (catalog.statistics[].responsible_unit): one of the two "
                       "is wrong"));
    }
    // Found in use: a share whose scale was left out (read as 1) printed
    // 0.31% where the figure was 30.69%.
    if (ind.unit() == "%" && !ind.formula().denominator().empty() &&
        ScaleOf(ind.formula()) != 100) {
      v.Add(field + ".formula.scale", "a share in % is scaled by 100");
    }
    if (ind.targets().empty()) v.Add(field + ".targets", "at least one target");
    if (std::string gap = TargetGap(ind); !gap.empty()) v.Add(field + ".targets", gap);
    for (const auto& t : ind.targets()) {
      if (t.comparator() == v1::COMPARATOR_UNSPECIFIED)
        v.Add(field + ".targets", "comparator required");
      if (t.comparator() == v1::COMPARATOR_BETWEEN && t.upper() < t.value()) {
        v.Add(field + ".targets", "upper below value");
      }
      for (double bound : {t.value(), t.upper()}) {
        if (!std::isfinite(bound) || std::fabs(bound) > kMaxFigure) {
          v.Add(field + ".targets", "a target beyond ±1e12");
        }
      }
    }
    if (!std::isfinite(ind.formula().scale()) || std::fabs(ind.formula().scale()) > kMaxFigure) {
      v.Add(field + ".formula.scale", "a number within ±1e12");
    }
    absl::CivilDay day;
    if (!absl::ParseCivilTime(ind.deadline(), &day)) v.Add(field + ".deadline", "YYYY-MM-DD");
  }
  return v.ToStatus();
}

}  // namespace vetrack::evaluation
