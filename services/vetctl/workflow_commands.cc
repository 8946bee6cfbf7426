#include "workflow_commands.h"

#include <cmath>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "decimal.h"
#include "enum_labels.h"
#include "output.h"
#include "views.h"

namespace vetrack::vetctl {
namespace {

// KEY=VALUE[:UNIT], e.g. bases_built=3:个.
absl::StatusOr<v1::Figure> ParseFigure(const std::string& text) {
  const size_t equals = text.find('=');
  const std::string usage =
      absl::StrCat("--figure ", text, ": expected KEY=VALUE[:UNIT], e.g. bases_built=3:个");
  if (equals == std::string::npos || equals == 0) return UsageError(usage);
  const std::string rest = text.substr(equals + 1);
  const size_t colon = rest.find(':');
  double value = 0;
  if (!ParseDecimal(rest.substr(0, colon), &value)) {
    return UsageError(usage);
  }
  v1::Figure figure;
  figure.set_key(text.substr(0, equals));
  figure.set_value(value);
  if (colon != std::string::npos) figure.set_unit(rest.substr(colon + 1));
  return figure;
}

// The task and period every workflow command addresses.
struct TaskPeriod {
  std::string task;
  std::string period_id;
};

absl::StatusOr<TaskPeriod> TaskPeriodOf(const CommandContext& context) {
  absl::StatusOr<std::string> task = TaskNameFromArgs(context);
  if (!task.ok()) return task.status();
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  return TaskPeriod{*task, *period};
}

absl::Status ShowReport(const CommandContext& context,
                        const absl::StatusOr<v1::TaskReport>& report) {
  if (!report.ok()) return report.status();
  if (context.global.json) return PrintJson(std::cout, *report);
  PrintReport(std::cout, *report);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunProgressFile(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> status_label = RequiredOption(context.line, "status");
  if (!status_label.ok()) return status_label.status();
  absl::StatusOr<int> status =
      ParseEnumLabel(v1::ProgressStatus_descriptor(), *status_label, "status");
  if (!status.ok()) return status.status();
  absl::StatusOr<std::string> narrative = RequiredOption(context.line, "narrative");
  if (!narrative.ok()) return narrative.status();

  v1::FileProgressRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  request.set_unit(OptionValue(context.line, "unit"));
  request.set_status(static_cast<v1::ProgressStatus>(*status));
  request.set_narrative(*narrative);
  for (const std::string& text : OptionValues(context.line, "figure")) {
    absl::StatusOr<v1::Figure> figure = ParseFigure(text);
    if (!figure.ok()) return figure.status();
    *request.add_figures() = *std::move(figure);
  }
  for (const std::string& ref : OptionValues(context.line, "evidence")) {
    request.add_evidence_refs(ref);
  }
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);

  absl::StatusOr<v1::Progress> progress = context.client->FileProgress(request);
  if (!progress.ok()) return progress.status();
  if (context.global.json) return PrintJson(std::cout, *progress);
  PrintFiledProgress(std::cout, *progress);
  return absl::OkStatus();
}

absl::Status RunProgressList(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  v1::ListProgressRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  absl::StatusOr<v1::ListProgressResponse> response = context.client->ListProgress(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintProgressTable(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunReportSubmit(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> summary = RequiredOption(context.line, "summary");
  if (!summary.ok()) return summary.status();
  v1::SubmitReportRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  request.set_summary(*summary);
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  return ShowReport(context, context.client->SubmitReport(request));
}

absl::Status RunReportShow(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  v1::GetReportRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  return ShowReport(context, context.client->GetReport(request));
}

absl::Status RunReportRevisions(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  v1::ListReportRevisionsRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  absl::StatusOr<v1::ListReportRevisionsResponse> response =
      context.client->ListAllReportRevisions(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintReportRevisions(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunProgressRevisions(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  absl::StatusOr<std::string> unit = UnitFromOptionOrCaller(context);
  if (!unit.ok()) return unit.status();
  v1::ListProgressRevisionsRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  request.set_unit(*unit);
  absl::StatusOr<v1::ListProgressRevisionsResponse> response =
      context.client->ListAllProgressRevisions(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintProgressRevisions(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunReportReview(const CommandContext& context) {
  absl::StatusOr<TaskPeriod> target = TaskPeriodOf(context);
  if (!target.ok()) return target.status();
  const bool accept = HasSwitch(context.line, "accept");
  const bool give_back = HasSwitch(context.line, "return");
  const std::vector<std::string> reasons = OptionValues(context.line, "reason");
  if (accept == give_back) return UsageError("give exactly one of --accept and --return");
  if (give_back && reasons.empty()) return UsageError("--return needs at least one --reason");
  if (accept && !reasons.empty()) return UsageError("--reason goes with --return, not --accept");

  v1::ReviewReportRequest request;
  request.set_task(target->task);
  request.set_period_id(target->period_id);
  request.set_decision(accept ? v1::REVIEW_DECISION_ACCEPT : v1::REVIEW_DECISION_RETURN);
  for (const std::string& reason : reasons) request.add_reasons(reason);
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  return ShowReport(context, context.client->ReviewReport(request));
}

absl::Status RunEscalations(const CommandContext& context) {
  v1::ListEscalationsRequest request;
  request.set_plan(PlanName(context.global));
  request.set_unit(OptionValue(context.line, "unit"));
  request.set_period_id(OptionValue(context.line, "period"));
  if (std::string level = OptionValue(context.line, "level"); !level.empty()) {
    absl::StatusOr<int> value = ParseEnumLabel(v1::EscalationLevel_descriptor(), level, "level");
    if (!value.ok()) return value.status();
    request.set_min_level(static_cast<v1::EscalationLevel>(*value));
  }
  absl::StatusOr<v1::ListEscalationsResponse> response =
      context.client->ListAllEscalations(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintEscalations(std::cout, *response);
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
