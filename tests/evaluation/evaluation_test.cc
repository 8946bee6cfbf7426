// The evaluation's domain on its Redis store (a real redis-server) with fake
// sources: entering statistics, results with lineage, and a round from
// creation to export. Loading the catalog is in catalog_import_test.cc.
#include <gtest/gtest.h>

#include <functional>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "evaluation_fixture.h"
#include "validation.h"

namespace vetrack::evaluation {
namespace {

TEST_F(EvaluationTest, OnlyTheResponsibleUnitEntersAStatisticAndResultsUseIt) {
  auto refused = Record(Principal{Role::kDepartment, "edu"}, "skilled_workers", 1, "s-0");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  auto unknown = Record(hrss_, "no_such_statistic", 1, "s-1");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolationsOf(unknown.status())[0].field, "key");

  ASSERT_TRUE(Record(hrss_, "skilled_workers", 104000, "s-2").ok());
  ASSERT_TRUE(Record(hrss_, "employed_persons", 400000, "s-3").ok());
  auto results = Results();
  EXPECT_EQ(results["skilled-workers@district"].status(), v1::RESULT_STATUS_MET);
  EXPECT_DOUBLE_EQ(results["skilled-worker-share@district"].value(), 26.0);
  EXPECT_EQ(results["skilled-worker-share@district"].sources(0).origin(),
            "statistic skilled_workers 2025: 区人力社保局技能人才统计, as of 2025-12-31, entered "
            "by department:hrss, revision 1");
  // School figures through the sources: 130/200 for 高职, 70/100 for 中职.
  EXPECT_DOUBLE_EQ(results["dual-qualified-teacher-share@type:higher_vocational"].value(), 65);
  EXPECT_EQ(results["dual-qualified-teacher-share@type:secondary_vocational"].status(),
            v1::RESULT_STATUS_MISSED);
  EXPECT_DOUBLE_EQ(results["training-person-times-ratio@institution:cqvie"].value(), 2.1);

  // Filtering by institution keeps the district, its type and itself.
  auto cqvie = Results("cqvie");
  EXPECT_EQ(cqvie.count("training-person-times-ratio@institution:cqgsxx"), 0u);
  EXPECT_EQ(cqvie.count("training-person-times-ratio@institution:cqvie"), 1u);
  EXPECT_EQ(cqvie.count("dual-qualified-teacher-share@type:higher_vocational"), 1u);
  EXPECT_EQ(cqvie.count("dual-qualified-teacher-share@type:secondary_vocational"), 0u);
}

// Found in review: a correction replaced the figure in place, so nobody
// could tell what a result had been computed from before it.
TEST_F(EvaluationTest, EveryFigureAStatisticHasHadIsKept) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 96000, "s-1").ok());
  clock_.Advance(absl::Hours(24));
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "s-2").ok());
  ASSERT_TRUE(Record(coordinator_, "skilled_workers", 104000, "s-3").ok());
  EXPECT_NE(Results()["skilled-workers@district"].sources(0).origin().find("revision 3"),
            std::string::npos);

  v1::ListStatisticRevisionsRequest req;
  req.set_name("statistics/skilled_workers/years/2025");
  req.set_page_size(2);
  auto first = evaluation_.ListStatisticRevisions(evaluator_, req);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->statistics_size(), 2);
  EXPECT_EQ(first->statistics(0).value(), 96000);
  EXPECT_EQ(first->statistics(0).revision(), 1);
  EXPECT_EQ(first->statistics(1).value(), 98000);
  EXPECT_GT(first->statistics(1).record_time().seconds(),
            first->statistics(0).record_time().seconds());
  req.set_page_token(first->next_page_token());
  auto last = evaluation_.ListStatisticRevisions(evaluator_, req);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->statistics_size(), 1);
  EXPECT_EQ(last->statistics(0).revision(), 3);
  EXPECT_EQ(last->statistics(0).recorded_by(), "coordinator");
  EXPECT_TRUE(last->next_page_token().empty());

  // A refused correction adds nothing: one against a figure read before the
  // last change, and one that would put the whole below a part of it.
  v1::RecordStatisticRequest stale;
  stale.set_key("skilled_workers");
  stale.set_year(2025);
  stale.set_value(99000);
  stale.set_source("x");
  stale.set_as_of("2025-12-31");
  stale.set_etag("2");
  stale.set_request_id("s-4");
  EXPECT_EQ(evaluation_.RecordStatistic(hrss_, stale).status().code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(Record(hrss_, "high_skilled_workers", 30000, "h-1").ok());
  EXPECT_FALSE(Record(hrss_, "skilled_workers", 20000, "s-5").ok());
  req.clear_page_token();
  req.set_page_size(0);
  EXPECT_EQ(evaluation_.ListStatisticRevisions(evaluator_, req)->statistics_size(), 3);

  req.set_name("statistics/employed_persons/years/2025");
  auto none = evaluation_.ListStatisticRevisions(evaluator_, req);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound) << none.status();
  EXPECT_EQ(FieldViolationsOf(none.status()).at(0).field, "name");
  req.set_name("statistics/skilled_workers/2025");
  EXPECT_EQ(FieldViolationsOf(Validate(req)).at(0).field, "name");
}

// A figure stored before revisions were kept is kept as its own revision
// when it is corrected, not lost to the correction.
TEST_F(EvaluationTest, AFigureStoredBeforeRevisionsWereKeptIsKeptWhenCorrected) {
  auto first = Record(hrss_, "skilled_workers", 96000, "s-1");
  ASSERT_TRUE(first.ok()) << first.status();
  v1::Statistic legacy = *first;  // as stored then: no revision, no log
  legacy.clear_revision();
  legacy.clear_etag();
  ASSERT_TRUE(client_.Command({"DEL", "vt:ev:stat-log:skilled_workers:2025"}).ok());
  ASSERT_TRUE(
      client_.Command({"HSET", "vt:ev:stat:skilled_workers:2025", "d", legacy.SerializeAsString()})
          .ok());

  v1::ListStatisticRevisionsRequest req;
  req.set_name("statistics/skilled_workers/years/2025");
  auto before = evaluation_.ListStatisticRevisions(coordinator_, req);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(before->statistics_size(), 1);
  EXPECT_EQ(before->statistics(0).revision(), 1) << "the version says it";

  ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "s-2").ok());
  auto after = evaluation_.ListStatisticRevisions(coordinator_, req);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->statistics_size(), 2);
  EXPECT_EQ(after->statistics(0).value(), 96000);
  EXPECT_EQ(after->statistics(0).revision(), 1);
  EXPECT_EQ(after->statistics(1).value(), 98000);
  EXPECT_EQ(after->statistics(1).revision(), 2);
}

TEST_F(EvaluationTest, BadStatisticInputChangesNothing) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 100, "s-1").ok());
  v1::RecordStatisticRequest future;
  future.set_key("skilled_workers");
  future.set_year(2025);
  future.set_value(5);
  future.set_source("x");
  future.set_as_of("2027-01-01");
  future.set_request_id("s-2");
  auto refused = evaluation_.RecordStatistic(hrss_, future);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "as_of");
  future.set_as_of("2025-12-31");
  future.set_etag("7");
  EXPECT_EQ(evaluation_.RecordStatistic(hrss_, future).status().code(), absl::StatusCode::kAborted);
  v1::ListStatisticsRequest list;
  list.set_year(2025);
  auto stats = evaluation_.ListStatistics(coordinator_, list);
  ASSERT_EQ(stats->statistics_size(), 1);
  EXPECT_EQ(stats->statistics(0).value(), 100);
}

// Found in use: 高技能人才 200 000 against 技能人才 98 000 was recorded, and
// high-skilled-share read 204 %, "met". A statistic that a share in % puts
// over another is a part of it, checked whichever is recorded second.
TEST_F(EvaluationTest, APartCannotExceedItsWhole) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 1234567, "w-0").ok());
  EXPECT_NE(
      Record(hrss_, "high_skilled_workers", 2000000, "h-0").status().ToString().find("(1234567)"),
      std::string::npos)
      << "the figure as entered, not 1.23457e+06";
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "w-1").ok());
  auto too_many = Record(hrss_, "high_skilled_workers", 200000, "h-1");
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(too_many.status()).at(0).field, "value");
  EXPECT_NE(too_many.status().ToString().find("skilled_workers of 2025 (98000)"), std::string::npos)
      << too_many.status();
  ASSERT_TRUE(Record(hrss_, "high_skilled_workers", 30000, "h-2").ok());
  ASSERT_TRUE(Record(hrss_, "high_skilled_workers", 98000, "h-3").ok()) << "all of them";
  auto too_few = Record(hrss_, "skilled_workers", 90000, "w-2");
  EXPECT_EQ(FieldViolationsOf(too_few.status()).at(0).field, "value") << too_few.status();

  v1::ListStatisticsRequest list;
  list.set_year(2025);
  auto stats = evaluation_.ListStatistics(coordinator_, list);
  ASSERT_TRUE(stats.ok());
  for (const auto& s : stats->statistics()) EXPECT_EQ(s.value(), 98000) << s.key();
}

// Reads a statistic as the store does, and lets another caller record
// something right after the first read of `key`: the moment two units'
// figures land together.
class StoreWithAWriteMeanwhile : public RedisEvaluationStore {
 public:
  using RedisEvaluationStore::RedisEvaluationStore;
  absl::StatusOr<std::optional<Stored<v1::Statistic>>> GetStatistic(const std::string& key,
                                                                    int year) override {
    auto read = RedisEvaluationStore::GetStatistic(key, year);
    if (key == key_ && meanwhile_) std::exchange(meanwhile_, nullptr)();
    return read;
  }
  void After(std::string key, std::function<void()> meanwhile) {
    key_ = std::move(key);
    meanwhile_ = std::move(meanwhile);
  }

 private:
  std::string key_;
  std::function<void()> meanwhile_;
};

TEST_F(EvaluationTest, APartAndItsWholeRecordedAtOnceCannotBothPass) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 200000, "w-0").ok());
  StoreWithAWriteMeanwhile racing_store(client_);
  Evaluation racing(racing_store, sources_, clock_);
  racing_store.After("skilled_workers",
                     [&] { ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "w-1").ok()); });
  v1::RecordStatisticRequest part;
  part.set_key("high_skilled_workers");
  part.set_year(2025);
  part.set_value(150000);
  part.set_source("区人力社保局技能人才统计");
  part.set_as_of("2025-12-31");
  part.set_request_id("h-0");
  auto decided_on_200000 = racing.RecordStatistic(hrss_, part);
  EXPECT_EQ(decided_on_200000.status().code(), absl::StatusCode::kAborted)
      << decided_on_200000.status();

  // Tried again, it is judged on the whole as it now stands.
  auto again = racing.RecordStatistic(hrss_, part);
  EXPECT_EQ(FieldViolationsOf(again.status()).at(0).field, "value") << again.status();
  v1::ListStatisticsRequest list;
  list.set_year(2025);
  auto stats = evaluation_.ListStatistics(coordinator_, list);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->statistics_size(), 1);
  EXPECT_EQ(stats->statistics(0).value(), 98000);
}

// Found in use: a misspelt indicator listed no results, as if none were due.
TEST_F(EvaluationTest, ResultsOfAnIndicatorThatDoesNotExistAreNotFound) {
  v1::ListResultsRequest req;
  req.set_year(2025);
  req.set_indicator("indicators/skilled-worker");
  auto results = evaluation_.ListResults(coordinator_, req, kNoDeadline);
  EXPECT_EQ(results.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldViolationsOf(results.status())[0].field, "indicator");
  req.set_indicator("indicators/skilled-workers");
  results = evaluation_.ListResults(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_GT(results->results_size(), 0);
}

TEST_F(EvaluationTest, ADownSourceIsNamedAndItsResultsAreNoData) {
  sources_.ledger_up = false;
  v1::ListResultsRequest req;
  req.set_year(2025);
  auto results = evaluation_.ListResults(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(results.ok());
  // Down in each of the plan's years, named once.
  ASSERT_EQ(results->unavailable_sources_size(), 1);
  const std::string& named = results->unavailable_sources(0);
  EXPECT_EQ(named.rfind("training-ledger: UNAVAILABLE: the cause is logged under reference ", 0),
            0u)
      << named;
  // The channel's words may name the ledger's address: logged, not answered.
  EXPECT_EQ(named.find("connection refused"), std::string::npos) << named;
  for (const auto& r : results->results()) {
    if (r.indicator() == "indicators/training-person-times-ratio") {
      EXPECT_EQ(r.status(), v1::RESULT_STATUS_NO_DATA);
    }
  }
}

// Found in review: a call whose time was up before the services answered
// was told a source "is down" (UNAVAILABLE), and retried as if it were.
TEST_F(EvaluationTest, SourcesCutShortByTheCallersDeadlineAreNotCalledDown) {
  const absl::Time passed = absl::Now() - absl::Seconds(1);
  auto round = evaluation_.CreateRound(
      evaluator_, OneDimensionRound("late", v1::SUBJECT_KIND_INSTITUTION, {}, "late-1"), passed);
  EXPECT_EQ(round.status().code(), absl::StatusCode::kDeadlineExceeded) << round.status();
  EXPECT_NE(round.status().message().find("longer"), std::string::npos);

  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  ASSERT_TRUE(catalog.ok());
  v1::ImportIndicatorsRequest load;
  *load.mutable_catalog() = *catalog;
  load.set_request_id("load-late");
  EXPECT_EQ(evaluation_.ImportIndicators(coordinator_, load, passed).status().code(),
            absl::StatusCode::kDeadlineExceeded);

  // Results still come back, partial, with every source named.
  v1::ListResultsRequest req;
  req.set_year(2025);
  auto results = evaluation_.ListResults(coordinator_, req, passed);
  ASSERT_TRUE(results.ok()) << results.status();
  EXPECT_EQ(results->unavailable_sources_size(), 2);

  // With time left, the same calls go through.
  EXPECT_TRUE(
      evaluation_
          .CreateRound(evaluator_,
                       OneDimensionRound("late", v1::SUBJECT_KIND_INSTITUTION, {}, "late-2"),
                       absl::Now() + absl::Seconds(30))
          .ok());
}

TEST_F(EvaluationTest, RoundFreezesASnapshotIsScoredFinalisedAndThenImmutable) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 90000, "s-1").ok());
  v1::CreateRoundRequest create;
  create.set_round_id("2025-annual");
  create.mutable_round()->set_title("2025年度职业教育高质量发展效能评价");
  create.mutable_round()->set_year(2025);
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  auto* quality = create.mutable_round()->add_dimensions();
  quality->set_id("quality");
  quality->set_title("办学质量");
  quality->set_weight_bp(7000);
  auto* service = create.mutable_round()->add_dimensions();
  service->set_id("service");
  service->set_title("服务贡献");
  service->set_weight_bp(2000);
  create.set_request_id("r-1");
  // 70% + 20% is not 100%.
  auto refused = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "round.dimensions");

  service->set_weight_bp(3000);
  create.set_request_id("r-2");
  auto round = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_TRUE(round.ok()) << round.status();
  EXPECT_EQ(round->subjects_size(), 2);  // every institution by default
  // Named as school reporting names them when the round opens.
  EXPECT_EQ(round->subject_names().at("cqgsxx"), "重庆市工商学校");
  EXPECT_EQ(round->subject_names().at("cqvie"), "重庆工程职业技术学院");
  auto frozen = [](const v1::Round& r) {
    for (const auto& s : r.snapshot()) {
      if (s.indicator() == "indicators/skilled-workers") return s.value();
    }
    return -1.0;
  };
  EXPECT_EQ(frozen(*round), 90000);

  // The snapshot does not follow later changes of the sources.
  v1::RecordStatisticRequest update;
  update.set_key("skilled_workers");
  update.set_year(2025);
  update.set_value(120000);
  update.set_source("修订");
  update.set_as_of("2025-12-31");
  update.set_request_id("s-2");
  ASSERT_TRUE(evaluation_.RecordStatistic(hrss_, update).ok());
  v1::GetRoundRequest get;
  get.set_name("rounds/2025-annual");
  EXPECT_EQ(frozen(*evaluation_.GetRound(coordinator_, get, kNoDeadline)), 90000);

  v1::RecordScoresRequest scores;
  scores.set_round("rounds/2025-annual");
  for (auto [subject, q, s] : {std::tuple{"cqvie", 90.0, 80.0}, std::tuple{"cqgsxx", 85.0, 95.0}}) {
    auto* a = scores.add_scores();
    a->set_subject(subject);
    a->set_dimension("quality");
    a->set_score(q);
    auto* b = scores.add_scores();
    b->set_subject(subject);
    b->set_dimension("service");
    b->set_score(s);
  }
  scores.set_request_id("sc-1");
  EXPECT_EQ(evaluation_.RecordScores(coordinator_, scores).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(evaluation_.RecordScores(evaluator_, scores).ok());

  v1::ExportRoundRequest export_req;
  export_req.set_round("rounds/2025-annual");
  EXPECT_EQ(evaluation_.ExportRound(coordinator_, export_req, kNoDeadline).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::FinalizeRoundRequest finalize;
  finalize.set_round("rounds/2025-annual");
  finalize.set_request_id("f-1");
  auto final_round = evaluation_.FinalizeRound(evaluator_, finalize, kNoDeadline);
  ASSERT_TRUE(final_round.ok()) << final_round.status();
  EXPECT_EQ(final_round->state(), v1::ROUND_STATE_FINAL);
  ASSERT_EQ(final_round->standings_size(), 2);
  EXPECT_EQ(final_round->standings(0).subject(), "cqgsxx");  // 59.5 + 28.5 = 88
  EXPECT_DOUBLE_EQ(final_round->standings(0).composite(), 88);
  EXPECT_DOUBLE_EQ(final_round->standings(1).composite(), 87);  // 63 + 24

  scores.set_request_id("sc-2");
  auto late = evaluation_.RecordScores(evaluator_, scores);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(late.status()), "ROUND_FINAL");
  finalize.set_request_id("f-2");
  EXPECT_EQ(evaluation_.FinalizeRound(evaluator_, finalize, kNoDeadline).status().code(),
            absl::StatusCode::kFailedPrecondition);

  auto exported = evaluation_.ExportRound(coordinator_, export_req, kNoDeadline);
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->filename(), "2025-annual.csv");
  EXPECT_NE(exported->content().find("1,cqgsxx,重庆市工商学校,85.00,95.00,88.00"),
            std::string::npos);
}

// A round frozen before results carried value_text reads as the service
// prints it now (vetctl had a copy of the rule to fill it in).
TEST_F(EvaluationTest, AResultFrozenWithoutItsTextIsReadWithIt) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "s-1").ok());
  auto created = evaluation_.CreateRound(
      evaluator_, OneDimensionRound("old", v1::SUBJECT_KIND_INSTITUTION, {}, "r-old"), kNoDeadline);
  ASSERT_TRUE(created.ok()) << created.status();
  v1::Round old = *created;
  for (auto& r : *old.mutable_snapshot()) r.clear_value_text();
  EvaluationWrite write;
  write.rounds.push_back({old, 1});
  ASSERT_TRUE(store_.Write(write).ok());

  v1::GetRoundRequest get;
  get.set_name("rounds/old");
  auto read = evaluation_.GetRound(coordinator_, get, kNoDeadline);
  ASSERT_TRUE(read.ok()) << read.status();
  int compared = 0;
  for (int i = 0; i < read->snapshot_size(); ++i) {
    EXPECT_EQ(read->snapshot(i).value_text(), created->snapshot(i).value_text())
        << read->snapshot(i).indicator();
    if (read->snapshot(i).indicator() == "indicators/skilled-workers") {
      EXPECT_EQ(read->snapshot(i).value_text(), "98000");  // a count against a count
      ++compared;
    }
  }
  EXPECT_EQ(compared, 1);
}

// Found in use: evaluators entering scores at once (no etag) were refused
// ABORTED for most of them.
TEST_F(EvaluationTest, ScoresEnteredAtOnceWithoutAnEtagAreAllRecorded) {
  ASSERT_TRUE(Record(hrss_, "skilled_workers", 98000, "s-1").ok());
  v1::CreateRoundRequest create =
      OneDimensionRound("busy", v1::SUBJECT_KIND_INSTITUTION, {}, "r-busy");
  create.mutable_round()->clear_dimensions();
  constexpr int kDimensions = 8;
  for (int d = 0; d < kDimensions; ++d) {
    auto* dimension = create.mutable_round()->add_dimensions();
    dimension->set_id(absl::StrCat("d", d));
    dimension->set_title(absl::StrCat("维度", d));
    dimension->set_weight_bp(10000 / kDimensions);
  }
  auto round = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_TRUE(round.ok()) << round.status();

  std::vector<std::thread> evaluators;
  std::vector<absl::Status> outcomes(round->subjects_size() * kDimensions);
  for (int s = 0; s < round->subjects_size(); ++s) {
    for (int d = 0; d < kDimensions; ++d) {
      const int i = s * kDimensions + d;
      evaluators.emplace_back([&, s, d, i] {
        v1::RecordScoresRequest scores;
        scores.set_round("rounds/busy");
        auto* score = scores.add_scores();
        score->set_subject(round->subjects(s));
        score->set_dimension(absl::StrCat("d", d));
        score->set_score(50 + i);
        scores.set_request_id(absl::StrCat("sc-", i));
        outcomes[i] = evaluation_.RecordScores(evaluator_, scores).status();
      });
    }
  }
  for (auto& t : evaluators) t.join();
  for (size_t i = 0; i < outcomes.size(); ++i) EXPECT_TRUE(outcomes[i].ok()) << i << outcomes[i];
  v1::GetRoundRequest get;
  get.set_name("rounds/busy");
  auto stored = evaluation_.GetRound(coordinator_, get, kNoDeadline);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->scores_size(), static_cast<int>(outcomes.size()));
}

TEST_F(EvaluationTest, ARoundOfInstitutionsScoresOnlyInstitutionsThatExist) {
  v1::CreateRoundRequest create;
  create.set_round_id("typo");
  create.mutable_round()->set_title("评价");
  create.mutable_round()->set_year(2025);
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  create.mutable_round()->add_subjects("cqvie");
  create.mutable_round()->add_subjects("cqvei");
  auto* quality = create.mutable_round()->add_dimensions();
  quality->set_id("quality");
  quality->set_title("办学质量");
  quality->set_weight_bp(10000);
  create.set_request_id("r-1");
  auto refused = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "round.subjects[1]");
  v1::GetRoundRequest get;
  get.set_name("rounds/typo");
  EXPECT_EQ(evaluation_.GetRound(coordinator_, get, kNoDeadline).status().code(),
            absl::StatusCode::kNotFound);

  create.mutable_round()->set_subjects(1, "cqgsxx");
  create.set_request_id("r-2");
  EXPECT_TRUE(evaluation_.CreateRound(evaluator_, create, kNoDeadline).ok());
}

TEST_F(EvaluationTest, ARoundScoresOnlySubjectsTheRoundsYearHad) {
  v1::CreateRoundRequest create =
      OneDimensionRound("units", v1::SUBJECT_KIND_UNIT, {"edu", "hrs"}, "u-1");
  auto refused = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "round.subjects[1]");
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].description, "no unit 'hrs'");
  create.mutable_round()->set_subjects(1, "hrss");
  sources_.tasks_up = false;  // nobody to tell the units: nothing frozen
  create.set_request_id("u-2");
  EXPECT_EQ(evaluation_.CreateRound(evaluator_, create, kNoDeadline).status().code(),
            absl::StatusCode::kUnavailable);
  sources_.tasks_up = true;
  create.set_request_id("u-3");
  EXPECT_TRUE(evaluation_.CreateRound(evaluator_, create, kNoDeadline).ok());

  // cqgsxx counted from 2026 is no subject of 2025, named or by default.
  sources_.first_years["cqgsxx"] = 2026;
  create.set_round_id("institutions");
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  create.mutable_round()->clear_subjects();
  create.mutable_round()->add_subjects("cqgsxx");
  create.set_request_id("i-1");
  refused = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].description,
            "institution 'cqgsxx' is counted only from 2026, after the round's year");
  create.mutable_round()->clear_subjects();
  create.set_request_id("i-2");
  auto every = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_TRUE(every.ok()) << every.status();
  EXPECT_EQ(std::vector<std::string>(every->subjects().begin(), every->subjects().end()),
            std::vector<std::string>{"cqvie"});
  // Counted from the round's own year, it is one of its subjects.
  sources_.first_years["cqgsxx"] = 2025;
  create.set_round_id("institutions-2");
  create.set_request_id("i-3");
  every = evaluation_.CreateRound(evaluator_, create, kNoDeadline);
  ASSERT_TRUE(every.ok()) << every.status();
  EXPECT_EQ(every->subjects_size(), 2);
}

// Whether any result, or any of its source figures, is about cqgsxx.
bool MentionsCqgsxx(const google::protobuf::RepeatedPtrField<v1::Result>& results) {
  for (const auto& r : results) {
    if (r.scope_key() == "institution:cqgsxx") return true;
    for (const auto& f : r.sources()) {
      if (f.institution() == "cqgsxx") return true;
    }
  }
  return false;
}

TEST_F(EvaluationTest, ASchoolReadsOnlyItsOwnFiguresScoresAndStanding) {
  v1::CreateRoundRequest create;
  create.set_round_id("2025-annual");
  create.mutable_round()->set_title("2025年度评价");
  create.mutable_round()->set_year(2025);
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  auto* quality = create.mutable_round()->add_dimensions();
  quality->set_id("quality");
  quality->set_title("办学质量");
  quality->set_weight_bp(10000);
  create.set_request_id("r-1");
  ASSERT_TRUE(evaluation_.CreateRound(evaluator_, create, kNoDeadline).ok());
  ASSERT_TRUE(ScoreAndFinalize("2025-annual", "quality", {{"cqvie", 90.0}, {"cqgsxx", 85.0}}).ok());

  const Principal cqvie{Role::kSchool, "cqvie"};
  v1::GetRoundRequest get;
  get.set_name("rounds/2025-annual");
  auto everything = evaluation_.GetRound(coordinator_, get, kNoDeadline);
  ASSERT_TRUE(everything.ok());
  ASSERT_TRUE(MentionsCqgsxx(everything->snapshot()));  // there is something to hide
  EXPECT_EQ(everything->standings_size(), 2);

  auto own = evaluation_.GetRound(cqvie, get, kNoDeadline);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->subjects_size(), 2);  // how many were ranked
  ASSERT_EQ(own->scores_size(), 1);
  EXPECT_EQ(own->scores(0).subject(), "cqvie");
  ASSERT_EQ(own->standings_size(), 1);
  EXPECT_EQ(own->standings(0).subject(), "cqvie");
  EXPECT_EQ(own->standings(0).rank(), 1);
  EXPECT_FALSE(MentionsCqgsxx(own->snapshot()));
  bool sees_own_share = false;
  for (const auto& r : own->snapshot()) sees_own_share |= r.scope_key() == "institution:cqvie";
  EXPECT_TRUE(sees_own_share);

  auto listed = evaluation_.ListRounds(cqvie, {}, kNoDeadline);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->rounds_size(), 1);
  EXPECT_EQ(listed->rounds(0).standings_size(), 1);
  EXPECT_EQ(listed->rounds(0).scores_size(), 1);

  v1::ListResultsRequest results;
  results.set_year(2025);
  auto mine = evaluation_.ListResults(cqvie, results, kNoDeadline);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_FALSE(MentionsCqgsxx(mine->results()));
  EXPECT_GT(mine->results_size(), 0);
  results.set_institution("cqgsxx");
  EXPECT_EQ(evaluation_.ListResults(cqvie, results, kNoDeadline).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(MentionsCqgsxx(evaluation_.ListResults(hrss_, results, kNoDeadline)->results()));

  // An operator runs the system, and sees the district's figures only.
  const Principal operator_{Role::kOperator, ""};
  auto for_operator = evaluation_.GetRound(operator_, get, kNoDeadline);
  ASSERT_TRUE(for_operator.ok());
  EXPECT_EQ(for_operator->scores_size(), 0);
  EXPECT_EQ(for_operator->standings_size(), 0);
  for (const auto& r : for_operator->snapshot()) {
    EXPECT_EQ(r.scope(), v1::SCOPE_DISTRICT) << r.indicator();
    for (const auto& f : r.sources()) EXPECT_EQ(f.institution(), "") << r.indicator();
  }
  v1::ExportRoundRequest export_req;
  export_req.set_round("rounds/2025-annual");
  EXPECT_EQ(evaluation_.ExportRound(operator_, export_req, kNoDeadline).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      evaluation_.ExportRound(Principal{Role::kExchange, ""}, export_req, kNoDeadline).ok());

  auto final_for_school = evaluation_.GetFinalEvaluation(cqvie, {}, kNoDeadline);
  ASSERT_TRUE(final_for_school.ok());
  EXPECT_FALSE(MentionsCqgsxx(final_for_school->results()));
  EXPECT_EQ(final_for_school->met() + final_for_school->missed() + final_for_school->no_data() +
                final_for_school->undecided(),
            final_for_school->results_size());
}

TEST_F(EvaluationTest, FinalEvaluationJudgesEveryTargetAtTheHorizon) {
  v1::GetFinalEvaluationRequest req;
  auto final_eval = evaluation_.GetFinalEvaluation(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(final_eval.ok());
  EXPECT_EQ(final_eval->year(), 2025);
  EXPECT_EQ(final_eval->met() + final_eval->missed() + final_eval->no_data(),
            final_eval->results_size());
  EXPECT_EQ(final_eval->undecided(), 0);
  for (const auto& r : final_eval->results()) {
    EXPECT_TRUE(r.status() == v1::RESULT_STATUS_MET || r.status() == v1::RESULT_STATUS_MISSED ||
                r.status() == v1::RESULT_STATUS_NO_DATA)
        << r.indicator() << " " << r.rule();
  }
}

TEST_F(EvaluationTest, AFinalEvaluationAskedEarlyCountsOpenTargetsAsUndecidedNotMissed) {
  auto recorded = Record(hrss_, "skilled_workers", 90000, "s-early");
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  clock_.Set(absl::FromCivil(absl::CivilDay(2025, 6, 1), kTz));
  auto final_eval =
      evaluation_.GetFinalEvaluation(coordinator_, v1::GetFinalEvaluationRequest(), kNoDeadline);
  ASSERT_TRUE(final_eval.ok()) << final_eval.status();
  int open = 0, missed = 0;
  for (const auto& r : final_eval->results()) {
    open += r.status() == v1::RESULT_STATUS_ON_TRACK || r.status() == v1::RESULT_STATUS_AT_RISK;
    missed += r.status() == v1::RESULT_STATUS_MISSED;
  }
  ASSERT_GT(open, 0) << "before the deadline a recorded target is still open";
  EXPECT_EQ(final_eval->undecided(), open);
  EXPECT_EQ(final_eval->missed(), missed);
  EXPECT_EQ(
      final_eval->met() + final_eval->missed() + final_eval->no_data() + final_eval->undecided(),
      final_eval->results_size());
}

}  // namespace
}  // namespace vetrack::evaluation
