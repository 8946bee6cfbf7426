#ifndef VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// vetctl's commands for the evaluation service: indicators, district
// statistics, results, the final evaluation and evaluation rounds.
namespace vetrack::vetctl {

absl::Status RunIndicatorsLoad(const CommandContext& context);
absl::Status RunIndicatorsList(const CommandContext& context);
absl::Status RunStatisticsRecord(const CommandContext& context);
absl::Status RunStatisticsList(const CommandContext& context);
absl::Status RunResults(const CommandContext& context);
absl::Status RunResultsFinal(const CommandContext& context);
absl::Status RunRoundsList(const CommandContext& context);
absl::Status RunRoundsShow(const CommandContext& context);
absl::Status RunRoundsCreate(const CommandContext& context);
absl::Status RunRoundsScore(const CommandContext& context);
absl::Status RunRoundsFinalize(const CommandContext& context);
absl::Status RunRoundsExport(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_
