// A correction of a task's units takes effect from the quarter it is made
// in: the quarters before stay owed, filed, consolidated and chased by the
// units that answered for them (found in use: after `tasks correct 20 --lead
// edu --co finance`, 2026-Q3's 督办 named edu and finance, 53 days overdue,
// for a quarter hrss had led).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "exchange/outbox.h"
#include "registry_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {

const std::string kPlan = "plans/jiangjin-vet-2021";

class ReassignmentTest : public RegistryTest {
 protected:
  // Task 8's units corrected by the coordinator to `lead` and `co_units`.
  absl::StatusOr<v1::Task> Reassign(const std::string& lead,
                                    const std::vector<std::string>& co_units,
                                    const std::string& etag, const std::string& request_id) {
    v1::UpdateTaskRequest req;
    req.mutable_task()->set_name(kTask8);
    req.mutable_task()->set_etag(etag);
    req.mutable_task()->set_lead_unit(lead);
    for (const auto& unit : co_units) req.mutable_task()->add_co_units(unit);
    req.add_update_mask("lead_unit");
    req.add_update_mask("co_units");
    req.set_request_id(request_id);
    return registry_.UpdateTask(coordinator_, req);
  }

  absl::StatusOr<v1::Task> TaskIn(const std::string& period_id) {
    v1::GetTaskRequest get;
    get.set_name(kTask8);
    get.set_period_id(period_id);
    return registry_.GetTask(coordinator_, get);
  }

  // Task 8's 督办 of `period_id` as `caller` reads them: (unit, what is owed).
  absl::StatusOr<std::set<std::tuple<std::string, std::string>>> Chased(
      const Principal& caller, const std::string& period_id) {
    v1::ListEscalationsRequest req;
    req.set_plan(kPlan);
    req.set_period_id(period_id);
    req.set_page_size(100);
    auto listed = registry_.ListEscalations(caller, req);
    if (!listed.ok()) return listed.status();
    std::set<std::tuple<std::string, std::string>> chased;
    for (const auto& e : listed->escalations()) {
      if (e.task_number() == 8) chased.emplace(e.unit(), e.owed());
    }
    return chased;
  }

  absl::StatusOr<v1::ListProgressResponse> ProgressAs(const Principal& caller,
                                                      const std::string& period_id) {
    v1::ListProgressRequest req;
    req.set_task(kTask8);
    req.set_period_id(period_id);
    return registry_.ListProgress(caller, req);
  }

  // Late November: 2026-Q3's deadline has passed, 2026-Q4 is the quarter now.
  void MoveToTheFourthQuarter() {
    clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 11, 28, 10, 0, 0), kTz));
  }
};

std::vector<std::string> Units(const google::protobuf::RepeatedPtrField<std::string>& units) {
  return {units.begin(), units.end()};
}

TEST_F(ReassignmentTest, TheQuartersBeforeACorrectionStayWithTheUnitsThatAnsweredForThem) {
  ASSERT_TRUE(File("hrss", "hrss 配合推进", "r-hrss").ok());
  MoveToTheFourthQuarter();
  auto corrected = Reassign("finance", {"edu"}, "1", "to-finance");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->lead_unit(), "finance");
  ASSERT_EQ(corrected->earlier_assignments_size(), 1);
  const v1::UnitAssignment& earlier = corrected->earlier_assignments(0);
  EXPECT_EQ(earlier.lead_unit(), "edu");
  EXPECT_EQ(Units(earlier.co_units()), (std::vector<std::string>{"hrss", "ndrc", "sci"}));
  EXPECT_EQ(earlier.replaced_in_period_id(), "2026-Q4");
  const auto history = History();
  EXPECT_TRUE(std::any_of(history.begin(), history.end(), [](const v1::HistoryEntry& e) {
    return e.action() == "UPDATE_TASK" &&
           e.detail().find("units in force from 2026-Q4") != std::string::npos;
  }));

  EXPECT_EQ(TaskIn("2026-Q3")->lead_unit(), "edu");
  EXPECT_EQ(TaskIn("2026-Q2")->lead_unit(), "edu");
  EXPECT_EQ(TaskIn("2026-Q4")->lead_unit(), "finance");
  EXPECT_EQ(Units(TaskIn("2026-Q4")->co_units()), (std::vector<std::string>{"edu"}));

  // 2026-Q3 is chased from those who owed it, not from the new units.
  auto chased = Chased(coordinator_, "2026-Q3");
  ASSERT_TRUE(chased.ok()) << chased.status();
  EXPECT_EQ(*chased, (std::set<std::tuple<std::string, std::string>>{
                         {"edu", "REPORT"}, {"ndrc", "PROGRESS"}, {"sci", "PROGRESS"}}));
  auto progress = ProgressAs(coordinator_, "2026-Q3");
  ASSERT_TRUE(progress.ok()) << progress.status();
  EXPECT_EQ(Units(progress->missing_units()), (std::vector<std::string>{"ndrc", "sci"}));

  // They file and consolidate it; the new units do not.
  auto finance_files = File("finance", "不是本季度的单位", "r-finance");
  EXPECT_EQ(finance_files.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(finance_files.status()), "NOT_RESPONSIBLE");
  ASSERT_TRUE(File("ndrc", "ndrc 配合推进", "r-ndrc").ok());
  auto finance_submits = Submit("finance", "s-finance");
  EXPECT_EQ(finance_submits.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(finance_submits.status()), "NOT_LEAD_UNIT");
  auto submitted = Submit("edu", "s-edu");  // after the deadline, without sci
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(Units(submitted->missing_units()), (std::vector<std::string>{"sci"}));

  // The municipality hears of the units that answered for the quarter.
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "accept").ok());
  auto entries =
      client_.Command({"LRANGE", exchange::OutboxKey("task-registry"), "0", "-1"})->elements;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].str.find("ndrc"), std::string::npos);
  EXPECT_EQ(entries[0].str.find("finance"), std::string::npos);

  // A unit's list of a quarter is of what it owes in that quarter.
  v1::ListTasksRequest led;
  led.set_parent(kPlan);
  led.set_unit("finance");
  led.set_role(v1::RESPONSIBILITY_ROLE_LEAD);
  led.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.ListTasks(coordinator_, led)->tasks_size(), 0);
  led.set_period_id("2026-Q4");
  auto now_led = registry_.ListTasks(coordinator_, led);
  ASSERT_TRUE(now_led.ok()) << now_led.status();
  ASSERT_EQ(now_led->tasks_size(), 1);
  EXPECT_EQ(now_led->tasks(0).number(), 8);
}

TEST_F(ReassignmentTest, CorrectionsWithinOneQuarterReplaceEachOther) {
  MoveToTheFourthQuarter();
  ASSERT_TRUE(Reassign("finance", {"edu"}, "1", "first").ok());
  auto second = Reassign("hrss", {"edu", "sci"}, "2", "second");
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->earlier_assignments_size(), 1);
  EXPECT_EQ(second->earlier_assignments(0).lead_unit(), "edu");
  EXPECT_EQ(TaskIn("2026-Q3")->lead_unit(), "edu");
  EXPECT_EQ(TaskIn("2026-Q4")->lead_unit(), "hrss");
  // finance answered for no quarter: no earlier assignment keeps it.
  EXPECT_EQ(Units(second->former_units()), (std::vector<std::string>{"ndrc", "finance"}));

  // A later quarter's correction keeps the one before.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 2, 1, 10, 0, 0), kTz));
  auto third = Reassign("sci", {}, "3", "third");
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_EQ(third->earlier_assignments_size(), 2);
  EXPECT_EQ(TaskIn("2026-Q4")->lead_unit(), "hrss");
  EXPECT_EQ(TaskIn("2027-Q1")->lead_unit(), "sci");
  EXPECT_EQ(TaskIn("2026-Q3")->lead_unit(), "edu");
}

// Before, a report awaiting review in any quarter refused every correction;
// the quarters before the correction's are not changed by it. (One of the
// correction's own quarter still holds it back: registry_test.cc.)
TEST_F(ReassignmentTest, AReportInReviewOfAnEarlierQuarterDoesNotHoldACorrectionBack) {
  for (const std::string unit : {"hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(File(unit, unit + " 配合推进", "r-" + unit).ok());
  }
  ASSERT_TRUE(Submit("edu", "s-1").ok());
  MoveToTheFourthQuarter();
  auto corrected = Reassign("finance", {"edu"}, "1", "to-finance");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  auto returned = Review(v1::REVIEW_DECISION_RETURN, "return", {"补充材料"});
  ASSERT_TRUE(returned.ok()) << returned.status();
  // edu wrote it, and answers for it again.
  EXPECT_TRUE(Submit("edu", "s-2").ok());
}

// A school corrected off a task still files and reads the quarters it
// answered for, and only those.
TEST_F(ReassignmentTest, ASchoolCorrectedOffATaskAnswersForItsQuartersOnly) {
  const Principal school{Role::kSchool, "cqvie"};
  ASSERT_TRUE(Reassign("edu", {"hrss", "cqvie"}, "1", "add-school").ok());  // from 2026-Q3
  MoveToTheFourthQuarter();
  ASSERT_TRUE(Reassign("edu", {"hrss"}, "2", "drop-school").ok());  // from 2026-Q4

  auto chased = Chased(school, "2026-Q3");
  ASSERT_TRUE(chased.ok()) << chased.status();
  EXPECT_EQ(chased->count({"cqvie", "PROGRESS"}), 1u);
  EXPECT_EQ(chased->count({"edu", "REPORT"}), 1u);  // the whole quarter

  v1::FileProgressRequest filing = Filing("学校补报第三季度进展", "r-cqvie");
  auto filed = registry_.FileProgress(school, filing);
  ASSERT_TRUE(filed.ok()) << filed.status();
  auto q3 = ProgressAs(school, "2026-Q3");
  ASSERT_TRUE(q3.ok()) << q3.status();
  EXPECT_EQ(Units(q3->missing_units()), (std::vector<std::string>{"hrss"}));

  EXPECT_EQ(ProgressAs(school, "2026-Q4").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ProgressAs(school, "2026-Q2").status().code(), absl::StatusCode::kPermissionDenied);
  filing.set_period_id("2026-Q4");
  filing.set_request_id("r-cqvie-q4");
  EXPECT_EQ(registry_.FileProgress(school, filing).status().code(),
            absl::StatusCode::kPermissionDenied);

  // The task's history, of its quarters (found in review: the dossier of
  // 2026-Q3 was refused whole for it) and of the catalog, not of others.
  filing.set_request_id("r-hrss-q4");
  ASSERT_TRUE(registry_.FileProgress(Principal{Role::kDepartment, "hrss"}, filing).ok());
  v1::ListTaskHistoryRequest history;
  history.set_task(kTask8);
  history.set_page_size(2);
  std::set<std::string> quarters;
  int entries = 0;
  do {
    auto page = registry_.ListTaskHistory(school, history);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->entries()) quarters.insert(e.period_id());
    entries += page->entries_size();
    history.set_page_token(page->next_page_token());
  } while (!history.page_token().empty());
  EXPECT_EQ(quarters, (std::set<std::string>{"", "2026-Q3"}));
  EXPECT_EQ(entries, 4);  // created, two corrections, its filing
  EXPECT_EQ(History().size(), 5u);
}

// Found in review: a school added by a correction read the quarters before
// it joined, another school's filings in them included.
TEST_F(ReassignmentTest, ASchoolAddedByACorrectionReadsTheQuartersFromItOn) {
  ASSERT_TRUE(File("hrss", "hrss 第三季度", "r-hrss").ok());
  MoveToTheFourthQuarter();
  ASSERT_TRUE(Reassign("edu", {"hrss", "ndrc", "sci", "cqvie"}, "1", "add-school").ok());
  const Principal school{Role::kSchool, "cqvie"};
  EXPECT_EQ(ProgressAs(school, "2026-Q3").status().code(), absl::StatusCode::kPermissionDenied);
  v1::GetReportRequest report;
  report.set_task(kTask8);
  report.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.GetReport(school, report).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto q4 = ProgressAs(school, "2026-Q4");
  ASSERT_TRUE(q4.ok()) << q4.status();
  EXPECT_EQ(q4->missing_units_size(), 4);

  v1::ListTasksRequest list;
  list.set_parent(kPlan);
  list.set_period_id("2026-Q3");
  auto tasks = registry_.ListTasks(school, list);
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  auto task8 = std::find_if(tasks->tasks().begin(), tasks->tasks().end(),
                            [](const v1::Task& t) { return t.number() == 8; });
  ASSERT_NE(task8, tasks->tasks().end());
  EXPECT_TRUE(task8->report_state_hidden());
  EXPECT_EQ(task8->co_units_size(), 3);  // 2026-Q3's units

  // Nor through a unit's part, the notices or the history (found in review).
  v1::ListProgressRevisionsRequest revisions;
  revisions.set_task(kTask8);
  revisions.set_period_id("2026-Q3");
  revisions.set_unit("hrss");
  EXPECT_EQ(registry_.ListProgressRevisions(school, revisions).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::IssueNoticeRequest notice;
  notice.set_task(kTask8);
  notice.set_period_id("2026-Q3");
  notice.set_unit("edu");
  notice.set_owed("REPORT");
  notice.set_message("请报送第三季度报告");
  notice.set_request_id("n-edu");
  auto issued = registry_.IssueNotice(coordinator_, notice);
  ASSERT_TRUE(issued.ok()) << issued.status();
  v1::GetNoticeRequest get_notice;
  get_notice.set_name(issued->name());
  EXPECT_EQ(registry_.GetNotice(school, get_notice).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListNoticesRequest notices;
  notices.set_plan(kPlan);
  auto listed = registry_.ListNotices(school, notices);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->notices_size(), 0);
  v1::ListTaskHistoryRequest history;
  history.set_task(kTask8);
  history.set_page_size(100);
  auto seen = registry_.ListTaskHistory(school, history);
  ASSERT_TRUE(seen.ok()) << seen.status();
  for (const auto& e : seen->entries()) EXPECT_NE(e.period_id(), "2026-Q3") << e.detail();
  EXPECT_LT(seen->entries_size(), static_cast<int>(History().size()));
}

// Corrected back within the quarter, nothing changed hands; and a reload of
// the plan's catalog keeps what a correction recorded.
TEST_F(ReassignmentTest, ACorrectionUndoneWithinItsQuarterLeavesNoEarlierAssignment) {
  MoveToTheFourthQuarter();
  ASSERT_TRUE(Reassign("finance", {"edu"}, "1", "mistake").ok());
  auto undone = Reassign("edu", {"hrss", "ndrc", "sci"}, "2", "undo");
  ASSERT_TRUE(undone.ok()) << undone.status();
  EXPECT_EQ(undone->earlier_assignments_size(), 0);

  ASSERT_TRUE(Reassign("finance", {"edu"}, "3", "again").ok());
  ASSERT_TRUE(Load("load-2").ok());
  auto kept = TaskIn("2026-Q3");
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->lead_unit(), "edu");
  EXPECT_TRUE(kept->former_units().empty()) << "edu's quarter: nobody is former in it";
  EXPECT_EQ(TaskIn("2026-Q4")->lead_unit(), "finance");
}

TEST_F(ReassignmentTest, AQuarterNamedForATaskMustBeOneThatHasBegun) {
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  get.set_period_id("2026-Q9");
  auto malformed = Validate(get);
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(malformed).front().field, "period_id");
  auto not_begun = TaskIn("2027-Q1");
  EXPECT_EQ(not_begun.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_FALSE(FieldViolationsOf(not_begun.status()).empty());
  EXPECT_EQ(FieldViolationsOf(not_begun.status()).front().field, "period_id");
}

}  // namespace
}  // namespace vetrack::tasks
