// Every request validator of evaluation (validation.h), fuzzed.
#include <cmath>

#include "fuzz_support.h"
#include "indicator_catalog.h"
#include "rpc/resource_name.h"
#include "validation.h"

namespace vetrack::evaluation {
namespace {

using fuzz::Case;
using fuzz::Require;

const std::vector<fuzz::RequestCase>& Cases() {
  static const auto* cases = new std::vector<fuzz::RequestCase>{
      Case<v1::ImportIndicatorsRequest>(Validate),
      Case<v1::GetIndicatorRequest>(Validate),
      Case<v1::ListIndicatorsRequest>(Validate),
      Case<v1::RecordStatisticRequest>(Validate,
                                       [](const v1::RecordStatisticRequest& r) {
                                         Require(std::isfinite(r.value()) && r.value() >= 0,
                                                 "a finite, non-negative statistic");
                                       }),
      Case<v1::ListStatisticsRequest>(Validate),
      Case<v1::ListStatisticRevisionsRequest>(Validate,
                                              [](const v1::ListStatisticRevisionsRequest& r) {
                                                Require(ParseStatisticName(r.name(), "name").ok(),
                                                        "a statistic's name");
                                              }),
      Case<v1::ListResultsRequest>(Validate),
      Case<v1::GetFinalEvaluationRequest>(Validate),
      Case<v1::CreateRoundRequest>(Validate,
                                   [](const v1::CreateRoundRequest& r) {
                                     Require(IsValidResourceId(r.round_id()), "a round id");
                                     Require(
                                         r.round().subject_kind() != v1::SUBJECT_KIND_UNSPECIFIED &&
                                             v1::SubjectKind_IsValid(r.round().subject_kind()),
                                         "a known subject kind");
                                   }),
      Case<v1::GetRoundRequest>(Validate),
      Case<v1::ListRoundsRequest>(Validate),
      Case<v1::RecordScoresRequest>(Validate,
                                    [](const v1::RecordScoresRequest& r) {
                                      Require(r.scores_size() >= 1 && r.scores_size() <= 10000,
                                              "1–10000 scores");
                                    }),
      Case<v1::FinalizeRoundRequest>(Validate),
      Case<v1::ExportRoundRequest>(Validate,
                                   [](const v1::ExportRoundRequest& r) {
                                     Require(v1::ExportFormat_IsValid(r.format()), "a format");
                                   }),
  };
  return *cases;
}

}  // namespace
}  // namespace vetrack::evaluation

VETRACK_VALIDATOR_FUZZER(vetrack::evaluation::Cases)
