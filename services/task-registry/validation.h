#ifndef VETRACK_SERVICES_TASK_REGISTRY_VALIDATION_H_
#define VETRACK_SERVICES_TASK_REGISTRY_VALIDATION_H_

#include "absl/status/status.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// Shape checks of each request, before the domain sees it: required fields,
// formats, sizes. Each returns INVALID_ARGUMENT listing every offending field
// at once, or OK. References to stored things (does the task exist?) are the
// domain's to check.
namespace vetrack::tasks {

// Limits, in characters (code points), so Chinese text gets its full length.
inline constexpr int kMaxNarrativeChars = 2000;
inline constexpr int kMaxSummaryChars = 4000;
inline constexpr int kMaxReasonChars = 1000;
// A 督办 notice's demand and a unit's answer to it.
inline constexpr int kMaxNoticeChars = 2000;
inline constexpr int kMaxTaskTextChars = 2000;
inline constexpr int kMaxFigures = 50;
// A figure beyond it is a slip (and past what a double keeps exact).
inline constexpr double kMaxFigure = 1e12;
inline constexpr int kMaxEvidenceRefs = 20;
inline constexpr int kMaxReasons = 20;

absl::Status Validate(const v1::ImportCatalogRequest& req);
absl::Status Validate(const v1::GetPlanRequest& req);
absl::Status Validate(const v1::ListSectionsRequest& req);
absl::Status Validate(const v1::ListUnitsRequest& req);
absl::Status Validate(const v1::GetTaskRequest& req);
absl::Status Validate(const v1::ListTasksRequest& req);
absl::Status Validate(const v1::UpdateTaskRequest& req);
absl::Status Validate(const v1::ListPeriodsRequest& req);
absl::Status Validate(const v1::FileProgressRequest& req);
absl::Status Validate(const v1::ListProgressRequest& req);
absl::Status Validate(const v1::SubmitReportRequest& req);
absl::Status Validate(const v1::GetReportRequest& req);
absl::Status Validate(const v1::ReviewReportRequest& req);
absl::Status Validate(const v1::ListTaskHistoryRequest& req);
absl::Status Validate(const v1::ListReportRevisionsRequest& req);
absl::Status Validate(const v1::ListProgressRevisionsRequest& req);
absl::Status Validate(const v1::ListEscalationsRequest& req);
absl::Status Validate(const v1::IssueNoticeRequest& req);
absl::Status Validate(const v1::GetNoticeRequest& req);
absl::Status Validate(const v1::AcknowledgeNoticeRequest& req);
absl::Status Validate(const v1::ListNoticesRequest& req);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_VALIDATION_H_
