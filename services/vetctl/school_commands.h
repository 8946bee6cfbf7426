#ifndef VETRACK_SERVICES_VETCTL_SCHOOL_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_SCHOOL_COMMANDS_H_

#include <iostream>
#include <string>

#include "absl/status/statusor.h"
#include "args.h"
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
// Review and reopening take the same options for either kind of report;
// `collection` ("dataReports", "qualityReports") says which.
// The report named on the command line, --accept or --return …, --etag and
// the request id.
template <typename ReviewRequest>
absl::Status FillReviewRequest(const CommandContext& context, const std::string& collection,
                               ReviewRequest* request) {
  absl::StatusOr<std::string> name = SchoolReportName(context, collection);
  if (!name.ok()) return name.status();
  request->set_name(*name);
  schools_v1::ReviewDecision decision;
  if (absl::Status parsed = ParseReview(context, &decision, request->mutable_returns());
      !parsed.ok()) {
    return parsed;
  }
  request->set_decision(decision);
  request->set_etag(OptionValue(context.line, "etag"));
  request->set_request_id(context.global.request_id);
  return absl::OkStatus();
}
// The report named on the command line, --reason (required), --etag and the
// request id.
template <typename ReopenRequest>
absl::Status FillReopenRequest(const CommandContext& context, const std::string& collection,
                               ReopenRequest* request) {
  absl::StatusOr<std::string> name = SchoolReportName(context, collection);
  if (!name.ok()) return name.status();
  absl::StatusOr<std::string> reason = RequiredOption(context.line, "reason");
  if (!reason.ok()) return reason.status();
  request->set_name(*name);
  request->set_reason(*reason);
  request->set_etag(OptionValue(context.line, "etag"));
  request->set_request_id(context.global.request_id);
  return absl::OkStatus();
}
// --from and --to: revision numbers, 1 or more.
absl::StatusOr<int> RevisionOption(const CommandContext& context, const std::string& name);
// The report named on the command line, and --from and --to.
template <typename DiffRequest>
absl::Status FillDiffRequest(const CommandContext& context, const std::string& collection,
                             DiffRequest* request) {
  absl::StatusOr<std::string> name = SchoolReportName(context, collection);
  if (!name.ok()) return name.status();
  absl::StatusOr<int> from = RevisionOption(context, "from");
  if (!from.ok()) return from.status();
  absl::StatusOr<int> to = RevisionOption(context, "to");
  if (!to.ok()) return to.status();
  request->set_name(*name);
  request->set_from_revision(*from);
  request->set_to_revision(*to);
  return absl::OkStatus();
}
// `history` of the report named on the command line.
absl::Status RunReportHistoryOf(const CommandContext& context, const std::string& collection);

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
