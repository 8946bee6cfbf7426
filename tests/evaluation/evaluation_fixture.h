// The fixture of the evaluation's domain tests: the domain on its Redis store
// (a real redis-server) with fake sources, the plan's catalog loaded.
#ifndef VETRACK_TESTS_EVALUATION_EVALUATION_FIXTURE_H_
#define VETRACK_TESTS_EVALUATION_EVALUATION_FIXTURE_H_

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "evaluation.h"
#include "indicator_catalog.h"
#include "plan_registry.h"
#include "redis_evaluation_store.h"
#include "school-reporting/items.h"
#include "status/errors.h"
#include "testing/redis_server.h"

namespace vetrack::evaluation {

inline const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/evaluation/data/indicators.json";
inline const absl::TimeZone kTz = absl::FixedTimeZone(8 * 3600);
// The answer_by of a call whose caller set no deadline.
inline const absl::Time kNoDeadline = absl::InfiniteFuture();

// Two institutions, cqvie with its national codes imported, with accepted
// 2025 reports and 2025 person-times, unless left out; school reporting and
// the ledger can be switched off.
class FakeSources : public EvaluationSources {
 public:
  absl::StatusOr<std::vector<Institution>> Institutions(absl::Time answer_by) override {
    if (absl::Status up = Answers(schools_up, answer_by); !up.ok()) return up;
    std::vector<Institution> institutions{
        {"cqvie", v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, "重庆工程职业技术学院", "4150013571",
         "91350100M000100Y43"},
        {"cqgsxx", v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL, "重庆市工商学校", "", ""}};
    for (auto& i : institutions) {
      auto first = first_years.find(i.code);
      if (first != first_years.end()) i.first_year = first->second;
      if (auto name = renamed.find(i.code); name != renamed.end()) i.display_name = name->second;
    }
    return institutions;
  }
  absl::StatusOr<SchoolYear> DataReports(const std::vector<Institution>&,
                                         const std::string& period_id,
                                         absl::Time answer_by) override {
    if (absl::Status up = Answers(true, answer_by); !up.ok()) return up;
    SchoolYear year;
    if (period_id != "ay2025") return year;
    std::map<std::string, AcceptedReport>& reports = year.accepted;
    reports["cqvie"] = {"ay2025", 1, {}};
    reports["cqvie"].counts = {{"dual_qualified_teachers", 130},
                               {"fulltime_professional_teachers", 200},
                               {"enrolled_students", 1000}};
    reports["cqgsxx"] = {"ay2025", 3, {}};
    reports["cqgsxx"].counts = {{"dual_qualified_teachers", 70},
                                {"fulltime_professional_teachers", 100},
                                {"enrolled_students", 500}};
    for (const auto& code : without_report) reports.erase(code);
    for (const auto& [code, type] : submitted_as) {
      if (auto report = reports.find(code); report != reports.end()) report->second.type = type;
    }
    for (const auto& [code, type] : pending_as) {
      reports.erase(code);
      year.pending_types[code] = type;
    }
    return year;
  }
  // The ledger judges 2025 on the same accepted reports as DataReports.
  absl::StatusOr<LedgerYear> Ledger(int year, absl::Time answer_by) override {
    ++ledger_calls;
    if (absl::Status up = Answers(ledger_up, answer_by); !up.ok()) return up;
    LedgerYear ledger;
    if (year != 2025) return ledger;
    ledger.person_times = {{"cqvie", 2100}, {"cqgsxx", 900}};
    ledger.enrolment = {{"cqvie", {1000, "ay2025", 1}}, {"cqgsxx", {500, "ay2025", 3}}};
    for (const auto& code : without_training) ledger.person_times.erase(code);
    for (const auto& code : without_report) {
      ledger.enrolment.erase(code);
      ledger.no_enrolment[code] = "enrolment not reported yet";
    }
    return ledger;
  }
  absl::StatusOr<std::map<std::string, std::string>> DistrictUnits(absl::Time answer_by) override {
    if (absl::Status up = Answers(tasks_up, answer_by); !up.ok()) return up;
    if (!plan_loaded) return std::map<std::string, std::string>{};
    return PlanDepartments();
  }
  absl::StatusOr<std::set<int>> TaskNumbers(absl::Time answer_by) override {
    if (absl::Status up = Answers(tasks_up, answer_by); !up.ok()) return up;
    if (!plan_loaded) return absl::NotFoundError("no plan plans/jiangjin-vet-2021");
    return PlanTaskNumbers();
  }
  // School reporting's real count items.
  absl::StatusOr<std::set<std::string>> CountItems(absl::Time answer_by) override {
    if (absl::Status up = Answers(schools_up, answer_by); !up.ok()) return up;
    std::set<std::string> ids;
    for (const auto& item : schools::ItemCatalog()) {
      if (item.type() == schools::v1::ITEM_TYPE_COUNT) ids.insert(item.id());
    }
    return ids;
  }
  // As a gRPC call does: refused when the service is down, and cut short
  // once the caller's time is up.
  static absl::Status Answers(bool up, absl::Time answer_by) {
    if (absl::Now() >= answer_by) return absl::DeadlineExceededError("Deadline Exceeded");
    if (!up) return absl::UnavailableError("connection refused");
    return absl::OkStatus();
  }
  bool schools_up = true;
  bool ledger_up = true;
  bool tasks_up = true;
  bool plan_loaded = true;                     // the registry's catalog, its departments and tasks
  std::map<std::string, int> first_years;      // institutions counted from a later year
  std::map<std::string, std::string> renamed;  // institutions' names since changed
  std::set<std::string> without_report;        // institutions with no accepted report
  std::set<std::string> without_training;      // institutions the ledger has no figures for
  // The type an institution's 2025 report was submitted as, when not its current one.
  std::map<std::string, v1::InstitutionType> submitted_as;
  // Institutions whose 2025 report waits for review (none of it accepted),
  // with the type it was submitted as.
  std::map<std::string, v1::InstitutionType> pending_as;
  std::atomic<int> ledger_calls{0};  // one per year computed
};

class EvaluationTest : public ::testing::Test {
 protected:
  EvaluationTest()
      : client_(redis_.options()),
        store_(client_),
        clock_(absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz)),
        evaluation_(store_, sources_, clock_) {}

  void SetUp() override {
    auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
    ASSERT_TRUE(catalog.ok());
    v1::ImportIndicatorsRequest req;
    *req.mutable_catalog() = *catalog;
    req.set_request_id("load-1");
    auto loaded = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_EQ(loaded->created(), catalog->indicators_size());
  }

  absl::StatusOr<v1::Statistic> Record(const Principal& who, const std::string& key, double value,
                                       const std::string& request_id) {
    v1::RecordStatisticRequest req;
    req.set_key(key);
    req.set_year(2025);
    req.set_value(value);
    req.set_source("区人力社保局技能人才统计");
    req.set_as_of("2025-12-31");
    req.set_request_id(request_id);
    return evaluation_.RecordStatistic(who, req);
  }

  // Records `scores` (subject, score) in `dimension` of rounds/`round_id` as
  // the evaluator, then finalises the round; request ids derive from the id.
  absl::StatusOr<v1::Round> ScoreAndFinalize(
      const std::string& round_id, const std::string& dimension,
      const std::vector<std::pair<std::string, double>>& scores) {
    v1::RecordScoresRequest record;
    record.set_round("rounds/" + round_id);
    for (const auto& [subject, score] : scores) {
      auto* entered = record.add_scores();
      entered->set_subject(subject);
      entered->set_dimension(dimension);
      entered->set_score(score);
    }
    record.set_request_id(round_id + "-scores");
    if (auto recorded = evaluation_.RecordScores(evaluator_, record); !recorded.ok()) {
      return recorded.status();
    }
    v1::FinalizeRoundRequest finalize;
    finalize.set_round("rounds/" + round_id);
    finalize.set_request_id(round_id + "-final");
    return evaluation_.FinalizeRound(evaluator_, finalize, kNoDeadline);
  }

  // A 2025 round of `subjects` (none: every one) scored in one dimension,
  // "work" (任务落实).
  static v1::CreateRoundRequest OneDimensionRound(const std::string& round_id, v1::SubjectKind kind,
                                                  const std::vector<std::string>& subjects,
                                                  const std::string& request_id) {
    v1::CreateRoundRequest create;
    create.set_round_id(round_id);
    create.mutable_round()->set_title("评价");
    create.mutable_round()->set_year(2025);
    create.mutable_round()->set_subject_kind(kind);
    for (const auto& subject : subjects) create.mutable_round()->add_subjects(subject);
    auto* work = create.mutable_round()->add_dimensions();
    work->set_id("work");
    work->set_title("任务落实");
    work->set_weight_bp(10000);
    create.set_request_id(request_id);
    return create;
  }

  std::map<std::string, v1::Result> Results(const std::string& institution = "") {
    v1::ListResultsRequest req;
    req.set_year(2025);
    req.set_institution(institution);
    auto results = evaluation_.ListResults(coordinator_, req, kNoDeadline);
    EXPECT_TRUE(results.ok()) << results.status();
    std::map<std::string, v1::Result> out;
    for (const auto& r : results->results())
      out[r.indicator().substr(11) + "@" + r.scope_key()] = r;
    return out;
  }

  testing::RedisServer redis_;
  redis::Client client_;
  RedisEvaluationStore store_;
  FakeSources sources_;
  FakeClock clock_;
  Evaluation evaluation_;
  Principal coordinator_{Role::kCoordinator, ""};
  Principal hrss_{Role::kDepartment, "hrss"};
  Principal evaluator_{Role::kEvaluator, ""};
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_TESTS_EVALUATION_EVALUATION_FIXTURE_H_
