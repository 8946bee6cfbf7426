#ifndef VETRACK_SERVICES_EVALUATION_VALIDATION_H_
#define VETRACK_SERVICES_EVALUATION_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

// Shape checks of each request before the domain sees it; every offending
// field at once, as INVALID_ARGUMENT.
namespace vetrack::evaluation {

// A statistic of a year by its name, statistics/{key}/years/{year}.
struct StatisticRef {
  std::string key;
  int year = 0;
};
// INVALID_ARGUMENT on `field` unless `name` is such a name.
absl::StatusOr<StatisticRef> ParseStatisticName(const std::string& name, const std::string& field);

absl::Status Validate(const v1::ImportIndicatorsRequest& req);
absl::Status Validate(const v1::GetIndicatorRequest& req);
absl::Status Validate(const v1::ListIndicatorsRequest& req);
absl::Status Validate(const v1::RecordStatisticRequest& req);
absl::Status Validate(const v1::ListStatisticsRequest& req);
absl::Status Validate(const v1::ListStatisticRevisionsRequest& req);
absl::Status Validate(const v1::ListResultsRequest& req);
absl::Status Validate(const v1::GetFinalEvaluationRequest& req);
absl::Status Validate(const v1::CreateRoundRequest& req);
absl::Status Validate(const v1::GetRoundRequest& req);
absl::Status Validate(const v1::ListRoundsRequest& req);
absl::Status Validate(const v1::RecordScoresRequest& req);
absl::Status Validate(const v1::FinalizeRoundRequest& req);
absl::Status Validate(const v1::ExportRoundRequest& req);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_VALIDATION_H_
