#ifndef VETRACK_SERVICES_GATEWAY_VALIDATION_H_
#define VETRACK_SERVICES_GATEWAY_VALIDATION_H_

#include "absl/status/status.h"
#include "vetrack/gateway/v1/gateway.pb.h"

// Shape checks of the gateway's own requests; each returns INVALID_ARGUMENT
// listing every offending field at once, or OK. Whether a named task, unit or
// institution exists is for the services to say.
namespace vetrack::gateway {

absl::Status Validate(const v1::GetDistrictOverviewRequest& req);
absl::Status Validate(const v1::GetDepartmentWorkbenchRequest& req);
absl::Status Validate(const v1::GetTaskDossierRequest& req);
absl::Status Validate(const v1::GetInstitutionProfileRequest& req);
absl::Status Validate(const v1::ListAuditEntriesRequest& req);
absl::Status Validate(const v1::RevokeTokenRequest& req);
absl::Status Validate(const v1::ListRevokedTokensRequest& req);

// The years and periods a view's caller named (those it left out are filled
// in later, and are not checked), against the plan's first year: no service
// keeps an earlier one, so such a view would be nothing but missing
// sections. INVALID_ARGUMENT naming each such field. Call after Validate.
absl::Status CheckNotBeforePlan(const v1::GetDistrictOverviewRequest& req, int plan_start_year);
absl::Status CheckNotBeforePlan(const v1::GetDepartmentWorkbenchRequest& req, int plan_start_year);
absl::Status CheckNotBeforePlan(const v1::GetTaskDossierRequest& req, int plan_start_year);
absl::Status CheckNotBeforePlan(const v1::GetInstitutionProfileRequest& req, int plan_start_year);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VALIDATION_H_
