#ifndef VETRACK_SERVICES_VETCTL_WORKFLOW_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_WORKFLOW_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// Commands of the joint-responsibility workflow: unit progress, the lead
// unit's report, the coordinator's review and the escalation ladder.
namespace vetrack::vetctl {

// progress file N --period P --status S --narrative TEXT [--figure K=V[:UNIT]]...
//   [--evidence REF]... [--unit U] [--etag E]
absl::Status RunProgressFile(const CommandContext& context);
// progress list N --period P
absl::Status RunProgressList(const CommandContext& context);
// report submit N --period P --summary TEXT [--etag E]
absl::Status RunReportSubmit(const CommandContext& context);
// report show N --period P
absl::Status RunReportShow(const CommandContext& context);
// report revisions N --period P
absl::Status RunReportRevisions(const CommandContext& context);
// progress revisions N --period P [--unit U]
absl::Status RunProgressRevisions(const CommandContext& context);
// report review N --period P (--accept | --return --reason R...) [--etag E]
absl::Status RunReportReview(const CommandContext& context);
// escalations [--unit U] [--level reminder|yellow|red] [--period P]
absl::Status RunEscalations(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_WORKFLOW_COMMANDS_H_
