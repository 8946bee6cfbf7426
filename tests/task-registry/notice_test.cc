// 督办 notices: the coordinator issues one for what the ladder shows overdue,
// the unit answers it, and it is settled by delivering what it demands.
#include <gtest/gtest.h>

#include <set>

#include "clock/timestamp.h"
#include "notices.h"
#include "registry_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {

const std::string kPlan = "plans/jiangjin-vet-2021";

class NoticeTest : public RegistryTest {
 protected:
  static v1::IssueNoticeRequest Demand(const std::string& unit, const std::string& owed,
                                       const std::string& request_id,
                                       const std::string& period = "2026-Q3") {
    v1::IssueNoticeRequest req;
    req.set_task(kTask8);
    req.set_period_id(period);
    req.set_unit(unit);
    req.set_owed(owed);
    req.set_message("请于三日内报送进展");
    req.set_request_id(request_id);
    return req;
  }

  absl::StatusOr<v1::Notice> Issue(const v1::IssueNoticeRequest& req,
                                   const Principal& caller = Principal{Role::kCoordinator, ""}) {
    return IssueThrough(registry_, req, caller);
  }
  static absl::StatusOr<v1::Notice> IssueThrough(TaskRegistry& registry,
                                                 const v1::IssueNoticeRequest& req,
                                                 const Principal& caller = Principal{
                                                     Role::kCoordinator, ""}) {
    if (absl::Status valid = Validate(req); !valid.ok()) return valid;
    return registry.IssueNotice(caller, req);
  }

  absl::StatusOr<v1::Notice> Answer(const std::string& name, const std::string& unit,
                                    const std::string& request_id, const std::string& etag = "",
                                    Role role = Role::kDepartment) {
    v1::AcknowledgeNoticeRequest req;
    req.set_name(name);
    req.set_response("已安排专人，本周内报送");
    req.set_request_id(request_id);
    req.set_etag(etag);
    if (absl::Status valid = Validate(req); !valid.ok()) return valid;
    return registry_.AcknowledgeNotice(Principal{role, unit}, req);
  }

  v1::Notice Get(const std::string& name) {
    v1::GetNoticeRequest req;
    req.set_name(name);
    auto got = registry_.GetNotice(coordinator_, req);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.ok() ? *got : v1::Notice();
  }

  // Every page of the listing, page_size at a time.
  std::vector<v1::Notice> List(v1::ListNoticesRequest req, int page_size,
                               const Principal& caller = Principal{Role::kCoordinator, ""}) {
    req.set_plan(kPlan);
    req.set_page_size(page_size);
    std::vector<v1::Notice> all;
    for (int pages = 0; pages < 50; ++pages) {
      EXPECT_TRUE(Validate(req).ok());
      auto page = registry_.ListNotices(caller, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      all.insert(all.end(), page->notices().begin(), page->notices().end());
      if (page->next_page_token().empty()) break;
      req.set_page_token(page->next_page_token());
    }
    return all;
  }

  // Task 8's ladder for `period`; empty: the default quarters.
  std::vector<v1::Escalation> Escalations(const std::string& period) {
    v1::ListEscalationsRequest req;
    req.set_plan(kPlan);
    req.set_period_id(period);
    req.set_page_size(500);
    auto listed = registry_.ListEscalations(coordinator_, req);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<v1::Escalation> task8;
    for (const auto& e : listed->escalations()) {
      if (e.task() == kTask8) task8.push_back(e);
    }
    return task8;
  }

  void SetDate(int month, int day) {
    clock_.Set(absl::FromCivil(absl::CivilSecond(2026, month, day, 10, 0, 0), kTz));
  }
};

const v1::Escalation* Find(const std::vector<v1::Escalation>& ladder, const std::string& unit,
                           const std::string& owed) {
  for (const auto& e : ladder) {
    if (e.unit() == unit && e.owed() == owed) return &e;
  }
  return nullptr;
}

TEST_F(NoticeTest, OnlyTheCoordinatorIssuesAndOnlyForWhatIsOverdue) {
  SetDate(10, 5);  // 2026-Q3 is due on 10 October: the ladder only reminds
  auto early = Issue(Demand("hrss", "PROGRESS", "n-early"));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition) << early.status();
  EXPECT_EQ(ReasonOf(early.status()), "NOT_OVERDUE");

  SetDate(10, 20);
  auto by_lead = Issue(Demand("hrss", "PROGRESS", "n-lead"), Principal{Role::kDepartment, "edu"});
  EXPECT_EQ(by_lead.status().code(), absl::StatusCode::kPermissionDenied);
  auto not_on_task = Issue(Demand("fin", "PROGRESS", "n-fin"));
  EXPECT_EQ(ReasonOf(not_on_task.status()), "NOTHING_OWED") << not_on_task.status();
  auto lead_files_no_progress = Issue(Demand("edu", "PROGRESS", "n-edu"));
  EXPECT_EQ(ReasonOf(lead_files_no_progress.status()), "NOTHING_OWED")
      << "the lead owes its report, not a filing";

  auto red_too_soon = Demand("hrss", "PROGRESS", "n-red");
  red_too_soon.set_level(v1::ESCALATION_LEVEL_RED);
  auto refused_red = Issue(red_too_soon);
  EXPECT_EQ(refused_red.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(refused_red.status()), "NOT_THAT_OVERDUE") << refused_red.status();

  auto issued = Issue(Demand("hrss", "PROGRESS", "n-1"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->name(), kTask8 + "/periods/2026-Q3/notices/yellow-progress-hrss");
  EXPECT_EQ(issued->level(), v1::ESCALATION_LEVEL_YELLOW) << "the ladder's level";
  EXPECT_EQ(issued->state(), v1::NOTICE_STATE_ISSUED);
  EXPECT_TRUE(issued->outstanding());
  EXPECT_FALSE(issued->response_overdue());
  EXPECT_EQ(issued->issued_by(), "coordinator");
  EXPECT_EQ(TimeFromProto(issued->respond_by()), clock_.Now() + absl::Hours(24 * 7));
  EXPECT_EQ(issued->etag(), "1");

  auto replay = Issue(Demand("hrss", "PROGRESS", "n-1"));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->name(), issued->name());
  auto again = Issue(Demand("hrss", "PROGRESS", "n-2"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();

  auto ladder = Escalations("2026-Q3");
  const v1::Escalation* hrss = Find(ladder, "hrss", "PROGRESS");
  ASSERT_NE(hrss, nullptr);
  EXPECT_EQ(hrss->notice(), issued->name());
  EXPECT_EQ(hrss->notice_state(), v1::NOTICE_STATE_ISSUED);
  const v1::Escalation* ndrc = Find(ladder, "ndrc", "PROGRESS");
  ASSERT_NE(ndrc, nullptr);
  EXPECT_TRUE(ndrc->notice().empty());

  auto history = History();
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().action(), "ISSUE_NOTICE");
  EXPECT_EQ(history.back().period_id(), "2026-Q3");
  EXPECT_NE(history.back().detail().find("yellow 督办 to hrss"), std::string::npos)
      << history.back().detail();
}

// Found in use: a notice for a quarter before vetrack began tracking the
// plan (2026-Q3 here; the coordinator looked 2026-Q2 up by name) vanished
// from the default ladder, and so from the workbench and the overview. What
// was chased is listed until it is resolved, and only that of its quarter.
TEST_F(NoticeTest, WhatWasChasedInAQuarterBeforeTrackingIsListedUntilResolved) {
  SetDate(10, 20);
  auto by_default = [&](const std::string& period) {
    std::vector<v1::Escalation> of_period;
    for (const auto& e : Escalations("")) {
      if (e.period_id() == period) of_period.push_back(e);
    }
    return of_period;
  };
  EXPECT_TRUE(by_default("2026-Q2").empty()) << "before tracking began";
  EXPECT_FALSE(by_default("2026-Q3").empty());
  ASSERT_NE(Find(Escalations("2026-Q2"), "ndrc", "PROGRESS"), nullptr);

  auto issued = Issue(Demand("hrss", "PROGRESS", "n-q2", "2026-Q2"));
  ASSERT_TRUE(issued.ok()) << issued.status();
  auto chased = by_default("2026-Q2");
  ASSERT_EQ(chased.size(), 1u);
  EXPECT_EQ(chased[0].unit(), "hrss");
  EXPECT_EQ(chased[0].owed(), "PROGRESS");
  EXPECT_EQ(chased[0].notice(), issued->name());

  v1::FileProgressRequest filing = Filing("二季度进展", "f-q2");
  filing.set_period_id("2026-Q2");
  ASSERT_TRUE(registry_.FileProgress(Principal{Role::kDepartment, "hrss"}, filing).ok());
  EXPECT_TRUE(by_default("2026-Q2").empty()) << "resolved";
}

TEST_F(NoticeTest, TheUnitAnswersOnceAndDeliveringSettlesIt) {
  SetDate(10, 20);
  auto to_hrss = Issue(Demand("hrss", "PROGRESS", "n-hrss"));
  auto to_ndrc = Issue(Demand("ndrc", "PROGRESS", "n-ndrc"));
  ASSERT_TRUE(to_hrss.ok() && to_ndrc.ok()) << to_hrss.status() << to_ndrc.status();

  EXPECT_EQ(Answer(to_hrss->name(), "ndrc", "a-wrong").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Answer(to_hrss->name(), "", "a-coord", "", Role::kCoordinator).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Answer(to_ndrc->name(), "ndrc", "a-stale", "7").status().code(),
            absl::StatusCode::kAborted);

  auto answered = Answer(to_hrss->name(), "hrss", "a-1", "1");
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->state(), v1::NOTICE_STATE_ACKNOWLEDGED);
  EXPECT_EQ(answered->acknowledged_by(), "department:hrss");
  EXPECT_EQ(answered->etag(), "2");
  EXPECT_TRUE(answered->outstanding()) << "answering is not delivering";
  EXPECT_EQ(ReasonOf(Answer(to_hrss->name(), "hrss", "a-2").status()), "NOTICE_ANSWERED");
  EXPECT_EQ(History().back().action(), "ACKNOWLEDGE_NOTICE");

  // Eight days on: ndrc never answered, hrss did in time.
  SetDate(10, 28);
  EXPECT_TRUE(Get(to_ndrc->name()).response_overdue());
  EXPECT_FALSE(Get(to_hrss->name()).response_overdue());

  ASSERT_TRUE(File("hrss", "进展", "f-hrss").ok());
  EXPECT_FALSE(Get(to_hrss->name()).outstanding());
  EXPECT_TRUE(Get(to_ndrc->name()).outstanding());
  v1::ListNoticesRequest outstanding;
  outstanding.set_outstanding_only(true);
  auto listed = List(outstanding, 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name(), to_ndrc->name());
  // The ladder no longer lists hrss, so no notice is shown for it there.
  EXPECT_EQ(Find(Escalations("2026-Q3"), "hrss", "PROGRESS"), nullptr);
}

// Found in use: a 督办 addressed to a school vanished from its notices once
// the coordinator removed it from the task. It still answers for the quarters
// before the correction (reassignment_test.cc) and reads their notices; of a
// quarter it did not answer for, only its own part.
TEST_F(NoticeTest, ASchoolRemovedFromATaskStillSeesTheNoticeAddressedToIt) {
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci", "cqvie"}, "1", "add-cqvie").ok());
  SetDate(10, 20);
  auto to_cqvie = Issue(Demand("cqvie", "PROGRESS", "n-cqvie"));
  auto to_hrss = Issue(Demand("hrss", "PROGRESS", "n-hrss"));
  ASSERT_TRUE(to_cqvie.ok() && to_hrss.ok()) << to_cqvie.status() << to_hrss.status();
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci"}, "2", "remove-cqvie").ok());

  const Principal cqvie{Role::kSchool, "cqvie"};
  EXPECT_EQ(List(v1::ListNoticesRequest(), 10, cqvie).size(), 2u);  // 2026-Q3 was its quarter
  v1::GetNoticeRequest other;
  other.set_name(to_hrss->name());
  EXPECT_TRUE(registry_.GetNotice(cqvie, other).ok());

  // Added back and removed again within 2026-Q4, it answered for no quarter
  // more: of 2026-Q4 it reads its own filing, and nothing else.
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci", "cqvie"}, "3", "add-cqvie-q4").ok());
  v1::FileProgressRequest filing = Filing("学校第四季度进展", "r-cqvie-q4");
  filing.set_period_id("2026-Q4");
  ASSERT_TRUE(registry_.FileProgress(cqvie, filing).ok());
  ASSERT_TRUE(CorrectCoUnits({"hrss", "ndrc", "sci"}, "4", "remove-cqvie-q4").ok());
  v1::ListProgressRevisionsRequest own;
  own.set_task(kTask8);
  own.set_period_id("2026-Q4");
  own.set_unit("cqvie");
  auto revisions = registry_.ListProgressRevisions(cqvie, own);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  EXPECT_EQ(revisions->revisions_size(), 1);
  own.set_unit("hrss");
  EXPECT_EQ(registry_.ListProgressRevisions(cqvie, own).status().code(),
            absl::StatusCode::kPermissionDenied);
  // The task's own listings of that quarter are not its to read.
  v1::ListProgressRequest progress;
  progress.set_task(kTask8);
  progress.set_period_id("2026-Q4");
  EXPECT_EQ(registry_.ListProgress(cqvie, progress).status().code(),
            absl::StatusCode::kPermissionDenied);
  progress.set_period_id("2026-Q3");
  EXPECT_TRUE(registry_.ListProgress(cqvie, progress).ok());
}

TEST_F(NoticeTest, ARedNoticeFollowsAYellowOneAndListingsPageByQuarter) {
  SetDate(10, 20);
  auto yellow = Issue(Demand("edu", "REPORT", "n-y"));
  ASSERT_TRUE(yellow.ok()) << yellow.status();
  EXPECT_EQ(yellow->level(), v1::ESCALATION_LEVEL_YELLOW);

  SetDate(11, 15);  // more than 30 days overdue
  auto red = Issue(Demand("edu", "REPORT", "n-r"));
  ASSERT_TRUE(red.ok()) << red.status();
  EXPECT_EQ(red->level(), v1::ESCALATION_LEVEL_RED);
  EXPECT_EQ(red->name(), kTask8 + "/periods/2026-Q3/notices/red-report-edu");
  auto yellow_again = Demand("edu", "REPORT", "n-y2");
  yellow_again.set_level(v1::ESCALATION_LEVEL_YELLOW);
  EXPECT_EQ(Issue(yellow_again).status().code(), absl::StatusCode::kAlreadyExists);
  auto ladder = Escalations("2026-Q3");
  const v1::Escalation* lead = Find(ladder, "edu", "REPORT");
  ASSERT_NE(lead, nullptr);
  EXPECT_EQ(lead->notice(), red->name()) << "the highest level issued";

  auto task4 = Demand("hrss", "PROGRESS", "n-t4");
  task4.set_task(kPlan + "/tasks/4");
  auto on_task4 = Issue(task4);
  ASSERT_TRUE(on_task4.ok()) << on_task4.status();
  auto older = Issue(Demand("sci", "PROGRESS", "n-q2", "2026-Q2"));
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_EQ(older->level(), v1::ESCALATION_LEVEL_RED);
  auto hrss = Issue(Demand("hrss", "PROGRESS", "n-hrss"));
  ASSERT_TRUE(hrss.ok()) << hrss.status();

  // Newest quarter first, then task, unit, what is owed and level; one at a
  // time gives the same list as all at once.
  auto all = List(v1::ListNoticesRequest(), 100);
  auto paged = List(v1::ListNoticesRequest(), 1);
  std::vector<std::string> names, paged_names;
  for (const auto& n : all) names.push_back(n.name());
  for (const auto& n : paged) paged_names.push_back(n.name());
  EXPECT_EQ(names, (std::vector<std::string>{on_task4->name(), yellow->name(), red->name(),
                                             hrss->name(), older->name()}));
  EXPECT_EQ(paged_names, names);

  v1::ListNoticesRequest of_q2;
  of_q2.set_period_id("2026-Q2");
  EXPECT_EQ(List(of_q2, 10).size(), 1u);
  v1::ListNoticesRequest of_edu;
  of_edu.set_unit("edu");
  EXPECT_EQ(List(of_edu, 10).size(), 2u);
  v1::ListNoticesRequest of_task4;
  of_task4.set_task(kPlan + "/tasks/4");
  EXPECT_EQ(List(of_task4, 10).size(), 1u);
  EXPECT_TRUE(List(v1::ListNoticesRequest(), 10, Principal{Role::kOperator, ""}).empty())
      << "operators do not read tasks' filings, nor their notices";
}

TEST_F(NoticeTest, ANoticeMadeMootByAFilingMeanwhileIsRefused) {
  SetDate(10, 20);
  InterleavingStore replica_store(client_);
  TaskRegistry replica(replica_store, clock_);
  replica_store.after_progress_read = [&] { ASSERT_TRUE(File("hrss", "进展", "f-race").ok()); };
  auto raced = IssueThrough(replica, Demand("hrss", "PROGRESS", "n-race"));
  EXPECT_EQ(ReasonOf(raced.status()), "NOTHING_OWED") << raced.status();
  v1::ListNoticesRequest all;
  EXPECT_TRUE(List(all, 10).empty());
}

// Another replica issues the red notice while this one decides a yellow on
// reads without it: the yellow must not be stored beside the red.
TEST_F(NoticeTest, AYellowDecidedWhileARedWasIssuedIsRefused) {
  SetDate(11, 15);
  InterleavingStore replica_store(client_);
  TaskRegistry replica(replica_store, clock_);
  replica_store.after_progress_read = [&] {
    ASSERT_TRUE(Issue(Demand("edu", "REPORT", "n-red")).ok());
  };
  auto yellow = Demand("edu", "REPORT", "n-yellow");
  yellow.set_level(v1::ESCALATION_LEVEL_YELLOW);
  auto raced = IssueThrough(replica, yellow);
  EXPECT_EQ(ReasonOf(raced.status()), "NOTICE_ISSUED") << raced.status();
  auto listed = List(v1::ListNoticesRequest(), 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].level(), v1::ESCALATION_LEVEL_RED);
}

// Two answers at once (say, two clerks of the unit): the one that loses the
// race learns that the notice was answered, and the first answer stands.
TEST_F(NoticeTest, TheSecondOfTwoAnswersAtOnceLearnsItWasAnswered) {
  SetDate(10, 20);
  auto notice = Issue(Demand("hrss", "PROGRESS", "n-1"));
  ASSERT_TRUE(notice.ok()) << notice.status();
  InterleavingStore replica_store(client_);
  TaskRegistry replica(replica_store, clock_);
  replica_store.after_progress_read = [&] {
    ASSERT_TRUE(Answer(notice->name(), "hrss", "a-first").ok());
  };
  v1::AcknowledgeNoticeRequest second;
  second.set_name(notice->name());
  second.set_response("另一答复");
  second.set_request_id("a-second");
  auto raced = replica.AcknowledgeNotice(Principal{Role::kDepartment, "hrss"}, second);
  EXPECT_EQ(ReasonOf(raced.status()), "NOTICE_ANSWERED") << raced.status();
  EXPECT_EQ(Get(notice->name()).response(), "已安排专人，本周内报送");
}

TEST_F(NoticeTest, BadRequestsNameTheirField) {
  auto field_of = [](const absl::Status& status) {
    auto violations = FieldViolationsOf(status);
    return violations.empty() ? std::string() : violations.front().field;
  };
  auto bad_owed = Demand("hrss", "MONEY", "n-bad");
  EXPECT_EQ(field_of(Validate(bad_owed)), "owed");
  auto reminder = Demand("hrss", "PROGRESS", "n-bad");
  reminder.set_level(v1::ESCALATION_LEVEL_REMINDER);
  EXPECT_EQ(field_of(Validate(reminder)), "level");
  auto silent = Demand("hrss", "PROGRESS", "n-bad");
  silent.clear_message();
  EXPECT_EQ(field_of(Validate(silent)), "message");
  auto no_unit = Demand("", "PROGRESS", "n-bad");
  EXPECT_EQ(field_of(Validate(no_unit)), "unit");

  SetDate(10, 20);
  auto past = Demand("hrss", "PROGRESS", "n-past");
  *past.mutable_respond_by() = TimeToProto(clock_.Now() - absl::Hours(1));
  auto refused = Issue(past);
  EXPECT_EQ(field_of(refused.status()), "respond_by") << refused.status();
  auto far = Demand("hrss", "PROGRESS", "n-far");
  *far.mutable_respond_by() = TimeToProto(clock_.Now() + absl::Hours(24 * 93));
  EXPECT_EQ(field_of(Issue(far).status()), "respond_by");
  auto longest = Demand("hrss", "PROGRESS", "n-longest");
  *longest.mutable_respond_by() = TimeToProto(clock_.Now() + absl::Hours(24 * 92));
  EXPECT_TRUE(Issue(longest).ok()) << "92 days is the longest allowed";

  for (const char* name :
       {"plans/jiangjin-vet-2021/tasks/8/periods/2026-Q3/notices/green-progress-hrss",
        "plans/jiangjin-vet-2021/tasks/8/periods/2026-Q3/notices/red-money-hrss",
        "plans/jiangjin-vet-2021/tasks/08/periods/2026-Q3/notices/red-report-edu",
        "plans/jiangjin-vet-2021/tasks/8/periods/2026-Q9/notices/red-report-edu",
        "plans/jiangjin-vet-2021/tasks/8/periods/2026-Q3/notices/red-report-"}) {
    v1::GetNoticeRequest get;
    get.set_name(name);
    EXPECT_EQ(field_of(Validate(get)), "name") << name;
  }
  v1::AcknowledgeNoticeRequest malformed_etag;
  malformed_etag.set_name(kTask8 + "/periods/2026-Q3/notices/red-report-edu");
  malformed_etag.set_response("已安排");
  malformed_etag.set_request_id("a-zz");
  malformed_etag.set_etag("zz");
  EXPECT_EQ(field_of(Validate(malformed_etag)), "etag");
  malformed_etag.set_etag("3");
  EXPECT_TRUE(Validate(malformed_etag).ok()) << Validate(malformed_etag);
  auto parsed = ParseNoticeName(
      "plans/jiangjin-vet-2021/tasks/8/periods/2026-Q3/notices/red-report-a-b", "n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->unit, "a-b") << "a unit code may hold dashes";
  EXPECT_EQ(parsed->owed, "REPORT");
  EXPECT_EQ(NoticeName(*parsed),
            "plans/jiangjin-vet-2021/tasks/8/periods/2026-Q3/notices/red-report-a-b");

  v1::GetNoticeRequest missing;
  missing.set_name(kTask8 + "/periods/2026-Q3/notices/red-report-edu");
  EXPECT_EQ(registry_.GetNotice(coordinator_, missing).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vetrack::tasks
