#include "visibility.h"

#include <algorithm>

#include "compute.h"

namespace vetrack::evaluation {
namespace {

template <typename T, typename Keep>
void KeepIf(google::protobuf::RepeatedPtrField<T>* items, Keep keep) {
  auto end = std::remove_if(items->begin(), items->end(), [&](const T& t) { return !keep(t); });
  items->erase(end, items->end());
}

}  // namespace

bool Concerns(const v1::Result& r, const std::string& institution, const std::string& type_key) {
  if (r.scope() == v1::SCOPE_DISTRICT) return true;
  if (r.scope() == v1::SCOPE_INSTITUTION) return r.scope_key() == "institution:" + institution;
  return r.scope_key() == type_key;
}

void KeepVisible(const Visibility& visibility,
                 google::protobuf::RepeatedPtrField<v1::Result>* results) {
  if (visibility.everything) return;
  KeepIf(results, [&](const v1::Result& r) {
    return Concerns(r, visibility.institution, visibility.type_key);
  });
  for (v1::Result& r : *results) {
    KeepIf(r.mutable_sources(), [&](const v1::SourceFigure& f) {
      return f.institution().empty() || f.institution() == visibility.institution;
    });
    r.set_rule(RuleAsSeenBy(r, visibility.institution));
  }
}

void KeepVisible(const Visibility& visibility, v1::Round* round) {
  if (visibility.everything) return;
  KeepVisible(visibility, round->mutable_snapshot());
  KeepIf(round->mutable_scores(),
         [&](const v1::Score& s) { return s.subject() == visibility.institution; });
  KeepIf(round->mutable_standings(),
         [&](const v1::Standing& s) { return s.subject() == visibility.institution; });
  // The subjects stay listed: a school's profile says how many were ranked.
  // Its own type, as school reporting shows a school only its own record.
  auto& types = *round->mutable_institution_types();
  for (auto it = types.begin(); it != types.end();) {
    it = it->first == visibility.institution ? std::next(it) : types.erase(it);
  }
}

}  // namespace vetrack::evaluation
