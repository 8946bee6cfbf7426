#ifndef VETRACK_SERVICES_VETCTL_LEDGER_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_LEDGER_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// `vetctl training …`: the training ledger at --ledger-addr. Where a command
// takes --institution, a school caller (--as school:CODE) may leave it out.
namespace vetrack::vetctl {

// training import FILE.csv: streams the file's rows, a progress bar on stderr.
absl::Status RunTrainingImport(const CommandContext& context);
absl::Status RunTrainingRecord(const CommandContext& context);
absl::Status RunTrainingReverse(const CommandContext& context);
absl::Status RunTrainingShow(const CommandContext& context);
absl::Status RunTrainingList(const CommandContext& context);
// An institution's statement, or without --institution the district's.
absl::Status RunTrainingStatement(const CommandContext& context);
// Publishes the district statement of --year to the municipal exchange.
absl::Status RunTrainingPublish(const CommandContext& context);
// A published revision of the district statement (--revision, else the latest).
absl::Status RunTrainingPublished(const CommandContext& context);
absl::Status RunTrainingPolicyShow(const CommandContext& context);
absl::Status RunTrainingPolicySet(const CommandContext& context);
absl::Status RunTrainingPolicyHistory(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_LEDGER_COMMANDS_H_
