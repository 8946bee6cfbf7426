#ifndef VETRACK_SERVICES_EVALUATION_COMPUTE_H_
#define VETRACK_SERVICES_EVALUATION_COMPUTE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "inputs.h"

// The evaluation engine: indicators × scopes × years → results, as a pure
// function of its inputs, so every figure can be recomputed and checked.
namespace vetrack::evaluation {

struct ComputeRequest {
  int year = 0;
  absl::Time now;
  std::vector<Institution> institutions;
  // False when school-reporting could not say which institutions there are:
  // every indicator over school or ledger figures is then NO_DATA.
  bool institutions_known = true;
  // Inputs for every year from the plan's start to `year`: earlier years give
  // the trend that tells on-track from at-risk.
  std::map<int, YearInputs> years;
};

// Results for `request.year`, in indicator order, then district, types,
// institutions. A result lacking a figure is NO_DATA and its rule says which.
std::vector<v1::Result> ComputeResults(const std::vector<v1::Indicator>& indicators,
                                       const ComputeRequest& request);

// The rule of `result` as read by a caller who may see the figures of `own`
// alone (empty: of no institution): a NO_DATA rule's list of institutions
// lacking a figure becomes a count, so it does not tell one school which
// others have not reported; `own` stays named.
std::string RuleAsSeenBy(const v1::Result& result, const std::string& own);

// A result's value as the results print it: "98000" against 100000人,
// "1.996" beside a bound of 2. What value_text holds; "" without a value.
std::string ValueTextOf(const v1::Result& result);

// The scope key of an institution type's results, e.g. "type:higher_vocational".
std::string TypeScopeKey(v1::InstitutionType type);

// Whether `value` meets `target`, and by how much (positive: ahead).
// The target a scope of `type` is judged against: the one naming the type,
// else the one naming none. A district-wide scope (no type) with neither
// takes the indicator's only target (the 50% of 中职 and 技工 together); a
// type no target covers has none, and no result, rather than another type's
// threshold (CheckIndicatorCatalog refuses catalogs that leave a type out).
const v1::Target* TargetFor(const v1::Indicator& indicator, v1::InstitutionType type);

bool Meets(const v1::Target& target, double value);
double Gap(const v1::Target& target, double value);

// What the formula's ratio is multiplied by: its scale, 1 when none is set.
inline double ScaleOf(const v1::Formula& formula) {
  return formula.scale() == 0 ? 1 : formula.scale();
}

// The deadline as the end of that day in the district ("2025-12-31" → 2026-01-01 00:00 +08).
absl::Time DeadlineTime(const std::string& deadline);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_COMPUTE_H_
