#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_H_

#include "absl/status/status.h"
#include "vetrack/schools/v1/schools.pb.h"

// Shape checks of each request, before the domain sees it: required fields,
// formats, sizes. Each returns INVALID_ARGUMENT listing every offending field
// at once, or OK. What depends on stored things (the institution's type, the
// report's state) is the domain's to check (report_rules.h, workflow.h).
namespace vetrack::schools {

// Limits, in characters (code points), so Chinese text gets its full length.
inline constexpr int kMaxDisplayNameChars = 100;
inline constexpr int kMaxTitleChars = 200;
inline constexpr int kMaxReasonChars = 1000;
inline constexpr int kMaxNoteChars = 1000;
inline constexpr int kMaxUriBytes = 1024;
inline constexpr int kMaxInstitutions = 200;
// The 2021 catalog has 1349 majors; room for the yearly additions.
inline constexpr int kMaxCatalogMajors = 3000;
inline constexpr int kMaxCatalogTextChars = 64;
inline constexpr int kMaxCounts = 100;
inline constexpr int kMaxMajors = 500;
inline constexpr int kMaxKeyFigures = 100;
inline constexpr int kMaxReturns = 50;
inline constexpr int kMaxDrawSize = 50;
// A diff forward reads every revision between its two.
inline constexpr int kMaxDiffSpan = 100;

absl::Status Validate(const v1::ListInstitutionsRequest& req);
absl::Status Validate(const v1::GetInstitutionRequest& req);
absl::Status Validate(const v1::ImportInstitutionsRequest& req);
absl::Status Validate(const v1::ImportMajorCatalogRequest& req);
absl::Status Validate(const v1::ListCatalogMajorsRequest& req);
absl::Status Validate(const v1::GetCatalogMajorRequest& req);
absl::Status Validate(const v1::ListItemsRequest& req);
absl::Status Validate(const v1::ListPeriodsRequest& req);
absl::Status Validate(const v1::UpdatePeriodRequest& req);
absl::Status Validate(const v1::GetDataReportRequest& req);
absl::Status Validate(const v1::ListDataReportsRequest& req);
absl::Status Validate(const v1::UpdateDataReportRequest& req);
absl::Status Validate(const v1::SubmitDataReportRequest& req);
absl::Status Validate(const v1::ReviewDataReportRequest& req);
absl::Status Validate(const v1::ReopenDataReportRequest& req);
absl::Status Validate(const v1::ListDataReportRevisionsRequest& req);
absl::Status Validate(const v1::ListQualityReportRevisionsRequest& req);
absl::Status Validate(const v1::DiffDataReportRevisionsRequest& req);
absl::Status Validate(const v1::DiffQualityReportRevisionsRequest& req);
absl::Status Validate(const v1::GetAcceptedFiguresRequest& req);
absl::Status Validate(const v1::GetQualityReportRequest& req);
absl::Status Validate(const v1::ListQualityReportsRequest& req);
absl::Status Validate(const v1::SubmitQualityReportRequest& req);
absl::Status Validate(const v1::ReviewQualityReportRequest& req);
absl::Status Validate(const v1::ReopenQualityReportRequest& req);
absl::Status Validate(const v1::ListReportHistoryRequest& req);
absl::Status Validate(const v1::ListReferenceHistoryRequest& req);
// At most this many institutions per BatchGetAcceptedFigures.
inline constexpr int kMaxBatchInstitutions = 100;
absl::Status Validate(const v1::BatchGetAcceptedFiguresRequest& req);
absl::Status Validate(const v1::DrawSpotCheckRequest& req);
absl::Status Validate(const v1::GetSpotCheckRequest& req);
absl::Status Validate(const v1::ListSpotChecksRequest& req);
absl::Status Validate(const v1::RecordSpotCheckResultRequest& req);
absl::Status Validate(const v1::ListCredibilityRequest& req);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_H_
