// The registry's pure rules: catalog resolution from the real plan data,
// periods, permissions and the escalation ladder on a fake clock.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog.h"
#include "clock/clock.h"
#include "names.h"
#include "periods.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::tasks {
namespace {

const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/task-registry/data/jiangjin-vet-2021.json";

class PlanCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = ReadCatalogFile(kCatalogPath);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    auto resolved = ResolveCatalog(*catalog);
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    resolved_ = *resolved;
  }
  const v1::Task& TaskNo(int n) { return resolved_.tasks.at(n - 1); }
  std::vector<std::string> Co(int n) {
    return {TaskNo(n).co_units().begin(), TaskNo(n).co_units().end()};
  }
  ResolvedCatalog resolved_;
};

TEST_F(PlanCatalogTest, HasThePlansThirtyThreeTasksAndNineInstitutions) {
  EXPECT_EQ(resolved_.plan.name(), "plans/jiangjin-vet-2021");
  EXPECT_EQ(resolved_.plan.start_year(), 2021);
  EXPECT_EQ(resolved_.plan.end_year(), 2025);
  ASSERT_EQ(resolved_.tasks.size(), 33u);
  for (int n = 1; n <= 33; ++n) EXPECT_EQ(TaskNo(n).number(), n);
  int higher = 0, secondary = 0, technical = 0;
  for (const auto& u : resolved_.units) {
    higher += u.school_type() == v1::SCHOOL_TYPE_HIGHER_VOCATIONAL;
    secondary += u.school_type() == v1::SCHOOL_TYPE_SECONDARY_VOCATIONAL;
    technical += u.school_type() == v1::SCHOOL_TYPE_TECHNICAL;
  }
  EXPECT_EQ(higher, 5);
  EXPECT_EQ(secondary, 2);
  EXPECT_EQ(technical, 2);
}

TEST_F(PlanCatalogTest, FirstListedUnitLeadsAndGroupsResolveToInstitutions) {
  // 1: 区教委、区人力社保局、有关高职院校
  EXPECT_EQ(TaskNo(1).lead_unit(), "edu");
  EXPECT_EQ(Co(1),
            (std::vector<std::string>{"hrss", "cqvie", "cqepc", "cqjtzy", "cqgyzy", "cqdxzy"}));
  EXPECT_EQ(TaskNo(1).section_code(), "一.(二)");
  // 6: 区人力社保局、区教委 — led by 人力社保局.
  EXPECT_EQ(TaskNo(6).lead_unit(), "hrss");
  EXPECT_EQ(Co(6), (std::vector<std::string>{"edu"}));
  // 2: 有关中职学校 covers the 中职 and the 技工 schools.
  auto co2 = Co(2);
  EXPECT_NE(std::find(co2.begin(), co2.end(), "cqgsxx"), co2.end());
  EXPECT_NE(std::find(co2.begin(), co2.end(), "cqcjjg"), co2.end());
  EXPECT_EQ(std::find(co2.begin(), co2.end(), "cqvie"), co2.end());
  // 21: 区教委、职业院校 → all nine.
  EXPECT_EQ(Co(21).size(), 9u);
  // 3: 区教委 alone.
  EXPECT_TRUE(TaskNo(3).co_units().empty());
}

TEST_F(PlanCatalogTest, TrailingDengMarksTheListOpenEnded) {
  EXPECT_TRUE(TaskNo(7).open_ended());  // …区商务委等
  EXPECT_TRUE(TaskNo(5).open_ended());  // 区人力社保局等，有关职业院校
  EXPECT_FALSE(TaskNo(1).open_ended());
  EXPECT_EQ(TaskNo(18).lead_unit(), "ndrc");
  EXPECT_EQ(Co(18).size(), 6u);
}

TEST(CatalogTest, UnknownResponsibleNameIsRefusedNamingTheEntry) {
  v1::Catalog catalog;
  catalog.mutable_plan()->set_name("plans/p");
  catalog.mutable_plan()->set_start_year(2021);
  catalog.mutable_plan()->set_end_year(2025);
  catalog.add_sections()->set_code("一");
  auto* unit = catalog.add_units();
  unit->set_code("edu");
  unit->set_display_name("区教委");
  unit->set_kind(v1::UNIT_KIND_DEPARTMENT);
  auto* task = catalog.add_tasks();
  task->set_number(1);
  task->set_section_code("一");
  task->set_text("x");
  task->set_responsible_text("区教委、区不存在局");
  auto resolved = ResolveCatalog(catalog);
  ASSERT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolationsOf(resolved.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "catalog.tasks[0].responsible_text");
  EXPECT_NE(violations[0].description.find("区不存在局"), std::string::npos);

  // Lists page on the number in six digits: "1000000" would sort before
  // "999999" and pages would skip tasks (found in review).
  task->set_responsible_text("区教委");
  task->set_number(kMaxTaskNumber);
  ASSERT_TRUE(ResolveCatalog(catalog).ok()) << ResolveCatalog(catalog).status();
  task->set_number(kMaxTaskNumber + 1);
  violations = FieldViolationsOf(ResolveCatalog(catalog).status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "catalog.tasks[0].number");
}

// Found by the validation fuzzer: "tasks/06" was accepted, and progress and
// reports were then stored under names built on it.
TEST(NamesTest, ATaskHasExactlyOneName) {
  auto ref = ParseTaskName("plans/jiangjin-vet-2021/tasks/6", "task");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->number, 6);
  for (const char* alias : {"plans/jiangjin-vet-2021/tasks/06", "plans/jiangjin-vet-2021/tasks/+6",
                            "plans/jiangjin-vet-2021/tasks/ 6", "plans/jiangjin-vet-2021/tasks/6 ",
                            "plans/jiangjin-vet-2021/tasks/1000000"}) {
    EXPECT_EQ(ParseTaskName(alias, "task").status().code(), absl::StatusCode::kInvalidArgument)
        << alias;
  }
}

TEST(PeriodsTest, QuartersInDistrictTimeWithDeadlineAfterGrace) {
  auto p = ParsePeriod("2026-Q3", absl::Hours(24 * 10));
  ASSERT_TRUE(p.ok());
  absl::TimeZone tz = absl::FixedTimeZone(8 * 3600);
  EXPECT_EQ(TimeFromProto(p->start_time()), absl::FromCivil(absl::CivilDay(2026, 7, 1), tz));
  EXPECT_EQ(TimeFromProto(p->end_time()), absl::FromCivil(absl::CivilDay(2026, 10, 1), tz));
  EXPECT_EQ(TimeFromProto(p->deadline()), absl::FromCivil(absl::CivilDay(2026, 10, 11), tz));
  // 2101 on is a typo (and from 2263 on a time TimeToProto cannot hold).
  EXPECT_TRUE(ParsePeriod("2100-Q4", absl::ZeroDuration()).ok());
  for (const char* bad :
       {"2026Q3", "2026-Q5", "abcd-Q1", "2026-Q", "1999-Q1", "", "2101-Q1", "9999-Q4"}) {
    EXPECT_EQ(ParsePeriod(bad, absl::ZeroDuration()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(QuarterIdAt(absl::FromCivil(absl::CivilSecond(2026, 3, 31, 23, 0, 0), tz)), "2026-Q1");
}

TEST(PeriodsTest, ReportableFromPlanStartToTheCurrentQuarter) {
  v1::Plan plan;
  plan.set_start_year(2021);
  plan.set_end_year(2025);
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), absl::FixedTimeZone(8 * 3600));
  auto periods = ReportablePeriods(plan, now, absl::ZeroDuration());
  ASSERT_EQ(periods.size(), 24u);  // 2021-Q1 … 2026-Q4
  EXPECT_EQ(periods.front().id(), "2021-Q1");
  EXPECT_EQ(periods.back().id(), "2026-Q4");
  EXPECT_TRUE(CheckReportable(*ParsePeriod("2026-Q4", absl::ZeroDuration()), plan, now).ok());
  EXPECT_FALSE(CheckReportable(*ParsePeriod("2027-Q1", absl::ZeroDuration()), plan, now).ok());
  EXPECT_FALSE(CheckReportable(*ParsePeriod("2020-Q4", absl::ZeroDuration()), plan, now).ok());
}

// A task led by edu with two co-units, and a 2026-Q3 period due 2026-10-11.
class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    task_.set_name("plans/p/tasks/21");
    task_.set_number(21);
    task_.set_lead_unit("edu");
    task_.add_co_units("hrss");
    task_.add_co_units("cqvie");
    period_ = *ParsePeriod("2026-Q3", absl::Hours(24 * 10));
    deadline_ = TimeFromProto(period_.deadline());
  }
  std::vector<v1::Escalation> At(absl::Time now, const std::set<std::string>& filed,
                                 std::optional<v1::TaskReport> report = std::nullopt) {
    return EscalationsFor(task_, period_, filed, report, now, policy_);
  }
  static v1::TaskReport Report(v1::ReportState state, int times_returned = 0) {
    v1::TaskReport r;
    r.set_state(state);
    r.set_times_returned(times_returned);
    return r;
  }
  v1::Task task_;
  v1::Period period_;
  absl::Time deadline_;
  EscalationPolicy policy_;
};

TEST_F(WorkflowTest, OnlyResponsibleUnitsFileForThemselves) {
  Principal edu{Role::kDepartment, "edu"};
  Principal finance{Role::kDepartment, "finance"};
  Principal coordinator{Role::kCoordinator, ""};
  EXPECT_TRUE(CheckCanFileProgress(edu, task_, "edu", std::nullopt, false).ok());
  EXPECT_EQ(CheckCanFileProgress(finance, task_, "finance", std::nullopt, false).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckCanFileProgress(edu, task_, "hrss", std::nullopt, false).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckCanFileProgress(coordinator, task_, "", std::nullopt, false).code(),
            absl::StatusCode::kPermissionDenied);
  // Locked while under review or accepted; open again once returned.
  EXPECT_EQ(
      CheckCanFileProgress(edu, task_, "edu", Report(v1::REPORT_STATE_SUBMITTED), false).code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      CheckCanFileProgress(edu, task_, "edu", Report(v1::REPORT_STATE_RETURNED), true).ok());
}

// The lead may submit after the deadline without a co-unit; that co-unit may
// still file once while the report is under review, never after acceptance,
// and one that filed before cannot change what was consolidated.
TEST_F(WorkflowTest, ACoUnitTheLeadWentWithoutFilesWhileTheReportIsUnderReview) {
  Principal hrss{Role::kDepartment, "hrss"};
  EXPECT_TRUE(
      CheckCanFileProgress(hrss, task_, "hrss", Report(v1::REPORT_STATE_SUBMITTED), false).ok());
  absl::Status refiled =
      CheckCanFileProgress(hrss, task_, "hrss", Report(v1::REPORT_STATE_SUBMITTED), true);
  EXPECT_EQ(refiled.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(refiled), "REPORT_LOCKED");
  EXPECT_EQ(
      ReasonOf(CheckCanFileProgress(hrss, task_, "hrss", Report(v1::REPORT_STATE_ACCEPTED), false)),
      "REPORT_LOCKED");
}

TEST_F(WorkflowTest, LeadSubmitsWhenCoUnitsFiledOrAfterTheDeadline) {
  Principal edu{Role::kDepartment, "edu"};
  Principal hrss{Role::kDepartment, "hrss"};
  absl::Time before = deadline_ - absl::Hours(1);
  EXPECT_TRUE(CheckCanSubmitReport(edu, task_, std::nullopt, {}, period_, before).ok());
  absl::Status missing = CheckCanSubmitReport(edu, task_, std::nullopt, {"cqvie"}, period_, before);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(missing), "CO_UNITS_MISSING");
  EXPECT_TRUE(CheckCanSubmitReport(edu, task_, std::nullopt, {"cqvie"}, period_, deadline_).ok());
  EXPECT_EQ(CheckCanSubmitReport(hrss, task_, std::nullopt, {}, period_, before).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckCanSubmitReport(edu, task_, Report(v1::REPORT_STATE_ACCEPTED), {}, period_, before)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      CheckCanSubmitReport(edu, task_, Report(v1::REPORT_STATE_RETURNED), {}, period_, before)
          .ok());
}

TEST_F(WorkflowTest, OnlyTheCoordinatorReviewsASubmittedReport) {
  Principal coordinator{Role::kCoordinator, ""};
  Principal edu{Role::kDepartment, "edu"};
  EXPECT_TRUE(CheckCanReview(coordinator, Report(v1::REPORT_STATE_SUBMITTED)).ok());
  EXPECT_EQ(CheckCanReview(edu, Report(v1::REPORT_STATE_SUBMITTED)).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CheckCanReview(coordinator, std::nullopt).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCanReview(coordinator, Report(v1::REPORT_STATE_ACCEPTED)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(WorkflowTest, LadderClimbsFromReminderToYellowToRed) {
  EXPECT_TRUE(At(deadline_ - absl::Hours(24 * 8), {}).empty());

  auto reminders = At(deadline_ - absl::Hours(24 * 6), {"edu"});
  ASSERT_EQ(reminders.size(), 3u);  // hrss and cqvie progress, edu's report
  for (const auto& e : reminders) EXPECT_EQ(e.level(), v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(reminders[0].unit(), "hrss");
  EXPECT_EQ(reminders[2].owed(), "REPORT");
  EXPECT_EQ(reminders[2].unit(), "edu");

  auto yellow = At(deadline_ + absl::Hours(1), {"edu", "hrss"});
  ASSERT_EQ(yellow.size(), 2u);  // cqvie's progress, edu's report
  for (const auto& e : yellow) EXPECT_EQ(e.level(), v1::ESCALATION_LEVEL_YELLOW);
  auto red = At(deadline_ + absl::Hours(24 * 31), {"edu", "hrss"});
  ASSERT_EQ(red.size(), 2u);
  EXPECT_EQ(red[0].level(), v1::ESCALATION_LEVEL_RED);
  EXPECT_EQ(red[0].unit(), "cqvie");
  EXPECT_NE(red[0].reason().find("overdue by 31 days"), std::string::npos);
}

// Submission waits for the co-units only: the lead owes its report, not a
// filing of its own, so the ladder never chases the lead for one.
TEST_F(WorkflowTest, TheLeadOwesTheReportNotAFiling) {
  auto late = At(deadline_ + absl::Hours(1), {});
  int from_the_lead = 0;
  for (const auto& e : late) {
    if (e.unit() != "edu") continue;
    ++from_the_lead;
    EXPECT_EQ(e.owed(), "REPORT");
  }
  EXPECT_EQ(from_the_lead, 1);
  EXPECT_EQ(late.size(), 3u);  // hrss's and cqvie's progress, edu's report
  task_.clear_co_units();
  auto alone = At(deadline_ + absl::Hours(1), {});
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].owed(), "REPORT");
}

TEST_F(WorkflowTest, ASchoolReadsOnlyTheTasksItLeadsOrShares) {
  EXPECT_TRUE(CanReadTask(Principal{Role::kSchool, "cqvie"}, task_));
  EXPECT_FALSE(CanReadTask(Principal{Role::kSchool, "cqepc"}, task_));
  EXPECT_EQ(CheckCanReadTaskIn(Principal{Role::kSchool, "cqepc"}, task_, "2026-Q3").code(),
            absl::StatusCode::kPermissionDenied);
  for (Role role : {Role::kCoordinator, Role::kDepartment, Role::kEvaluator}) {
    EXPECT_TRUE(CanReadTask(Principal{role, "finance"}, task_));
  }
  EXPECT_FALSE(CanReadTask(Principal{Role::kOperator, ""}, task_));
  EXPECT_FALSE(CanReadTask(Principal{Role::kExchange, ""}, task_));
}

// Found in use: a school removed from a task could no longer read what it
// had filed, nor the 督办 addressed to it. A removed unit is kept as a former
// unit, which a school may still read; named again, it is responsible again.
TEST_F(WorkflowTest, AUnitRemovedFromATaskIsKeptAsAFormerUnit) {
  v1::Task corrected = task_;
  corrected.clear_co_units();
  corrected.add_co_units("hrss");
  corrected.set_lead_unit("sci");
  NoteFormerUnits(task_, &corrected);
  EXPECT_EQ(
      std::vector<std::string>(corrected.former_units().begin(), corrected.former_units().end()),
      (std::vector<std::string>{"edu", "cqvie"}));
  // Its own part only: not the task, nor another unit's part.
  const Principal cqvie{Role::kSchool, "cqvie"};
  EXPECT_FALSE(IsResponsible(corrected, "cqvie"));
  EXPECT_FALSE(CanReadTask(cqvie, corrected));
  EXPECT_TRUE(CanReadUnitsPart(cqvie, corrected, "cqvie", "2026-Q3"));
  EXPECT_FALSE(CanReadUnitsPart(cqvie, corrected, "hrss", "2026-Q3"));
  EXPECT_FALSE(CanReadUnitsPart(Principal{Role::kSchool, "cqepc"}, corrected, "cqepc", "2026-Q3"));
  EXPECT_TRUE(CanReadUnitsPart(Principal{Role::kDepartment, "fin"}, corrected, "hrss", "2026-Q3"));

  v1::Task again = corrected;
  again.add_co_units("cqvie");
  NoteFormerUnits(corrected, &again);
  EXPECT_EQ(std::vector<std::string>(again.former_units().begin(), again.former_units().end()),
            (std::vector<std::string>{"edu"}));
  NoteFormerUnits(again, &again);  // nothing changed, nothing noted twice
  EXPECT_EQ(again.former_units_size(), 1);
}

// The lead's report is owed until submitted; a co-unit's filing until it is
// filed or the report is accepted, so a unit the lead went without after the
// deadline is still chased while the report is under review.
TEST_F(WorkflowTest, ASubmittedReportEndsTheLeadsLadderAndAnAcceptedOneEveryones) {
  absl::Time late = deadline_ + absl::Hours(24 * 60);
  EXPECT_TRUE(At(late, {"edu", "hrss", "cqvie"}, Report(v1::REPORT_STATE_SUBMITTED)).empty());
  auto without_cqvie = At(late, {"edu", "hrss"}, Report(v1::REPORT_STATE_SUBMITTED));
  ASSERT_EQ(without_cqvie.size(), 1u);
  EXPECT_EQ(without_cqvie[0].unit(), "cqvie");
  EXPECT_EQ(without_cqvie[0].owed(), "PROGRESS");
  EXPECT_EQ(without_cqvie[0].level(), v1::ESCALATION_LEVEL_RED);
  EXPECT_TRUE(At(late, {"edu"}, Report(v1::REPORT_STATE_ACCEPTED)).empty());
}

TEST_F(WorkflowTest, RepeatedReturnsAreRedEvenBeforeTheDeadline) {
  absl::Time early = deadline_ - absl::Hours(24 * 30);
  auto once = At(early, {"edu", "hrss", "cqvie"}, Report(v1::REPORT_STATE_RETURNED, 1));
  EXPECT_TRUE(once.empty());
  auto twice = At(early, {"edu", "hrss", "cqvie"}, Report(v1::REPORT_STATE_RETURNED, 2));
  ASSERT_EQ(twice.size(), 1u);
  EXPECT_EQ(twice[0].level(), v1::ESCALATION_LEVEL_RED);
  EXPECT_EQ(twice[0].owed(), "REPORT");
  EXPECT_EQ(twice[0].reason(), "returned 2 times");
}

TEST_F(WorkflowTest, ThresholdsAreConfigurable) {
  policy_.red_after = absl::Hours(24 * 3);
  auto red = At(deadline_ + absl::Hours(24 * 4), {"edu", "hrss", "cqvie"});
  ASSERT_EQ(red.size(), 1u);
  EXPECT_EQ(red[0].level(), v1::ESCALATION_LEVEL_RED);
}

}  // namespace
}  // namespace vetrack::tasks
