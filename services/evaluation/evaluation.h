#ifndef VETRACK_SERVICES_EVALUATION_EVALUATION_H_
#define VETRACK_SERVICES_EVALUATION_EVALUATION_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/principal.h"
#include "clock/clock.h"
#include "compute.h"
#include "evaluation_store.h"
#include "sources.h"
#include "visibility.h"

namespace vetrack::evaluation {

struct EvaluationOptions {
  // The plan's horizon: trends start at the first year; the final evaluation
  // (终期评估) is of the last.
  int plan_start_year = 2021;
  int horizon_end_year = 2025;
};

// The evaluation's domain: the indicator catalog, district statistics,
// results computed from the sources with lineage, and evaluation rounds.
// Plain C++; every mutation idempotent by request_id.
class Evaluation {
 public:
  Evaluation(EvaluationStore& store, EvaluationSources& sources, const Clock& clock,
             EvaluationOptions options = {});

  // A call that reads the other services (sources.h) waits for them no
  // later than `answer_by` (AnswerBy in server/call_context.h; infinite
  // when the caller set no deadline): what has not answered by then is named
  // unavailable, and the caller still gets its answer in time.

  // Catalog and statistics (evaluation_catalog.cc).
  absl::StatusOr<v1::ImportIndicatorsResponse> ImportIndicators(
      const Principal& caller, const v1::ImportIndicatorsRequest& req, absl::Time answer_by);
  absl::StatusOr<v1::Indicator> GetIndicator(const Principal& caller,
                                             const v1::GetIndicatorRequest& req);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(const Principal& caller,
                                                            const v1::ListIndicatorsRequest& req);
  absl::StatusOr<v1::Statistic> RecordStatistic(const Principal& caller,
                                                const v1::RecordStatisticRequest& req);
  absl::StatusOr<v1::ListStatisticsResponse> ListStatistics(const Principal& caller,
                                                            const v1::ListStatisticsRequest& req);
  absl::StatusOr<v1::ListStatisticRevisionsResponse> ListStatisticRevisions(
      const Principal& caller, const v1::ListStatisticRevisionsRequest& req);

  // Results (evaluation_results.cc).
  absl::StatusOr<v1::ListResultsResponse> ListResults(const Principal& caller,
                                                      const v1::ListResultsRequest& req,
                                                      absl::Time answer_by);
  absl::StatusOr<v1::FinalEvaluation> GetFinalEvaluation(const Principal& caller,
                                                         const v1::GetFinalEvaluationRequest& req,
                                                         absl::Time answer_by);

  // Rounds (evaluation_rounds.cc).
  absl::StatusOr<v1::Round> CreateRound(const Principal& caller, const v1::CreateRoundRequest& req,
                                        absl::Time answer_by);
  absl::StatusOr<v1::Round> GetRound(const Principal& caller, const v1::GetRoundRequest& req,
                                     absl::Time answer_by);
  absl::StatusOr<v1::ListRoundsResponse> ListRounds(const Principal& caller,
                                                    const v1::ListRoundsRequest& req,
                                                    absl::Time answer_by);
  absl::StatusOr<v1::Round> RecordScores(const Principal& caller,
                                         const v1::RecordScoresRequest& req);
  absl::StatusOr<v1::Round> FinalizeRound(const Principal& caller,
                                          const v1::FinalizeRoundRequest& req,
                                          absl::Time answer_by);
  absl::StatusOr<v1::ExportRoundResponse> ExportRound(const Principal& caller,
                                                      const v1::ExportRoundRequest& req,
                                                      absl::Time answer_by);

 private:
  // Runs a mutation once per (caller, request_id) (idempotency/idempotency.h).
  absl::Status Once(const Principal& caller, const google::protobuf::Message& request,
                    const std::string& request_id, google::protobuf::Message* response,
                    EvaluationWrite* write, const std::function<absl::Status()>& prepare);

  // `refusal`, from a source that did not answer, as the caller should read
  // it: DEADLINE_EXCEEDED once `answer_by` has passed, since the source was
  // then cut short by the caller's deadline rather than down.
  static absl::Status SourceRefusal(absl::Status refusal, absl::Time answer_by);

  // Institution codes to the type each had in a year (AsOfYear).
  using TypesInYear = std::map<std::string, v1::InstitutionType>;

  // The catalog's indicators, in its order.
  absl::StatusOr<std::vector<v1::Indicator>> Indicators();
  // Results of `indicators` for `year` with the inputs of every year since
  // the plan began; `unavailable` names the sources that did not answer.
  // `types`, when given, receives each institution's type in `year`.
  absl::StatusOr<std::vector<v1::Result>> Compute(const std::vector<v1::Indicator>& indicators,
                                                  int year, std::vector<std::string>* unavailable,
                                                  TypesInYear* types, absl::Time answer_by);
  absl::StatusOr<Stored<v1::Round>> LoadRound(const std::string& name, const std::string& field);
  // INVALID_ARGUMENT on `field` unless `year` lies within the years the plan
  // is evaluated over (see evaluation.cc), up to next year.
  absl::Status CheckPlanYear(const std::string& field, int year) const;
  // The same up to this year, for what needs a year that has begun (a
  // round's snapshot, a statistic); `why` is said in the refusal.
  absl::Status CheckBegunYear(const std::string& field, int year, const std::string& why) const;
  // INVALID_ARGUMENT on an indicator's formula when a `school:` reference
  // names no count school reporting keeps (a typo, or its major list): every
  // school would add nothing, and the indicator would read 0 instead of
  // being refused. UNAVAILABLE when school reporting cannot say.
  absl::Status CheckSchoolItems(const v1::IndicatorCatalog& catalog, absl::Time answer_by);
  // INVALID_ARGUMENT on a responsible unit that is not one of the district's
  // departments, or a task number the plan does not have, as the task
  // registry lists them: `nosuch`, a school's code or task 99 would be kept
  // and shown. UNAVAILABLE when the registry cannot say (its catalog is
  // loaded first).
  absl::Status CheckRegistryReferences(const v1::IndicatorCatalog& catalog, absl::Time answer_by);
  // INVALID_ARGUMENT on value when statistic `key` of `year` would exceed
  // the whole it is a part of, or fall below a part of it, as recorded for
  // the year (a share in % would read above 100). Notes each figure it read
  // in `write`, which is then refused if one of them changed meanwhile.
  absl::Status CheckPartsOfWholes(const std::string& key, int year, double value,
                                  EvaluationWrite* write);
  // What `caller` may read of results and rounds (visibility.h): a school
  // sees its type's results by its type in the results' year when `types`
  // is given, else by its current type.
  Visibility VisibilityOf(const Principal& caller, const TypesInYear* types, absl::Time answer_by);

  EvaluationStore& store_;
  EvaluationSources& sources_;
  const Clock& clock_;
  EvaluationOptions options_;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_EVALUATION_H_
