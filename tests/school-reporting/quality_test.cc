// Quality annual reports (质量年报) and spot checks on the domain: review with
// a return per key figure, bad documents refused, seeded draws that
// reproduce, outcomes recorded once, credibility from the check history.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "interleaving_store.h"
#include "reporting_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

const std::vector<std::pair<std::string, double>> kFigures = {{"enrolled_students", 12000},
                                                              {"employment_rate", 96.5},
                                                              {"graduates", 3800},
                                                              {"training_person_times", 25000}};

std::vector<std::string> Drawn(const v1::SpotCheck& spot_check) {
  std::vector<std::string> out;
  for (const auto& c : spot_check.checks()) out.push_back(c.institution() + "/" + c.item());
  return out;
}

class QualityTest : public ReportingTest {
 protected:
  // Accepts `school`'s cy2025 quality report, or returns its employment rate.
  static v1::ReviewQualityReportRequest QualityReview(const std::string& school, bool accept,
                                                      const std::string& request_id) {
    v1::ReviewQualityReportRequest review;
    review.set_name("institutions/" + school + "/qualityReports/cy2025");
    review.set_decision(accept ? v1::REVIEW_DECISION_ACCEPT : v1::REVIEW_DECISION_RETURN);
    if (!accept) {
      v1::ItemReturn* item = review.add_returns();
      item->set_item("employment_rate");
      item->set_reason("与统计不符");
    }
    review.set_request_id(request_id);
    return review;
  }
  absl::StatusOr<v1::QualityReport> ReviewQuality(const std::string& school, bool accept,
                                                  const std::string& request_id) {
    return reporting_.ReviewQualityReport(coordinator_, QualityReview(school, accept, request_id));
  }

  // The first check of `school` in the draw.
  static int CheckOf(const v1::SpotCheck& spot_check, const std::string& school) {
    for (int i = 0; i < spot_check.checks_size(); ++i) {
      if (spot_check.checks(i).institution() == "institutions/" + school) return i;
    }
    return -1;
  }

  CredibilityCount Tally(const std::string& school) {
    auto tallies = store_.GetCredibility({school});
    EXPECT_TRUE(tallies.ok()) << tallies.status();
    return tallies.ok() ? tallies->front() : CredibilityCount{school};
  }

  absl::StatusOr<v1::SpotCheck> Draw(const std::string& request_id, std::optional<uint64_t> seed,
                                     const std::string& period_id = "cy2025") {
    v1::DrawSpotCheckRequest req;
    req.set_period_id(period_id);
    req.set_institutions_per_type(2);
    req.set_items_per_institution(2);
    if (seed.has_value()) req.set_seed(*seed);
    req.set_request_id(request_id);
    return reporting_.DrawSpotCheck(coordinator_, req);
  }

  absl::StatusOr<v1::SpotCheck> Record(const v1::SpotCheck& spot_check, int check,
                                       v1::CheckOutcome outcome, std::optional<double> verified,
                                       const std::string& request_id) {
    v1::RecordSpotCheckResultRequest req;
    req.set_name(spot_check.name());
    req.set_institution(spot_check.checks(check).institution());
    req.set_item(spot_check.checks(check).item());
    req.set_outcome(outcome);
    if (verified.has_value()) req.set_verified_value(*verified);
    req.set_request_id(request_id);
    req.set_correction_reason(correction_reason);
    return reporting_.RecordSpotCheckResult(coordinator_, req);
  }
  std::string correction_reason;  // sent with every Record while set
};

TEST_F(QualityTest, ReviewedLikeDataReportsWithAReturnPerFigure) {
  auto submitted = SubmitQuality("cqvie", kFigures, "q-1");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(submitted->revision(), 1);
  EXPECT_TRUE(submitted->late());  // cy2025 closed on 2026-04-01

  v1::ReviewQualityReportRequest review;
  review.set_name(submitted->name());
  review.set_decision(v1::REVIEW_DECISION_RETURN);
  v1::ItemReturn* unknown = review.add_returns();
  unknown->set_item("robots");
  unknown->set_reason("?");
  review.set_request_id("r-1");
  auto refused = reporting_.ReviewQualityReport(coordinator_, review);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status()));
  EXPECT_EQ(FirstField(refused.status()), "returns[0].item");

  review.mutable_returns(0)->set_item("employment_rate");
  review.mutable_returns(0)->set_reason("口径应为初次就业率");
  review.set_request_id("r-2");
  auto returned = reporting_.ReviewQualityReport(coordinator_, review);
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::REPORT_STATE_RETURNED);

  auto resubmitted =
      SubmitQuality("cqvie", {{"employment_rate", 95.1}, {"graduates", 3800}}, "q-2");
  ASSERT_TRUE(resubmitted.ok());
  EXPECT_EQ(resubmitted->revision(), 2);
  review.clear_returns();
  review.set_decision(v1::REVIEW_DECISION_ACCEPT);
  review.set_request_id("r-3");
  auto accepted = reporting_.ReviewQualityReport(coordinator_, review);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->accepted_revision(), 2);
  auto locked = SubmitQuality("cqvie", kFigures, "q-3");
  EXPECT_EQ(ReasonOf(locked.status()), "REPORT_LOCKED");

  v1::SubmitQualityReportRequest not_own;
  not_own.mutable_quality_report()->set_name("institutions/cqvie/qualityReports/cy2025");
  not_own.set_request_id("q-5");
  EXPECT_TRUE(absl::IsPermissionDenied(
      reporting_.SubmitQualityReport({Role::kSchool, "cqepc"}, not_own).status()));

  // Reopened and resubmitted: revision 2 stays readable as accepted.
  v1::ReopenQualityReportRequest reopen;
  reopen.set_name(submitted->name());
  reopen.set_reason("更正");
  reopen.set_request_id("reopen-1");
  ASSERT_TRUE(reporting_.ReopenQualityReport(coordinator_, reopen).ok());
  ASSERT_TRUE(SubmitQuality("cqvie", {{"employment_rate", 94.0}}, "q-4").ok());
  v1::ListQualityReportRevisionsRequest list;
  list.set_name(submitted->name());
  auto revisions = reporting_.ListQualityReportRevisions({Role::kSchool, "cqvie"}, list);
  ASSERT_TRUE(revisions.ok()) << revisions.status();
  ASSERT_EQ(revisions->revisions_size(), 3);
  EXPECT_EQ(revisions->revisions(0).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(revisions->revisions(1).state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(revisions->revisions(1).key_figures_size(), 2);
  EXPECT_EQ(revisions->revisions(2).state(), v1::REPORT_STATE_SUBMITTED);
  list.set_page_size(1);
  list.set_page_token("");
  auto first_page = reporting_.ListQualityReportRevisions(coordinator_, list);
  ASSERT_TRUE(first_page.ok());
  EXPECT_EQ(first_page->revisions_size(), 1);
  EXPECT_FALSE(first_page->next_page_token().empty());
  EXPECT_TRUE(absl::IsPermissionDenied(
      reporting_.ListQualityReportRevisions({Role::kSchool, "cqepc"}, list).status()));
}

TEST_F(QualityTest, AReportReturnedForCorrectionIsNotDrawnUntilResubmitted) {
  for (std::string school : {"cqvie", "cqepc", "cqgsxx"}) {
    ASSERT_TRUE(SubmitQuality(school, kFigures, "q-" + school).ok());
  }
  ASSERT_TRUE(ReviewQuality("cqepc", false, "r-1").ok());

  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  EXPECT_EQ(std::vector<std::string>(drawn->population().begin(), drawn->population().end()),
            (std::vector<std::string>{"institutions/cqgsxx", "institutions/cqvie"}));

  ASSERT_TRUE(SubmitQuality("cqepc", kFigures, "q-cqepc-2").ok());
  auto again = Draw("d-2", 7);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->population_size(), 3);
}

// Found in use: a checker's slip was recorded for good (ALREADY_RECORDED)
// and counted against the school. A correction, with its reason, keeps what
// it replaced and moves the school's tally with it.
TEST_F(QualityTest, ARecordedOutcomeIsCorrectedWithAReasonAndTheTallyFollows) {
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie").ok());
  auto draw = Draw("d-1", 7);
  ASSERT_TRUE(draw.ok()) << draw.status();
  const int check = CheckOf(*draw, "cqvie");
  ASSERT_GE(check, 0);
  const double stated = draw->checks(check).stated_value();

  correction_reason = "nothing recorded yet";
  EXPECT_EQ(
      FirstField(Record(*draw, check, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-0").status()),
      "correction_reason");
  correction_reason.clear();
  ASSERT_TRUE(Record(*draw, check, v1::CHECK_OUTCOME_DISCREPANCY, stated + 1, "o-1").ok());
  EXPECT_EQ(Tally("cqvie").discrepancies, 1);
  EXPECT_EQ(
      ReasonOf(Record(*draw, check, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-2").status()),
      "ALREADY_RECORDED");

  correction_reason = "核对原始凭证后一致";
  EXPECT_EQ(
      FirstField(Record(*draw, check, v1::CHECK_OUTCOME_DISCREPANCY, stated + 1, "o-3").status()),
      "outcome")
      << "the same outcome is no correction";
  auto corrected = Record(*draw, check, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-4");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  const v1::Check& now = corrected->checks(check);
  EXPECT_EQ(now.outcome(), v1::CHECK_OUTCOME_CONFIRMED);
  EXPECT_FALSE(now.has_verified_value());
  EXPECT_EQ(now.correction_reason(), "核对原始凭证后一致");
  ASSERT_EQ(now.corrected_size(), 1);
  EXPECT_EQ(now.corrected(0).outcome(), v1::CHECK_OUTCOME_DISCREPANCY);
  EXPECT_EQ(now.corrected(0).verified_value(), stated + 1);
  CredibilityCount tally = Tally("cqvie");
  EXPECT_EQ(tally.checks, 1);
  EXPECT_EQ(tally.confirmed, 1);
  EXPECT_EQ(tally.discrepancies, 0);
  EXPECT_EQ(
      ReasonOf(Record(*draw, check, v1::CHECK_OUTCOME_DISCREPANCY, stated + 2, "o-5").status()),
      "ALREADY_CORRECTED");
}

// Found in review: the tally counts a figure once, by the first outcome any
// draw recorded on it. Correcting another draw's record of the same figure
// moved the tally away from the outcome that counts (or flipped it back and
// forth with nothing changed): such a check is not corrected.
TEST_F(QualityTest, ACheckOfAFigureAnotherDrawRecordedIsNotCorrected) {
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie").ok());
  auto first = Draw("d-1", 7);
  auto second = Draw("d-2", 7);  // the same seed: the same figures
  ASSERT_TRUE(first.ok() && second.ok()) << first.status() << second.status();
  const int check = CheckOf(*first, "cqvie");
  ASSERT_GE(check, 0);
  ASSERT_EQ(second->checks(check).item(), first->checks(check).item());
  const double stated = first->checks(check).stated_value();
  ASSERT_TRUE(Record(*first, check, v1::CHECK_OUTCOME_DISCREPANCY, stated + 1, "o-1").ok());
  ASSERT_TRUE(Record(*second, check, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-2").ok());

  correction_reason = "录错了";
  EXPECT_EQ(
      ReasonOf(Record(*first, check, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-3").status()),
      "CHECKED_ELSEWHERE");
  EXPECT_EQ(
      ReasonOf(Record(*second, check, v1::CHECK_OUTCOME_DISCREPANCY, stated + 1, "o-4").status()),
      "CHECKED_ELSEWHERE");
  CredibilityCount tally = Tally("cqvie");
  EXPECT_EQ(tally.checks, 1);
  EXPECT_EQ(tally.discrepancies, 1) << "the first outcome recorded counts";
}

TEST_F(QualityTest, SpotChecksReproduceFromTheirSeedAndBuildCredibility) {
  EXPECT_TRUE(absl::IsFailedPrecondition(Draw("none", 1).status()));  // nothing submitted yet
  for (std::string school : {"cqvie", "cqepc", "cqjtzy", "cqgsxx", "cqjnzx", "cqjtjg"}) {
    ASSERT_TRUE(SubmitQuality(school, kFigures, "q-" + school).ok());
  }
  auto first = Draw("d-1", 20260910);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "spotChecks/cy2025-1");
  EXPECT_EQ(first->seed(), 20260910u);
  EXPECT_EQ(first->population_size(), 6);
  EXPECT_EQ(first->checks_size(), 10);  // 2 高职, 2 中职, the 1 技工; 2 figures each
  std::map<v1::InstitutionType, std::set<std::string>> strata;
  for (const auto& c : first->checks()) strata[c.institution_type()].insert(c.institution());
  EXPECT_EQ(strata[v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL].size(), 2u);
  EXPECT_EQ(strata[v1::INSTITUTION_TYPE_TECHNICAL].size(), 1u);

  auto again = Draw("d-2", 20260910);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->name(), "spotChecks/cy2025-2");
  EXPECT_EQ(Drawn(*again), Drawn(*first));
  auto unseeded = Draw("d-3", std::nullopt);
  ASSERT_TRUE(unseeded.ok());
  auto replayed = Draw("d-3", std::nullopt);
  EXPECT_EQ(replayed->seed(), unseeded->seed());  // the service recorded the seed it picked
  EXPECT_EQ(replayed->name(), unseeded->name());
  // Whoever relies on the results can tell a draw whose seed was chosen.
  EXPECT_TRUE(first->seed_given());
  EXPECT_FALSE(unseeded->seed_given());

  // Outcomes: confirmed, or a discrepancy with the verified value.
  const v1::Check& target = first->checks(0);
  ASSERT_TRUE(Record(*first, 0, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-1").ok());
  auto same =
      Record(*first, 1, v1::CHECK_OUTCOME_DISCREPANCY, first->checks(1).stated_value(), "o-2");
  EXPECT_EQ(FirstField(same.status()), "verified_value");
  auto contradicted =
      Record(*first, 1, v1::CHECK_OUTCOME_CONFIRMED, first->checks(1).stated_value() + 1, "o-2b");
  EXPECT_EQ(FirstField(contradicted.status()), "verified_value");
  auto differs = Record(*first, 1, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-3");
  ASSERT_TRUE(differs.ok()) << differs.status();
  EXPECT_EQ(differs->checks(1).outcome(), v1::CHECK_OUTCOME_DISCREPANCY);
  EXPECT_EQ(differs->checks(1).verified_value(), 1.0);
  auto twice = Record(*first, 0, v1::CHECK_OUTCOME_DISCREPANCY, 2.0, "o-4");
  EXPECT_EQ(ReasonOf(twice.status()), "ALREADY_RECORDED");

  v1::ListCredibilityRequest credibility_req;
  auto credibility = reporting_.ListCredibility({Role::kEvaluator, ""}, credibility_req);
  ASSERT_TRUE(credibility.ok());
  ASSERT_EQ(credibility->credibility_size(), 9);
  for (const auto& c : credibility->credibility()) {
    if (c.institution() != target.institution()) {
      EXPECT_EQ(c.checks(), 0) << c.institution();
      EXPECT_DOUBLE_EQ(c.score(), 100.0);
    } else {
      // Checks 0 and 1 are the two figures of the same institution.
      EXPECT_EQ(c.checks(), 2);
      EXPECT_EQ(c.confirmed(), 1);
      EXPECT_EQ(c.discrepancies(), 1);
      EXPECT_NEAR(c.score(), 200.0 / 3, 1e-9);
    }
  }
  // A school reads its own standing, and of the draws those that checked it,
  // with only its own checks, and only once verified: a pending check would
  // tell it which figure to make right before the checker looks. Nor does it
  // get the seed and population, from which the rest of the draw would follow.
  const std::string checked_code = target.institution().substr(std::string("institutions/").size());
  const Principal checked_school{Role::kSchool, checked_code};
  auto own = reporting_.ListCredibility(checked_school, credibility_req);
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_EQ(own->credibility_size(), 1);
  EXPECT_EQ(own->credibility(0).institution(), target.institution());
  EXPECT_EQ(own->credibility(0).discrepancies(), 1);
  v1::ListSpotChecksRequest own_checks;
  own_checks.set_period_id("cy2025");
  auto seen = reporting_.ListSpotChecks(checked_school, own_checks);
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_EQ(seen->spot_checks_size(), 1) << "the draws d-2 and d-3 are pending for it";
  EXPECT_EQ(seen->spot_checks(0).name(), first->name());
  EXPECT_EQ(seen->spot_checks(0).seed(), 0u);
  EXPECT_FALSE(seen->spot_checks(0).seed_given());  // found in use: "0 (given by the caller)"
  EXPECT_EQ(seen->spot_checks(0).population_size(), 0);
  ASSERT_EQ(seen->spot_checks(0).checks_size(), 2);
  for (const auto& check : seen->spot_checks(0).checks()) {
    EXPECT_EQ(check.institution(), target.institution());
  }
  EXPECT_EQ(seen->spot_checks(0).checks(1).outcome(), v1::CHECK_OUTCOME_DISCREPANCY);
  ASSERT_EQ(Drawn(*again), Drawn(*first));
  v1::GetSpotCheckRequest get_again;
  get_again.set_name(again->name());
  EXPECT_EQ(ReasonOf(reporting_.GetSpotCheck(checked_school, get_again).status()), "NOT_CHECKED")
      << "drawn, but not verified yet";
  std::set<std::string> drawn;
  for (const auto& c : first->checks()) drawn.insert(c.institution());
  std::string spared;
  for (const auto& name : first->population()) {
    if (drawn.count(name) == 0 && drawn.count("institutions/" + name) == 0) spared = name;
  }
  ASSERT_FALSE(spared.empty());
  if (absl::StartsWith(spared, "institutions/")) spared = spared.substr(13);
  v1::GetSpotCheckRequest get_first;
  get_first.set_name(first->name());
  auto not_checked = reporting_.GetSpotCheck({Role::kSchool, spared}, get_first);
  EXPECT_EQ(ReasonOf(not_checked.status()), "NOT_CHECKED") << not_checked.status();
  v1::DrawSpotCheckRequest by_department;
  by_department.set_period_id("cy2025");
  by_department.set_request_id("d-x");
  EXPECT_TRUE(absl::IsPermissionDenied(
      reporting_.DrawSpotCheck({Role::kDepartment, "edu"}, by_department).status()));

  v1::ListSpotChecksRequest list;
  list.set_period_id("cy2025");
  auto listed = reporting_.ListSpotChecks({Role::kDepartment, "edu"}, list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->spot_checks_size(), 3);
  EXPECT_EQ(listed->spot_checks(0).name(), "spotChecks/cy2025-1");
  EXPECT_EQ(listed->spot_checks(0).etag(), "3");  // drawn, then two outcomes
}

// Drawn while under review, then returned: the school is correcting the
// figure, so a check on it is not recorded against the school, neither then
// nor once it resubmits; a revision drawn and then accepted is recorded.
TEST_F(QualityTest, AFigureReturnedAfterTheDrawIsNotHeldAgainstTheSchool) {
  for (std::string school : {"cqvie", "cqepc"}) {
    ASSERT_TRUE(SubmitQuality(school, kFigures, "q-" + school).ok());
  }
  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  const int returned = CheckOf(*drawn, "cqvie");
  const int accepted = CheckOf(*drawn, "cqepc");
  ASSERT_GE(returned, 0);
  ASSERT_GE(accepted, 0);
  ASSERT_TRUE(ReviewQuality("cqvie", false, "r-cqvie").ok());
  ASSERT_TRUE(ReviewQuality("cqepc", true, "r-cqepc").ok());

  auto refused = Record(*drawn, returned, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-1");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  EXPECT_EQ(ReasonOf(refused.status()), "REVISION_RETURNED");
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie-2").ok());  // revision 2
  refused = Record(*drawn, returned, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-2");
  EXPECT_EQ(ReasonOf(refused.status()), "REVISION_RETURNED");
  EXPECT_EQ(Tally("cqvie").checks, 0);

  auto recorded = Record(*drawn, accepted, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-3");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->checks(returned).outcome(), v1::CHECK_OUTCOME_PENDING);
  EXPECT_EQ(recorded->etag(), "2");  // drawn, then the one outcome
  EXPECT_EQ(Tally("cqepc").discrepancies, 1);
}

// Recorded while the revision awaited review, then the revision is returned:
// the school is correcting those figures, so their outcomes stop counting, as
// if the return had come before the record.
TEST_F(QualityTest, ReturningARevisionWithdrawsTheOutcomesRecordedOnIt) {
  for (std::string school : {"cqvie", "cqepc"}) {
    ASSERT_TRUE(SubmitQuality(school, kFigures, "q-" + school).ok());
  }
  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  std::vector<int> checks;
  for (int i = 0; i < drawn->checks_size(); ++i) {
    if (drawn->checks(i).institution() == "institutions/cqvie") checks.push_back(i);
  }
  ASSERT_EQ(checks.size(), 2u);
  ASSERT_TRUE(Record(*drawn, checks[0], v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-1").ok());
  ASSERT_TRUE(Record(*drawn, checks[1], v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-2").ok());
  ASSERT_TRUE(
      Record(*drawn, CheckOf(*drawn, "cqepc"), v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-3").ok());
  ASSERT_EQ(Tally("cqvie").checks, 2);

  ASSERT_TRUE(ReviewQuality("cqvie", false, "r-cqvie").ok());
  CredibilityCount tally = Tally("cqvie");
  EXPECT_EQ(tally.checks, 0);
  EXPECT_EQ(tally.confirmed, 0);
  EXPECT_EQ(tally.discrepancies, 0);
  EXPECT_EQ(Tally("cqepc").discrepancies, 1);  // its revision still stands
  v1::ListCredibilityRequest list;
  auto credibility = reporting_.ListCredibility(coordinator_, list);
  ASSERT_TRUE(credibility.ok()) << credibility.status();
  for (const auto& c : credibility->credibility()) {
    if (c.institution() == "institutions/cqvie") {
      EXPECT_DOUBLE_EQ(c.score(), 100.0);
    }
  }

  // Corrected and resubmitted: the new revision's figures count afresh.
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie-2").ok());
  auto again = Draw("d-2", 7);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(
      Record(*again, CheckOf(*again, "cqvie"), v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-4").ok());
  EXPECT_EQ(Tally("cqvie").discrepancies, 1);
}

// An outcome recorded after the return read the counts, before it wrote: the
// return would miss it, so it is refused, and decided again it takes it out.
TEST_F(QualityTest, AnOutcomeRecordedWhileAReturnIsDecidedRefusesTheReturn) {
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie").ok());
  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  InterleavingStore store(store_);
  SchoolReporting racing(store, clock_);
  store.after_counted_read = [&] {
    ASSERT_TRUE(Record(*drawn, 0, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-1").ok());
  };
  const v1::ReviewQualityReportRequest review = QualityReview("cqvie", false, "r-1");
  auto raced = racing.ReviewQualityReport(coordinator_, review);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();
  EXPECT_EQ(Tally("cqvie").discrepancies, 1);

  auto retried = racing.ReviewQualityReport(coordinator_, review);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(Tally("cqvie").checks, 0);
  EXPECT_EQ(Tally("cqvie").discrepancies, 0);
}

// Counts kept before the outcome was kept with them: the spot check's record
// says what was counted, and the return takes that out.
TEST_F(QualityTest, AReturnWithdrawsCountsKeptWithoutTheirOutcome) {
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie").ok());
  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  ASSERT_EQ(drawn->checks(0).institution(), drawn->checks(1).institution());
  ASSERT_TRUE(Record(*drawn, 0, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-1").ok());
  ASSERT_TRUE(Record(*drawn, 1, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-2").ok());
  for (int i : {0, 1}) {
    ASSERT_TRUE(
        client_
            .Command({"HSET", "vt:sr:counted:cqvie:cy2025:1:" + drawn->checks(i).item(), "d", ""})
            .ok());
  }
  ASSERT_TRUE(ReviewQuality("cqvie", false, "r-1").ok());
  CredibilityCount tally = Tally("cqvie");
  EXPECT_EQ(tally.checks, 0);
  EXPECT_EQ(tally.confirmed, 0);
  EXPECT_EQ(tally.discrepancies, 0);
}

// The record reads the revision's verdict and is refused if a return lands
// before its write: it was decided on what is no longer so.
TEST_F(QualityTest, AReturnLandingBetweenTheReadAndTheWriteRefusesTheRecord) {
  ASSERT_TRUE(SubmitQuality("cqvie", kFigures, "q-cqvie").ok());
  auto drawn = Draw("d-1", 7);
  ASSERT_TRUE(drawn.ok()) << drawn.status();
  InterleavingStore store(store_);
  SchoolReporting racing(store, clock_);
  store.after_revision_read = [&] { ASSERT_TRUE(ReviewQuality("cqvie", false, "r-1").ok()); };
  v1::RecordSpotCheckResultRequest req;
  req.set_name(drawn->name());
  req.set_institution("institutions/cqvie");
  req.set_item(drawn->checks(0).item());
  req.set_outcome(v1::CHECK_OUTCOME_DISCREPANCY);
  req.set_verified_value(1.0);
  req.set_request_id("o-1");
  auto raced = racing.RecordSpotCheckResult(coordinator_, req);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();
  EXPECT_EQ(Tally("cqvie").checks, 0);
  auto retried = racing.RecordSpotCheckResult(coordinator_, req);
  EXPECT_EQ(ReasonOf(retried.status()), "REVISION_RETURNED");
}

// One stated figure drawn in two draws of the period is still one figure:
// the school's tally counts it once.
TEST_F(QualityTest, AFigureDrawnTwiceCountsOnceInTheTally) {
  for (std::string school : {"cqvie", "cqepc", "cqgsxx"}) {
    ASSERT_TRUE(SubmitQuality(school, kFigures, "q-" + school).ok());
  }
  auto first = Draw("d-1", 20260910);
  auto second = Draw("d-2", 20260910);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(Drawn(*first), Drawn(*second));
  const std::string school = first->checks(0).institution().substr(strlen("institutions/"));

  ASSERT_TRUE(Record(*first, 0, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-1").ok());
  auto again = Record(*second, 0, v1::CHECK_OUTCOME_DISCREPANCY, 1.0, "o-2");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->checks(0).outcome(), v1::CHECK_OUTCOME_DISCREPANCY);  // recorded all the same
  CredibilityCount tally = Tally(school);
  EXPECT_EQ(tally.checks, 1);
  EXPECT_EQ(tally.confirmed, 0);
  EXPECT_EQ(tally.discrepancies, 1);

  // Another figure of the same school counts on its own.
  ASSERT_EQ(second->checks(1).institution(), second->checks(0).institution());
  ASSERT_TRUE(Record(*second, 1, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-3").ok());
  tally = Tally(school);
  EXPECT_EQ(tally.checks, 2);
  EXPECT_EQ(tally.confirmed, 1);

  // Two records of one figure that both read it as uncounted: the second to
  // write is refused, and its retry leaves the tally as it is.
  auto third = Draw("d-3", 20260910);
  ASSERT_TRUE(third.ok());
  InterleavingStore store(store_);
  SchoolReporting racing(store, clock_);
  store.after_counted_read = [&] {
    ASSERT_TRUE(Record(*third, 2, v1::CHECK_OUTCOME_CONFIRMED, std::nullopt, "o-4").ok());
  };
  const std::string other = second->checks(2).institution().substr(strlen("institutions/"));
  v1::RecordSpotCheckResultRequest req;
  req.set_name(second->name());
  req.set_institution(second->checks(2).institution());
  req.set_item(second->checks(2).item());
  req.set_outcome(v1::CHECK_OUTCOME_CONFIRMED);
  req.set_request_id("o-5");
  auto raced = racing.RecordSpotCheckResult(coordinator_, req);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();
  auto retried = racing.RecordSpotCheckResult(coordinator_, req);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(Tally(other).checks, 1);
}

// Found in review: any finite number was taken, though spot checks compare
// these figures with the data report's counts.
TEST(QualityValidationTest, AFigureNamedAsACountIsAWholeCount) {
  v1::SubmitQualityReportRequest req;
  req.set_request_id("q-1");
  v1::QualityReport* report = req.mutable_quality_report();
  report->set_name("institutions/cqvie/qualityReports/cy2025");
  report->set_title("质量年报");
  report->set_document_uri("https://jj.example.gov.cn/zlnb/2025/cqvie.pdf");
  report->set_document_sha256(std::string(64, 'a'));
  auto figure = [&](const std::string& key, double value, const std::string& unit = "") {
    report->clear_key_figures();
    v1::KeyFigure* f = report->add_key_figures();
    f->set_key(key);
    f->set_value(value);
    f->set_unit(unit);
    auto violations = FieldViolationsOf(Validate(req));
    return violations.empty() ? std::string() : violations[0].field;
  };
  EXPECT_EQ(figure("enrolled_students", 12000), "");
  EXPECT_EQ(figure("enrolled_students", -5), "quality_report.key_figures[0].value");
  EXPECT_EQ(figure("enrolled_students", 5.5), "quality_report.key_figures[0].value");
  EXPECT_EQ(figure("employment_rate", 96.5, "%"), "");
  EXPECT_EQ(figure("enrolment_plan_completion", 105, "%"), "");  // not only shares are in %
  EXPECT_EQ(figure("enrolment_growth", -3.5, "%"), "");
  EXPECT_EQ(figure("average_salary", 5230.5, "元"), "");
  EXPECT_EQ(figure("average_salary", 1e13, "元"), "quality_report.key_figures[0].value");
}

// Found in use: -5 graduates, 7999.5 students and 1e300 % were recorded as a
// checker's findings and counted against the school, for good.
TEST(QualityValidationTest, AVerifiedValueIsHeldToTheBoundsOfTheStatedOne) {
  v1::RecordSpotCheckResultRequest req;
  req.set_request_id("o-1");
  req.set_name("spotChecks/cy2025-1");
  req.set_institution("institutions/cqvie");
  req.set_outcome(v1::CHECK_OUTCOME_DISCREPANCY);
  auto verified = [&](const std::string& item, double value) {
    req.set_item(item);
    req.set_verified_value(value);
    auto violations = FieldViolationsOf(Validate(req));
    return violations.empty() ? std::string() : violations[0].field;
  };
  EXPECT_EQ(verified("graduates", 1990), "");
  EXPECT_EQ(verified("graduates", -5), "verified_value");
  EXPECT_EQ(verified("enrolled_students", 7999.5), "verified_value");
  EXPECT_EQ(verified("employment_rate", 1e300), "verified_value");
  EXPECT_EQ(verified("employment_rate", 93.4), "");
}

}  // namespace
}  // namespace vetrack::schools
