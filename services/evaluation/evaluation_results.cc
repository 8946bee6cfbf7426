// The results half of Evaluation: indicators computed now, and the final
// evaluation at the plan's horizon.
#include <set>

#include "absl/strings/str_cat.h"
#include "evaluation.h"
#include "status/errors.h"

namespace vetrack::evaluation {
Visibility Evaluation::VisibilityOf(const Principal& caller, const TypesInYear* types,
                                    absl::Time answer_by) {
  Visibility visibility;
  switch (caller.role) {
    case Role::kCoordinator:
    case Role::kDepartment:
    case Role::kEvaluator:
    case Role::kExchange:  // the municipal platforms receive the rounds for 绩效考核
      visibility.everything = true;
      return visibility;
    case Role::kSchool:
      break;
    default:
      return visibility;  // operators: the district's figures only
  }
  visibility.institution = caller.unit;
  if (types != nullptr) {
    if (auto then = types->find(caller.unit); then != types->end()) {
      visibility.type_key = TypeScopeKey(then->second);
      return visibility;
    }
  }
  // Without school reporting the school still sees its own and the
  // district's results, not its type's.
  auto institutions = sources_.Institutions(answer_by);
  if (institutions.ok()) {
    for (const auto& i : *institutions) {
      if (i.code == caller.unit) visibility.type_key = TypeScopeKey(i.type);
    }
  }
  return visibility;
}

absl::StatusOr<v1::ListResultsResponse> Evaluation::ListResults(const Principal& caller,
                                                                const v1::ListResultsRequest& req,
                                                                absl::Time answer_by) {
  if (caller.role == Role::kSchool && !req.institution().empty() &&
      req.institution() != caller.unit) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.ToString(), " may not read the results of ", req.institution()));
  }
  if (absl::Status year = CheckPlanYear("year", req.year()); !year.ok()) return year;
  auto indicators = Indicators();
  if (!indicators.ok()) return indicators.status();
  std::set<std::string> responsible;
  bool indicator_known = false;
  for (const auto& i : *indicators) {
    if (i.responsible_unit() == req.responsible_unit()) responsible.insert(i.name());
    indicator_known |= i.name() == req.indicator();
  }
  // Found in use: a misspelt indicator listed nothing, which reads as "no
  // results yet" to whoever asked whether its target was met.
  if (!req.indicator().empty() && !indicator_known) {
    return NotFoundField("indicator", "no indicator " + req.indicator());
  }
  std::vector<std::string> unavailable;
  TypesInYear types;
  auto results = Compute(*indicators, req.year(), &unavailable, &types, answer_by);
  if (!results.ok()) return results.status();
  std::string type_key;
  if (!req.institution().empty()) {
    // Compute has read the institutions: each is in `types` with its type in
    // the year. One missing is unknown, unless school reporting did not
    // answer: asking it again tells which.
    auto then = types.find(req.institution());
    if (then == types.end()) {
      if (auto institutions = sources_.Institutions(answer_by); !institutions.ok()) {
        return institutions.status();
      }
      return NotFoundField("institution", "no institution '" + req.institution() + "'");
    }
    type_key = TypeScopeKey(then->second);
  }
  v1::ListResultsResponse response;
  for (auto& r : *results) {
    if (!req.indicator().empty() && r.indicator() != req.indicator()) continue;
    if (!req.responsible_unit().empty() && responsible.count(r.indicator()) == 0) continue;
    if (!req.institution().empty() && !Concerns(r, req.institution(), type_key)) continue;
    *response.add_results() = std::move(r);
  }
  KeepVisible(VisibilityOf(caller, &types, answer_by), response.mutable_results());
  for (auto& u : unavailable) response.add_unavailable_sources(std::move(u));
  return response;
}

absl::StatusOr<v1::FinalEvaluation> Evaluation::GetFinalEvaluation(
    const Principal& caller, const v1::GetFinalEvaluationRequest&, absl::Time answer_by) {
  std::vector<std::string> unavailable;
  TypesInYear types;
  auto indicators = Indicators();
  if (!indicators.ok()) return indicators.status();
  auto computed = Compute(*indicators, options_.horizon_end_year, &unavailable, &types, answer_by);
  if (!computed.ok()) return computed.status();
  google::protobuf::RepeatedPtrField<v1::Result> results(computed->begin(), computed->end());
  KeepVisible(VisibilityOf(caller, &types, answer_by), &results);
  v1::FinalEvaluation response;
  response.set_year(options_.horizon_end_year);
  for (auto& r : results) {
    switch (r.status()) {
      case v1::RESULT_STATUS_MET:
        response.set_met(response.met() + 1);
        break;
      case v1::RESULT_STATUS_NO_DATA:
        response.set_no_data(response.no_data() + 1);
        break;
      case v1::RESULT_STATUS_MISSED:
        response.set_missed(response.missed() + 1);
        break;
      default:
        response.set_undecided(response.undecided() + 1);
    }
    *response.add_results() = std::move(r);
  }
  for (auto& u : unavailable) response.add_unavailable_sources(std::move(u));
  return response;
}

}  // namespace vetrack::evaluation
