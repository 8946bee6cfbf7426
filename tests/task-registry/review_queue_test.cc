// Paging the lists whose members move while a caller pages through them: the
// coordinator's queue of submitted reports, and the escalations.
#include <set>

#include "absl/strings/str_cat.h"
#include "registry_fixture.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

constexpr char kPlan[] = "plans/jiangjin-vet-2021";

class ReviewQueueTest : public RegistryTest {
 protected:
  // After the 2026-Q3 deadline, each lead submits without its co-units.
  void SubmitAsLead(int number) {
    v1::GetTaskRequest get;
    get.set_name(absl::StrCat(kPlan, "/tasks/", number));
    auto task = registry_.GetTask(coordinator_, get);
    ASSERT_TRUE(task.ok()) << task.status();
    v1::SubmitReportRequest req;
    req.set_task(task->name());
    req.set_period_id("2026-Q3");
    req.set_summary("consolidated");
    req.set_request_id(absl::StrCat("submit-", number));
    auto submitted = registry_.SubmitReport(Principal{Role::kDepartment, task->lead_unit()}, req);
    ASSERT_TRUE(submitted.ok()) << submitted.status();
  }
  void Accept(int number) {
    v1::ReviewReportRequest req;
    req.set_task(absl::StrCat(kPlan, "/tasks/", number));
    req.set_period_id("2026-Q3");
    req.set_decision(v1::REVIEW_DECISION_ACCEPT);
    req.set_request_id(absl::StrCat("accept-", number));
    ASSERT_TRUE(registry_.ReviewReport(coordinator_, req).ok());
  }
};

TEST_F(ReviewQueueTest, AcceptingTheFirstPageOfTheQueueHidesNoReportFromTheNext) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 20, 10, 0, 0), kTz));
  for (int number : {2, 3, 4, 5, 6}) SubmitAsLead(number);
  v1::ListTasksRequest queue;
  queue.set_parent(kPlan);
  queue.set_period_id("2026-Q3");
  queue.set_report_state(v1::REPORT_STATE_SUBMITTED);
  queue.set_page_size(2);
  auto first = registry_.ListTasks(coordinator_, queue);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->tasks_size(), 2);
  EXPECT_EQ(first->total_size(), 5);
  for (const auto& t : first->tasks()) Accept(t.number());

  std::vector<int> rest;
  queue.set_page_token(first->next_page_token());
  while (!queue.page_token().empty()) {
    auto page = registry_.ListTasks(coordinator_, queue);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& t : page->tasks()) rest.push_back(t.number());
    queue.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(rest, (std::vector<int>{4, 5, 6}));

  // The token belongs to the queue it came from.
  queue.set_page_token(first->next_page_token());
  queue.set_report_state(v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(FieldViolationsOf(registry_.ListTasks(coordinator_, queue).status())[0].field,
            "page_token");
}

// Task 8 is edu's, hrss's, ndrc's and sci's; task 21 is shared by every
// school. A school sees the catalog whole, but report states only of its own.
TEST_F(ReviewQueueTest, ASchoolSeesTheReportStatesOnlyOfItsOwnTasks) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 20, 10, 0, 0), kTz));
  SubmitAsLead(8);
  SubmitAsLead(21);
  v1::ListTasksRequest req;
  req.set_parent(kPlan);
  req.set_period_id("2026-Q3");
  req.set_page_size(100);
  const Principal school{Role::kSchool, "cqvie"};
  auto all = registry_.ListTasks(school, req);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->total_size(), 33);
  for (const auto& t : all->tasks()) {
    if (t.number() == 8) {
      EXPECT_EQ(t.report_state(), v1::REPORT_STATE_UNSPECIFIED);
      // Hidden, which is not "no report" (found in use: views counted it so).
      EXPECT_TRUE(t.report_state_hidden());
    }
    if (t.number() == 21) {
      EXPECT_EQ(t.report_state(), v1::REPORT_STATE_SUBMITTED);
      EXPECT_FALSE(t.report_state_hidden());
    }
  }
  req.set_report_state(v1::REPORT_STATE_SUBMITTED);
  auto submitted = registry_.ListTasks(school, req);
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_EQ(submitted->tasks_size(), 1);
  EXPECT_EQ(submitted->tasks(0).number(), 21);
  EXPECT_EQ(registry_.ListTasks(coordinator_, req)->tasks_size(), 2);
}

TEST_F(ReviewQueueTest, EscalationsPagedWhileOnesAreResolvedLoseNoOther) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 20, 10, 0, 0), kTz));
  v1::ListEscalationsRequest req;
  req.set_plan(kPlan);
  req.set_period_id("2026-Q3");
  req.set_page_size(1000);
  auto all = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> expected;
  for (const auto& e : all->escalations()) {
    if (e.task_number() != 2) expected.insert(absl::StrCat(e.task_number(), e.unit(), e.owed()));
  }

  req.set_page_size(5);
  auto first = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  std::set<std::string> seen;
  for (const auto& e : first->escalations()) {
    if (e.task_number() != 2) seen.insert(absl::StrCat(e.task_number(), e.unit(), e.owed()));
  }
  SubmitAsLead(2);  // its report's escalation leaves the list between two pages
  req.set_page_token(first->next_page_token());
  while (!req.page_token().empty()) {
    auto page = registry_.ListEscalations(coordinator_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->escalations()) {
      if (e.task_number() != 2) seen.insert(absl::StrCat(e.task_number(), e.unit(), e.owed()));
    }
    req.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(seen, expected);

  // What the submission changed: the lead's report is no longer owed; the
  // co-units it went without still owe their filings.
  req.clear_page_token();
  req.set_page_size(1000);
  auto after = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(after.ok()) << after.status();
  int report = 0, progress = 0;
  for (const auto& e : after->escalations()) {
    if (e.task_number() != 2) continue;
    (e.owed() == "REPORT" ? report : progress) += 1;
  }
  EXPECT_EQ(report, 0);
  EXPECT_GT(progress, 0);
}

}  // namespace
}  // namespace vetrack::tasks
