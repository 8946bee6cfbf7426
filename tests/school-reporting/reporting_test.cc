// School reporting's domain on its Redis store, against a real redis-server,
// with a fake clock (2026-09-10 in the district): the data-report workflow
// with returns per item, locking, reopening and diffs; bad input changing
// nothing; replays, late submissions, access and the review queue.
// Reference data is in reference_data_test.cc.
#include <gtest/gtest.h>

#include "clock/timestamp.h"
#include "google/protobuf/util/message_differencer.h"
#include "reporting_fixture.h"
#include "status/errors.h"

namespace vetrack::schools {
namespace {

using google::protobuf::util::MessageDifferencer;

// Found in review: reviewing or reopening a report that was never created
// said FAILED_PRECONDITION (NOT_SUBMITTED, NOT_ACCEPTED) where GetDataReport
// says NOT_FOUND.
TEST_F(ReportingTest, ReviewingOrReopeningAReportThatDoesNotExistIsNotFound) {
  const std::string never = "institutions/cqvie/dataReports/ay2030";
  auto reviewed = Review(never, "review-never", {});
  EXPECT_EQ(reviewed.status().code(), absl::StatusCode::kNotFound) << reviewed.status();
  EXPECT_EQ(FieldViolationsOf(reviewed.status()).at(0).field, "name");
  v1::ReopenDataReportRequest reopen;
  reopen.set_name(never);
  reopen.set_reason("复核");
  reopen.set_request_id("reopen-never");
  auto reopened = reporting_.ReopenDataReport(coordinator_, reopen);
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kNotFound) << reopened.status();
}

TEST_F(ReportingTest, WorkflowReturnsPerItemLocksReopensAndDiffs) {
  auto draft = Save(Complete(kCqvie2025), "save-1");
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(draft->revision(), 0);

  auto submitted = Submit(kCqvie2025, "submit-1");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(submitted->revision(), 1);
  EXPECT_FALSE(submitted->late());

  auto returned = Review(kCqvie2025, "review-1",
                         {{"graduates_employed", "与就业质量年报不一致"},
                          {"integration_training_bases", "缺少认定文件"}});
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::REPORT_STATE_RETURNED);
  ASSERT_EQ(returned->returns_size(), 2);
  EXPECT_EQ(returned->returns(0).item(), "graduates_employed");

  v1::DataReport fixed = Complete(kCqvie2025);
  (*fixed.mutable_counts())["graduates_employed"] = 3100;
  (*fixed.mutable_counts())["integration_training_bases"] = 2;
  ASSERT_TRUE(Save(fixed, "save-2").ok());
  EXPECT_EQ(Get(kCqvie2025).state(), v1::REPORT_STATE_RETURNED);  // returns stay visible
  auto resubmitted = Submit(kCqvie2025, "submit-2");
  ASSERT_TRUE(resubmitted.ok());
  EXPECT_EQ(resubmitted->revision(), 2);
  EXPECT_EQ(resubmitted->returns_size(), 0);
  auto accepted = Review(kCqvie2025, "review-2", {});
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(accepted->accepted_revision(), 2);

  // Locked.
  auto locked = Save(fixed, "save-3");
  EXPECT_TRUE(absl::IsFailedPrecondition(locked.status()));
  EXPECT_EQ(ReasonOf(locked.status()), "REPORT_LOCKED");
  // In words (found in use: "the report is REPORT_STATE_ACCEPTED").
  EXPECT_EQ(locked.status().message().rfind("the report is accepted: ", 0), 0u) << locked.status();
  EXPECT_TRUE(absl::IsFailedPrecondition(Submit(kCqvie2025, "submit-3").status()));
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 2);
  EXPECT_EQ(Figures("cqvie", "ay2025").counts().at("graduates_employed"), 3100);

  // Reopened: a new revision is drafted; revision 2 stays the accepted one.
  v1::ReopenDataReportRequest reopen;
  reopen.set_name(kCqvie2025);
  reopen.set_reason("学籍系统复核后在校生数有误");
  reopen.set_request_id("reopen-1");
  auto reopened = reporting_.ReopenDataReport(coordinator_, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state(), v1::REPORT_STATE_DRAFT);
  v1::DataReport corrected = fixed;
  (*corrected.mutable_counts())["enrolled_students"] = 11800;
  ASSERT_TRUE(Save(corrected, "save-4").ok());
  ASSERT_TRUE(Submit(kCqvie2025, "submit-4").ok());
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 2);
  ASSERT_TRUE(Review(kCqvie2025, "review-3", {}).ok());
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 3);
  EXPECT_EQ(Figures("cqvie", "ay2025").counts().at("enrolled_students"), 11800);

  v1::DiffDataReportRevisionsRequest diff_req;
  diff_req.set_name(kCqvie2025);
  diff_req.set_from_revision(1);
  diff_req.set_to_revision(3);
  auto diff = reporting_.DiffDataReportRevisions({Role::kDepartment, "edu"}, diff_req);
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(diff->count_changes_size(), 3);
  EXPECT_EQ(diff->count_changes(0).item(), "enrolled_students");
  EXPECT_EQ(diff->count_changes(0).from_value(), 12000);
  EXPECT_EQ(diff->count_changes(0).to_value(), 11800);
  EXPECT_EQ(diff->count_changes(1).item(), "graduates_employed");
  EXPECT_EQ(diff->count_changes(2).item(), "integration_training_bases");
  diff_req.set_to_revision(4);
  auto missing = reporting_.DiffDataReportRevisions(coordinator_, diff_req);
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(FirstField(missing.status()), "to_revision");

  v1::ListDataReportRevisionsRequest revisions_req;
  revisions_req.set_name(kCqvie2025);
  auto revisions = reporting_.ListDataReportRevisions({Role::kSchool, "cqvie"}, revisions_req);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->revisions_size(), 3);
  EXPECT_EQ(revisions->revisions(0).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(revisions->revisions(0).returns_size(), 2);
  EXPECT_EQ(revisions->revisions(1).state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(revisions->revisions(2).counts().at("enrolled_students"), 11800);

  v1::ListReportHistoryRequest history_req;
  history_req.set_report(kCqvie2025);
  auto history = reporting_.ListReportHistory(coordinator_, history_req);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& e : history->entries()) actions.push_back(e.action() + "@" + e.actor());
  EXPECT_EQ(actions, (std::vector<std::string>{"SAVE_DRAFT@school:cqvie", "SUBMIT@school:cqvie",
                                               "RETURN@coordinator", "SAVE_DRAFT@school:cqvie",
                                               "RESUBMIT@school:cqvie", "ACCEPT@coordinator",
                                               "REOPEN@coordinator", "SAVE_DRAFT@school:cqvie",
                                               "RESUBMIT@school:cqvie", "ACCEPT@coordinator"}));
  EXPECT_EQ(history->entries(2).detail(),
            "graduates_employed: 与就业质量年报不一致; integration_training_bases: 缺少认定文件");
}

TEST_F(ReportingTest, EachBadInputIsRefusedNamingItsFieldAndNothingChanges) {
  ASSERT_TRUE(Save(Complete(kCqvie2025), "good").ok());
  const v1::DataReport before = Get(kCqvie2025);

  struct Case {
    std::string item;
    int64_t value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"graduates", -3, "data_report.counts.graduates"},
      {"dual_qualified_teachers", 501, "data_report.counts.dual_qualified_teachers"},
      {"graduates_further_study", 3801, "data_report.counts.graduates_further_study"},
      {"graduates_employed", 3801, "data_report.counts.graduates_employed"},
      {"classroom_revolution_cases_municipal", 1,
       "data_report.counts.classroom_revolution_cases_municipal"},  // no cases at all reported
      {"no_such_item", 1, "data_report.counts.no_such_item"},
  };
  int n = 0;
  for (const Case& c : cases) {
    v1::DataReport bad = Complete(kCqvie2025);
    if (c.item == "classroom_revolution_cases_municipal") {
      (*bad.mutable_counts())["classroom_revolution_cases"] = 0;
    }
    (*bad.mutable_counts())[c.item] = c.value;
    auto refused = Save(bad, "bad-" + std::to_string(++n));
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << c.item;
    EXPECT_EQ(FirstField(refused.status()), c.field) << c.item;
  }
  v1::DataReport bad_code = Complete(kCqvie2025);
  bad_code.mutable_majors(0)->set_catalog_code("710201");  // a 中职 code at a 高职
  auto refused = Save(bad_code, "bad-code");
  EXPECT_EQ(FirstField(refused.status()), "data_report.majors[0].catalog_code");

  v1::DataReport stale = Complete(kCqvie2025);
  stale.set_etag("9");
  auto aborted = Save(stale, "stale");
  EXPECT_TRUE(absl::IsAborted(aborted.status()));
  EXPECT_EQ(FirstField(aborted.status()), "data_report.etag");

  const v1::DataReport after = Get(kCqvie2025);
  EXPECT_TRUE(MessageDifferencer::Equals(after, before));

  // A submission checks completeness: every missing item at once.
  v1::DataReport partial;
  partial.set_name("institutions/cqgsxx/dataReports/ay2025");
  (*partial.mutable_counts())["enrolled_students"] = 3000;
  ASSERT_TRUE(Save(partial, "partial", "cqgsxx").ok());
  auto incomplete = Submit(partial.name(), "submit-partial", "cqgsxx");
  ASSERT_TRUE(absl::IsInvalidArgument(incomplete.status()));
  EXPECT_EQ(FieldViolationsOf(incomplete.status()).size(), 7u);  // 6 counts and the majors
  EXPECT_EQ(Get(partial.name()).state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(Get(partial.name()).etag(), "1");
}

// An optional item left out means none: a part of it reported without it is
// saved as a draft (the whole may follow) but cannot be submitted.
TEST_F(ReportingTest, APartWithoutItsWholeIsNotSubmitted) {
  v1::DataReport report = Complete(kCqvie2025);
  (*report.mutable_counts())["classroom_revolution_cases_municipal"] = 5;
  ASSERT_TRUE(Save(report, "save").ok());
  auto refused = Submit(kCqvie2025, "submit");
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_EQ(FieldViolationsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FirstField(refused.status()), "counts.classroom_revolution_cases_municipal");
  EXPECT_EQ(Get(kCqvie2025).state(), v1::REPORT_STATE_DRAFT);

  (*report.mutable_counts())["classroom_revolution_cases"] = 5;
  report.set_etag("1");
  ASSERT_TRUE(Save(report, "save-2").ok());
  auto submitted = Submit(kCqvie2025, "submit-2");
  ASSERT_TRUE(submitted.ok()) << submitted.status();

  // Going on and employed are separate destinations of the graduates.
  v1::DataReport overlapping = Complete("institutions/cqepc/dataReports/ay2025");
  (*overlapping.mutable_counts())["graduates_further_study"] = 801;  // + 3000 > 3800
  auto counted_twice = Save(overlapping, "overlap", "cqepc");
  ASSERT_TRUE(absl::IsInvalidArgument(counted_twice.status())) << counted_twice.status();
  EXPECT_EQ(FirstField(counted_twice.status()), "data_report.counts.graduates_employed");
}

TEST_F(ReportingTest, ReplaysAnswerAsBeforeAndAReusedIdIsRefused) {
  auto first = Save(Complete(kCqvie2025), "same");
  auto replay = Save(Complete(kCqvie2025), "same");
  ASSERT_TRUE(first.ok() && replay.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*first, *replay));
  v1::DataReport other = Complete(kCqvie2025);
  (*other.mutable_counts())["graduates"] = 3900;
  auto reused = Save(other, "same");
  EXPECT_TRUE(absl::IsInvalidArgument(reused.status()));
  EXPECT_EQ(FirstField(reused.status()), "request_id");
  EXPECT_EQ(Get(kCqvie2025).etag(), "1");
}

// Found in use: a client saves the draft as it read it, with the fields the
// server writes (state, times, revision, etag); run again with its
// request_id it reads the draft again, now saved, and sends the same counts
// with other such fields. That is the same save: the first answer, not
// "request_id already used for a different request".
TEST_F(ReportingTest, ARetrySendingTheDraftAsReadAgainIsTheSameSave) {
  auto first = Save(Complete(kCqvie2025), "read-modify-write");
  ASSERT_TRUE(first.ok()) << first.status();
  v1::DataReport read_again = Get(kCqvie2025);
  ASSERT_TRUE(read_again.has_update_time());
  auto retried = Save(read_again, "read-modify-write");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*first, *retried));
  EXPECT_EQ(Get(kCqvie2025).etag(), "1") << "saved once";

  (*read_again.mutable_counts())["graduates"] = 3900;
  auto other = Save(read_again, "read-modify-write");
  EXPECT_EQ(FirstField(other.status()), "request_id") << "other counts are another save";
}

TEST_F(ReportingTest, LateSubmissionsAreAcceptedButFlaggedAndLargeMovesWarn) {
  // ay2024 closed on 2025-10-01: accepted, flagged late.
  v1::DataReport last_year = Complete("institutions/cqvie/dataReports/ay2024");
  (*last_year.mutable_counts())["enrolled_students"] = 8000;
  Accepted(last_year, "ay2024");
  EXPECT_TRUE(Get(last_year.name()).late());

  v1::DataReport this_year = Complete(kCqvie2025);  // 12000 students: +50%
  ASSERT_TRUE(Save(this_year, "s").ok());
  auto submitted = Submit(kCqvie2025, "t");
  ASSERT_TRUE(submitted.ok());
  EXPECT_FALSE(submitted->late());
  ASSERT_EQ(submitted->warnings_size(), 1);
  EXPECT_EQ(submitted->warnings(0).item(), "enrolled_students");
  EXPECT_EQ(submitted->warnings(0).previous_value(), 8000);
  EXPECT_DOUBLE_EQ(submitted->warnings(0).change_share(), 0.5);

  // A window the coordinator sets: not open yet.
  v1::UpdatePeriodRequest window;
  window.mutable_period()->set_name("periods/ay2026");
  *window.mutable_period()->mutable_open_time() = TimeToProto(clock_.Now() + absl::Hours(24));
  *window.mutable_period()->mutable_close_time() = TimeToProto(clock_.Now() + absl::Hours(24 * 60));
  window.set_request_id("window-1");
  EXPECT_TRUE(absl::IsPermissionDenied(
      reporting_.UpdatePeriod({Role::kDepartment, "edu"}, window).status()));
  auto period = reporting_.UpdatePeriod(coordinator_, window);
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_TRUE(period->configured());
  auto early = Save(Complete("institutions/cqvie/dataReports/ay2026"), "early");
  EXPECT_TRUE(absl::IsFailedPrecondition(early.status()));
  EXPECT_EQ(ReasonOf(early.status()), "PERIOD_NOT_OPEN");
  auto before_plan = Save(Complete("institutions/cqvie/dataReports/ay2020"), "old");
  EXPECT_TRUE(absl::IsInvalidArgument(before_plan.status()));
}

TEST_F(ReportingTest, OnlyTheSchoolWritesItsReportsAndOnlyReadersReadThem) {
  auto other_school = Save(Complete(kCqvie2025), "x", "cqepc");
  EXPECT_TRUE(absl::IsPermissionDenied(other_school.status()));
  v1::UpdateDataReportRequest by_coordinator;
  *by_coordinator.mutable_data_report() = Complete(kCqvie2025);
  by_coordinator.set_request_id("y");
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.UpdateDataReport(coordinator_, by_coordinator).status()));
  ASSERT_TRUE(Save(Complete(kCqvie2025), "z").ok());

  v1::GetDataReportRequest get;
  get.set_name(kCqvie2025);
  EXPECT_TRUE(reporting_.GetDataReport({Role::kDepartment, "hrss"}, get).ok());
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.GetDataReport({Role::kSchool, "cqepc"}, get).status()));
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.GetDataReport({Role::kExchange, ""}, get).status()));

  v1::ListDataReportsRequest list;
  list.set_period_id("ay2025");
  auto own = reporting_.ListDataReports({Role::kSchool, "cqvie"}, list);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->data_reports_size(), 1);
  EXPECT_EQ(own->missing_institutions_size(), 0);
  auto all = reporting_.ListDataReports({Role::kEvaluator, ""}, list);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->data_reports_size(), 1);
  EXPECT_EQ(all->missing_institutions_size(), 8);
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.ListDataReports({Role::kOperator, ""}, list).status()));
}

TEST_F(ReportingTest, AReviewQueueListedByStateSkipsNoReportWhenOneLeavesIt) {
  // cqepc, cqjtzy and cqvie (code order) submit for the coordinator's queue.
  for (const std::string school : {"cqvie", "cqepc", "cqjtzy"}) {
    const std::string name = "institutions/" + school + "/dataReports/ay2025";
    ASSERT_TRUE(Save(Complete(name), "save-" + school, school).ok());
    ASSERT_TRUE(Submit(name, "submit-" + school, school).ok());
  }
  v1::ListDataReportsRequest queue;
  queue.set_period_id("ay2025");
  queue.set_state(v1::REPORT_STATE_SUBMITTED);
  queue.set_page_size(1);
  std::vector<std::string> seen;
  for (int page = 0; page < 4; ++page) {
    auto listed = reporting_.ListDataReports(coordinator_, queue);
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->missing_institutions_size(), page == 0 ? 6 : 0) << "page " << page;
    for (const auto& report : listed->data_reports()) {
      seen.push_back(report.institution());
      // The coordinator works the queue: what it accepts leaves it.
      ASSERT_TRUE(Review(report.name(), "review-" + report.institution(), {}).ok());
    }
    if (listed->next_page_token().empty()) break;
    queue.set_page_token(listed->next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"institutions/cqepc", "institutions/cqjtzy",
                                            "institutions/cqvie"}));
}

}  // namespace
}  // namespace vetrack::schools
