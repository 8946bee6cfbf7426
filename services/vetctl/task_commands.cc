#include "task_commands.h"

#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "enum_labels.h"
#include "google/protobuf/util/json_util.h"
#include "output.h"
#include "reference_files.h"
#include "task_correction.h"
#include "views.h"

namespace vetrack::vetctl {
namespace {

// tasks show is an overview; `history N` has the rest.
constexpr int kRecentHistoryEntries = 20;

absl::StatusOr<v1::Catalog> ReadCatalogFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadTextFile(path);
  if (!contents.ok()) return contents.status();
  v1::Catalog catalog;
  // Strict parsing: a misspelt field would otherwise drop data without a word.
  auto parsed = google::protobuf::util::JsonStringToMessage(*contents, &catalog);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a vetrack.tasks.v1.Catalog: ", parsed.message().ToString()));
  }
  return catalog;
}

// The last `count` entries: history is kept oldest first.
v1::ListTaskHistoryResponse KeepLast(v1::ListTaskHistoryResponse history, int count) {
  auto* entries = history.mutable_entries();
  if (entries->size() > count) entries->DeleteSubrange(0, entries->size() - count);
  return history;
}

// The report for the period, or nullopt while none has been submitted.
absl::StatusOr<std::optional<v1::TaskReport>> FindReport(const CommandContext& context,
                                                         const v1::GetReportRequest& request) {
  absl::StatusOr<v1::TaskReport> report = context.client->GetReport(request);
  if (report.ok()) return std::optional<v1::TaskReport>(*std::move(report));
  if (absl::IsNotFound(report.status())) return std::optional<v1::TaskReport>();
  return report.status();
}

}  // namespace

absl::Status RunCatalogLoad(const CommandContext& context) {
  absl::StatusOr<v1::Catalog> catalog = ReadCatalogFile(context.args.front());
  if (!catalog.ok()) return catalog.status();
  v1::ImportCatalogRequest request;
  *request.mutable_catalog() = *std::move(catalog);
  request.set_request_id(context.global.request_id);
  absl::StatusOr<v1::ImportCatalogResponse> response = context.client->ImportCatalog(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintImportCounts(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunUnits(const CommandContext& context) {
  v1::ListUnitsRequest request;
  if (std::string kind = OptionValue(context.line, "kind"); !kind.empty()) {
    absl::StatusOr<int> value = ParseEnumLabel(v1::UnitKind_descriptor(), kind, "kind");
    if (!value.ok()) return value.status();
    request.set_kind(static_cast<v1::UnitKind>(*value));
  }
  absl::StatusOr<v1::ListUnitsResponse> response = context.client->ListUnits(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintUnits(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunSections(const CommandContext& context) {
  v1::ListSectionsRequest request;
  request.set_plan(PlanName(context.global));
  absl::StatusOr<v1::ListSectionsResponse> response = context.client->ListSections(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintSections(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunPeriods(const CommandContext& context) {
  v1::ListPeriodsRequest request;
  request.set_plan(PlanName(context.global));
  absl::StatusOr<v1::ListPeriodsResponse> response = context.client->ListPeriods(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintPeriods(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunTasksList(const CommandContext& context) {
  v1::ListTasksRequest request;
  request.set_parent(PlanName(context.global));
  request.set_unit(OptionValue(context.line, "unit"));
  request.set_section_prefix(OptionValue(context.line, "section"));
  request.set_period_id(OptionValue(context.line, "period"));
  if (std::string role = OptionValue(context.line, "role"); !role.empty()) {
    absl::StatusOr<int> value = ParseEnumLabel(v1::ResponsibilityRole_descriptor(), role, "role");
    if (!value.ok()) return value.status();
    request.set_role(static_cast<v1::ResponsibilityRole>(*value));
  }
  if (std::string state = OptionValue(context.line, "state"); !state.empty()) {
    absl::StatusOr<int> value = ParseEnumLabel(v1::ReportState_descriptor(), state, "state");
    if (!value.ok()) return value.status();
    request.set_report_state(static_cast<v1::ReportState>(*value));
  }
  absl::StatusOr<v1::ListTasksResponse> response = context.client->ListAllTasks(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintTaskTable(std::cout, *response);
  return absl::OkStatus();
}

absl::Status RunTasksShow(const CommandContext& context) {
  absl::StatusOr<std::string> task_name = TaskNameFromArgs(context);
  if (!task_name.ok()) return task_name.status();
  const std::string period = OptionValue(context.line, "period");

  v1::GetTaskRequest task_request;
  task_request.set_name(*task_name);
  // The units shown are those that answer for the period shown.
  task_request.set_period_id(period);
  absl::StatusOr<v1::Task> task = context.client->GetTask(task_request);
  if (!task.ok()) return task.status();

  absl::StatusOr<v1::ListProgressResponse> progress;
  absl::StatusOr<std::optional<v1::TaskReport>> report;
  if (!period.empty()) {
    v1::ListProgressRequest progress_request;
    progress_request.set_task(*task_name);
    progress_request.set_period_id(period);
    progress = context.client->ListProgress(progress_request);
    if (!progress.ok()) return progress.status();
    v1::GetReportRequest report_request;
    report_request.set_task(*task_name);
    report_request.set_period_id(period);
    report = FindReport(context, report_request);
    if (!report.ok()) return report.status();
    // GetTask does not give the report state; the task's is that of the
    // period shown (found in use: "Report state: -" above "State:
    // submitted").
    if (report->has_value()) task->set_report_state((*report)->state());
  }

  v1::ListTaskHistoryRequest history_request;
  history_request.set_task(*task_name);
  absl::StatusOr<v1::ListTaskHistoryResponse> all_history =
      context.client->ListAllHistory(history_request);
  if (!all_history.ok()) return all_history.status();
  v1::ListTaskHistoryResponse history = KeepLast(*std::move(all_history), kRecentHistoryEntries);

  if (context.global.json) {
    // One document holding each response, so scripts need only one parse.
    std::vector<std::pair<std::string, const google::protobuf::Message*>> parts = {
        {"task", &*task}};
    if (!period.empty()) {
      parts.push_back({"progress", &*progress});
      parts.push_back({"report", report->has_value() ? &**report : nullptr});
    }
    parts.push_back({"history", &history});
    std::vector<std::pair<std::string, std::string>> members;
    for (const auto& [key, message] : parts) {
      if (message == nullptr) {
        members.push_back({key, "null"});
        continue;
      }
      absl::StatusOr<std::string> json = ToJson(*message);
      if (!json.ok()) return json.status();
      members.push_back({key, *json});
    }
    PrintJsonObject(std::cout, members);
    return absl::OkStatus();
  }

  PrintTask(std::cout, *task);
  if (!period.empty()) {
    std::cout << "\nProgress in " << period << ":\n";
    PrintProgressTable(std::cout, *progress);
    std::cout << "\nReport for " << period << ":\n";
    if (report->has_value()) {
      PrintReport(std::cout, **report);
    } else {
      std::cout << "no report yet\n";
    }
  }
  std::cout << "\nHistory (last " << kRecentHistoryEntries << "):\n";
  PrintHistory(std::cout, history.entries());
  return absl::OkStatus();
}

absl::Status RunTasksCorrect(const CommandContext& context) {
  absl::StatusOr<std::string> task_name = TaskNameFromArgs(context);
  if (!task_name.ok()) return task_name.status();
  absl::StatusOr<v1::UpdateTaskRequest> request =
      TaskCorrection(context.line, *task_name, context.global.request_id);
  if (!request.ok()) return request.status();
  absl::StatusOr<v1::Task> task = context.client->UpdateTask(*request);
  if (!task.ok()) return task.status();
  if (context.global.json) return PrintJson(std::cout, *task);
  PrintTask(std::cout, *task);
  return absl::OkStatus();
}

absl::Status RunHistory(const CommandContext& context) {
  absl::StatusOr<std::string> task_name = TaskNameFromArgs(context);
  if (!task_name.ok()) return task_name.status();
  v1::ListTaskHistoryRequest request;
  request.set_task(*task_name);
  absl::StatusOr<v1::ListTaskHistoryResponse> response = context.client->ListAllHistory(request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintHistory(std::cout, response->entries());
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
