#include "notice_commands.h"

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clock/timestamp.h"
#include "enum_labels.h"
#include "output.h"
#include "views.h"

namespace vetrack::vetctl {
namespace {

absl::Status ShowNotice(const CommandContext& context, const absl::StatusOr<v1::Notice>& notice) {
  if (!notice.ok()) return notice.status();
  if (context.global.json) return PrintJson(std::cout, *notice);
  PrintNotice(std::cout, *notice);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunNoticesList(const CommandContext& context) {
  v1::ListNoticesRequest request;
  request.set_plan(PlanName(context.global));
  if (!context.args.empty()) {
    absl::StatusOr<std::string> task = TaskNameFromArgs(context);
    if (!task.ok()) return task.status();
    request.set_task(*task);
  }
  request.set_unit(OptionValue(context.line, "unit"));
  request.set_period_id(OptionValue(context.line, "period"));
  request.set_outstanding_only(HasSwitch(context.line, "outstanding"));
  absl::StatusOr<v1::ListNoticesResponse> response = context.client->ListAllNotices(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintNotices(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunNoticesIssue(const CommandContext& context) {
  absl::StatusOr<std::string> task = TaskNameFromArgs(context);
  if (!task.ok()) return task.status();
  v1::IssueNoticeRequest request;
  request.set_task(*task);
  for (const char* required : {"period", "unit", "owed", "message"}) {
    if (absl::StatusOr<std::string> value = RequiredOption(context.line, required); !value.ok()) {
      return value.status();
    }
  }
  request.set_period_id(OptionValue(context.line, "period"));
  request.set_unit(OptionValue(context.line, "unit"));
  request.set_owed(absl::AsciiStrToUpper(OptionValue(context.line, "owed")));
  request.set_message(OptionValue(context.line, "message"));
  if (std::string level = OptionValue(context.line, "level"); !level.empty()) {
    absl::StatusOr<int> value = ParseEnumLabel(v1::EscalationLevel_descriptor(), level, "level");
    if (!value.ok()) return value.status();
    request.set_level(static_cast<v1::EscalationLevel>(*value));
  }
  if (!OptionValue(context.line, "answer-by").empty()) {
    absl::StatusOr<google::protobuf::Timestamp> day = DateOption(context, "answer-by");
    if (!day.ok()) return day.status();
    // By a day is by its end, as people read it: the last second before the
    // next midnight.
    *request.mutable_respond_by() =
        TimeToProto(TimeFromProto(*day) + absl::Hours(24) - absl::Seconds(1));
  }
  request.set_request_id(context.global.request_id);
  return ShowNotice(context, context.client->IssueNotice(request));
}

absl::Status RunNoticesAnswer(const CommandContext& context) {
  absl::StatusOr<std::string> task = TaskNameFromArgs(context);
  if (!task.ok()) return task.status();
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  absl::StatusOr<std::string> id = RequiredOption(context.line, "id");
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> response = RequiredOption(context.line, "response");
  if (!response.ok()) return response.status();
  v1::AcknowledgeNoticeRequest request;
  request.set_name(absl::StrCat(*task, "/periods/", *period, "/notices/", *id));
  request.set_response(*response);
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  return ShowNotice(context, context.client->AcknowledgeNotice(request));
}

}  // namespace vetrack::vetctl
