// End to end over gRPC: the whole data-report workflow (return per item,
// lock, reopen, diff) across restarts of the service and of Redis, and
// spot-check draws reproducing from their seed.
#include <signal.h>
#include <sys/wait.h>

#include <optional>

#include "e2e_fixture.h"

namespace vetrack::schools {
namespace {

using grpc::StatusCode;

TEST_F(SchoolReportingE2ETest, WorkflowReturnsPerItemLocksReopensAndDiffsAcrossRestarts) {
  v1::DataReport report;
  ASSERT_TRUE(Save(Secondary(400), "save-1", &report).ok());
  ASSERT_TRUE(Submit("submit-1", &report).ok());
  ASSERT_TRUE(
      Review("review-1", &report,
             {{"graduates_employed", "与毕业生去向登记不符"}, {"majors", "专业状态应为新设"}})
          .ok());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_RETURNED);
  ASSERT_EQ(report.returns_size(), 2);
  EXPECT_EQ(report.returns(1).item(), "majors");
  v1::DataReport fixed = Secondary(450);
  fixed.mutable_majors(0)->set_status(v1::MAJOR_STATUS_NEW);
  ASSERT_TRUE(Save(fixed, "save-2", &report).ok());
  ASSERT_TRUE(Submit("submit-2", &report).ok());
  ASSERT_TRUE(Review("review-2", &report).ok());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_ACCEPTED);

  grpc::Status locked = Save(fixed, "save-3", &report);
  EXPECT_EQ(locked.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(locked), "REPORT_LOCKED");

  // Redis goes away: the service leaves load balancing (overall NOT_SERVING)
  // but says it is alive, so no liveness probe restarts it; back when Redis is.
  redis_.Kill();
  ASSERT_TRUE(WaitForHealth(HealthStatus::NOT_SERVING)) << service_.LogTail();
  EXPECT_TRUE(WaitForHealth(HealthStatus::SERVING, "liveness"));
  redis_.Start();
  ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING)) << service_.LogTail();

  // Both processes go down; what was acknowledged is still there.
  int status = service_.Signal(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  redis_.Restart();
  StartService();
  ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING));
  EXPECT_EQ(Get().state(), v1::REPORT_STATE_ACCEPTED);

  v1::ReopenDataReportRequest reopen;
  reopen.set_name(kReport);
  reopen.set_reason("毕业生升学人数复核");
  reopen.set_request_id("reopen-1");
  ASSERT_TRUE(Call("coordinator", "", &Stub::ReopenDataReport, reopen, &report).ok());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_DRAFT);
  v1::DataReport corrected = fixed;
  (*corrected.mutable_counts())["graduates_further_study"] = 530;
  ASSERT_TRUE(Save(corrected, "save-4", &report).ok());
  ASSERT_TRUE(Submit("submit-3", &report).ok());
  ASSERT_TRUE(Review("review-3", &report).ok());
  EXPECT_EQ(report.accepted_revision(), 3);

  v1::DiffDataReportRevisionsRequest diff_req;
  diff_req.set_name(kReport);
  diff_req.set_from_revision(1);
  diff_req.set_to_revision(3);
  v1::DataReportDiff diff;
  ASSERT_TRUE(Call("department", "edu", &Stub::DiffDataReportRevisions, diff_req, &diff).ok());
  ASSERT_EQ(diff.count_changes_size(), 2);
  EXPECT_EQ(diff.count_changes(0).item(), "graduates_further_study");
  EXPECT_EQ(diff.count_changes(1).item(), "graduates_employed");
  EXPECT_EQ(diff.count_changes(1).from_value(), 400);
  EXPECT_EQ(diff.count_changes(1).to_value(), 450);
  ASSERT_EQ(diff.major_changes_size(), 1);
  EXPECT_EQ(diff.major_changes(0).to_major().status(), v1::MAJOR_STATUS_NEW);

  v1::GetAcceptedFiguresRequest figures_req;
  figures_req.set_institution("institutions/cqgsxx");
  figures_req.set_period_id("ay2024");
  v1::AcceptedFigures figures;
  ASSERT_TRUE(Call("evaluator", "", &Stub::GetAcceptedFigures, figures_req, &figures).ok());
  EXPECT_TRUE(figures.accepted());
  EXPECT_EQ(figures.revision(), 3);
  EXPECT_EQ(figures.counts().at("graduates_further_study"), 530);
  figures_req.set_institution("institutions/cqvie");
  ASSERT_TRUE(Call("school", "cqvie", &Stub::GetAcceptedFigures, figures_req, &figures).ok());
  EXPECT_FALSE(figures.accepted());  // not reported yet: OK, says so

  v1::ListReportHistoryRequest history_req;
  history_req.set_report(kReport);
  v1::ListReportHistoryResponse history;
  ASSERT_TRUE(Call("school", "cqgsxx", &Stub::ListReportHistory, history_req, &history).ok());
  EXPECT_EQ(history.entries_size(), 10);
  EXPECT_EQ(history.entries(6).action(), "REOPEN");
  EXPECT_EQ(history.entries(6).actor(), "coordinator");
}

TEST_F(SchoolReportingE2ETest, SpotCheckDrawsReproduceFromTheirSeed) {
  for (const char* school : {"cqvie", "cqepc", "cqgsxx", "cqjnzx", "cqjtjg", "cqcjjg"}) {
    ASSERT_TRUE(SubmitQuality(school, std::string("q-") + school).ok()) << school;
  }
  auto draw = [&](const std::string& request_id, std::optional<uint64_t> seed) {
    v1::DrawSpotCheckRequest req;
    req.set_period_id("cy2023");
    req.set_institutions_per_type(1);
    req.set_items_per_institution(2);
    if (seed.has_value()) req.set_seed(*seed);
    req.set_request_id(request_id);
    v1::SpotCheck out;
    EXPECT_TRUE(Call("coordinator", "", &Stub::DrawSpotCheck, req, &out).ok());
    std::vector<std::string> drawn;
    for (const auto& c : out.checks()) drawn.push_back(c.institution() + "/" + c.item());
    return std::make_pair(out, drawn);
  };
  auto [unseeded, drawn] = draw("d-1", std::nullopt);
  EXPECT_EQ(unseeded.checks_size(), 6);  // one institution of each type, two figures each
  auto [again, drawn_again] = draw("d-2", unseeded.seed());
  EXPECT_EQ(drawn_again, drawn);
  EXPECT_EQ(again.name(), "spotChecks/cy2023-2");

  v1::RecordSpotCheckResultRequest record;
  record.set_name(unseeded.name());
  record.set_institution(unseeded.checks(0).institution());
  record.set_item(unseeded.checks(0).item());
  record.set_outcome(v1::CHECK_OUTCOME_DISCREPANCY);
  record.set_verified_value(unseeded.checks(0).stated_value() - 10);
  record.set_request_id("r-1");
  v1::SpotCheck recorded;
  ASSERT_TRUE(Call("coordinator", "", &Stub::RecordSpotCheckResult, record, &recorded).ok());
  v1::ListCredibilityRequest req;
  v1::ListCredibilityResponse credibility;
  ASSERT_TRUE(Call("evaluator", "", &Stub::ListCredibility, req, &credibility).ok());
  for (const auto& c : credibility.credibility()) {
    EXPECT_DOUBLE_EQ(c.score(), c.institution() == record.institution() ? 50.0 : 100.0);
  }
}

}  // namespace
}  // namespace vetrack::schools
