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

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VALIDATION_H_
