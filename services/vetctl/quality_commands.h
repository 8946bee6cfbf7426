#ifndef VETRACK_SERVICES_VETCTL_QUALITY_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_QUALITY_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// vetctl's commands for quality annual reports (质量年报), spot checks and
// credibility scores.
namespace vetrack::vetctl {

absl::Status RunQualitySubmit(const CommandContext& context);
absl::Status RunQualityList(const CommandContext& context);
absl::Status RunQualityShow(const CommandContext& context);
absl::Status RunQualityReview(const CommandContext& context);
absl::Status RunQualityReopen(const CommandContext& context);
absl::Status RunQualityDiff(const CommandContext& context);
absl::Status RunQualityHistory(const CommandContext& context);
absl::Status RunSpotCheckDraw(const CommandContext& context);
absl::Status RunSpotCheckList(const CommandContext& context);
absl::Status RunSpotCheckShow(const CommandContext& context);
absl::Status RunSpotCheckRecord(const CommandContext& context);
absl::Status RunCredibility(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_QUALITY_COMMANDS_H_
