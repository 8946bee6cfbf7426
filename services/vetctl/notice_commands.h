#ifndef VETRACK_SERVICES_VETCTL_NOTICE_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_NOTICE_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// Commands of 督办 notices: the coordinator issues them for what the ladder
// shows overdue, the units answer them.
namespace vetrack::vetctl {

// notices [N] [--unit U] [--period P] [--outstanding]
absl::Status RunNoticesList(const CommandContext& context);
// notices issue N --period P --unit U --owed progress|report --message TEXT
//   [--level yellow|red] [--answer-by YYYY-MM-DD]
absl::Status RunNoticesIssue(const CommandContext& context);
// notices answer N --period P --id ID --response TEXT [--etag E]
absl::Status RunNoticesAnswer(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_NOTICE_COMMANDS_H_
