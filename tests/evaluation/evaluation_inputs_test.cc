// What the evaluation refuses before it computes or stores anything (years
// outside the plan, fractional counts), and what a school may learn from a
// result's rule about the other schools.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "evaluation_fixture.h"
#include "validation.h"

namespace vetrack::evaluation {
namespace {

v1::CreateRoundRequest RoundOf(int year, const std::string& request_id) {
  v1::CreateRoundRequest create;
  create.set_round_id(absl::StrCat(year, "-annual"));
  create.mutable_round()->set_title("年度评价");
  create.mutable_round()->set_year(year);
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  auto* quality = create.mutable_round()->add_dimensions();
  quality->set_id("quality");
  quality->set_title("办学质量");
  quality->set_weight_bp(10000);
  create.set_request_id(request_id);
  // These rounds are about the years and the names; the snapshot's data is not.
  create.set_allow_snapshot_without_data(true);
  return create;
}

std::string OnlyField(const absl::Status& status) {
  auto violations = FieldViolationsOf(status);
  return violations.size() == 1 ? violations[0].field : "";
}

// The clock stands at 2026-11-28; the plan runs 2021–2025.
TEST_F(EvaluationTest, YearsOutsideThePlanAreRefusedBeforeAnySourceIsAsked) {
  v1::ListResultsRequest list;
  for (int year : {2020, 2028, 2100}) {
    SCOPED_TRACE(year);
    list.set_year(year);
    auto refused = evaluation_.ListResults(Principal{Role::kSchool, "cqvie"}, list, kNoDeadline);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(OnlyField(refused.status()), "year");
  }
  EXPECT_EQ(sources_.ledger_calls, 0);
  auto round = evaluation_.CreateRound(evaluator_, RoundOf(2020, "r-1"), kNoDeadline);
  EXPECT_EQ(round.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OnlyField(round.status()), "round.year");
  EXPECT_EQ(sources_.ledger_calls, 0);

  // The plan's first year, and the year after the current one (beyond the horizon).
  for (int year : {2021, 2027}) {
    SCOPED_TRACE(year);
    list.set_year(year);
    EXPECT_TRUE(evaluation_.ListResults(coordinator_, list, kNoDeadline).ok());
  }
  EXPECT_EQ(sources_.ledger_calls, 1 + 7);  // 2021, then 2021–2027
  EXPECT_TRUE(evaluation_.CreateRound(evaluator_, RoundOf(2021, "r-2"), kNoDeadline).ok());
  // A round's snapshot is frozen when it opens: next year's would hold nothing.
  auto early = evaluation_.CreateRound(evaluator_, RoundOf(2027, "r-3"), kNoDeadline);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OnlyField(early.status()), "round.year");
  // Found in use: the refusal of a later year offered 2027 too.
  auto far = evaluation_.CreateRound(evaluator_, RoundOf(2030, "r-5"), kNoDeadline);
  EXPECT_TRUE(absl::StrContains(far.status().message(), "to 2026 (this year)")) << far.status();
  list.set_year(2030);
  EXPECT_TRUE(absl::StrContains(
      evaluation_.ListResults(coordinator_, list, kNoDeadline).status().message(), "to 2027"));
  EXPECT_EQ(sources_.ledger_calls, 1 + 7 + 1);  // r-2's snapshot; none for r-3
  // Found in use: a round opened before any of its year's data was accepted
  // froze nothing but "no data". Refused unless the caller means it.
  v1::CreateRoundRequest empty = RoundOf(2026, "r-4");
  empty.set_allow_snapshot_without_data(false);
  auto refused = evaluation_.CreateRound(evaluator_, empty, kNoDeadline);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_TRUE(absl::StrContains(refused.status().message(), "none of 2026's")) << refused.status();
  EXPECT_TRUE(evaluation_.CreateRound(evaluator_, RoundOf(2026, "r-4b"), kNoDeadline).ok());

  v1::RecordStatisticRequest before;
  before.set_key("skilled_workers");
  before.set_year(2020);
  before.set_value(90000);
  before.set_source("江津区统计年鉴2020");
  before.set_as_of("2020-12-31");
  before.set_request_id("s-1");
  EXPECT_EQ(OnlyField(evaluation_.RecordStatistic(hrss_, before).status()), "year");
}

TEST_F(EvaluationTest, ACountIsWholeAndItsAsOfDateBelongsToItsYear) {
  auto fraction = Record(hrss_, "municipal_quality_technical_schools", 0.5, "s-1");
  EXPECT_EQ(fraction.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OnlyField(fraction.status()), "value");
  EXPECT_EQ(OnlyField(Record(hrss_, "skilled_workers", 100000.5, "s-2").status()), "value");
  EXPECT_TRUE(Record(hrss_, "municipal_quality_technical_schools", 1, "s-3").ok());
  // Full marks in 分 are no count: a half mark is a score.
  EXPECT_TRUE(
      Record(Principal{Role::kDepartment, "edu"}, "skill_test_full_marks", 300.5, "s-4").ok());

  v1::RecordStatisticRequest req;
  req.set_key("skilled_workers");
  req.set_year(2025);
  req.set_value(100000);
  req.set_source("江津区统计年鉴2025");
  req.set_request_id("s-5");
  for (const char* as_of : {"2025-01-01", "2025-12-31", "2026-06-30", "2026-12-31"}) {
    req.set_as_of(as_of);
    EXPECT_TRUE(Validate(req).ok()) << as_of;
  }
  for (const char* as_of : {"2024-12-31", "2027-01-01", "2015-12-31"}) {
    req.set_as_of(as_of);
    EXPECT_EQ(OnlyField(Validate(req)), "as_of") << as_of;
  }
  // Bounded, so that no sum, ratio or trend of it overflows (found in review:
  // 1e307 skilled workers read as MET with "inf%").
  req.set_as_of("2025-12-31");
  req.set_value(1e12);
  EXPECT_TRUE(Validate(req).ok());
  req.set_value(1e307);
  EXPECT_EQ(OnlyField(Validate(req)), "value");
  req.set_value(1e12);
  // Every figure names where it comes from (found in use: "   " and a NUL
  // were taken, and the history traced the figure to nothing).
  for (const std::string& source : {std::string("   "), std::string("\u3000"),
                                    std::string("年鉴\0", 7), std::string("年鉴\x1b[2J")}) {
    req.set_source(source);
    EXPECT_EQ(OnlyField(Validate(req)), "source") << source;
  }
}

// Every rule of `results` that says which institutions lack a report.
std::map<std::string, std::string> MissingReportRules(
    const google::protobuf::RepeatedPtrField<v1::Result>& results) {
  std::map<std::string, std::string> rules;
  for (const auto& r : results) {
    if (absl::StrContains(r.rule(), "data report from")) {
      rules[r.indicator().substr(11) + "@" + r.scope_key()] = r.rule();
    }
  }
  return rules;
}

TEST_F(EvaluationTest, ASchoolLearnsHowManyOthersLackAReportNotWhich) {
  sources_.without_report = {"cqgsxx"};
  v1::ListResultsRequest list;
  list.set_year(2025);
  const std::string district = "industry-colleges@district";

  auto all = evaluation_.ListResults(hrss_, list, kNoDeadline);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(MissingReportRules(all->results())[district],
            "no data: no accepted ay2025 data report from cqgsxx");

  const Principal cqvie{Role::kSchool, "cqvie"};
  auto school = evaluation_.ListResults(cqvie, list, kNoDeadline);
  ASSERT_TRUE(school.ok()) << school.status();
  auto rules = MissingReportRules(school->results());
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(rules[district], "no data: no accepted ay2025 data report from 1 institution");
  for (const auto& [key, rule] : rules) EXPECT_FALSE(absl::StrContains(rule, "cqgsxx")) << key;

  // A school is named to itself; an operator sees no school named.
  auto own = evaluation_.ListResults(Principal{Role::kSchool, "cqgsxx"}, list, kNoDeadline);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(MissingReportRules(own->results())[district],
            "no data: no accepted ay2025 data report from cqgsxx");
  sources_.without_report = {"cqvie", "cqgsxx"};
  EXPECT_EQ(
      MissingReportRules(evaluation_.ListResults(cqvie, list, kNoDeadline)->results())[district],
      "no data: no accepted ay2025 data report from cqvie and 1 other institution");
  EXPECT_EQ(
      MissingReportRules(evaluation_.ListResults(Principal{Role::kOperator, ""}, list, kNoDeadline)
                             ->results())[district],
      "no data: no accepted ay2025 data report from 2 institutions");

  // A round's snapshot keeps the names, and shows them only to whoever sees everything.
  ASSERT_TRUE(evaluation_.CreateRound(evaluator_, RoundOf(2025, "r-1"), kNoDeadline).ok());
  v1::GetRoundRequest get;
  get.set_name("rounds/2025-annual");
  EXPECT_EQ(MissingReportRules(
                evaluation_.GetRound(coordinator_, get, kNoDeadline)->snapshot())[district],
            "no data: no accepted ay2025 data report from cqvie, cqgsxx");
  EXPECT_EQ(MissingReportRules(evaluation_.GetRound(cqvie, get, kNoDeadline)->snapshot())[district],
            "no data: no accepted ay2025 data report from cqvie and 1 other institution");
}

// cqvie, 高职 now, submitted its 2025 report as a 中职 school (say it was
// upgraded since): its 2025 figures count as 中职, and it reads the 中职
// results of 2025, now and in the round frozen for that year.
TEST_F(EvaluationTest, ASchoolReadsTheResultsOfTheTypeItReportedAsThatYear) {
  sources_.submitted_as["cqvie"] = v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
  const Principal cqvie{Role::kSchool, "cqvie"};
  auto type_keys = [](const auto& results) {
    std::set<std::string> keys;
    for (const auto& r : results) {
      if (r.scope() == v1::SCOPE_INSTITUTION_TYPE) keys.insert(r.scope_key());
    }
    return keys;
  };
  const std::set<std::string> secondary_only = {"type:secondary_vocational"};

  v1::ListResultsRequest list;
  list.set_year(2025);
  auto now = evaluation_.ListResults(cqvie, list, kNoDeadline);
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(type_keys(now->results()), secondary_only);
  list.set_institution("cqvie");
  auto filtered = evaluation_.ListResults(coordinator_, list, kNoDeadline);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  EXPECT_EQ(type_keys(filtered->results()), secondary_only);
  // An institution the year does not know, and one asked while school
  // reporting is down (its type that year is then unknown).
  list.set_institution("nowhere");
  auto unknown = evaluation_.ListResults(coordinator_, list, kNoDeadline);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_EQ(OnlyField(unknown.status()), "institution");
  sources_.schools_up = false;
  list.set_institution("cqvie");
  EXPECT_EQ(evaluation_.ListResults(coordinator_, list, kNoDeadline).status().code(),
            absl::StatusCode::kUnavailable);
  sources_.schools_up = true;

  ASSERT_TRUE(evaluation_.CreateRound(evaluator_, RoundOf(2025, "round-1"), kNoDeadline).ok());
  v1::GetRoundRequest get;
  get.set_name("rounds/2025-annual");
  auto round = evaluation_.GetRound(cqvie, get, kNoDeadline);
  ASSERT_TRUE(round.ok()) << round.status();
  EXPECT_EQ(type_keys(round->snapshot()), secondary_only);
  EXPECT_EQ(round->institution_types().at("cqvie"), v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL);
  EXPECT_EQ(round->institution_types_size(), 1);  // not the other schools'
  auto whole = evaluation_.GetRound(coordinator_, get, kNoDeadline);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->institution_types_size(), 2);
  // The round keeps the types it was computed with, whatever comes later.
  sources_.submitted_as.clear();
  round = evaluation_.GetRound(cqvie, get, kNoDeadline);
  ASSERT_TRUE(round.ok()) << round.status();
  EXPECT_EQ(type_keys(round->snapshot()), secondary_only);
}

// cqvie, 高职 now, submitted its 2025 report as a 中职 school and it waits
// for review: until it is accepted, 2025 still places cqvie among the 中职
// schools, whose results wait for its report, and not among the 高职 ones.
TEST_F(EvaluationTest, AReportUnderReviewPlacesItsSchoolByTheTypeItWasSubmittedAs) {
  sources_.pending_as["cqvie"] = v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
  v1::ListResultsRequest list;
  list.set_year(2025);
  auto results = evaluation_.ListResults(coordinator_, list, kNoDeadline);
  ASSERT_TRUE(results.ok()) << results.status();
  std::map<std::string, v1::Result> by_key;
  for (const auto& r : results->results())
    by_key[r.indicator().substr(11) + "@" + r.scope_key()] = r;
  const std::string secondary = "dual-qualified-teacher-share@type:secondary_vocational";
  ASSERT_EQ(by_key.count(secondary), 1u);
  EXPECT_EQ(by_key[secondary].status(), v1::RESULT_STATUS_NO_DATA);
  EXPECT_EQ(MissingReportRules(results->results())[secondary],
            "no data: no accepted ay2025 data report from cqvie");
  EXPECT_EQ(by_key.count("dual-qualified-teacher-share@type:higher_vocational"), 0u);

  // And cqvie reads the 中职 results of 2025.
  auto own = evaluation_.ListResults(Principal{Role::kSchool, "cqvie"}, list, kNoDeadline);
  ASSERT_TRUE(own.ok()) << own.status();
  std::set<std::string> type_keys;
  for (const auto& r : own->results()) {
    if (r.scope() == v1::SCOPE_INSTITUTION_TYPE) type_keys.insert(r.scope_key());
  }
  EXPECT_EQ(type_keys, std::set<std::string>{"type:secondary_vocational"});
}

}  // namespace
}  // namespace vetrack::evaluation
