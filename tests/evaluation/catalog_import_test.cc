// Loading the indicator catalog into the evaluation's Redis store (a real
// redis-server): loading again changes nothing, an indicator left out is
// retired and may come back, and two loads at once never mix.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "evaluation_fixture.h"

namespace vetrack::evaluation {
namespace {

TEST_F(EvaluationTest, LoadingTheCatalogAgainChangesNothing) {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  v1::ImportIndicatorsRequest req;
  *req.mutable_catalog() = *catalog;
  req.set_request_id("load-2");
  auto again = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created(), 0);
  EXPECT_EQ(again->updated(), 0);
  EXPECT_EQ(again->unchanged(), catalog->indicators_size());
  v1::GetIndicatorRequest get;
  get.set_name("indicators/dual-qualified-teacher-share");
  EXPECT_EQ(evaluation_.GetIndicator(coordinator_, get)->etag(), "1");
}

// Found in review: a `school:` reference to no count school reporting keeps
// was taken, and every school then added 0 to the indicator.
TEST_F(EvaluationTest, AFormulaNamingNoCountOfSchoolReportingIsRefused) {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  int share = -1;
  for (int i = 0; i < catalog->indicators_size(); ++i) {
    if (catalog->indicators(i).id() == "dual-qualified-teacher-share") share = i;
  }
  ASSERT_GE(share, 0);
  v1::ImportIndicatorsRequest req;
  req.set_request_id("load-misspelt");
  *req.mutable_catalog() = *catalog;
  v1::Formula* formula = req.mutable_catalog()->mutable_indicators(share)->mutable_formula();
  ASSERT_EQ(formula->numerator(0).ref(), "school:dual_qualified_teachers");
  // A typo, and the one item that is a list of majors rather than a count.
  for (const char* ref : {"school:dual_qualifed_teachers", "school:majors"}) {
    SCOPED_TRACE(ref);
    formula->mutable_numerator(0)->set_ref(ref);
    auto refused = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    auto violations = FieldViolationsOf(refused.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, absl::StrCat("catalog.indicators[", share, "].formula"));
    EXPECT_NE(violations[0].description.find(std::string(ref).substr(7)), std::string::npos);
  }
  v1::GetIndicatorRequest get;
  get.set_name("indicators/dual-qualified-teacher-share");
  EXPECT_EQ(evaluation_.GetIndicator(coordinator_, get)->formula().numerator(0).ref(),
            "school:dual_qualified_teachers");

  // Without school reporting to ask, nothing is imported.
  formula->mutable_numerator(0)->set_ref("school:dual_qualified_teachers");
  sources_.schools_up = false;
  EXPECT_EQ(evaluation_.ImportIndicators(coordinator_, req, kNoDeadline).status().code(),
            absl::StatusCode::kUnavailable);
  sources_.schools_up = true;
  EXPECT_TRUE(evaluation_.ImportIndicators(coordinator_, req, kNoDeadline).ok());
}

// Found in use: an indicator's responsible unit `nosuch` (or a school's
// code) and task 99 were kept and shown; the task registry says which
// departments and tasks there are.
TEST_F(EvaluationTest, AUnitOrTaskTheRegistryDoesNotHaveIsRefused) {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  int share = -1;
  int statistic = -1;
  for (int i = 0; i < catalog->indicators_size(); ++i) {
    if (catalog->indicators(i).id() == "dual-qualified-teacher-share") share = i;
  }
  for (int i = 0; i < catalog->statistics_size(); ++i) {
    if (statistic < 0 && catalog->statistics(i).responsible_unit() == "hrss") statistic = i;
  }
  ASSERT_GE(share, 0);
  ASSERT_GE(statistic, 0);
  const std::string indicator_field = absl::StrCat("catalog.indicators[", share, "]");
  const std::string statistic_field = absl::StrCat("catalog.statistics[", statistic, "]");

  struct Case {
    std::function<void(v1::IndicatorCatalog*)> spoil;
    std::string field;
    std::string named;
  };
  const std::vector<Case> cases = {
      {[&](v1::IndicatorCatalog* c) {
         c->mutable_indicators(share)->set_responsible_unit("nosuch");
       },
       indicator_field + ".responsible_unit", "'nosuch'"},
      // A school is a unit of the registry, but not a department.
      {[&](v1::IndicatorCatalog* c) {
         c->mutable_indicators(share)->set_responsible_unit("cqvie");
       },
       indicator_field + ".responsible_unit", "'cqvie'"},
      // A department's code misspelt throughout (so its indicators and
      // statistics still agree with each other).
      {[&](v1::IndicatorCatalog* c) {
         for (auto& s : *c->mutable_statistics()) {
           if (s.responsible_unit() == "hrss") s.set_responsible_unit("hrs");
         }
         for (auto& i : *c->mutable_indicators()) {
           if (i.responsible_unit() == "hrss") i.set_responsible_unit("hrs");
         }
       },
       statistic_field + ".responsible_unit", "'hrs'"},
      {[&](v1::IndicatorCatalog* c) { c->mutable_indicators(share)->set_task_number(99); },
       indicator_field + ".task_number", "no task 99 (its 33 tasks are numbered from 1 to 33)"},
      {[&](v1::IndicatorCatalog* c) { c->mutable_indicators(share)->set_task_number(-1); },
       indicator_field + ".task_number", "or 0 for none"},
      {[&](v1::IndicatorCatalog* c) { c->mutable_indicators(share)->clear_responsible_unit(); },
       indicator_field + ".responsible_unit", "district unit responsible"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field + " " + c.named);
    v1::ImportIndicatorsRequest req;
    req.set_request_id("load-spoilt");
    *req.mutable_catalog() = *catalog;
    c.spoil(req.mutable_catalog());
    auto refused = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    auto violations = FieldViolationsOf(refused.status());
    ASSERT_FALSE(violations.empty());
    EXPECT_EQ(violations[0].field, c.field);
    EXPECT_NE(violations[0].description.find(c.named), std::string::npos)
        << violations[0].description;
  }
  v1::GetIndicatorRequest get;
  get.set_name("indicators/dual-qualified-teacher-share");
  auto kept = evaluation_.GetIndicator(coordinator_, get);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->responsible_unit(), catalog->indicators(share).responsible_unit());
  EXPECT_EQ(kept->task_number(), catalog->indicators(share).task_number());

  // Without the registry to ask, nothing is imported; once it answers, the
  // plan's own catalog is.
  v1::ImportIndicatorsRequest req;
  req.set_request_id("load-again");
  *req.mutable_catalog() = *catalog;
  sources_.tasks_up = false;
  auto unchecked = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
  EXPECT_EQ(unchecked.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(unchecked.status().message().find("against the task registry"), std::string::npos);
  sources_.tasks_up = true;
  // A registry without the plan's catalog (or another plan): for an
  // operator to put right, not to retry.
  sources_.plan_loaded = false;
  auto unloaded = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
  EXPECT_EQ(unloaded.status().code(), absl::StatusCode::kFailedPrecondition) << unloaded.status();
  EXPECT_NE(unloaded.status().message().find("--plan"), std::string::npos);
  sources_.plan_loaded = true;
  EXPECT_TRUE(evaluation_.ImportIndicators(coordinator_, req, kNoDeadline).ok());

  // Cut short by the caller's deadline: DEADLINE_EXCEEDED, as the school
  // items' check (which, with no school item in the catalog, asks nothing).
  v1::ImportIndicatorsRequest statistics_only = req;
  statistics_only.set_request_id("load-late");
  auto* indicators = statistics_only.mutable_catalog()->mutable_indicators();
  for (int i = indicators->size() - 1; i >= 0; --i) {
    const v1::Formula& formula = indicators->Get(i).formula();
    bool asks_schools = false;
    for (const auto* refs : {&formula.numerator(), &formula.denominator()}) {
      for (const auto& ref : *refs) asks_schools |= ref.ref().rfind("school:", 0) == 0;
    }
    if (asks_schools) indicators->DeleteSubrange(i, 1);
  }
  ASSERT_GT(indicators->size(), 0);
  auto late =
      evaluation_.ImportIndicators(coordinator_, statistics_only, absl::Now() - absl::Seconds(1));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded) << late.status();
  EXPECT_NE(late.status().message().find("task registry"), std::string::npos) << late.status();
}

TEST_F(EvaluationTest, AnIndicatorLeftOutOfANewCatalogIsRetired) {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  ASSERT_GE(catalog->indicators_size(), 3);
  const std::string dropped = catalog->indicators(1).name();
  v1::ImportIndicatorsRequest req;
  *req.mutable_catalog() = *catalog;
  req.mutable_catalog()->mutable_indicators()->DeleteSubrange(1, 1);
  req.set_request_id("load-without-one");
  auto loaded = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->retired_size(), 1);
  EXPECT_EQ(loaded->retired(0), dropped);
  EXPECT_EQ(loaded->unchanged(), catalog->indicators_size() - 1);

  v1::ListIndicatorsRequest list;
  list.set_page_size(500);
  auto listed = evaluation_.ListIndicators(coordinator_, list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->indicators_size(), catalog->indicators_size() - 1);
  EXPECT_EQ(listed->indicators(0).name(), catalog->indicators(0).name());
  EXPECT_EQ(listed->indicators(1).name(), catalog->indicators(2).name());
  v1::GetIndicatorRequest get;
  get.set_name(dropped);
  EXPECT_EQ(evaluation_.GetIndicator(coordinator_, get).status().code(),
            absl::StatusCode::kNotFound);
  for (const auto& [key, result] : Results()) EXPECT_NE(result.indicator(), dropped) << key;

  // Loaded back, it is listed again in its place.
  req.set_request_id("load-all-again");
  *req.mutable_catalog() = *catalog;
  auto restored = evaluation_.ImportIndicators(coordinator_, req, kNoDeadline);
  ASSERT_TRUE(restored.ok());
  EXPECT_TRUE(restored->retired().empty());
  EXPECT_EQ(restored->created(), 1);
  EXPECT_EQ(restored->unchanged(), catalog->indicators_size() - 1);
  listed = evaluation_.ListIndicators(coordinator_, list);
  ASSERT_EQ(listed->indicators_size(), catalog->indicators_size());
  EXPECT_EQ(listed->indicators(1).name(), dropped);
}

// The store, with a hook run once right after the indicators are listed, the
// last read an import decides on: another import can land between an
// import's reads and its write.
class ImportRacingStore : public EvaluationStore {
 public:
  explicit ImportRacingStore(EvaluationStore& store) : store_(store) {}
  std::function<void()> after_listing;

  absl::Status Ping() override { return store_.Ping(); }
  absl::StatusOr<std::vector<Stored<v1::Indicator>>> ListIndicators() override {
    auto listed = store_.ListIndicators();
    if (after_listing) std::exchange(after_listing, nullptr)();
    return listed;
  }
  absl::StatusOr<std::vector<Stored<v1::Indicator>>> GetIndicators(
      const std::vector<std::string>& ids) override {
    return store_.GetIndicators(ids);
  }
  absl::StatusOr<std::vector<v1::StatisticDefinition>> StatisticDefinitions() override {
    return store_.StatisticDefinitions();
  }
  absl::StatusOr<int64_t> CatalogVersion() override { return store_.CatalogVersion(); }
  absl::StatusOr<std::optional<Stored<v1::Statistic>>> GetStatistic(const std::string& key,
                                                                    int year) override {
    return store_.GetStatistic(key, year);
  }
  absl::StatusOr<std::vector<Stored<v1::Statistic>>> ListStatistics(int year) override {
    return store_.ListStatistics(year);
  }
  absl::StatusOr<std::vector<v1::Statistic>> ListStatisticRevisions(const std::string& key,
                                                                    int year, int offset, int limit,
                                                                    int* total) override {
    return store_.ListStatisticRevisions(key, year, offset, limit, total);
  }
  absl::StatusOr<std::optional<Stored<v1::Round>>> GetRound(const std::string& round_id) override {
    return store_.GetRound(round_id);
  }
  absl::StatusOr<std::vector<Stored<v1::Round>>> ListRounds() override {
    return store_.ListRounds();
  }
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override {
    return store_.FindAnswer(request_key, fingerprint);
  }
  absl::StatusOr<WriteOutcome> Write(const EvaluationWrite& write) override {
    return store_.Write(write);
  }

 private:
  EvaluationStore& store_;
};

// Two loads at once, one without the second indicator and one with every
// indicator: the one whose reads went stale is refused, so the listing is
// one catalog's, never a mix of both.
TEST_F(EvaluationTest, OfTwoCatalogImportsAtOnceTheStaleOneIsAborted) {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  v1::ImportIndicatorsRequest without_one;
  *without_one.mutable_catalog() = *catalog;
  without_one.mutable_catalog()->mutable_indicators()->DeleteSubrange(1, 1);
  without_one.set_request_id("without-one");
  ImportRacingStore racing_store(store_);
  Evaluation racing(racing_store, sources_, clock_);
  racing_store.after_listing = [&] {
    ASSERT_TRUE(evaluation_.ImportIndicators(coordinator_, without_one, kNoDeadline).ok());
  };
  v1::ImportIndicatorsRequest all;
  *all.mutable_catalog() = *catalog;
  all.mutable_catalog()->mutable_indicators(0)->set_title("changed meanwhile");
  all.set_request_id("all");
  auto raced = racing.ImportIndicators(coordinator_, all, kNoDeadline);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();

  v1::ListIndicatorsRequest list;
  list.set_page_size(500);
  auto listed = evaluation_.ListIndicators(coordinator_, list);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->indicators_size(), catalog->indicators_size() - 1);
  EXPECT_NE(listed->indicators(0).title(), "changed meanwhile");
  EXPECT_EQ(*store_.CatalogVersion(), 2);

  // Decided again, it sees the other load and brings the indicator back.
  auto retried = racing.ImportIndicators(coordinator_, all, kNoDeadline);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->created(), 1);
  EXPECT_EQ(retried->updated(), 1);
}

}  // namespace
}  // namespace vetrack::evaluation
