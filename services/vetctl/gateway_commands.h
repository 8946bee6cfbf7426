#ifndef VETRACK_SERVICES_VETCTL_GATEWAY_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_GATEWAY_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// vetctl's commands for the gateway: tokens, the views, the audit trail.
namespace vetrack::vetctl {

absl::Status RunTokenIssue(const CommandContext& context);
absl::Status RunWhoAmI(const CommandContext& context);
// token revoke ID --reason R; token revoked
absl::Status RunTokenRevoke(const CommandContext& context);
absl::Status RunTokensRevoked(const CommandContext& context);
absl::Status RunOverview(const CommandContext& context);
absl::Status RunWorkbench(const CommandContext& context);
absl::Status RunDossier(const CommandContext& context);
absl::Status RunProfile(const CommandContext& context);
absl::Status RunAudit(const CommandContext& context);
absl::Status RunAuditVerify(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_GATEWAY_COMMANDS_H_
