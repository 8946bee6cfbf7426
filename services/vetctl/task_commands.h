#ifndef VETRACK_SERVICES_VETCTL_TASK_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_TASK_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// Commands that read or load the plan's catalog: units, sections, periods,
// tasks and their history.
namespace vetrack::vetctl {

// catalog load FILE
absl::Status RunCatalogLoad(const CommandContext& context);
// units [--kind department|school]
absl::Status RunUnits(const CommandContext& context);
// sections
absl::Status RunSections(const CommandContext& context);
// periods
absl::Status RunPeriods(const CommandContext& context);
// tasks list [--unit U] [--role lead|co] [--section PREFIX] [--period P] [--state S]
absl::Status RunTasksList(const CommandContext& context);
// tasks show N [--period P]
absl::Status RunTasksShow(const CommandContext& context);
// tasks correct N --etag E [--lead U] [--co U]... [--text T] [--section S]
absl::Status RunTasksCorrect(const CommandContext& context);
// history N
absl::Status RunHistory(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_TASK_COMMANDS_H_
