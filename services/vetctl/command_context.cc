#include "command_context.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "auth/token.h"
#include "clock/clock.h"
#include "clock/timestamp.h"

namespace vetrack::vetctl {

std::string PlanName(const GlobalOptions& global) { return absl::StrCat("plans/", global.plan_id); }

absl::StatusOr<std::string> TaskNameFromArgs(const CommandContext& context) {
  if (context.args.empty()) return UsageError("a task number is required");
  absl::StatusOr<int> number = ParseTaskNumber(context.args.front());
  if (!number.ok()) return number.status();
  return absl::StrCat(PlanName(context.global), "/tasks/", *number);
}

namespace {

absl::StatusOr<std::string> CallerUnit(const CommandContext& context, const std::string& named) {
  // The token is who the gateway takes the caller for; --as signed it when
  // vetctl holds the key, and --token or $VETRACK_TOKEN may name another.
  if (!context.global.token.empty()) {
    if (auto held = UnverifiedPrincipal(context.global.token); held.ok() && !held->unit.empty()) {
      return held->unit;
    }
  } else if (!context.global.unit.empty()) {
    return context.global.unit;
  }
  return UsageError(absl::StrCat("name the ", named,
                                 ", or call as one (--as department:UNIT or school:UNIT, or its "
                                 "--token)"));
}

}  // namespace

absl::StatusOr<std::string> UnitFromArgsOrCaller(const CommandContext& context) {
  if (!context.args.empty()) return context.args.front();
  return CallerUnit(context, "UNIT");
}

absl::StatusOr<std::string> UnitFromOptionOrCaller(const CommandContext& context) {
  if (std::string unit = OptionValue(context.line, "unit"); !unit.empty()) return unit;
  return CallerUnit(context, "--unit");
}

absl::StatusOr<google::protobuf::Timestamp> DateOption(const CommandContext& context,
                                                       const std::string& name) {
  absl::StatusOr<std::string> text = RequiredOption(context.line, name);
  if (!text.ok()) return text.status();
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", *text, DistrictTimeZone(), &time, &error)) {
    return UsageError(absl::StrCat("--", name, " ", *text, ": expected YYYY-MM-DD"));
  }
  return TimeToProto(time);
}

}  // namespace vetrack::vetctl
