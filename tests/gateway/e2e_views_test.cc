// End to end: the gateway's views against data created through the gateway,
// and partial views when a service is stopped or made slow (the view cache's
// sharing and keeping: e2e_view_cache_test.cc).
#include <signal.h>

#include <algorithm>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "e2e_fixture.h"

namespace vetrack::gateway {
namespace {

using grpc::StatusCode;
using GatewayStub = gw::GatewayService::Stub;

const gw::TaskStatus* FindTask(const gw::DistrictOverview& view, int number) {
  for (const auto& t : view.tasks()) {
    if (t.number() == number) return &t;
  }
  return nullptr;
}

int CountOf(const gw::DistrictOverview& view, tasks_v1::ReportState state) {
  for (const auto& c : view.tasks_by_report_state()) {
    if (c.state() == state) return c.tasks();
  }
  return -1;
}

class ViewsTest : public GatewayE2ETest {
 protected:
  // As ListEscalations lists them for `period_id` (every open one when empty).
  tasks_v1::ListEscalationsResponse EscalationsOf(const std::string& period_id) {
    auto direct = Direct("coordinator");
    tasks_v1::ListEscalationsRequest request;
    request.set_plan(kPlan);
    request.set_period_id(period_id);
    request.set_page_size(1000);
    tasks_v1::ListEscalationsResponse all;
    grpc::Status status = direct_tasks_->ListEscalations(direct.get(), request, &all);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(all.next_page_token().empty());
    return all;
  }

  gw::DistrictOverview Overview(const std::string& role = "coordinator",
                                const std::string& unit = "") {
    gw::GetDistrictOverviewRequest request;
    request.set_period_id(kQuarter);
    request.set_year(2024);
    request.set_data_period_id("ay2024");
    request.set_quality_period_id("cy2023");
    gw::DistrictOverview view;
    grpc::Status status =
        Call(role, unit, *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return view;
  }

  void SaveDraft() {
    schools_v1::UpdateDataReportRequest request;
    request.mutable_data_report()->set_name(kDataReport);
    (*request.mutable_data_report()->mutable_counts())["enrolled_students"] = 3200;
    request.set_request_id("draft-1");
    schools_v1::DataReport report;
    grpc::Status status =
        Call("school", "cqgsxx", *schools_,
             &schools_v1::SchoolReportingService::Stub::UpdateDataReport, request, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
};

TEST_F(ViewsTest, OverviewShowsTasksEscalationsIndicatorsAndInstitutions) {
  FileTask6("hrss", "f1");
  FileTask6("edu", "f2");
  SubmitTask6();
  SaveDraft();

  gw::DistrictOverview view = Overview();
  EXPECT_FALSE(view.partial());
  EXPECT_EQ(view.plan(), kPlan);
  EXPECT_EQ(view.period_id(), kQuarter);
  ASSERT_EQ(view.tasks_size(), 33);
  ASSERT_NE(FindTask(view, 6), nullptr);
  EXPECT_EQ(FindTask(view, 6)->report_state(), tasks_v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(FindTask(view, 6)->lead_unit(), "hrss");
  EXPECT_EQ(CountOf(view, tasks_v1::REPORT_STATE_SUBMITTED), 1);
  EXPECT_EQ(CountOf(view, tasks_v1::REPORT_STATE_UNSPECIFIED), 32);
  EXPECT_EQ(view.escalations_by_level_size(), 3);
  EXPECT_EQ(view.indicators_size(), Indicators().indicators_size());
  int results = 0;
  for (const auto& c : view.results_by_status()) results += c.results();
  EXPECT_GT(results, 0);
  ASSERT_EQ(view.institutions_size(), 9);
  for (const auto& i : view.institutions()) {
    EXPECT_EQ(i.data_report_state(), i.institution() == "institutions/cqgsxx"
                                         ? schools_v1::REPORT_STATE_DRAFT
                                         : schools_v1::REPORT_STATE_UNSPECIFIED)
        << i.institution();
  }

  // A change through the gateway shows at once, cached view or not.
  tasks_v1::ReviewReportRequest review;
  review.set_task(kTask6);
  review.set_period_id(kQuarter);
  review.set_decision(tasks_v1::REVIEW_DECISION_ACCEPT);
  review.set_request_id("accept-6");
  tasks_v1::TaskReport report;
  ASSERT_TRUE(Call("coordinator", "", *tasks_, &tasks_v1::TaskRegistryService::Stub::ReviewReport,
                   review, &report)
                  .ok());
  gw::DistrictOverview after = Overview();
  EXPECT_EQ(FindTask(after, 6)->report_state(), tasks_v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(CountOf(after, tasks_v1::REPORT_STATE_ACCEPTED), 1);
}

TEST_F(ViewsTest, WorkbenchShowsWhatAUnitOwes) {
  gw::GetDepartmentWorkbenchRequest request;
  request.set_unit("units/hrss");
  request.set_period_id(kQuarter);
  request.set_year(2024);
  auto workbench = [&] {
    gw::DepartmentWorkbench view;
    grpc::Status status =
        Call("department", "hrss", *gateway_, &GatewayStub::GetDepartmentWorkbench, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return view;
  };
  auto task6 = [](const gw::DepartmentWorkbench& view) {
    for (const auto& t : view.tasks()) {
      if (t.number() == 6) return t;
    }
    return gw::WorkbenchTask();
  };
  auto owed = [](const gw::WorkbenchTask& task) {
    return std::vector<std::string>(task.owed().begin(), task.owed().end());
  };

  gw::DepartmentWorkbench before = workbench();
  EXPECT_FALSE(before.partial());
  ASSERT_GT(before.tasks_size(), 1);
  EXPECT_EQ(before.tasks(0).role(), tasks_v1::RESPONSIBILITY_ROLE_LEAD);
  EXPECT_EQ(task6(before).role(), tasks_v1::RESPONSIBILITY_ROLE_LEAD);
  EXPECT_FALSE(task6(before).progress_filed());
  // The lead owes the report (its account of the task), not a filing.
  EXPECT_EQ(owed(task6(before)), (std::vector<std::string>{"REPORT"}));
  // Where it shares a task, it owes its filing until the report goes in.
  int shared = 0;
  for (const auto& t : before.tasks()) {
    if (t.role() != tasks_v1::RESPONSIBILITY_ROLE_CO || t.progress_filed() ||
        t.report_state() == tasks_v1::REPORT_STATE_SUBMITTED ||
        t.report_state() == tasks_v1::REPORT_STATE_ACCEPTED) {
      continue;
    }
    ++shared;
    EXPECT_EQ(owed(t), (std::vector<std::string>{"PROGRESS"})) << t.number();
  }
  EXPECT_GT(shared, 0);
  // Its own indicators, and those of the tasks it leads (found in review:
  // task 6's training ratio, the education commission's, was missing).
  std::set<int> led;
  for (const auto& t : before.tasks()) {
    if (t.role() == tasks_v1::RESPONSIBILITY_ROLE_LEAD) led.insert(t.number());
  }
  const evaluation_v1::IndicatorCatalog catalog = Indicators();
  std::set<std::string> expected, shown;
  for (const auto& i : catalog.indicators()) {
    if (i.responsible_unit() == "hrss" || led.count(i.task_number()) > 0) expected.insert(i.name());
  }
  for (const auto& s : before.indicators()) shown.insert(s.indicator());
  EXPECT_EQ(shown, expected);
  EXPECT_EQ(shown.count("indicators/training-person-times-ratio"), 1u);

  FileTask6("hrss", "f1");
  gw::DepartmentWorkbench filed = workbench();
  EXPECT_TRUE(task6(filed).progress_filed());
  EXPECT_EQ(owed(task6(filed)), (std::vector<std::string>{"REPORT"}));
  EXPECT_EQ(filed.owed(), before.owed());

  FileTask6("edu", "f2");
  SubmitTask6();
  EXPECT_TRUE(task6(workbench()).owed().empty());

  // An operator may look at the workbench, not at the reports (found in use:
  // it showed the accepted report as owed, and no state).
  gw::DepartmentWorkbench for_operator;
  ASSERT_TRUE(
      Call("operator", "", *gateway_, &GatewayStub::GetDepartmentWorkbench, request, &for_operator)
          .ok());
  ASSERT_GT(for_operator.tasks_size(), 0);
  for (const auto& t : for_operator.tasks()) {
    EXPECT_TRUE(t.report_hidden()) << t.number();
    EXPECT_EQ(std::count(t.owed().begin(), t.owed().end(), "REPORT"), 0) << t.number();
  }
}

TEST_F(ViewsTest, DossierShowsProgressReportHistoryAndIndicators) {
  FileTask6("hrss", "f1");
  FileTask6("edu", "f2");
  SubmitTask6();
  gw::GetTaskDossierRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  request.set_year(2024);
  gw::TaskDossier view;
  grpc::Status status =
      Call("department", "edu", *gateway_, &GatewayStub::GetTaskDossier, request, &view);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(view.partial());
  EXPECT_EQ(view.task().number(), 6);
  EXPECT_EQ(view.progress_size(), 2);
  ASSERT_TRUE(view.has_report());
  EXPECT_EQ(view.report().state(), tasks_v1::REPORT_STATE_SUBMITTED);
  // One answer within one view (found in use: the task's state was unset).
  EXPECT_EQ(view.task().report_state(), tasks_v1::REPORT_STATE_SUBMITTED);
  std::vector<std::string> actions;
  for (const auto& h : view.history()) actions.push_back(h.action());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "FILE_PROGRESS"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "SUBMIT_REPORT"), actions.end());
  const evaluation_v1::IndicatorCatalog catalog = Indicators();
  int linked = 0;
  for (const auto& i : catalog.indicators()) linked += i.task_number() == 6;
  EXPECT_EQ(view.indicators_size(), linked);

  // Task 23 carries the most indicators of the plan.
  request.set_task(std::string(kPlan) + "/tasks/23");
  ASSERT_TRUE(
      Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &view).ok());
  EXPECT_FALSE(view.has_report());
  EXPECT_EQ(view.progress_size(), 0);
  EXPECT_GT(view.indicators_size(), 5);
  for (const auto& i : view.indicators()) EXPECT_EQ(i.task_number(), 23);

  request.set_task(std::string(kPlan) + "/tasks/99");
  EXPECT_EQ(
      Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &view).error_code(),
      StatusCode::NOT_FOUND);
  request.set_task("tasks/6");
  grpc::Status bad =
      Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &view);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(bad), "task");

  // A quarter not begun owes nothing yet: refused, as the registry refuses it
  // (next year's passes the gateway's own bounds).
  request.set_task(kTask6);
  const int next_year =
      static_cast<int>(absl::ToCivilYear(absl::Now(), absl::LocalTimeZone()).year()) + 1;
  request.set_period_id(absl::StrCat(next_year, "-Q4"));
  grpc::Status future =
      Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &view);
  EXPECT_EQ(future.error_code(), StatusCode::INVALID_ARGUMENT) << future.error_message();
  EXPECT_EQ(ViolatedField(future), "period_id");
  // The caller's mistakes are refusals, not the services failing.
  EXPECT_GE(GatewayMetric("vetrack_gateway_views_assembled_total",
                          {"view=\"dossier\"", "outcome=\"refused\""}),
            2);
  EXPECT_EQ(GatewayMetric("vetrack_gateway_views_assembled_total",
                          {"view=\"dossier\"", "outcome=\"failed\""}),
            0);
  gw::GetDepartmentWorkbenchRequest workbench;
  workbench.set_unit("hrss");
  workbench.set_period_id("2030-Q1");
  gw::DepartmentWorkbench bench;
  EXPECT_EQ(
      Call("coordinator", "", *gateway_, &GatewayStub::GetDepartmentWorkbench, workbench, &bench)
          .error_code(),
      StatusCode::INVALID_ARGUMENT);
}

TEST_F(ViewsTest, ProfileShowsReportsTrainingIndicatorsAndStanding) {
  SaveDraft();
  ledger_v1::CreateTrainingRecordRequest record;
  auto* r = record.mutable_training_record();
  r->set_institution_code("cqgsxx");
  r->set_record_id("t-1");
  r->set_date("2025-06-01");
  r->set_programme(ledger_v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
  r->set_target_group(ledger_v1::TARGET_GROUP_GENERAL);
  r->set_trainees(30);
  r->set_hours_per_trainee(8);
  ledger_v1::TrainingRecord recorded;
  grpc::Status status =
      Call("school", "cqgsxx", *ledger_,
           &ledger_v1::TrainingLedgerService::Stub::CreateTrainingRecord, record, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_NO_FATAL_FAILURE(FinalRound2024());

  gw::GetInstitutionProfileRequest request;
  request.set_institution("institutions/cqgsxx");
  request.set_year(2024);
  request.set_data_period_id("ay2024");
  request.set_quality_period_id("cy2023");
  request.set_training_year(2025);
  gw::InstitutionProfile view;
  status = Call("school", "cqgsxx", *gateway_, &GatewayStub::GetInstitutionProfile, request, &view);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(view.partial()) << view.section_errors(0).message();
  EXPECT_EQ(view.institution().code(), "cqgsxx");
  ASSERT_TRUE(view.has_data_report());
  EXPECT_EQ(view.data_report().state(), schools_v1::REPORT_STATE_DRAFT);
  EXPECT_FALSE(view.has_quality_report());
  EXPECT_EQ(view.training().totals().records(), 1);
  EXPECT_EQ(view.training().totals().person_times(), 30);
  EXPECT_FALSE(view.indicators().empty());
  for (const auto& i : view.indicators()) {
    for (const auto& result : i.results()) {
      EXPECT_NE(result.scope(), evaluation_v1::SCOPE_DISTRICT);
      EXPECT_TRUE(result.sources().empty());
    }
  }
  ASSERT_TRUE(view.has_round());
  EXPECT_EQ(view.round().round(), "rounds/2024-annual");
  EXPECT_EQ(view.round().standing().rank(), 2);
  EXPECT_EQ(view.round().subjects(), 2);

  // Found in use: naming the year left the training at this year's.
  gw::GetInstitutionProfileRequest of_2025;
  of_2025.set_institution("institutions/cqgsxx");
  of_2025.set_year(2025);
  status = Call("school", "cqgsxx", *gateway_, &GatewayStub::GetInstitutionProfile, of_2025, &view);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(view.training().year(), 2025);
  EXPECT_EQ(view.training().totals().records(), 1);
  EXPECT_EQ(view.data_period_id(), "ay2025");
}

TEST_F(ViewsTest, AUnitSeesOnlyItsOwnPages) {
  gw::GetDepartmentWorkbenchRequest workbench;
  workbench.set_unit("units/edu");
  gw::DepartmentWorkbench bench;
  EXPECT_EQ(
      Call("department", "hrss", *gateway_, &GatewayStub::GetDepartmentWorkbench, workbench, &bench)
          .error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Call("coordinator", "", *gateway_, &GatewayStub::GetDepartmentWorkbench, workbench, &bench)
          .ok());
  gw::GetInstitutionProfileRequest profile;
  profile.set_institution("institutions/cqgsxx");
  gw::InstitutionProfile view;
  EXPECT_EQ(Call("school", "cqvie", *gateway_, &GatewayStub::GetInstitutionProfile, profile, &view)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Call("department", "edu", *gateway_, &GatewayStub::GetInstitutionProfile, profile, &view)
          .ok());
}

TEST_F(ViewsTest, ASchoolSeesTheFilingsAndReportsItMayRead) {
  SaveDraft();  // cqgsxx's data report
  gw::DistrictOverview own = Overview("school", "cqvie");
  EXPECT_FALSE(own.partial());
  // Its own institution only: the others' reports are not its to see, and
  // are not shown as missing either.
  ASSERT_EQ(own.institutions_size(), 1);
  EXPECT_EQ(own.institutions(0).institution(), "institutions/cqvie");
  EXPECT_EQ(Overview().institutions_size(), 9);
  // The tasks it does not share are counted apart, not as without a report
  // (found in use: all 33 read "no report").
  int shared = 0, hidden = 0, by_state = 0;
  for (const auto& t : own.tasks()) {
    if (!t.completed_before_period()) (t.report_hidden() ? hidden : shared) += 1;
  }
  for (const auto& c : own.tasks_by_report_state()) by_state += c.tasks();
  EXPECT_GT(shared, 0);
  EXPECT_GT(hidden, 0);
  EXPECT_EQ(own.tasks_report_hidden(), hidden);
  EXPECT_EQ(by_state + own.tasks_completed() + own.tasks_report_hidden(), own.tasks_size());
  EXPECT_EQ(Overview().tasks_report_hidden(), 0);

  // Task 8 is edu's, hrss's, ndrc's and sci's: no school shares it.
  gw::GetTaskDossierRequest dossier;
  dossier.set_task(std::string(kPlan) + "/tasks/8");
  dossier.set_period_id(kQuarter);
  gw::TaskDossier view;
  EXPECT_EQ(
      Call("school", "cqvie", *gateway_, &GatewayStub::GetTaskDossier, dossier, &view).error_code(),
      StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Call("department", "finance", *gateway_, &GatewayStub::GetTaskDossier, dossier, &view).ok());
}

TEST_F(ViewsTest, TheOverviewNamesABadPlanAndTakesTheYearOfItsData) {
  gw::GetDistrictOverviewRequest request;
  request.set_data_period_id("ay2022");
  gw::DistrictOverview view;
  ASSERT_TRUE(
      Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view).ok());
  EXPECT_EQ(view.year(), 2022);

  // A period before the plan, named by the caller: no service keeps it, so
  // the view is refused on that field, not shown as nothing but gaps (the
  // periods the gateway fills in itself are never refused so).
  request.set_data_period_id("ay2019");
  grpc::Status before_plan =
      Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
  EXPECT_EQ(before_plan.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(before_plan), "data_period_id");
  EXPECT_NE(before_plan.error_message().find("before the plan's first year 2021"),
            std::string::npos)
      << before_plan.error_message();
  request.set_data_period_id("ay2022");
  request.set_year(2020);
  EXPECT_EQ(ViolatedField(Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview,
                               request, &view)),
            "year");
  // Nor a year after next: nothing is kept for it yet (found in use: the view
  // came back as if a service had failed).
  const int this_year =
      static_cast<int>(absl::ToCivilYear(absl::Now(), absl::LocalTimeZone()).year());
  request.set_year(this_year + 3);
  grpc::Status after_next =
      Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
  EXPECT_EQ(ViolatedField(after_next), "year") << after_next.error_message();
  EXPECT_NE(after_next.error_message().find(absl::StrCat("is after ", this_year + 1)),
            std::string::npos)
      << after_next.error_message();
  request.clear_year();
  gw::GetInstitutionProfileRequest profile;
  profile.set_institution("institutions/cqvie");
  profile.set_training_year(2020);
  gw::InstitutionProfile profile_view;
  EXPECT_EQ(ViolatedField(Call("coordinator", "", *gateway_, &GatewayStub::GetInstitutionProfile,
                               profile, &profile_view)),
            "training_year");
  gw::GetTaskDossierRequest dossier;
  dossier.set_task(std::string(kPlan) + "/tasks/6");
  dossier.set_period_id("2020-Q4");
  gw::TaskDossier dossier_view;
  EXPECT_EQ(ViolatedField(Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, dossier,
                               &dossier_view)),
            "period_id");

  request.set_plan("plans/no-such-plan");
  EXPECT_EQ(Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view)
                .error_code(),
            StatusCode::NOT_FOUND);
  // Not a plan id any service takes: refused on the field the caller sent.
  request.set_plan("plans/a_b");
  grpc::Status bad =
      Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(bad.error_message().find("plan"), std::string::npos) << bad.error_message();
}

TEST_F(ViewsTest, AStoppedServiceLeavesItsSectionsOut) {
  Kill(Process::kEvaluation);
  gw::DistrictOverview view = Overview();
  EXPECT_TRUE(view.partial());
  EXPECT_TRUE(Missing(view.missing_sections(), "indicators"));
  EXPECT_TRUE(Missing(view.missing_sections(), "results"));
  EXPECT_FALSE(Missing(view.missing_sections(), "tasks"));
  EXPECT_EQ(view.tasks_size(), 33);
  EXPECT_EQ(view.institutions_size(), 9);
  for (const auto& e : view.section_errors()) {
    EXPECT_EQ(e.code(), "UNAVAILABLE") << e.section();
    // The channel's words name the evaluation's address: logged, not shown.
    EXPECT_EQ(e.message().find("127.0.0.1"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("the cause is logged under reference "), std::string::npos)
        << e.message();
  }
  // Operators see it too: the overview was put together partial, without indicators.
  EXPECT_EQ(GatewayMetric("vetrack_gateway_views_assembled_total",
                          {"view=\"overview\"", "outcome=\"partial\""}),
            1);
  EXPECT_EQ(GatewayMetric("vetrack_gateway_view_sections_missing_total",
                          {"view=\"overview\"", "section=\"indicators\"", "code=\"UNAVAILABLE\""}),
            1);
  EXPECT_EQ(GatewayMetric("vetrack_gateway_views_assembled_total",
                          {"view=\"overview\"", "outcome=\"complete\""}),
            0);

  Kill(Process::kTasks);
  gw::GetTaskDossierRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  gw::TaskDossier dossier;
  ASSERT_TRUE(
      Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &dossier).ok());
  EXPECT_TRUE(dossier.partial());
  for (const char* section : {"task", "progress", "report", "history", "indicators", "results"}) {
    EXPECT_TRUE(Missing(dossier.missing_sections(), section)) << section;
  }
  // A call forwarded to the stopped registry: its code, and a reference for
  // its cause.
  tasks_v1::GetTaskRequest get;
  get.set_name(kTask6);
  tasks_v1::Task task;
  grpc::Status forwarded =
      Call("coordinator", "", *tasks_, &tasks_v1::TaskRegistryService::Stub::GetTask, get, &task);
  EXPECT_EQ(forwarded.error_code(), StatusCode::UNAVAILABLE);
  EXPECT_EQ(forwarded.error_message().find("127.0.0.1"), std::string::npos)
      << forwarded.error_message();
  EXPECT_NE(forwarded.error_message().find("the cause is logged under reference "),
            std::string::npos)
      << forwarded.error_message();
}

// Found in use: with the ledger stopped, the evaluation answered without it
// (its unavailable_sources), and the overview was not partial: its training
// results read no_data, as if no school had trained anyone.
TEST_F(ViewsTest, ResultsComputedWithoutASourceMakeTheViewPartial) {
  Kill(Process::kLedger);
  gw::DistrictOverview view = Overview();
  EXPECT_TRUE(view.partial());
  EXPECT_TRUE(Missing(view.missing_sections(), "results"));
  EXPECT_FALSE(Missing(view.missing_sections(), "indicators"));
  bool named = false;
  for (const auto& e : view.section_errors()) {
    if (e.section() != "results") continue;
    EXPECT_EQ(e.code(), "UNAVAILABLE");
    named = e.message().find("training-ledger") != std::string::npos;
    EXPECT_EQ(e.message().find("127.0.0.1"), std::string::npos) << e.message();
  }
  EXPECT_TRUE(named) << "the section error names the source the results lack";
  int results = 0;
  for (const auto& c : view.results_by_status()) results += c.results();
  EXPECT_GT(results, 0) << "what came back is still shown";
}

TEST_F(ViewsTest, ASlowServiceLeavesItsSectionsOutWithinTheDeadline) {
  Pause(Process::kSchools);
  gw::GetDistrictOverviewRequest request;
  request.set_period_id(kQuarter);
  request.set_year(2024);
  gw::DistrictOverview view;
  // The caller allows 10 s; the view's own deadline is 1 s, so the answer
  // must come, partial, long before the caller gives up.
  grpc::Status status =
      Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
  Resume(Process::kSchools);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(view.partial());
  for (const char* section : {"institutions", "data_reports", "quality_reports"}) {
    EXPECT_TRUE(Missing(view.missing_sections(), section)) << section;
  }
  for (const auto& e : view.section_errors()) {
    if (e.section() == "institutions") {
      EXPECT_EQ(e.code(), "DEADLINE_EXCEEDED");
    }
  }
  EXPECT_EQ(view.tasks_size(), 33);
}

// With pages of two, every list a view reads takes many pages: the view must
// still hold every task, indicator and institution, and count every escalation.
class SmallPagesViewsTest : public ViewsTest {
 protected:
  // ~120 pages one after another: the fixture's 1 s view deadline is not what
  // this suite tests, and a sanitizer build (make test-asan) needs longer.
  std::vector<std::string> GatewayFlags() const override {
    return {"--view-page-size=2", "--view-deadline-ms=20000"};
  }
};

TEST_F(SmallPagesViewsTest, ViewsReadEveryPageOfEveryList) {
  gw::DistrictOverview view = Overview();
  EXPECT_FALSE(view.partial());
  EXPECT_EQ(view.tasks_size(), 33);
  EXPECT_EQ(view.institutions_size(), 9);
  EXPECT_EQ(view.indicators_size(), Indicators().indicators_size());

  // kQuarter is long past: the view counts its escalations, a task for each
  // unit that owes it, so many pages.
  tasks_v1::ListEscalationsResponse all = EscalationsOf(kQuarter);
  EXPECT_GT(all.escalations_size(), 33);
  int counted = 0;
  for (const auto& level : view.escalations_by_level()) counted += level.escalations();
  EXPECT_EQ(counted, all.escalations_size());
}

// Found in use: the overview of an earlier quarter counted the escalations
// still open now (another quarter's red) and none of its own. A view of an
// earlier quarter counts, and marks on each task, that quarter's; the
// default view (the quarter under way) every one still open.
TEST_F(ViewsTest, AnEarlierQuartersOverviewShowsThatQuartersEscalations) {
  const tasks_v1::ListEscalationsResponse of_quarter = EscalationsOf(kQuarter);
  const tasks_v1::ListEscalationsResponse open_now = EscalationsOf("");
  ASSERT_NE(of_quarter.escalations_size(), open_now.escalations_size());
  auto counted = [](const gw::DistrictOverview& view) {
    int n = 0;
    for (const auto& level : view.escalations_by_level()) n += level.escalations();
    return n;
  };

  gw::DistrictOverview view = Overview();
  EXPECT_EQ(counted(view), of_quarter.escalations_size());
  std::map<int, tasks_v1::EscalationLevel> highest;
  for (const auto& e : of_quarter.escalations()) {
    highest[e.task_number()] = std::max(highest[e.task_number()], e.level());
  }
  for (const auto& task : view.tasks()) {
    EXPECT_EQ(task.escalation_level(), highest[task.number()]) << task.number();
  }

  gw::DistrictOverview now;
  ASSERT_TRUE(Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview,
                   gw::GetDistrictOverviewRequest(), &now)
                  .ok());
  EXPECT_EQ(counted(now), open_now.escalations_size());
}

TEST_F(ViewsTest, EveryMethodWantsAToken) {
  grpc::ClientContext no_token;
  gw::DistrictOverview view;
  EXPECT_EQ(gateway_->GetDistrictOverview(&no_token, {}, &view).error_code(),
            StatusCode::UNAUTHENTICATED);
  // Claiming a role in metadata is no substitute.
  grpc::ClientContext claimed;
  claimed.AddMetadata("x-vetrack-role", "coordinator");
  tasks_v1::ListTasksRequest list;
  list.set_parent(kPlan);
  tasks_v1::ListTasksResponse tasks;
  EXPECT_EQ(tasks_->ListTasks(&claimed, list, &tasks).error_code(), StatusCode::UNAUTHENTICATED);
  grpc::ClientContext forged;
  forged.AddMetadata("authorization", "Bearer " + Token("coordinator") + "x");
  EXPECT_EQ(tasks_->ListTasks(&forged, list, &tasks).error_code(), StatusCode::UNAUTHENTICATED);
  grpc::ClientContext audit;
  gw::ListAuditEntriesResponse entries;
  EXPECT_EQ(gateway_->ListAuditEntries(&audit, {}, &entries).error_code(),
            StatusCode::UNAUTHENTICATED);

  gw::WhoAmIResponse me;
  ASSERT_TRUE(
      Call("school", "cqvie", *gateway_, &GatewayStub::WhoAmI, gw::WhoAmIRequest(), &me).ok());
  EXPECT_EQ(me.principal(), "school:cqvie");
  EXPECT_EQ(me.key_id(), keys_->signing_key_id());
  EXPECT_EQ(me.holder(), "clerk@school:cqvie");
  EXPECT_EQ(me.token_id().size(), 16u);
}

// A person leaving a post: their token is revoked before it expires, and the
// gateway refuses it for the views and for every service behind it alike.
TEST_F(ViewsTest, ARevokedTokenIsRefusedEverywhere) {
  const std::string token = Token("department", "hrss");
  auto with = [&](const std::string& bearer) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + bearer);
    return context;
  };
  gw::WhoAmIResponse me;
  ASSERT_TRUE(gateway_->WhoAmI(with(token).get(), {}, &me).ok());

  gw::RevokeTokenRequest revoke;
  revoke.set_token_id(me.token_id());
  revoke.set_reason("调岗");
  revoke.set_request_id("revoke-hrss");
  gw::RevokedToken revoked;
  EXPECT_EQ(Call("department", "edu", *gateway_, &GatewayStub::RevokeToken, revoke, &revoked)
                .error_code(),
            StatusCode::PERMISSION_DENIED)
      << "another unit's token is not edu's to revoke";
  ASSERT_TRUE(Call("coordinator", "", *gateway_, &GatewayStub::RevokeToken, revoke, &revoked).ok());
  EXPECT_EQ(revoked.revoked_by(), "coordinator");

  EXPECT_EQ(gateway_->WhoAmI(with(token).get(), {}, &me).error_code(), StatusCode::UNAUTHENTICATED);
  tasks_v1::GetTaskRequest get;
  get.set_name(std::string(kPlan) + "/tasks/6");
  tasks_v1::Task task;
  EXPECT_EQ(tasks_->GetTask(with(token).get(), get, &task).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(tasks_->GetTask(with(Token("department", "hrss")).get(), get, &task).ok())
      << "a new token of the same unit works";

  gw::ListRevokedTokensResponse listed;
  ASSERT_TRUE(Call("operator", "", *gateway_, &GatewayStub::ListRevokedTokens,
                   gw::ListRevokedTokensRequest(), &listed)
                  .ok());
  ASSERT_EQ(listed.revoked_tokens_size(), 1);
  EXPECT_EQ(listed.revoked_tokens(0).reason(), "调岗");
  revoke.set_token_id("not-hex");
  EXPECT_EQ(
      Call("coordinator", "", *gateway_, &GatewayStub::RevokeToken, revoke, &revoked).error_code(),
      StatusCode::INVALID_ARGUMENT);
}

// Found in use: a token issued for "department:cqvie" listed every school's
// reports with a department's rights, and one for "school:hrss" filed
// 区人力社保局's progress. The gateway checks the unit against the task
// registry's units and school reporting's institutions.
TEST_F(ViewsTest, ATokenMustNameAUnitOfItsRolesKind) {
  schools_v1::ListDataReportsRequest reports;
  reports.set_period_id("ay2025");
  schools_v1::ListDataReportsResponse listed;
  const grpc::Status school_as_department =
      Call("department", "cqvie", *schools_,
           &schools_v1::SchoolReportingService::Stub::ListDataReports, reports, &listed);
  EXPECT_EQ(school_as_department.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_NE(school_as_department.error_message().find("cqvie is a school"), std::string::npos)
      << school_as_department.error_message();
  EXPECT_TRUE(Call("department", "edu", *schools_,
                   &schools_v1::SchoolReportingService::Stub::ListDataReports, reports, &listed)
                  .ok());

  tasks_v1::GetTaskRequest get;
  get.set_name(std::string(kPlan) + "/tasks/7");
  tasks_v1::Task task;
  EXPECT_EQ(
      Call("school", "hrss", *tasks_, &tasks_v1::TaskRegistryService::Stub::GetTask, get, &task)
          .error_code(),
      StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Call("department", "nobody", *tasks_, &tasks_v1::TaskRegistryService::Stub::GetTask,
                 get, &task)
                .error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      Call("school", "cqjtjg", *tasks_, &tasks_v1::TaskRegistryService::Stub::GetTask, get, &task)
          .ok())
      << "a school school reporting knows";
}

}  // namespace
}  // namespace vetrack::gateway
