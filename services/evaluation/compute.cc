#include "compute.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clock/clock.h"
#include "figures.h"
#include "numbers/decimal_text.h"
#include "numbers/units.h"

namespace vetrack::evaluation {
namespace {

constexpr double kEpsilon = 1e-9;

bool AppliesTo(const v1::Indicator& indicator, v1::InstitutionType type) {
  if (indicator.institution_types().empty()) return true;
  for (int t : indicator.institution_types()) {
    if (t == type) return true;
  }
  return false;
}

std::vector<ScopeSpec> ScopesOf(const v1::Indicator& indicator,
                                const std::vector<Institution>& institutions) {
  std::vector<ScopeSpec> scopes;
  std::vector<const Institution*> applicable;
  for (const auto& i : institutions) {
    if (AppliesTo(indicator, i.type)) applicable.push_back(&i);
  }
  switch (indicator.scope()) {
    case v1::SCOPE_INSTITUTION_TYPE: {
      std::set<int> types;
      for (const auto* i : applicable) types.insert(i->type);
      for (int type : types) {
        ScopeSpec s{v1::SCOPE_INSTITUTION_TYPE,
                    TypeScopeKey(static_cast<v1::InstitutionType>(type)),
                    static_cast<v1::InstitutionType>(type),
                    {}};
        for (const auto* i : applicable) {
          if (i->type == type) s.institutions.push_back(i);
        }
        scopes.push_back(std::move(s));
      }
      break;
    }
    case v1::SCOPE_INSTITUTION:
      for (const auto* i : applicable) {
        scopes.push_back({v1::SCOPE_INSTITUTION, "institution:" + i->code, i->type, {i}});
      }
      break;
    default: {
      ScopeSpec s{v1::SCOPE_DISTRICT, "district", v1::INSTITUTION_TYPE_UNSPECIFIED, {}};
      s.institutions = applicable;
      scopes.push_back(std::move(s));
    }
  }
  return scopes;
}

// One year's value of an indicator in a scope, with its lineage, or why not.
struct Evaluated {
  bool has_value = false;
  double value = 0;
  std::vector<v1::SourceFigure> sources;
  std::string missing;  // why there is no value
};

Evaluated Evaluate(const v1::Indicator& indicator, const ScopeSpec& scope, const YearInputs& in) {
  Evaluated out;
  double numerator = 0, denominator = 0;
  // Every reference is summed even after one lacks a figure, so that a
  // result without data still shows, in its lineage, each figure there is
  // (the denominator's too); `missing` says the first gap.
  bool complete = true;
  auto sum = [&](const auto& refs, double* total) {
    for (const auto& ref : refs) {
      std::string missing;
      if (SumRef(ref.ref(), scope, in, total, &out.sources, &missing)) continue;
      if (complete) out.missing = std::move(missing);
      complete = false;
    }
  };
  sum(indicator.formula().numerator(), &numerator);
  sum(indicator.formula().denominator(), &denominator);
  if (!complete) return out;
  const double scale = ScaleOf(indicator.formula());
  if (indicator.formula().denominator().empty()) {
    out.value = numerator * scale;
  } else {
    if (std::fabs(denominator) < kEpsilon) {
      out.missing = "the denominator is zero";
      return out;
    }
    out.value = numerator / denominator * scale;
  }
  if (!std::isfinite(out.value)) {
    // Figures are bounded when they come in (kMaxFigure); one that is not
    // must not be judged MET as "inf%", nor exported as "Infinity".
    out.missing = "the figures are too large to compute";
    return out;
  }
  out.has_value = true;
  return out;
}

bool UsesInstitutions(const v1::Indicator& indicator) {
  auto uses = [](const auto& refs) {
    for (const auto& r : refs) {
      if (!absl::StartsWith(r.ref(), "stat:")) return true;
    }
    return false;
  };
  return uses(indicator.formula().numerator()) || uses(indicator.formula().denominator());
}

std::string Num(double v, int digits = 2) { return DecimalText(v, digits); }

// Two decimals, or as many more as it takes for `value` to differ in print
// from a bound of `target` it differs from (DigitsToTellApart); a count
// against counts reads whole.
int DigitsToTell(const v1::Target& target, double value, const std::string& unit) {
  std::vector<double> bounds = {target.value()};
  if (target.comparator() == v1::COMPARATOR_BETWEEN) bounds.push_back(target.upper());
  // A count against a count (98000人 against ≥ 100000人) reads whole (found
  // in use: "98000.00人").
  auto whole = [](double v) { return std::fabs(v - std::round(v)) <= kEpsilon; };
  if (CountsThings(unit) && whole(value) && std::all_of(bounds.begin(), bounds.end(), whole)) {
    return 0;
  }
  return DigitsToTellApart(value, bounds, kEpsilon);  // equal as Meets judges
}

std::string TargetText(const v1::Target& t, const std::string& unit, int digits) {
  switch (t.comparator()) {
    case v1::COMPARATOR_AT_MOST:
      return absl::StrCat("≤ ", Num(t.value(), digits), unit);
    case v1::COMPARATOR_EXACTLY:
      return absl::StrCat("= ", Num(t.value(), digits), unit);
    case v1::COMPARATOR_BETWEEN:
      return absl::StrCat(Num(t.value(), digits), "–", Num(t.upper(), digits), unit);
    default:
      return absl::StrCat("≥ ", Num(t.value(), digits), unit);
  }
}

// Least-squares line through (year, value), evaluated at `at_year`.
bool Project(const std::vector<std::pair<int, double>>& points, int at_year, double* projected) {
  if (points.size() < 2) return false;
  double n = points.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& [x, y] : points) {
    sx += x;
    sy += y;
    sxx += static_cast<double>(x) * x;
    sxy += x * y;
  }
  double denom = n * sxx - sx * sx;
  if (std::fabs(denom) < kEpsilon) return false;
  double slope = (n * sxy - sx * sy) / denom;
  double intercept = (sy - slope * sx) / n;
  *projected = intercept + slope * at_year;
  return std::isfinite(*projected);
}

// The first moment after `year` in the district.
absl::Time YearEnd(int year) {
  return absl::FromCivil(absl::CivilDay(year + 1, 1, 1), DistrictTimeZone());
}

// What a target each year must keep to is, as the rule says it (found in
// use: 55.01% above the 职普比's 45–55% band was "not met ..., a floor").
const char* EveryYearWord(const v1::Target& target) {
  switch (target.comparator()) {
    case v1::COMPARATOR_AT_MOST:
      return "a ceiling";
    case v1::COMPARATOR_EXACTLY:
      return "a figure";
    case v1::COMPARATOR_BETWEEN:
      return "a band";
    default:
      return "a floor";
  }
}

}  // namespace

std::string ValueTextOf(const v1::Result& result) {
  if (!result.has_value()) return "";
  return Num(result.value(), DigitsToTell(result.target(), result.value(), result.unit()));
}

const v1::Target* TargetFor(const v1::Indicator& indicator, v1::InstitutionType type) {
  const v1::Target* untyped = nullptr;
  for (const auto& t : indicator.targets()) {
    if (t.institution_types().empty()) {
      if (untyped == nullptr) untyped = &t;
      continue;
    }
    for (int tt : t.institution_types()) {
      if (tt == type) return &t;
    }
  }
  if (untyped == nullptr && type == v1::INSTITUTION_TYPE_UNSPECIFIED &&
      indicator.targets_size() == 1) {
    return &indicator.targets(0);
  }
  return untyped;
}

std::string AcademicYearOf(int year) { return absl::StrCat("ay", year); }

std::vector<Institution> AsOfYear(const std::vector<Institution>& institutions,
                                  const YearInputs& in) {
  std::vector<Institution> out = institutions;
  for (Institution& i : out) {
    auto report = in.school.accepted.find(i.code);
    if (report != in.school.accepted.end()) {
      if (report->second.type != v1::INSTITUTION_TYPE_UNSPECIFIED) i.type = report->second.type;
      continue;
    }
    auto pending = in.school.pending_types.find(i.code);
    if (pending != in.school.pending_types.end() &&
        pending->second != v1::INSTITUTION_TYPE_UNSPECIFIED) {
      i.type = pending->second;
    }
  }
  return out;
}

std::string TypeScopeKey(v1::InstitutionType type) {
  std::string name = v1::InstitutionType_Name(type);
  return "type:" + absl::AsciiStrToLower(name.substr(std::string("INSTITUTION_TYPE_").size()));
}

bool Meets(const v1::Target& target, double value) {
  switch (target.comparator()) {
    case v1::COMPARATOR_AT_MOST:
      return value <= target.value() + kEpsilon;
    case v1::COMPARATOR_EXACTLY:
      return std::fabs(value - target.value()) <= kEpsilon;
    case v1::COMPARATOR_BETWEEN:
      return value >= target.value() - kEpsilon && value <= target.upper() + kEpsilon;
    default:
      return value >= target.value() - kEpsilon;
  }
}

double Gap(const v1::Target& target, double value) {
  switch (target.comparator()) {
    case v1::COMPARATOR_AT_MOST:
      return target.value() - value;
    case v1::COMPARATOR_EXACTLY:
      return -std::fabs(value - target.value());
    case v1::COMPARATOR_BETWEEN:
      if (value < target.value()) return value - target.value();
      if (value > target.upper()) return target.upper() - value;
      return 0;
    default:
      return value - target.value();
  }
}

absl::Time DeadlineTime(const std::string& deadline) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(deadline, &day)) day = absl::CivilDay(2025, 12, 31);
  return absl::FromCivil(day + 1, DistrictTimeZone());
}

std::vector<v1::Result> ComputeResults(const std::vector<v1::Indicator>& indicators,
                                       const ComputeRequest& request) {
  std::vector<v1::Result> results;
  auto current = request.years.find(request.year);
  if (current == request.years.end()) return results;
  // An institution that did not exist yet has no scope of its own this year
  // and is not owed its share of a type's or the district's figures.
  std::vector<Institution> counted;
  for (const auto& i : request.institutions) {
    if (CountedIn(i, request.year)) counted.push_back(i);
  }
  // Each year's scopes hold the institutions of the types they had that year.
  std::map<int, std::vector<Institution>> as_of;
  for (const auto& [year, inputs] : request.years) {
    if (year <= request.year) as_of[year] = AsOfYear(counted, inputs);
  }
  for (const auto& indicator : indicators) {
    absl::Time deadline = DeadlineTime(indicator.deadline());
    int deadline_year = absl::ToCivilDay(deadline - absl::Seconds(1), DistrictTimeZone()).year();
    if (!request.institutions_known && UsesInstitutions(indicator)) {
      v1::Result r;
      r.set_indicator(indicator.name());
      r.set_year(request.year);
      r.set_scope(indicator.scope());
      r.set_scope_key("unknown");
      r.set_unit(indicator.unit());
      // The district's target when there is one; no type's stands for all.
      if (const v1::Target* target = TargetFor(indicator, v1::INSTITUTION_TYPE_UNSPECIFIED)) {
        *r.mutable_target() = *target;
      }
      r.set_status(v1::RESULT_STATUS_NO_DATA);
      r.set_rule("no data: school-reporting did not say which institutions there are");
      results.push_back(std::move(r));
      continue;
    }
    // An earlier year's scopes by key, drawn when a trend first needs them.
    std::map<int, std::map<std::string, ScopeSpec>> past_scopes;
    auto scope_in = [&](int year, const std::string& key) -> const ScopeSpec* {
      auto [drawn, first] = past_scopes.try_emplace(year);
      if (first) {
        for (auto& s : ScopesOf(indicator, as_of.at(year))) drawn->second.emplace(s.key, s);
      }
      auto found = drawn->second.find(key);
      return found == drawn->second.end() ? nullptr : &found->second;
    };
    for (const auto& scope : ScopesOf(indicator, as_of.at(request.year))) {
      const v1::Target* target = TargetFor(indicator, scope.type);
      if (target == nullptr) continue;
      v1::Result r;
      r.set_indicator(indicator.name());
      r.set_year(request.year);
      r.set_scope(scope.scope);
      r.set_scope_key(scope.key);
      r.set_unit(indicator.unit());
      *r.mutable_target() = *target;
      Evaluated now = Evaluate(indicator, scope, current->second);
      for (auto& s : now.sources) *r.add_sources() = std::move(s);
      if (!now.has_value) {
        r.set_status(v1::RESULT_STATUS_NO_DATA);
        r.set_rule(absl::StrCat("no data: ", now.missing));
        results.push_back(std::move(r));
        continue;
      }
      r.set_has_value(true);
      r.set_value(now.value);
      r.set_gap(Gap(*target, now.value));
      int digits = DigitsToTell(*target, now.value, indicator.unit());
      r.set_value_text(Num(now.value, digits));  // as ValueTextOf
      std::string comparison = absl::StrCat(Num(now.value, digits), indicator.unit(), " against ",
                                            TargetText(*target, indicator.unit(), digits));
      if (Meets(*target, now.value)) {
        r.set_status(v1::RESULT_STATUS_MET);
        r.set_rule(absl::StrCat(comparison, ": met"));
      } else if (indicator.every_year()) {
        // A target for each year: judged on the year alone, however earlier
        // years went and whatever the deadline.
        const std::string every_year =
            absl::StrCat(", ", EveryYearWord(*target), " for every year");
        if (request.now >= YearEnd(request.year)) {
          r.set_status(v1::RESULT_STATUS_MISSED);
          r.set_rule(absl::StrCat(comparison, ": not met in ", request.year, every_year));
        } else {
          r.set_status(v1::RESULT_STATUS_AT_RISK);
          r.set_rule(absl::StrCat(comparison, ": not met so far in ", request.year, every_year));
        }
      } else if (request.year >= deadline_year && request.now >= deadline) {
        r.set_status(v1::RESULT_STATUS_MISSED);
        r.set_rule(absl::StrCat(comparison, ": not met by the deadline ", indicator.deadline()));
      } else {
        std::vector<std::pair<int, double>> points;
        for (const auto& [year, inputs] : request.years) {
          if (year > request.year) continue;
          if (year == request.year) {
            points.emplace_back(year, now.value);
            continue;
          }
          // The scope as it was that year: none when no institution fell in it.
          const ScopeSpec* then = scope_in(year, scope.key);
          if (then == nullptr) continue;
          Evaluated past = Evaluate(indicator, *then, inputs);
          if (past.has_value) points.emplace_back(year, past.value);
        }
        double projected = 0;
        if (Project(points, deadline_year, &projected)) {
          r.set_has_projection(true);
          r.set_projected_value(projected);
          bool reaches = Meets(*target, projected);
          r.set_status(reaches ? v1::RESULT_STATUS_ON_TRACK : v1::RESULT_STATUS_AT_RISK);
          r.set_rule(absl::StrCat(
              comparison, "; the trend of ", points.front().first, "–", points.back().first,
              " projects ", Num(projected, DigitsToTell(*target, projected, indicator.unit())),
              indicator.unit(), " in ", deadline_year, reaches ? ": on track" : ": at risk"));
        } else {
          r.set_status(v1::RESULT_STATUS_AT_RISK);
          r.set_rule(absl::StrCat(comparison, "; not met and no trend yet: at risk"));
        }
      }
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace vetrack::evaluation
