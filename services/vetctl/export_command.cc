#include "export_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "export_dataset.h"
#include "google/protobuf/struct.pb.h"
#include "ledger_client.h"
#include "output.h"
#include "registry_client.h"
#include "rpc_call.h"
#include "schools_client.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"

namespace vetrack::vetctl {
namespace {

namespace sv1 = ::vetrack::schools::v1;
namespace tv1 = ::vetrack::tasks::v1;
namespace ev1 = ::vetrack::evaluation::v1;
using SchoolsStub = SchoolsClient::Stub;

absl::StatusOr<int> YearOption(const CommandContext& context) {
  absl::StatusOr<std::string> text = RequiredOption(context.line, "year");
  if (!text.ok()) return text.status();
  int year = 0;
  if (!absl::SimpleAtoi(*text, &year) || year < 2000 || year > 2100) {
    return UsageError(absl::StrCat("--year ", *text, ": expected a year such as 2025"));
  }
  return year;
}

// Every accepted data report of academic year ay{year}, with the revision
// that was accepted (a reopened report keeps it until another is accepted).
absl::Status ReadSchools(const CommandContext& context, ExportInputs* in) {
  SchoolsClient schools(context.global);
  auto institutions =
      schools.CallAll(&SchoolsStub::ListInstitutions, sv1::ListInstitutionsRequest());
  if (!institutions.ok()) return institutions.status();
  in->institutions.assign(institutions->institutions().begin(), institutions->institutions().end());
  auto majors = schools.CallAll(&SchoolsStub::ListCatalogMajors, sv1::ListCatalogMajorsRequest());
  if (!majors.ok()) return majors.status();
  in->catalog_majors.assign(majors->majors().begin(), majors->majors().end());
  auto items = schools.Call(&SchoolsStub::ListItems, sv1::ListItemsRequest());
  if (!items.ok()) return items.status();
  in->items.assign(items->items().begin(), items->items().end());

  sv1::ListDataReportsRequest list;
  list.set_period_id(absl::StrCat("ay", in->year));
  auto reports = schools.CallAll(&SchoolsStub::ListDataReports, list);
  if (!reports.ok()) return reports.status();
  for (const sv1::DataReport& report : reports->data_reports()) {
    if (report.accepted_revision() == 0) continue;
    sv1::ListDataReportRevisionsRequest revisions_request;
    revisions_request.set_name(report.name());
    auto revisions = schools.CallAll(&SchoolsStub::ListDataReportRevisions, revisions_request);
    if (!revisions.ok()) return revisions.status();
    for (const sv1::DataReport& revision : revisions->revisions()) {
      if (revision.revision() == report.accepted_revision()) {
        in->data_reports.push_back({report, revision});
      }
    }
  }
  // Every state: a report reopened for correction still has its accepted
  // revision, which is what the year's data set holds until another is.
  sv1::ListQualityReportsRequest quality;
  quality.set_period_id(absl::StrCat("cy", in->year));
  auto quality_reports = schools.CallAll(&SchoolsStub::ListQualityReports, quality);
  if (!quality_reports.ok()) return quality_reports.status();
  for (const sv1::QualityReport& report : quality_reports->quality_reports()) {
    if (report.accepted_revision() == 0) continue;
    if (report.state() == sv1::REPORT_STATE_ACCEPTED &&
        report.revision() == report.accepted_revision()) {
      in->quality_reports.push_back(report);
      continue;
    }
    sv1::ListQualityReportRevisionsRequest revisions_request;
    revisions_request.set_name(report.name());
    auto revisions = schools.CallAll(&SchoolsStub::ListQualityReportRevisions, revisions_request);
    if (!revisions.ok()) return revisions.status();
    for (const sv1::QualityReport& revision : revisions->revisions()) {
      if (revision.revision() == report.accepted_revision())
        in->quality_reports.push_back(revision);
    }
  }
  return absl::OkStatus();
}

// The accepted task reports of the year's four quarters.
absl::Status ReadTasks(const CommandContext& context, ExportInputs* in) {
  for (int quarter = 1; quarter <= 4; ++quarter) {
    tv1::ListTasksRequest list;
    list.set_parent(PlanName(context.global));
    list.set_period_id(absl::StrCat(in->year, "-Q", quarter));
    list.set_report_state(tv1::REPORT_STATE_ACCEPTED);
    auto tasks = context.client->ListAllTasks(list);
    if (!tasks.ok()) return tasks.status();
    for (const tv1::Task& task : tasks->tasks()) {
      tv1::GetReportRequest get;
      get.set_task(task.name());
      get.set_period_id(list.period_id());
      auto report = context.client->GetReport(get);
      if (!report.ok()) return report.status();
      in->task_reports.push_back({task, *std::move(report)});
    }
  }
  return absl::OkStatus();
}

absl::Status ReadTrainingAndResults(const CommandContext& context, ExportInputs* in) {
  LedgerClient ledger(context.global);
  ledger_v1::GetDistrictTrainingStatementRequest statement;
  statement.set_year(in->year);
  auto training = ledger.GetDistrictStatement(statement);
  if (!training.ok()) return training.status();
  in->training = *std::move(training);

  auto evaluation =
      ev1::EvaluationService::NewStub(ChannelTo(context.global, context.global.evaluation_address));
  ev1::ListResultsRequest results_request;
  results_request.set_year(in->year);
  auto results = CallUnary(*evaluation, &ev1::EvaluationService::Stub::ListResults, context.global,
                           results_request);
  if (!results.ok()) return results.status();
  in->indicator_results.assign(results->results().begin(), results->results().end());
  return absl::OkStatus();
}

// Written beside its final name and renamed, so a reader never sees half a file.
absl::Status WriteFile(const std::filesystem::path& path, const std::string& contents) {
  const std::filesystem::path partial = path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << contents;
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", partial.string()));
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error)
    return absl::InternalError(absl::StrCat("cannot write ", path.string(), ": ", error.message()));
  return absl::OkStatus();
}

}  // namespace

absl::Status RunExport(const CommandContext& context) {
  absl::StatusOr<int> year = YearOption(context);
  if (!year.ok()) return year.status();
  absl::StatusOr<std::string> out = RequiredOption(context.line, "out");
  if (!out.ok()) return out.status();

  ExportInputs in;
  in.year = *year;
  in.generated_time = absl::Now();
  for (auto read : {&ReadSchools, &ReadTasks, &ReadTrainingAndResults}) {
    if (absl::Status done = read(context, &in); !done.ok()) return done;
  }
  absl::StatusOr<std::vector<ExportFile>> files = BuildExport(in);
  if (!files.ok()) return files.status();

  std::error_code error;
  std::filesystem::create_directories(*out, error);
  if (error) return absl::InternalError(absl::StrCat("cannot make ", *out, ": ", error.message()));
  google::protobuf::Struct written;
  auto* list = (*written.mutable_fields())["files"].mutable_list_value();
  Table table({"FILE", "ROWS"});
  for (const ExportFile& file : *files) {
    const std::filesystem::path path = std::filesystem::path(*out) / file.name;
    if (absl::Status done = WriteFile(path, file.contents); !done.ok()) return done;
    auto& entry = *list->add_values()->mutable_struct_value()->mutable_fields();
    entry["path"].set_string_value(path.string());
    entry["rows"].set_number_value(file.rows);
    table.AddRow({path.string(), absl::StrCat(file.rows)});
  }
  if (context.global.json) return PrintJson(std::cout, written);
  table.Print(std::cout);
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
