// The workbench as assembled from the services' answers: which indicators a
// unit sees, also when a section is missing.
#include <gtest/gtest.h>

#include "views.h"

namespace vetrack::gateway {
namespace {

evaluation_v1::Indicator MakeIndicator(const std::string& id, const std::string& unit,
                                       int task_number) {
  evaluation_v1::Indicator indicator;
  indicator.set_name("indicators/" + id);
  indicator.set_id(id);
  indicator.set_responsible_unit(unit);
  indicator.set_task_number(task_number);
  return indicator;
}

evaluation_v1::Result DistrictResult(const std::string& id) {
  evaluation_v1::Result result;
  result.set_indicator("indicators/" + id);
  result.set_year(2024);
  result.set_scope_key("district");
  return result;
}

// hrss answers for skilled-workers and leads task 6, whose training ratio edu
// answers for; edu's teacher share (task 21) is none of hrss's business.
WorkbenchInputs HrssInputs() {
  WorkbenchInputs in;
  in.unit = "hrss";
  in.period_id = "2025-Q2";
  in.year = 2024;
  tasks_v1::ListTasksResponse tasks;
  auto* led = tasks.add_tasks();
  led->set_name("plans/p/tasks/6");
  led->set_number(6);
  led->set_lead_unit("hrss");
  auto* shared = tasks.add_tasks();
  shared->set_name("plans/p/tasks/21");
  shared->set_number(21);
  shared->set_lead_unit("edu");
  shared->add_co_units("hrss");
  in.tasks = tasks;
  in.escalations = tasks_v1::ListEscalationsResponse();
  evaluation_v1::ListIndicatorsResponse indicators;
  *indicators.add_indicators() = MakeIndicator("skilled-workers", "hrss", 0);
  *indicators.add_indicators() = MakeIndicator("training-person-times-ratio", "edu", 6);
  *indicators.add_indicators() = MakeIndicator("dual-qualified-teacher-share", "edu", 21);
  in.indicators = indicators;
  evaluation_v1::ListResultsResponse results;
  for (const char* id :
       {"skilled-workers", "training-person-times-ratio", "dual-qualified-teacher-share"}) {
    *results.add_results() = DistrictResult(id);
  }
  in.results = results;
  return in;
}

std::vector<std::string> Shown(const v1::DepartmentWorkbench& view) {
  std::vector<std::string> names;
  for (const auto& s : view.indicators()) names.push_back(s.indicator());
  return names;
}

TEST(WorkbenchViewTest, AUnitSeesItsIndicatorsAndThoseOfTheTasksItLeads) {
  auto view = AssembleWorkbench(HrssInputs());
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(Shown(*view), (std::vector<std::string>{"indicators/skilled-workers",
                                                    "indicators/training-person-times-ratio"}));
}

// Found in review: with the indicators missing, every result the workbench
// was given (now the district's, not the unit's) was shown.
TEST(WorkbenchViewTest, WithoutTheIndicatorsNoOtherUnitsResultsAreShown) {
  WorkbenchInputs in = HrssInputs();
  in.indicators = absl::UnavailableError("evaluation is down");
  auto view = AssembleWorkbench(in);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(view->partial());
  EXPECT_TRUE(Shown(*view).empty());
}

// A year a service refuses (before the plan) leaves its section out with the
// service's words, as a service that is down does: the gateway fills in years
// the caller left out, and a service may refuse those, which must not refuse
// the whole view (a plan that starts later than the defaults).
TEST(WorkbenchViewTest, ASectionRefusingItsYearIsLeftOutWithTheReason) {
  WorkbenchInputs in = HrssInputs();
  in.results = absl::InvalidArgumentError("year: a year from 2021 on");
  auto view = AssembleWorkbench(in);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(view->partial());
  ASSERT_EQ(view->section_errors_size(), 1);
  EXPECT_EQ(view->section_errors(0).section(), "results");
  EXPECT_EQ(view->section_errors(0).code(), "INVALID_ARGUMENT");
  EXPECT_EQ(view->section_errors(0).message(), "year: a year from 2021 on");
}

// Without the tasks, a lead's tasks are unknown: its own indicators remain.
TEST(WorkbenchViewTest, WithoutTheTasksOnlyTheUnitsOwnIndicatorsAreShown) {
  WorkbenchInputs in = HrssInputs();
  in.tasks = absl::DeadlineExceededError("task registry is slow");
  auto view = AssembleWorkbench(in);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(Shown(*view), (std::vector<std::string>{"indicators/skilled-workers"}));
}

std::vector<std::string> Owed(const v1::DepartmentWorkbench& view, int number) {
  for (const auto& t : view.tasks()) {
    if (t.number() == number) return {t.owed().begin(), t.owed().end()};
  }
  ADD_FAILURE() << "task " << number << " is not on the workbench";
  return {};
}

// A task the coordinator marked completed in an earlier quarter owes nothing
// now, neither its lead's report nor a co-unit's filing.
TEST(WorkbenchViewTest, ATaskCompletedEarlierOwesNothing) {
  WorkbenchInputs in = HrssInputs();
  in.progress["plans/p/tasks/21"] = tasks_v1::ListProgressResponse();  // hrss has not filed
  auto open = AssembleWorkbench(in);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(Owed(*open, 6), std::vector<std::string>{"REPORT"});
  EXPECT_EQ(Owed(*open, 21), std::vector<std::string>{"PROGRESS"});
  EXPECT_EQ(open->owed(), 2);

  for (auto& task : *in.tasks->mutable_tasks()) task.set_completed_before_period(true);
  auto completed = AssembleWorkbench(in);
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_TRUE(Owed(*completed, 6).empty());
  EXPECT_TRUE(Owed(*completed, 21).empty());
  EXPECT_EQ(completed->owed(), 0);
  EXPECT_TRUE(completed->tasks(0).completed_before_period());
}

// As the registry's ladder: a co-unit's filing is owed until the report is
// accepted (the lead may submit late without it); the lead's report only
// until it is submitted.
TEST(WorkbenchViewTest, ACoUnitOwesItsFilingUntilTheReportIsAccepted) {
  WorkbenchInputs in = HrssInputs();
  in.progress["plans/p/tasks/21"] = tasks_v1::ListProgressResponse();  // hrss has not filed
  for (auto& task : *in.tasks->mutable_tasks()) {
    task.set_report_state(tasks_v1::REPORT_STATE_SUBMITTED);
  }
  auto under_review = AssembleWorkbench(in);
  ASSERT_TRUE(under_review.ok()) << under_review.status();
  EXPECT_TRUE(Owed(*under_review, 6).empty());
  EXPECT_EQ(Owed(*under_review, 21), std::vector<std::string>{"PROGRESS"});

  for (auto& task : *in.tasks->mutable_tasks()) {
    task.set_report_state(tasks_v1::REPORT_STATE_ACCEPTED);
  }
  auto accepted = AssembleWorkbench(in);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_TRUE(Owed(*accepted, 21).empty());
  EXPECT_EQ(accepted->owed(), 0);
}

// Found in use: the training ratio, measured per school only, showed no
// status in the overview; its schools' results are counted instead.
TEST(OverviewViewTest, AnIndicatorMeasuredPerInstitutionCountsItsInstitutionsResults) {
  OverviewInputs in;
  in.plan = "plans/p";
  in.period_id = "2025-Q2";
  in.year = 2024;
  in.tasks = tasks_v1::ListTasksResponse();
  in.escalations = tasks_v1::ListEscalationsResponse();
  evaluation_v1::ListIndicatorsResponse indicators;
  *indicators.add_indicators() = MakeIndicator("training-person-times-ratio", "edu", 6);
  *indicators.add_indicators() = MakeIndicator("skilled-workers", "hrss", 0);
  in.indicators = indicators;
  evaluation_v1::ListResultsResponse results;
  *results.add_results() = DistrictResult("skilled-workers");
  for (auto status : {evaluation_v1::RESULT_STATUS_MET, evaluation_v1::RESULT_STATUS_MISSED,
                      evaluation_v1::RESULT_STATUS_MISSED}) {
    auto* r = results.add_results();
    r->set_indicator("indicators/training-person-times-ratio");
    r->set_scope(evaluation_v1::SCOPE_INSTITUTION);
    r->set_status(status);
  }
  in.results = results;
  in.institutions = schools_v1::ListInstitutionsResponse();
  in.data_reports = schools_v1::ListDataReportsResponse();
  in.quality_reports = schools_v1::ListQualityReportsResponse();
  auto view = AssembleOverview(in);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_EQ(view->indicators_size(), 2);
  const v1::IndicatorStatus& ratio = view->indicators(0);
  EXPECT_TRUE(ratio.results().empty());  // district-wide results only
  ASSERT_EQ(ratio.institution_results_by_status_size(), 2);
  EXPECT_EQ(ratio.institution_results_by_status(0).status(), evaluation_v1::RESULT_STATUS_MET);
  EXPECT_EQ(ratio.institution_results_by_status(0).results(), 1);
  EXPECT_EQ(ratio.institution_results_by_status(1).status(), evaluation_v1::RESULT_STATUS_MISSED);
  EXPECT_EQ(ratio.institution_results_by_status(1).results(), 2);
  // One with a district-wide result is not counted twice.
  EXPECT_EQ(view->indicators(1).institution_results_by_status_size(), 0);
}

// Found in use: the dossier of a task completed in 2026-Q3 said
// completed_before_period false for 2026-Q4, where ListTasks said true.
TEST(DossierViewTest, ATaskCompletedInAnEarlierQuarterSaysSoForThePeriodShown) {
  DossierInputs in;
  tasks_v1::Task task;
  task.set_number(3);
  task.set_completed_period_id("2026-Q3");
  in.task = task;
  in.period_id = "2026-Q4";
  auto later = AssembleDossier(in);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->task().completed_before_period());
  in.period_id = "2026-Q3";
  auto same = AssembleDossier(in);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_FALSE(same->task().completed_before_period()) << "its last quarter still owes";
}

}  // namespace
}  // namespace vetrack::gateway
