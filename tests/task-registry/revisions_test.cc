// Earlier revisions of task reports and filings: a resubmission replaces the
// report's summary and a refiling the unit's narrative, and each revision is
// kept as it last stood.
#include <gtest/gtest.h>

#include "registry_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {

class RevisionsTest : public RegistryTest {
 protected:
  void FileAll() {
    for (const std::string unit : {"edu", "hrss", "ndrc", "sci"}) {
      ASSERT_TRUE(File(unit, unit + " 推进", "r-" + unit).ok());
    }
  }
  absl::StatusOr<v1::ListReportRevisionsResponse> ReportRevisions(const Principal& caller,
                                                                  int page_size = 0,
                                                                  const std::string& token = "") {
    v1::ListReportRevisionsRequest req;
    req.set_task(kTask8);
    req.set_period_id("2026-Q3");
    req.set_page_size(page_size);
    req.set_page_token(token);
    return registry_.ListReportRevisions(caller, req);
  }
  absl::StatusOr<v1::ListProgressRevisionsResponse> ProgressRevisions(const std::string& unit) {
    v1::ListProgressRevisionsRequest req;
    req.set_task(kTask8);
    req.set_period_id("2026-Q3");
    req.set_unit(unit);
    return registry_.ListProgressRevisions(coordinator_, req);
  }
  // Forgets the report's kept revision, as if it were written before
  // revisions were kept.
  void Forget(int revision) {
    ASSERT_TRUE(client_
                    .Command({"HDEL", "vt:tr:report:jiangjin-vet-2021:8:2026-Q3",
                              "r" + std::to_string(revision)})
                    .ok());
  }
};

TEST_F(RevisionsTest, EachSubmissionOfAReportIsKeptAsItLastStood) {
  FileAll();
  ASSERT_TRUE(SubmitThrough(registry_, "edu", "第一稿", "s-1").ok());
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_RETURN, "v-1", {"缺少佐证材料"}).ok());
  auto resubmitted = SubmitThrough(registry_, "edu", "第二稿：补充佐证", "s-2");
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.status();
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "v-2").ok());

  auto listed = ReportRevisions(coordinator_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 2);
  const v1::TaskReport& first = listed->revisions(0);
  EXPECT_EQ(first.revision(), 1);
  EXPECT_EQ(first.summary(), "第一稿");
  EXPECT_EQ(first.state(), v1::REPORT_STATE_RETURNED);
  ASSERT_EQ(first.return_reasons_size(), 1);
  EXPECT_EQ(first.return_reasons(0), "缺少佐证材料");
  EXPECT_EQ(first.reviewed_by(), "coordinator");
  EXPECT_TRUE(first.etag().empty());  // a revision is not changed through its etag
  const v1::TaskReport& second = listed->revisions(1);
  EXPECT_EQ(second.revision(), 2);
  EXPECT_EQ(second.summary(), "第二稿：补充佐证");
  EXPECT_EQ(second.state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_TRUE(second.return_reasons().empty());
  EXPECT_TRUE(listed->next_page_token().empty());

  // The history names the revision each submission made.
  std::vector<std::string> submissions;
  for (const auto& e : History()) {
    if (e.action().find("SUBMIT_REPORT") != std::string::npos) submissions.push_back(e.detail());
  }
  EXPECT_EQ(submissions, (std::vector<std::string>{"revision 1: every co-unit had filed",
                                                   "revision 2: every co-unit had filed"}));

  // One at a time.
  auto page1 = ReportRevisions(coordinator_, 1);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->revisions_size(), 1);
  EXPECT_EQ(page1->revisions(0).summary(), "第一稿");
  ASSERT_FALSE(page1->next_page_token().empty());
  auto page2 = ReportRevisions(coordinator_, 1, page1->next_page_token());
  ASSERT_TRUE(page2.ok()) << page2.status();
  ASSERT_EQ(page2->revisions_size(), 1);
  EXPECT_EQ(page2->revisions(0).summary(), "第二稿：补充佐证");
  EXPECT_TRUE(page2->next_page_token().empty());
}

TEST_F(RevisionsTest, ALateCoUnitsFilingIsInTheRevisionUnderReview) {
  ASSERT_TRUE(File("hrss", "配合", "r-hrss").ok());
  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 10, 20), kTz));
  ASSERT_TRUE(Submit("edu", "s-late").ok());
  ASSERT_TRUE(File("sci", "迟报", "r-sci").ok());
  auto listed = ReportRevisions(coordinator_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 1);
  EXPECT_EQ(std::vector<std::string>(listed->revisions(0).missing_units().begin(),
                                     listed->revisions(0).missing_units().end()),
            std::vector<std::string>{"ndrc"});
}

TEST_F(RevisionsTest, EachRefilingIsKeptBesideTheFilingShown) {
  auto first = File("sci", "初报：项目2个", "r-sci-1");
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(File("sci", "更正：项目3个", "r-sci-2", first->etag()).ok());

  EXPECT_EQ(Progress().progress_size(), 1);
  EXPECT_EQ(Progress().progress(0).narrative(), "更正：项目3个");
  auto listed = ProgressRevisions("sci");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 2);
  EXPECT_EQ(listed->revisions(0).revision(), 1);
  EXPECT_EQ(listed->revisions(0).narrative(), "初报：项目2个");
  EXPECT_EQ(listed->revisions(1).revision(), 2);
  EXPECT_EQ(listed->revisions(1).narrative(), "更正：项目3个");
  EXPECT_TRUE(listed->revisions(1).etag().empty());

  auto none = ProgressRevisions("ndrc");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  ASSERT_FALSE(FieldViolationsOf(none.status()).empty());
  EXPECT_EQ(FieldViolationsOf(none.status()).at(0).field, "unit");
  EXPECT_EQ(FieldViolationsOf(none.status()).at(0).description,
            "ndrc has filed nothing for plans/jiangjin-vet-2021/tasks/8 in 2026-Q3");
  // Found in use: a unit not on the task, or none at all, was told the same.
  EXPECT_EQ(FieldViolationsOf(ProgressRevisions("finance").status()).at(0).description,
            "finance has filed nothing for plans/jiangjin-vet-2021/tasks/8 in 2026-Q3, and is not "
            "one of its responsible units");
  EXPECT_EQ(FieldViolationsOf(ProgressRevisions("nosuch").status()).at(0).description,
            "no unit 'nosuch'");
}

TEST_F(RevisionsTest, RevisionsWrittenBeforeTheyWereKeptAreLeftOut) {
  FileAll();
  ASSERT_TRUE(SubmitThrough(registry_, "edu", "第一稿", "s-1").ok());
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_RETURN, "v-1", {"缺少佐证材料"}).ok());
  ASSERT_TRUE(SubmitThrough(registry_, "edu", "第二稿", "s-2").ok());
  Forget(1);
  Forget(2);
  // The report itself stands for its own revision; the first is gone.
  auto listed = ReportRevisions(coordinator_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 1);
  EXPECT_EQ(listed->revisions(0).revision(), 2);
  EXPECT_EQ(listed->revisions(0).summary(), "第二稿");
  EXPECT_TRUE(listed->revisions(0).etag().empty());

  // Its review keeps it from then on.
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "v-2").ok());
  auto kept = client_.Command({"HEXISTS", "vt:tr:report:jiangjin-vet-2021:8:2026-Q3", "r2"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->integer, 1);
  listed = ReportRevisions(coordinator_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 1);
  EXPECT_EQ(listed->revisions(0).state(), v1::REPORT_STATE_ACCEPTED);
}

TEST_F(RevisionsTest, ReadAsTheTaskIsRead) {
  FileAll();
  ASSERT_TRUE(Submit("edu", "s-1").ok());
  const Principal outsider{Role::kSchool, "cqvie"};  // not on task 8
  EXPECT_EQ(ReportRevisions(outsider).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ReportRevisions(Principal{Role::kDepartment, "sci"}).ok());
  v1::ListProgressRevisionsRequest req;
  req.set_task(kTask8);
  req.set_period_id("2026-Q3");
  req.set_unit("sci");
  EXPECT_EQ(registry_.ListProgressRevisions(outsider, req).status().code(),
            absl::StatusCode::kPermissionDenied);

  // No report for a quarter nobody submitted.
  v1::ListReportRevisionsRequest other;
  other.set_task(kTask8);
  other.set_period_id("2026-Q2");
  auto none = registry_.ListReportRevisions(coordinator_, other);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
}

TEST(RevisionsValidationTest, NamesTheOffendingField) {
  v1::ListReportRevisionsRequest report;
  report.set_task(kTask8);
  report.set_period_id("2026-Q3");
  EXPECT_TRUE(Validate(report).ok());
  report.set_page_size(-1);
  EXPECT_EQ(FieldViolationsOf(Validate(report)).at(0).field, "page_size");
  report.set_page_size(0);
  report.set_period_id("2026Q3");
  EXPECT_EQ(FieldViolationsOf(Validate(report)).at(0).field, "period_id");

  v1::ListProgressRevisionsRequest progress;
  progress.set_task(kTask8);
  progress.set_period_id("2026-Q3");
  EXPECT_EQ(FieldViolationsOf(Validate(progress)).at(0).field, "unit");
  progress.set_unit("Not A Code");
  EXPECT_EQ(FieldViolationsOf(Validate(progress)).at(0).field, "unit");
  progress.set_unit("sci");
  EXPECT_TRUE(Validate(progress).ok());
}

}  // namespace
}  // namespace vetrack::tasks
