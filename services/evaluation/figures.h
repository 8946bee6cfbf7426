#ifndef VETRACK_SERVICES_EVALUATION_FIGURES_H_
#define VETRACK_SERVICES_EVALUATION_FIGURES_H_

#include <string>
#include <vector>

#include "inputs.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

// Where an indicator's figures come from: one reference ("school:graduates",
// "ledger:enrolment", "stat:skilled_workers") summed over a scope, with the
// lineage of every figure, or the words saying which is missing.
namespace vetrack::evaluation {

// A scope of an indicator: which institutions its school and ledger figures
// are summed over, and the type whose target applies.
struct ScopeSpec {
  v1::Scope scope;
  std::string key;
  v1::InstitutionType type = v1::INSTITUTION_TYPE_UNSPECIFIED;
  // Into the institutions as they were in the scope's year (AsOfYear), which
  // outlive the scope. A year's figures are summed over those it counts
  // (CountedIn).
  std::vector<const Institution*> institutions;
};

// Sums one reference over the scope's institutions into `*sum`, adding each
// figure to `sources`; false with `missing` set when a figure is not there
// (a NO_DATA rule ends in the institutions lacking it, for RuleAsSeenBy).
bool SumRef(const std::string& ref, const ScopeSpec& scope, const YearInputs& in, double* sum,
            std::vector<v1::SourceFigure>* sources, std::string* missing);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_FIGURES_H_
