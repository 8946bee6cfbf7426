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

// The years a view can show: from the plan's first year (no service keeps an
// earlier one) to the later of next year and the plan's last (as the
// evaluation bounds its results; nothing is kept for a later one).
struct YearsKept {
  int first = 0;
  int last = 0;
};

// The years and periods a view's caller named (those it left out are filled
// in later, and are not checked), against `kept`: a view outside it would be
// nothing but missing sections. INVALID_ARGUMENT naming each such field.
// Call after Validate.
absl::Status CheckYearsKept(const v1::GetDistrictOverviewRequest& req, YearsKept kept);
absl::Status CheckYearsKept(const v1::GetDepartmentWorkbenchRequest& req, YearsKept kept);
absl::Status CheckYearsKept(const v1::GetTaskDossierRequest& req, YearsKept kept);
absl::Status CheckYearsKept(const v1::GetInstitutionProfileRequest& req, YearsKept kept);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VALIDATION_H_
