// Diffs of submitted revisions: what a resubmission changed, and what of it
// the return before it did not ask for (a school may change more than it was
// asked to; the reviewer should see that before accepting).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "reporting_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

constexpr char kQualityReport[] = "institutions/cqvie/qualityReports/cy2025";

class RevisionDiffTest : public ReportingTest {
 protected:
  absl::StatusOr<v1::QualityReport> ReturnQuality(const std::string& item,
                                                  const std::string& request_id) {
    v1::ReviewQualityReportRequest review;
    review.set_name(kQualityReport);
    review.set_decision(v1::REVIEW_DECISION_RETURN);
    v1::ItemReturn* returned = review.add_returns();
    returned->set_item(item);
    returned->set_reason("与统计不符");
    review.set_request_id(request_id);
    return reporting_.ReviewQualityReport(coordinator_, review);
  }

  // cqvie's ay2025 data report saved and submitted as revision n.
  void SubmitData(const v1::DataReport& report, int n) {
    ASSERT_TRUE(Save(report, absl::StrCat("save-", n)).ok());
    ASSERT_TRUE(Submit(kCqvie2025, absl::StrCat("submit-", n)).ok());
  }
  // Revision n reviewed: returned with `item`, or accepted without one.
  void ReviewData(int n, const std::string& item = "") {
    std::vector<std::pair<std::string, std::string>> returns;
    if (!item.empty()) returns.push_back({item, "请核实"});
    ASSERT_TRUE(Review(kCqvie2025, absl::StrCat("review-", n), returns).ok());
  }
  absl::StatusOr<v1::DataReportDiff> DiffData(int from, int to) {
    v1::DiffDataReportRevisionsRequest req;
    req.set_name(kCqvie2025);
    req.set_from_revision(from);
    req.set_to_revision(to);
    return reporting_.DiffDataReportRevisions(coordinator_, req);
  }

  absl::StatusOr<v1::QualityReportDiff> DiffQuality(const Principal& caller, int from, int to) {
    v1::DiffQualityReportRevisionsRequest req;
    req.set_name(kQualityReport);
    req.set_from_revision(from);
    req.set_to_revision(to);
    return reporting_.DiffQualityReportRevisions(caller, req);
  }
};

TEST_F(RevisionDiffTest, AQualityResubmissionShowsWhatChangedAndWhatWasNotAskedFor) {
  ASSERT_TRUE(SubmitQuality("cqvie", {{"employment_rate", 96.5}, {"graduates", 3800}}, "q-1").ok());
  ASSERT_TRUE(ReturnQuality("employment_rate", "r-1").ok());
  // Asked to correct the employment rate; also changes the graduates and
  // adds a figure.
  ASSERT_TRUE(
      SubmitQuality(
          "cqvie",
          {{"employment_rate", 95.1}, {"graduates", 3600}, {"training_person_times", 25000}}, "q-2")
          .ok());

  auto diff = DiffQuality({Role::kDepartment, "edu"}, 1, 2);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->name(), kQualityReport);
  ASSERT_EQ(diff->key_figure_changes_size(), 3);
  EXPECT_EQ(diff->key_figure_changes(0).key(), "employment_rate");
  EXPECT_EQ(diff->key_figure_changes(0).from_figure().value(), 96.5);
  EXPECT_EQ(diff->key_figure_changes(0).to_figure().value(), 95.1);
  EXPECT_EQ(diff->key_figure_changes(1).key(), "graduates");
  EXPECT_EQ(diff->key_figure_changes(2).key(), "training_person_times");
  EXPECT_FALSE(diff->key_figure_changes(2).has_from_figure());
  EXPECT_TRUE(diff->from_title().empty());  // SubmitQuality keeps title and document
  EXPECT_TRUE(diff->to_document_uri().empty());
  EXPECT_TRUE(diff->returned_between());
  ASSERT_EQ(diff->unrequested_changes_size(), 2);
  EXPECT_EQ(diff->unrequested_changes(0), "graduates");
  EXPECT_EQ(diff->unrequested_changes(1), "training_person_times");

  // Backwards, the same changes, and no returns to hold them against.
  auto backwards = DiffQuality({Role::kSchool, "cqvie"}, 2, 1);
  ASSERT_TRUE(backwards.ok()) << backwards.status();
  EXPECT_EQ(backwards->key_figure_changes_size(), 3);
  EXPECT_FALSE(backwards->returned_between());
  EXPECT_EQ(backwards->unrequested_changes_size(), 0);

  // Revisions that do not exist are named; another school may not look.
  EXPECT_TRUE(absl::IsPermissionDenied(DiffQuality({Role::kSchool, "cqepc"}, 1, 2).status()));
  auto missing = DiffQuality(coordinator_, 1, 3);
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_EQ(FirstField(missing.status()), "to_revision");
}

// From revision 1 to 3, what the returns of both 1 and 2 asked for was asked for.
TEST_F(RevisionDiffTest, ADataDiffHoldsTheChangesAgainstEveryReturnInBetween) {
  SubmitData(Complete(kCqvie2025), 1);
  ReviewData(1, "graduates_employed");
  v1::DataReport second = Complete(kCqvie2025);
  (*second.mutable_counts())["graduates_employed"] = 3100;
  SubmitData(second, 2);
  ReviewData(2, "enrolled_students");
  v1::DataReport third = second;
  (*third.mutable_counts())["enrolled_students"] = 12500;
  (*third.mutable_counts())["dual_bases"] = 1;
  third.mutable_majors(0)->set_status(v1::MAJOR_STATUS_UPGRADED);
  SubmitData(third, 3);

  auto diff = DiffData(1, 3);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->count_changes_size(), 3);
  EXPECT_TRUE(diff->returned_between());
  ASSERT_EQ(diff->unrequested_changes_size(), 2);
  EXPECT_EQ(diff->unrequested_changes(0), "dual_bases");
  EXPECT_EQ(diff->unrequested_changes(1), "majors");

  // Only the second return counts from revision 2 on.
  diff = DiffData(2, 3);
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(diff->unrequested_changes_size(), 2);
  EXPECT_EQ(diff->unrequested_changes(0), "dual_bases");

  // Backwards from a returned revision: nothing was asked between them.
  diff = DiffData(2, 1);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->count_changes_size(), 1);
  EXPECT_FALSE(diff->returned_between());
  EXPECT_EQ(diff->unrequested_changes_size(), 0);
}

// A reopening asks for a change by its reason, which no return names: from
// the revision it reopened, or across it, nothing is called unrequested.
TEST_F(RevisionDiffTest, AReopeningLeavesTheRequestsUnknown) {
  SubmitData(Complete(kCqvie2025), 1);
  ReviewData(1, "graduates_employed");
  v1::DataReport second = Complete(kCqvie2025);
  (*second.mutable_counts())["graduates_employed"] = 3100;
  SubmitData(second, 2);
  ReviewData(2);  // accepted
  v1::ReopenDataReportRequest reopen;
  reopen.set_name(kCqvie2025);
  reopen.set_reason("在校生数复核");
  reopen.set_request_id("reopen-1");
  ASSERT_TRUE(reporting_.ReopenDataReport(coordinator_, reopen).ok());
  v1::DataReport third = second;
  (*third.mutable_counts())["enrolled_students"] = 11800;
  SubmitData(third, 3);

  for (int from : {1, 2}) {
    auto diff = DiffData(from, 3);
    ASSERT_TRUE(diff.ok()) << diff.status();
    EXPECT_EQ(diff->count_changes_size(), from == 1 ? 2 : 1) << from;
    EXPECT_FALSE(diff->returned_between()) << from;
    EXPECT_EQ(diff->unrequested_changes_size(), 0) << from;
  }

  // A forward diff reads every revision between: the span is bounded.
  v1::DiffDataReportRevisionsRequest req;
  req.set_name(kCqvie2025);
  req.set_from_revision(1);
  req.set_to_revision(1 + kMaxDiffSpan + 1);
  EXPECT_EQ(FirstField(Validate(req)), "to_revision");
  req.set_to_revision(1 + kMaxDiffSpan);
  EXPECT_TRUE(Validate(req).ok());
}

}  // namespace
}  // namespace vetrack::schools
