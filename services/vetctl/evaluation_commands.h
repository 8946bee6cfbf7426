#ifndef VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "command_context.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

// vetctl's commands for the evaluation service: indicators, district
// statistics, results, the final evaluation and evaluation rounds.
namespace vetrack::vetctl {

absl::Status RunIndicatorsLoad(const CommandContext& context);
absl::Status RunIndicatorsList(const CommandContext& context);
absl::Status RunStatisticsRecord(const CommandContext& context);
absl::Status RunStatisticsList(const CommandContext& context);
absl::Status RunStatisticsHistory(const CommandContext& context);
absl::Status RunResults(const CommandContext& context);
absl::Status RunResultsFinal(const CommandContext& context);
absl::Status RunRoundsList(const CommandContext& context);
absl::Status RunRoundsShow(const CommandContext& context);
absl::Status RunRoundsCreate(const CommandContext& context);
absl::Status RunRoundsScore(const CommandContext& context);
absl::Status RunRoundsFinalize(const CommandContext& context);
absl::Status RunRoundsExport(const CommandContext& context);

// A result's value with its unit, as its rule prints it; "-" without one.
std::string ValueText(const ::vetrack::evaluation::v1::Result& result);

// A round: its state, dimensions, standings once final, and each subject's
// score in each dimension ("-" where none is recorded yet).
// `only_subject`, when given, is the one subject whose scores are shown
// (a school's own).
void PrintRound(std::ostream& out, const ::vetrack::evaluation::v1::Round& round,
                const std::string& only_subject = "");

// "≥60%", "≤5个", "8–10个": a target as people read it.
std::string TargetText(const ::vetrack::evaluation::v1::Target& target, const std::string& unit);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_EVALUATION_COMMANDS_H_
