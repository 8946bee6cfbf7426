#ifndef VETRACK_SERVICES_EVALUATION_VISIBILITY_H_
#define VETRACK_SERVICES_EVALUATION_VISIBILITY_H_

#include <string>

#include "auth/principal.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

// What of the evaluation's figures a caller may read. Results and rounds carry
// every school's reported figures (their lineage) and scores; school reporting
// and the training ledger let a school read only its own, and the evaluation
// must not be the way round that.
namespace vetrack::evaluation {

struct Visibility {
  // The coordinator, the departments, the evaluator and the exchange (which
  // passes rounds on for performance assessment) see everything.
  bool everything = false;
  // A school: its own code and its type's scope key (TypeScopeKey). Empty for
  // anyone else (operators): the district's results, no institution's figures.
  std::string institution;
  std::string type_key;
};

// Whether a result concerns an institution: its own scope, its type's, or the district's.
bool Concerns(const v1::Result& result, const std::string& institution,
              const std::string& type_key);

// Keeps what `visibility` may see: the results that concern the school, each
// without other institutions' source figures.
void KeepVisible(const Visibility& visibility,
                 google::protobuf::RepeatedPtrField<v1::Result>* results);
// A round as the school sees it: the snapshot as above, and only its own
// scores and standing (subjects stay: who is scored is no secret).
void KeepVisible(const Visibility& visibility, v1::Round* round);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_VISIBILITY_H_
