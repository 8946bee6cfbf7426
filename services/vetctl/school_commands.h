#ifndef VETRACK_SERVICES_VETCTL_SCHOOL_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_SCHOOL_COMMANDS_H_

#include <iostream>
#include <string>

#include "absl/status/statusor.h"
#include "command_context.h"
#include "google/protobuf/repeated_field.h"
#include "output.h"
#include "vetrack/schools/v1/schools.pb.h"

// vetctl's school-reporting commands: institutions, items, reporting periods
// and data reports (quality reports and spot checks: quality_commands.h).
namespace vetrack::vetctl {

namespace schools_v1 = ::vetrack::schools::v1;

absl::Status RunInstitutionsList(const CommandContext& context);
absl::Status RunItems(const CommandContext& context);
absl::Status RunReportingPeriods(const CommandContext& context);
absl::Status RunReportingWindow(const CommandContext& context);
absl::Status RunReportsList(const CommandContext& context);
absl::Status RunReportsShow(const CommandContext& context);
absl::Status RunReportsSave(const CommandContext& context);
absl::Status RunReportsSubmit(const CommandContext& context);
absl::Status RunReportsReview(const CommandContext& context);
absl::Status RunReportsReopen(const CommandContext& context);
absl::Status RunReportsRevisions(const CommandContext& context);
absl::Status RunReportsDiff(const CommandContext& context);
absl::Status RunReportsHistory(const CommandContext& context);
absl::Status RunReportsFigures(const CommandContext& context);

// Shared with quality_commands.cc.

// --institution, or the caller's own when a school calls.
absl::StatusOr<std::string> SchoolOf(const CommandContext& context);
// institutions/{code}/{collection}/{--period}.
absl::StatusOr<std::string> SchoolReportName(const CommandContext& context,
                                             const std::string& collection);
// --accept, or --return with --item ITEM=REASON given once per item.
absl::Status ParseReview(const CommandContext& context, schools_v1::ReviewDecision* decision,
                         google::protobuf::RepeatedPtrField<schools_v1::ItemReturn>* returns);
// The message as JSON with --json, else as `print` shows it.
template <typename Message>
absl::Status Show(const CommandContext& context, const absl::StatusOr<Message>& message,
                  void (*print)(std::ostream&, const Message&)) {
  if (!message.ok()) return message.status();
  if (context.global.json) return PrintJson(std::cout, *message);
  print(std::cout, *message);
  return absl::OkStatus();
}

// --type higher_vocational|secondary_vocational|technical, or UNSPECIFIED.
absl::StatusOr<schools_v1::InstitutionType> TypeOption(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_SCHOOL_COMMANDS_H_
