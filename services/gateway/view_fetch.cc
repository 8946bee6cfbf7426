#include "view_fetch.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "fanout.h"
#include "rpc/resource_name.h"

namespace vetrack::gateway {
namespace {

// `class` because each Stub's async() member function hides the type's name.
using TasksAsync = class tasks_v1::TaskRegistryService::Stub::async;
using SchoolsAsync = class schools_v1::SchoolReportingService::Stub::async;
using LedgerAsync = class ledger_v1::TrainingLedgerService::Stub::async;
using EvaluationAsync = class evaluation_v1::EvaluationService::Stub::async;

void CallIndicators(Fanout& fanout, Backends& backends, int page_size,
                    const std::string& responsible_unit,
                    absl::StatusOr<evaluation_v1::ListIndicatorsResponse>* out) {
  evaluation_v1::ListIndicatorsRequest request;
  request.set_page_size(page_size);
  request.set_responsible_unit(responsible_unit);
  fanout.CallEveryPage(backends.evaluation().async(), &EvaluationAsync::ListIndicators, request,
                       out);
}

void CallResults(Fanout& fanout, Backends& backends, int year, const std::string& institution,
                 const std::string& responsible_unit,
                 absl::StatusOr<evaluation_v1::ListResultsResponse>* out) {
  evaluation_v1::ListResultsRequest request;
  request.set_year(year);
  request.set_institution(institution);
  request.set_responsible_unit(responsible_unit);
  fanout.Call(backends.evaluation().async(), &EvaluationAsync::ListResults, request, out);
}

}  // namespace

tasks_v1::ListEscalationsRequest ViewFetcher::EscalationsOf(const std::string& plan,
                                                            const std::string& unit,
                                                            const std::string& period_id) const {
  tasks_v1::ListEscalationsRequest request;
  request.set_plan(plan);
  request.set_unit(unit);
  request.set_page_size(page_size_);
  // Quarter ids ("2026-Q3") order as the quarters do.
  if (period_id < DefaultPeriods(clock_.Now(), grace_).quarter) request.set_period_id(period_id);
  return request;
}

void ViewFetcher::Overview(const Principal& caller, const v1::GetDistrictOverviewRequest& req,
                           absl::Time deadline, Done<v1::DistrictOverview> done) {
  auto in = std::make_shared<OverviewInputs>();
  in->plan = req.plan();
  in->period_id = req.period_id();
  in->year = req.year();
  in->data_period_id = req.data_period_id();
  in->quality_period_id = req.quality_period_id();
  auto fanout = Fanout::Create(caller, deadline, [in, done] { done(AssembleOverview(*in)); });

  tasks_v1::ListTasksRequest tasks;
  tasks.set_parent(req.plan());
  tasks.set_period_id(req.period_id());
  tasks.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.tasks().async(), &TasksAsync::ListTasks, tasks, &in->tasks);
  fanout->CallEveryPage(backends_.tasks().async(), &TasksAsync::ListEscalations,
                        EscalationsOf(req.plan(), "", req.period_id()), &in->escalations);
  CallIndicators(*fanout, backends_, page_size_, "", &in->indicators);
  CallResults(*fanout, backends_, req.year(), "", "", &in->results);
  schools_v1::ListInstitutionsRequest institutions;
  institutions.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.schools().async(), &SchoolsAsync::ListInstitutions, institutions,
                        &in->institutions);
  schools_v1::ListDataReportsRequest data;
  data.set_period_id(req.data_period_id());
  data.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.schools().async(), &SchoolsAsync::ListDataReports, data,
                        &in->data_reports);
  schools_v1::ListQualityReportsRequest quality;
  quality.set_period_id(req.quality_period_id());
  quality.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.schools().async(), &SchoolsAsync::ListQualityReports, quality,
                        &in->quality_reports);
  fanout->Seal();
}

void ViewFetcher::Workbench(const Principal& caller, const v1::GetDepartmentWorkbenchRequest& req,
                            absl::Time deadline, Done<v1::DepartmentWorkbench> done) {
  auto in = std::make_shared<WorkbenchInputs>();
  in->unit = ResourceIdOf(req.unit());
  in->period_id = req.period_id();
  in->year = req.year();
  auto fanout = Fanout::Create(caller, deadline, [in, done] { done(AssembleWorkbench(*in)); });

  tasks_v1::ListTasksRequest tasks;
  tasks.set_parent(req.plan());
  tasks.set_unit(in->unit);
  tasks.set_period_id(req.period_id());
  tasks.set_page_size(page_size_);
  // The second wave: who has filed on each of the unit's tasks. The map is
  // complete before any of its calls starts, so they only fill values in.
  std::weak_ptr<Fanout> weak = fanout;
  Backends* backends = &backends_;
  auto ask_who_filed = [in, weak, backends, period = req.period_id()] {
    auto fanout = weak.lock();
    if (fanout == nullptr || !in->tasks.ok()) return;
    for (const auto& task : in->tasks->tasks()) in->progress[task.name()];
    for (auto& [name, out] : in->progress) {
      tasks_v1::ListProgressRequest progress;
      progress.set_task(name);
      progress.set_period_id(period);
      fanout->Call(backends->tasks().async(), &TasksAsync::ListProgress, progress, &out);
    }
  };
  fanout->CallEveryPage(backends_.tasks().async(), &TasksAsync::ListTasks, tasks, &in->tasks,
                        ask_who_filed);
  fanout->CallEveryPage(backends_.tasks().async(), &TasksAsync::ListEscalations,
                        EscalationsOf(req.plan(), in->unit, req.period_id()), &in->escalations);
  // Every indicator and result, not only the unit's: it also sees those of
  // the tasks it leads, which another unit may answer for.
  CallIndicators(*fanout, backends_, page_size_, "", &in->indicators);
  CallResults(*fanout, backends_, req.year(), "", "", &in->results);
  fanout->Seal();
}

void ViewFetcher::Dossier(const Principal& caller, const v1::GetTaskDossierRequest& req,
                          absl::Time deadline, Done<v1::TaskDossier> done) {
  auto in = std::make_shared<DossierInputs>();
  in->period_id = req.period_id();
  in->year = req.year();
  auto fanout = Fanout::Create(caller, deadline, [in, done] { done(AssembleDossier(*in)); });

  tasks_v1::GetTaskRequest task;
  task.set_name(req.task());
  task.set_period_id(req.period_id());
  fanout->Call(backends_.tasks().async(), &TasksAsync::GetTask, task, &in->task);
  tasks_v1::ListProgressRequest progress;
  progress.set_task(req.task());
  progress.set_period_id(req.period_id());
  fanout->Call(backends_.tasks().async(), &TasksAsync::ListProgress, progress, &in->progress);
  tasks_v1::GetReportRequest report;
  report.set_task(req.task());
  report.set_period_id(req.period_id());
  fanout->Call(backends_.tasks().async(), &TasksAsync::GetReport, report, &in->report);
  tasks_v1::ListTaskHistoryRequest history;
  history.set_task(req.task());
  history.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.tasks().async(), &TasksAsync::ListTaskHistory, history,
                        &in->history);
  CallIndicators(*fanout, backends_, page_size_, "", &in->indicators);
  CallResults(*fanout, backends_, req.year(), "", "", &in->results);
  fanout->Seal();
}

void ViewFetcher::Profile(const Principal& caller, const v1::GetInstitutionProfileRequest& req,
                          absl::Time deadline, Done<v1::InstitutionProfile> done) {
  auto in = std::make_shared<ProfileInputs>();
  in->code = ResourceIdOf(req.institution());
  in->year = req.year();
  in->data_period_id = req.data_period_id();
  in->quality_period_id = req.quality_period_id();
  in->training_year = req.training_year();
  auto fanout = Fanout::Create(caller, deadline, [in, done] { done(AssembleProfile(*in)); });

  schools_v1::GetInstitutionRequest institution;
  institution.set_name(req.institution());
  fanout->Call(backends_.schools().async(), &SchoolsAsync::GetInstitution, institution,
               &in->institution);
  schools_v1::GetDataReportRequest data;
  data.set_name(absl::StrCat(req.institution(), "/dataReports/", req.data_period_id()));
  fanout->Call(backends_.schools().async(), &SchoolsAsync::GetDataReport, data, &in->data_report);
  schools_v1::GetQualityReportRequest quality;
  quality.set_name(absl::StrCat(req.institution(), "/qualityReports/", req.quality_period_id()));
  fanout->Call(backends_.schools().async(), &SchoolsAsync::GetQualityReport, quality,
               &in->quality_report);
  ledger_v1::GetTrainingStatementRequest training;
  training.set_institution_code(in->code);
  training.set_year(req.training_year());
  fanout->Call(backends_.ledger().async(), &LedgerAsync::GetTrainingStatement, training,
               &in->training);
  CallIndicators(*fanout, backends_, page_size_, "", &in->indicators);
  CallResults(*fanout, backends_, req.year(), in->code, "", &in->results);
  evaluation_v1::ListRoundsRequest rounds;
  rounds.set_page_size(page_size_);
  fanout->CallEveryPage(backends_.evaluation().async(), &EvaluationAsync::ListRounds, rounds,
                        &in->rounds);
  fanout->Seal();
}

}  // namespace vetrack::gateway
