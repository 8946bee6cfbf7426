// The registry's domain on its Redis store, against a real redis-server, with
// a fake clock: catalog loading, the joint-responsibility workflow, history,
// idempotency, etags, bad input, escalations.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "catalog.h"
#include "paging/paging.h"
#include "periods.h"
#include "registry_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {
TEST_F(RegistryTest, LoadingTheCatalogTwiceChangesNothing) {
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  auto before = registry_.GetTask(coordinator_, get);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->lead_unit(), "edu");
  EXPECT_EQ(before->etag(), "1");

  auto again = Load("load-2");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->tasks_created(), 0);
  EXPECT_EQ(again->tasks_updated(), 0);
  EXPECT_EQ(again->tasks_unchanged(), 33);
  EXPECT_EQ(again->units_created(), 0);
  EXPECT_EQ(again->units_unchanged(), 23);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->etag(), "1");
  EXPECT_EQ(History().size(), 1u);  // CREATE_TASK only

  v1::ListUnitsRequest schools;
  schools.set_kind(v1::UNIT_KIND_SCHOOL);
  EXPECT_EQ(registry_.ListUnits(coordinator_, schools)->units_size(), 9);
}

// Found in review: the dossier listed the lead as "not filed" on a task whose
// report it had submitted, since it owes the report, not a filing.
TEST_F(RegistryTest, TheLeadIsNeverAMissingFiling) {
  auto before = Progress();
  EXPECT_EQ(std::set<std::string>(before.missing_units().begin(), before.missing_units().end()),
            (std::set<std::string>{"hrss", "ndrc", "sci"}));
  for (const std::string unit : {"hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(File(unit, unit + " 配合推进", "r-" + unit).ok());
  }
  auto filed = Progress();
  EXPECT_TRUE(filed.missing_units().empty());
  EXPECT_EQ(filed.progress_size(), 3);  // the lead made no filing of its own
  ASSERT_TRUE(Submit("edu", "s-1").ok());
  EXPECT_TRUE(Progress().missing_units().empty());
}

// Found in use: the lead changed while its report awaited review; the new
// lead then answered for a report it had not written, the views disagreed
// on who had not filed, and acceptance sent the platform units that never
// filed. The units change once the report is reviewed or returned.
TEST_F(RegistryTest, ATasksUnitsDoNotChangeWhileItsReportAwaitsReview) {
  for (const std::string unit : {"hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(File(unit, unit + " 配合推进", "r-" + unit).ok());
  }
  ASSERT_TRUE(Submit("edu", "s-1").ok());
  auto refused = CorrectCoUnits({"hrss", "ndrc"}, "1", "drop-sci");
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_EQ(ReasonOf(refused.status()), "REPORT_IN_REVIEW");
  EXPECT_NE(refused.status().message().find("2026-Q3"), std::string::npos) << refused.status();
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->co_units_size(), 3);

  // The text may still be corrected, and the same co-units named again.
  v1::UpdateTaskRequest text;
  text.mutable_task()->set_name(kTask8);
  text.mutable_task()->set_etag("1");
  text.mutable_task()->set_text("修订后的任务内容");
  text.add_update_mask("text");
  text.set_request_id("text-1");
  ASSERT_TRUE(registry_.UpdateTask(coordinator_, text).ok());
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci"}, "2", "same-units").ok());

  ASSERT_TRUE(Review(v1::REVIEW_DECISION_RETURN, "v-1", {"请由新的配合单位补充"}).ok());
  auto corrected = CorrectCoUnits({"hrss", "ndrc"}, "3", "drop-sci-after");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->co_units_size(), 2);
}

TEST_F(RegistryTest, JointResponsibilityFromFilingToAcceptance) {
  ASSERT_TRUE(File("edu", "区教委牵头推进成果转化", "r-edu").ok());
  // The lead cannot consolidate before the deadline while co-units owe their filings.
  auto early = Submit("edu", "s-early");
  ASSERT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(early.status()), "CO_UNITS_MISSING");
  EXPECT_NE(early.status().message().find("hrss, ndrc, sci"), std::string::npos);

  for (const std::string unit : {"hrss", "ndrc", "sci"}) {
    auto filed = File(unit, unit + " 配合推进", "r-" + unit);
    ASSERT_TRUE(filed.ok()) << filed.status();
    EXPECT_EQ(filed->revision(), 1);
    EXPECT_FALSE(filed->late());
  }
  EXPECT_TRUE(Progress().missing_units().empty());
  EXPECT_EQ(Progress().progress_size(), 4);

  // Only the lead consolidates.
  EXPECT_EQ(Submit("hrss", "s-hrss").status().code(), absl::StatusCode::kPermissionDenied);
  auto submitted = Submit("edu", "s-1");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_TRUE(submitted->missing_units().empty());

  // Under review the period is locked for filings, in words (found in use:
  // the message said REPORT_STATE_SUBMITTED).
  auto locked = File("sci", "再改", "r-sci-2", "1");
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(locked.status().message(),
            "the report for 2026-Q3 is under review; filings are locked until it is returned");

  auto returned = Review(v1::REVIEW_DECISION_RETURN, "v-1", {"缺少佐证材料"});
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(returned->times_returned(), 1);
  EXPECT_EQ(returned->return_reasons(0), "缺少佐证材料");

  // A returned report reopens filings; the lead revises and resubmits.
  ASSERT_TRUE(File("sci", "补充佐证材料", "r-sci-3", "1").ok());
  auto resubmitted = Submit("edu", "s-2", returned->etag());
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.status();
  EXPECT_EQ(resubmitted->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(resubmitted->revision(), 2);
  EXPECT_EQ(resubmitted->etag(), "3");
  EXPECT_EQ(resubmitted->times_returned(), 1);

  auto accepted = Review(v1::REVIEW_DECISION_ACCEPT, "v-2");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(accepted->reviewed_by(), "coordinator");
  EXPECT_EQ(Review(v1::REVIEW_DECISION_ACCEPT, "v-3").status().code(),
            absl::StatusCode::kFailedPrecondition);

  std::vector<std::string> actions;
  for (const auto& e : History()) actions.push_back(e.action() + " " + e.actor());
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "CREATE_TASK coordinator", "FILE_PROGRESS department:edu",
                         "FILE_PROGRESS department:hrss", "FILE_PROGRESS department:ndrc",
                         "FILE_PROGRESS department:sci", "SUBMIT_REPORT department:edu",
                         "RETURN_REPORT coordinator", "FILE_PROGRESS department:sci",
                         "RESUBMIT_REPORT department:edu", "ACCEPT_REPORT coordinator"}));

  v1::ListTasksRequest list;
  list.set_parent("plans/jiangjin-vet-2021");
  list.set_period_id("2026-Q3");
  list.set_report_state(v1::REPORT_STATE_ACCEPTED);
  auto accepted_tasks = registry_.ListTasks(coordinator_, list);
  ASSERT_TRUE(accepted_tasks.ok());
  ASSERT_EQ(accepted_tasks->tasks_size(), 1);
  EXPECT_EQ(accepted_tasks->tasks(0).number(), 8);
}

TEST_F(RegistryTest, AfterTheDeadlineTheLeadSubmitsNamingMissingUnits) {
  ASSERT_TRUE(File("edu", "牵头", "r-edu").ok());
  ASSERT_TRUE(File("hrss", "配合", "r-hrss").ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 10, 12), kTz));
  auto late_filing = File("ndrc", "迟报", "r-ndrc");
  ASSERT_TRUE(late_filing.ok());
  EXPECT_TRUE(late_filing->late());
  auto submitted = Submit("edu", "s-late");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_EQ(submitted->missing_units_size(), 1);
  EXPECT_EQ(submitted->missing_units(0), "sci");
}

// Found in review: once the lead submitted late without a co-unit, that unit
// fell off the ladder (nothing owed, its 督办 settled) and could not file.
// It is chased, and may file, until the report is accepted.
TEST_F(RegistryTest, ACoUnitTheLeadWentWithoutIsChasedAndFilesUntilTheReportIsAccepted) {
  ASSERT_TRUE(File("hrss", "配合", "r-hrss").ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 10, 20), kTz));
  auto submitted = Submit("edu", "s-late");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->missing_units_size(), 2);  // ndrc, sci

  v1::ListEscalationsRequest owed;
  owed.set_plan("plans/jiangjin-vet-2021");
  owed.set_period_id("2026-Q3");
  owed.set_unit("sci");
  owed.set_page_size(100);
  auto chased = registry_.ListEscalations(coordinator_, owed);
  ASSERT_TRUE(chased.ok()) << chased.status();
  ASSERT_EQ(chased->escalations_size(), 1);
  EXPECT_EQ(chased->escalations(0).owed(), "PROGRESS");

  auto late = File("sci", "迟报", "r-sci");
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE(late->late());
  EXPECT_EQ(registry_.ListEscalations(coordinator_, owed)->escalations_size(), 0);
  v1::GetReportRequest get;
  get.set_task(kTask8);
  get.set_period_id("2026-Q3");
  auto report = registry_.GetReport(coordinator_, get);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(
      std::vector<std::string>(report->missing_units().begin(), report->missing_units().end()),
      std::vector<std::string>{"ndrc"});
  EXPECT_EQ(report->summary(), submitted->summary());
  EXPECT_EQ(History().back().detail(),
            "sci filed \"on track\" (revision 1, late, after the lead's report)");

  // What was consolidated stays as it was: refiling is locked.
  EXPECT_EQ(ReasonOf(File("sci", "改", "r-sci-2", late->etag()).status()), "REPORT_LOCKED");
  EXPECT_EQ(ReasonOf(File("hrss", "改", "r-hrss-2", "1").status()), "REPORT_LOCKED");
  EXPECT_EQ(ReasonOf(File("edu", "牵头", "r-edu").status()), "REPORT_LOCKED");

  // Accepted, the gap is the coordinator's decision: ndrc is no longer chased.
  owed.set_unit("ndrc");
  auto on_task8 = [&] {
    auto listed = registry_.ListEscalations(coordinator_, owed);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return std::count_if(listed->escalations().begin(), listed->escalations().end(),
                         [](const v1::Escalation& e) { return e.task() == kTask8; });
  };
  EXPECT_EQ(on_task8(), 1);
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "rv-1").ok());
  EXPECT_EQ(on_task8(), 0);
  EXPECT_EQ(ReasonOf(File("ndrc", "迟报", "r-ndrc").status()), "REPORT_LOCKED");
}

TEST_F(RegistryTest, ReplayReturnsTheFirstAnswerAndAChangedPayloadIsRefused) {
  auto first = File("hrss", "第一次", "same-id");
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Minutes(5));
  auto replay = File("hrss", "第一次", "same-id");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(History().size(), 2u);  // CREATE_TASK + one filing

  auto changed = File("hrss", "改了内容", "same-id");
  ASSERT_EQ(changed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(changed.status())[0].field, "request_id");
  EXPECT_EQ(Progress().progress(0).narrative(), "第一次");
}

TEST_F(RegistryTest, StaleEtagIsAbortedAndKeepsTheStoredFiling) {
  ASSERT_TRUE(File("hrss", "v1", "e-1").ok());
  auto second = File("hrss", "v2", "e-2", "1");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  auto stale = File("hrss", "lost update", "e-3", "1");
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(FieldViolationsOf(stale.status())[0].field, "etag");
  EXPECT_EQ(Progress().progress(0).narrative(), "v2");
}

TEST_F(RegistryTest, ASchoolReadsTheFilingsOnlyOfTasksItShares) {
  ASSERT_TRUE(File("hrss", "v1 hrss", "f-hrss").ok());
  const Principal outsider{Role::kSchool, "cqvie"};  // not on task 8
  v1::ListProgressRequest progress;
  progress.set_task(kTask8);
  progress.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.ListProgress(outsider, progress).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListTaskHistoryRequest history;
  history.set_task(kTask8);
  EXPECT_EQ(registry_.ListTaskHistory(outsider, history).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::GetReportRequest report;
  report.set_task(kTask8);
  report.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.GetReport(outsider, report).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(registry_.ListProgress(Principal{Role::kDepartment, "finance"}, progress).ok());

  // Its escalations are those of its own tasks; the coordinator sees all.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0), kTz));
  v1::ListEscalationsRequest escalations;
  escalations.set_plan("plans/jiangjin-vet-2021");
  escalations.set_period_id("2026-Q3");
  escalations.set_page_size(1000);
  auto own = registry_.ListEscalations(outsider, escalations);
  ASSERT_TRUE(own.ok()) << own.status();
  auto all = registry_.ListEscalations(coordinator_, escalations);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_GT(own->escalations_size(), 0);
  EXPECT_LT(own->escalations_size(), all->escalations_size());
  for (const auto& e : own->escalations()) EXPECT_NE(e.task(), kTask8);
  auto none = registry_.ListEscalations(Principal{Role::kOperator, ""}, escalations);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->escalations_size(), 0);
}

// Found in review: the next page can reach a replica whose clock is a few
// seconds behind the one that issued the token; it was refused as expired.
TEST_F(RegistryTest, AnEscalationPageTokenOutlivesAReplicasClockBeingBehind) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 5, 1, 10, 0, 0), kTz));
  v1::ListEscalationsRequest req;
  req.set_plan("plans/jiangjin-vet-2021");
  req.set_page_size(5);
  auto first = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  req.set_page_token(first->next_page_token());
  clock_.Advance(absl::Seconds(-20));  // the other replica's clock
  auto next = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->escalations_size(), 5);
  EXPECT_NE(next->escalations(0).DebugString(), first->escalations(0).DebugString());
  clock_.Advance(absl::Minutes(-2));  // a token from further ahead is not one we issued
  auto ahead = registry_.ListEscalations(coordinator_, req);
  EXPECT_EQ(ahead.status().code(), absl::StatusCode::kInvalidArgument) << ahead.status();
}

// The catalog was loaded in 2026-Q3 (the fixture's clock): from then on a
// 督办 stays in the default list until it is resolved, however old its
// quarter; the quarters before vetrack's use are not listed.
TEST_F(RegistryTest, AnOpenEscalationStaysListedUntilResolvedSinceTrackingBegan) {
  auto default_list = [&] {
    std::vector<v1::Escalation> all;
    v1::ListEscalationsRequest req;
    req.set_plan("plans/jiangjin-vet-2021");
    req.set_page_size(500);
    do {
      auto page = registry_.ListEscalations(coordinator_, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      all.insert(all.end(), page->escalations().begin(), page->escalations().end());
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return all;
  };
  auto count = [](const std::vector<v1::Escalation>& list, const std::string& period,
                  const std::string& task = "") {
    return std::count_if(list.begin(), list.end(), [&](const v1::Escalation& e) {
      return e.period_id() == period && (task.empty() || e.task() == task);
    });
  };
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 5, 1, 10, 0, 0), kTz));
  auto open = default_list();
  EXPECT_GT(count(open, "2026-Q3", kTask8), 0);
  EXPECT_GT(count(open, "2026-Q4"), 0);
  EXPECT_GT(count(open, "2027-Q1"), 0);
  EXPECT_EQ(count(open, "2026-Q2"), 0);

  ASSERT_TRUE(Submit("edu", "s-late").ok());  // after the deadline, without the co-units
  EXPECT_EQ(count(default_list(), "2026-Q3", kTask8), 3) << "the co-units' filings, not the report";
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "rv-late").ok());
  auto resolved = default_list();
  EXPECT_EQ(count(resolved, "2026-Q3", kTask8), 0);
  EXPECT_GT(count(resolved, "2026-Q3"), 0);  // the other tasks' are still owed

  // A plan loaded before the start was recorded: loading it again (as every
  // start does) takes the start from the tasks' history, not from today.
  ASSERT_TRUE(client_.Command({"DEL", "vt:tr:tracked-quarters:jiangjin-vet-2021"}).ok());
  ASSERT_TRUE(Load("load-again").ok());
  EXPECT_GT(count(default_list(), "2026-Q4"), 0);
  EXPECT_EQ(store_.TrackedSince("jiangjin-vet-2021")->value_or(""), "2026-Q3");

  // Loaded first on 3 October, while the third quarter's filings are still
  // due (until the 10th): that quarter is tracked too.
  ASSERT_TRUE(client_.Command({"FLUSHALL"}).ok());
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 3, 9, 0, 0), kTz));
  ASSERT_TRUE(Load("load-in-october").ok());
  EXPECT_EQ(store_.TrackedSince("jiangjin-vet-2021")->value_or(""), "2026-Q3");
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 6, 9, 0, 0), kTz));  // reminders are due
  EXPECT_GT(count(default_list(), "2026-Q3"), 0);
}

TEST_F(RegistryTest, UnknownTaskUnitOrPeriodNamesTheFieldAndStoresNothing) {
  auto unknown_task = File("edu", "x", "b-1", "", "plans/jiangjin-vet-2021/tasks/99");
  EXPECT_EQ(unknown_task.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolationsOf(unknown_task.status())[0].field, "task");

  auto unknown_unit = File("nosuch", "x", "b-2");
  EXPECT_EQ(unknown_unit.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolationsOf(unknown_unit.status())[0].field, "unit");

  auto not_responsible = File("finance", "x", "b-3");
  EXPECT_EQ(not_responsible.status().code(), absl::StatusCode::kPermissionDenied);

  v1::FileProgressRequest future = Filing("x", "b-4");
  future.set_period_id("2027-Q1");
  auto unknown_period = registry_.FileProgress(Principal{Role::kDepartment, "edu"}, future);
  EXPECT_EQ(unknown_period.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(unknown_period.status())[0].field, "period_id");

  EXPECT_EQ(Progress().progress_size(), 0);
  EXPECT_EQ(History().size(), 1u);
}

TEST_F(RegistryTest, ListTasksFiltersAndPages) {
  v1::ListTasksRequest req;
  req.set_parent("plans/jiangjin-vet-2021");
  req.set_unit("hrss");
  req.set_role(v1::RESPONSIBILITY_ROLE_LEAD);
  auto led = registry_.ListTasks(coordinator_, req);
  ASSERT_TRUE(led.ok()) << led.status();
  std::vector<int> numbers;
  for (const auto& t : led->tasks()) numbers.push_back(t.number());
  EXPECT_EQ(numbers, (std::vector<int>{6, 7, 20, 22}));

  v1::ListTasksRequest section;
  section.set_parent("plans/jiangjin-vet-2021");
  section.set_section_prefix("二.(四)");
  EXPECT_EQ(registry_.ListTasks(coordinator_, section)->total_size(), 9);

  v1::ListTasksRequest paged;
  paged.set_parent("plans/jiangjin-vet-2021");
  paged.set_page_size(10);
  std::vector<int> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = registry_.ListTasks(coordinator_, paged);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& t : page->tasks()) seen.push_back(t.number());
    if (page->next_page_token().empty()) break;
    paged.set_page_token(page->next_page_token());
  }
  ASSERT_EQ(seen.size(), 33u);
  EXPECT_EQ(seen.back(), 33);

  paged.set_page_token("garbage");
  auto bad = registry_.ListTasks(coordinator_, paged);
  EXPECT_EQ(FieldViolationsOf(bad.status())[0].field, "page_token");

  v1::ListTasksRequest unknown_unit;
  unknown_unit.set_parent("plans/jiangjin-vet-2021");
  unknown_unit.set_unit("nosuch");
  EXPECT_EQ(registry_.ListTasks(coordinator_, unknown_unit).status().code(),
            absl::StatusCode::kNotFound);

  // Reports of a quarter not begun, or before the plan, are not "owed".
  for (const char* quarter : {"2030-Q1", "2019-Q1"}) {
    v1::ListTasksRequest of_quarter;
    of_quarter.set_parent("plans/jiangjin-vet-2021");
    of_quarter.set_period_id(quarter);
    auto refused = registry_.ListTasks(coordinator_, of_quarter);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << quarter;
    EXPECT_EQ(FieldViolationsOf(refused.status()).at(0).field, "period_id") << quarter;
  }
}

TEST_F(RegistryTest, EscalationsFollowTheClock) {
  ASSERT_TRUE(File("edu", "牵头", "r-edu").ok());
  ASSERT_TRUE(File("hrss", "配合", "r-hrss").ok());
  v1::ListEscalationsRequest req;
  req.set_plan("plans/jiangjin-vet-2021");
  req.set_period_id("2026-Q3");
  req.set_unit("sci");
  req.set_page_size(100);

  // 2026-09-20: three weeks before the 2026-10-11 deadline, nothing yet.
  EXPECT_EQ(registry_.ListEscalations(coordinator_, req)->total_size(), 0);

  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 10, 20), kTz));
  auto yellow = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(yellow.ok()) << yellow.status();
  ASSERT_EQ(yellow->total_size(), 1);  // sci shares only task 8
  EXPECT_EQ(yellow->escalations(0).task_number(), 8);
  EXPECT_EQ(yellow->escalations(0).level(), v1::ESCALATION_LEVEL_YELLOW);

  req.set_min_level(v1::ESCALATION_LEVEL_RED);
  EXPECT_EQ(registry_.ListEscalations(coordinator_, req)->total_size(), 0);
  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 11, 20), kTz));
  EXPECT_EQ(registry_.ListEscalations(coordinator_, req)->total_size(), 1);

  // Quarters nobody could file for are not asked about.
  for (const std::string period : {"2020-Q4", "2027-Q1"}) {
    v1::ListEscalationsRequest unfileable = req;
    unfileable.set_period_id(period);
    auto refused = registry_.ListEscalations(coordinator_, unfileable);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << period;
    EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "period_id") << period;
  }

  // By level across units: edu owes task 8's report, and more elsewhere.
  v1::ListEscalationsRequest all;
  all.set_plan("plans/jiangjin-vet-2021");
  all.set_period_id("2026-Q3");
  all.set_unit("edu");
  all.set_page_size(500);
  auto edu = registry_.ListEscalations(coordinator_, all);
  ASSERT_TRUE(edu.ok());
  bool owes_report_8 = false;
  for (const auto& e : edu->escalations()) {
    owes_report_8 |= e.task_number() == 8 && e.owed() == "REPORT";
    EXPECT_EQ(e.unit(), "edu");
  }
  EXPECT_TRUE(owes_report_8);
}

// Found in review: a 督办 that rose a level between two pages sorted before
// the page already shown and was never listed. A listing keeps the levels of
// its first page's time.
TEST_F(RegistryTest, EscalationsThatRiseBetweenPagesAreStillListed) {
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 10, 18, 0, 0), kTz));  // reminders
  v1::ListEscalationsRequest req;
  req.set_plan("plans/jiangjin-vet-2021");
  req.set_period_id("2026-Q3");
  req.set_unit("hrss");
  req.set_page_size(1);
  auto first = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  const int total = first->total_size();
  ASSERT_GE(total, 3);
  ASSERT_EQ(first->escalations(0).level(), v1::ESCALATION_LEVEL_REMINDER);

  // The deadline (10-11 00:00) passes while the pages are read: all yellow now.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 10, 11, 6, 0, 0), kTz));
  std::set<std::string> listed = {
      absl::StrCat(first->escalations(0).task_number(), "/", first->escalations(0).owed())};
  std::string token = first->next_page_token();
  while (!token.empty()) {
    req.set_page_token(token);
    auto page = registry_.ListEscalations(coordinator_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->escalations()) {
      EXPECT_EQ(e.level(), v1::ESCALATION_LEVEL_REMINDER) << "as of the first page";
      EXPECT_TRUE(listed.insert(absl::StrCat(e.task_number(), "/", e.owed())).second);
    }
    token = page->next_page_token();
  }
  EXPECT_EQ(static_cast<int>(listed.size()), total);

  // A new listing sees them yellow.
  req.clear_page_token();
  auto again = registry_.ListEscalations(coordinator_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->escalations(0).level(), v1::ESCALATION_LEVEL_YELLOW);

  // Tokens are not signed: a time moved ahead (a quarter listed for every
  // quarter up to it) beyond a minute of clock skew, or one older than a day,
  // is refused (found in review).
  auto query = ParseKeyPage(req);
  ASSERT_TRUE(query.ok());
  const int64_t now = absl::ToUnixSeconds(clock_.Now());
  for (int64_t as_of : {now + 61, int64_t{32503680000}, now - 2 * 86400}) {
    req.set_page_token(KeyPageToken(*query, absl::StrCat(as_of, "#8|2026-Q3|000006|hrss|x")));
    auto refused = registry_.ListEscalations(coordinator_, req);
    EXPECT_EQ(FieldViolationsOf(refused.status()).at(0).field, "page_token") << as_of;
  }
}

// Found in use: after `tasks correct 15` removed cqvie, its filing vanished
// from the task's progress and the school was refused its own revisions.
TEST_F(RegistryTest, AUnitRemovedFromATaskStillSeesWhatItFiled) {
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci", "cqvie"}, "1", "add-cqvie").ok());
  const Principal cqvie{Role::kSchool, "cqvie"};
  ASSERT_TRUE(registry_.FileProgress(cqvie, Filing("学校承担部分", "cqvie-1")).ok());
  auto removed = CorrectCoUnits({"hrss", "ndrc", "sci"}, "2", "remove-cqvie");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(
      std::vector<std::string>(removed->former_units().begin(), removed->former_units().end()),
      std::vector<std::string>{"cqvie"});

  v1::ListProgressResponse listed = Progress();
  ASSERT_EQ(listed.progress_size(), 1);
  EXPECT_EQ(listed.progress(0).unit(), "cqvie");
  EXPECT_EQ(std::count(listed.missing_units().begin(), listed.missing_units().end(), "cqvie"), 0);
  v1::ListProgressRevisionsRequest revisions;
  revisions.set_task(kTask8);
  revisions.set_period_id("2026-Q3");
  revisions.set_unit("cqvie");
  auto own = registry_.ListProgressRevisions(cqvie, revisions);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->revisions_size(), 1);
  // It owes nothing more, and files nothing more.
  EXPECT_EQ(registry_.FileProgress(cqvie, Filing("再报", "cqvie-2", "1")).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Its own part only: not the task's filings, nor another unit's revisions.
  v1::ListProgressRequest progress;
  progress.set_task(kTask8);
  progress.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.ListProgress(cqvie, progress).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::ListProgressRevisionsRequest others = revisions;
  others.set_unit("hrss");
  EXPECT_EQ(registry_.ListProgressRevisions(cqvie, others).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Another school never shared the task and still reads none of it.
  EXPECT_EQ(
      registry_.ListProgressRevisions(Principal{Role::kSchool, "cqepc"}, revisions).status().code(),
      absl::StatusCode::kPermissionDenied);

  // Named again, it is responsible again, and its filing is listed once.
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci", "cqvie"}, "3", "re-add-cqvie").ok());
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->former_units_size(), 0);
  EXPECT_EQ(Progress().progress_size(), 1);
}

// A load of the plan's file that changes a task's units records whom it
// removed, as a correction does (the catalog's own units come back with it).
TEST_F(RegistryTest, ACatalogLoadThatRemovesAUnitKeepsItAsFormer) {
  auto catalog = ReadCatalogFile(kCatalogPath);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  v1::ImportCatalogRequest load;
  *load.mutable_catalog() = *catalog;
  bool changed = false;
  for (auto& task : *load.mutable_catalog()->mutable_tasks()) {
    if (task.number() != 8) continue;
    ASSERT_EQ(task.responsible_text(), "区教委、区人力社保局、区发展改革委、区科技局");
    task.set_responsible_text("区教委、区人力社保局、区发展改革委");  // 区科技局 (sci) removed
    changed = true;
  }
  ASSERT_TRUE(changed);
  load.set_request_id("load-fewer");
  ASSERT_TRUE(registry_.ImportCatalog(coordinator_, load).ok());
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  auto task = registry_.GetTask(coordinator_, get);
  ASSERT_TRUE(task.ok()) << task.status();
  ASSERT_EQ(task->former_units_size(), 1);
  EXPECT_EQ(task->former_units(0), "sci");

  auto reloaded = Load("load-again");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->former_units_size(), 0);
}

TEST_F(RegistryTest, CoordinatorCorrectsATaskGuardedByEtag) {
  v1::UpdateTaskRequest req;
  req.mutable_task()->set_name(kTask8);
  req.mutable_task()->set_text("修订后的任务内容");
  req.mutable_task()->set_etag("1");
  req.add_update_mask("text");
  req.set_request_id("u-1");
  EXPECT_EQ(registry_.UpdateTask(Principal{Role::kDepartment, "edu"}, req).status().code(),
            absl::StatusCode::kPermissionDenied);
  auto updated = registry_.UpdateTask(coordinator_, req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "2");
  EXPECT_EQ(updated->text(), "修订后的任务内容");

  // A retry that sends the task back as it read it (its etag, the fields
  // not in the mask) is the same correction: the first answer.
  v1::UpdateTaskRequest retry = req;
  *retry.mutable_task() = *updated;
  auto again = registry_.UpdateTask(coordinator_, retry);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), "2");
  retry.mutable_task()->set_text("另一个文本");
  EXPECT_EQ(FieldViolationsOf(registry_.UpdateTask(coordinator_, retry).status()).at(0).field,
            "request_id");

  req.set_request_id("u-2");
  req.mutable_task()->set_text("基于旧版本的修改");
  EXPECT_EQ(registry_.UpdateTask(coordinator_, req).status().code(), absl::StatusCode::kAborted);
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->text(), "修订后的任务内容");
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->corrected_by(), "coordinator");

  // Loading the plan's file again keeps the correction.
  auto reloaded = Load("load-after-correction");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->tasks_kept_corrected(), 1);
  EXPECT_EQ(reloaded->tasks_updated(), 0);
  EXPECT_EQ(reloaded->tasks_unchanged(), 32);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->text(), "修订后的任务内容");

  // Each responsible unit is named once: sci shares task 8, so it cannot
  // also lead it unless it leaves the co-units in the same change.
  v1::UpdateTaskRequest lead;
  lead.mutable_task()->set_name(kTask8);
  lead.mutable_task()->set_etag("2");
  lead.mutable_task()->set_lead_unit("sci");
  lead.add_update_mask("lead_unit");
  lead.set_request_id("u-3");
  auto both = registry_.UpdateTask(coordinator_, lead);
  ASSERT_EQ(both.status().code(), absl::StatusCode::kInvalidArgument) << both.status();
  EXPECT_EQ(FieldViolationsOf(both.status())[0].field, "task.co_units");
  v1::UpdateTaskRequest twice;
  twice.mutable_task()->set_name(kTask8);
  twice.mutable_task()->set_etag("2");
  twice.mutable_task()->add_co_units("sci");
  twice.mutable_task()->add_co_units("sci");
  twice.add_update_mask("co_units");
  twice.set_request_id("u-4");
  EXPECT_EQ(registry_.UpdateTask(coordinator_, twice).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_.GetTask(coordinator_, get)->etag(), "2");
}

TEST_F(RegistryTest, OnlyCoordinatorOrOperatorLoadsTheCatalog) {
  auto catalog = ReadCatalogFile(kCatalogPath);
  v1::ImportCatalogRequest req;
  *req.mutable_catalog() = *catalog;
  req.set_request_id("x");
  EXPECT_EQ(registry_.ImportCatalog(Principal{Role::kDepartment, "edu"}, req).status().code(),
            absl::StatusCode::kPermissionDenied);
}

// A filing Validate takes, before figures are added.
v1::FileProgressRequest ValidFiling() {
  v1::FileProgressRequest filing;
  filing.set_task(kTask8);
  filing.set_period_id("2026-Q3");
  filing.set_status(v1::PROGRESS_STATUS_ON_TRACK);
  filing.set_narrative("x");
  filing.set_request_id("f-1");
  return filing;
}

// Found in review: both were taken and silently lost something.
TEST(RegistryValidationTest, AnAcceptanceGivesNoReasonsAndAFigureIsGivenOnce) {
  v1::ReviewReportRequest review;
  review.set_task(kTask8);
  review.set_period_id("2026-Q3");
  review.set_request_id("v-1");
  review.set_decision(v1::REVIEW_DECISION_ACCEPT);
  EXPECT_TRUE(Validate(review).ok());
  review.add_reasons("很好");
  EXPECT_EQ(FieldViolationsOf(Validate(review)).at(0).field, "reasons");

  v1::FileProgressRequest filing = ValidFiling();
  auto* first = filing.add_figures();
  first->set_key("trained");
  first->set_value(10);
  *filing.add_figures() = *first;
  auto violations = FieldViolationsOf(Validate(filing));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "figures[1].key");
}

// Found in use: "教师 = -5 人" was filed. A count is whole and not negative;
// a figure in another unit may fall; a key is a name on one line.
TEST(RegistryValidationTest, AFiguresCountIsWholeAndItsKeyOneLine) {
  v1::FileProgressRequest filing = ValidFiling();
  auto add = [&](const std::string& key, double value, const std::string& unit) {
    auto* f = filing.add_figures();
    f->set_key(key);
    f->set_value(value);
    f->set_unit(unit);
  };
  add("教师", -5, "人");           // refused: a negative count
  add("培训", 2.5, "人次");        // refused: a part of a person
  add("增长率", -3.5, "%");        // taken: a rate may fall
  add("经费", 12.5, "万元");       // taken
  add("第一行\n第二行", 1, "个");  // refused: two lines
  add("  ", 1, "个");              // refused: blank
  add("专业", 3, "个");            // taken
  add("规模", 2e12, "");           // refused: beyond ±1e12
  add("甲\u2028乙", 1, "个");      // refused: a line separator
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(Validate(filing))) fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"figures[0].value", "figures[1].value", "figures[4].key",
                                      "figures[5].key", "figures[7].value", "figures[8].key"}));
}

}  // namespace
}  // namespace vetrack::tasks
