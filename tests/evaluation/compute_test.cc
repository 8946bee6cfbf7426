// The evaluation engine on the plan's real indicator catalog: a full 2025
// scenario with hand-computed expected values for every indicator, by
// district, type and institution, with type-dependent thresholds, missing
// data, lineage, and the trend that tells on-track from at-risk.
#include "compute.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "clock/clock.h"
#include "indicator_catalog.h"

namespace vetrack::evaluation {
namespace {

const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/evaluation/data/indicators.json";
const absl::TimeZone kTz = absl::FixedTimeZone(8 * 3600);

constexpr auto kHigher = v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL;
constexpr auto kSecondary = v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
constexpr auto kTechnical = v1::INSTITUTION_TYPE_TECHNICAL;

std::vector<Institution> Institutions() {
  return {{"cqvie", kHigher},       {"cqepc", kHigher},  {"cqjtzy", kHigher},
          {"cqgyzy", kHigher},      {"cqdxzy", kHigher}, {"cqgsxx", kSecondary},
          {"cqjnzx", kSecondary},   {"cqjtjg", kTechnical}, {"cqcjjg", kTechnical}};
}

v1::Statistic Stat(const std::string& key, double value) {
  v1::Statistic s;
  s.set_key(key);
  s.set_value(value);
  s.set_source("江津区统计年鉴2025");
  s.set_as_of("2025-12-31");
  s.set_recorded_by("department:hrss");
  return s;
}

// The 2025 scenario. Every figure is chosen so the expected results below
// can be worked out by hand.
YearInputs Scenario2025() {
  YearInputs in;
  in.year = 2025;
  in.school_available = true;
  in.ledger_available = true;
  std::map<std::string, std::map<std::string, int64_t>> c;
  // 双师型 / 专任专业教师: 高职 390/650 = 60%, 中职 144/200 = 72%, 技工 90/140 = 64.29%.
  c["cqvie"] = {{"dual_qualified_teachers", 120}, {"fulltime_professional_teachers", 200}};
  c["cqepc"] = {{"dual_qualified_teachers", 90}, {"fulltime_professional_teachers", 150}};
  for (const char* h : {"cqjtzy", "cqgyzy", "cqdxzy"}) {
    c[h] = {{"dual_qualified_teachers", 60}, {"fulltime_professional_teachers", 100}};
  }
  c["cqgsxx"] = {{"dual_qualified_teachers", 70}, {"fulltime_professional_teachers", 100}};
  c["cqjnzx"] = {{"dual_qualified_teachers", 74}, {"fulltime_professional_teachers", 100}};
  c["cqjtjg"] = {{"dual_qualified_teachers", 50}, {"fulltime_professional_teachers", 80}};
  c["cqcjjg"] = {{"dual_qualified_teachers", 40}, {"fulltime_professional_teachers", 60}};
  // 升学 / 毕业生: 中职 500/900 = 55.56%, 技工 150/500 = 30%.
  c["cqgsxx"]["graduates_further_study"] = 300, c["cqgsxx"]["graduates"] = 500;
  c["cqjnzx"]["graduates_further_study"] = 200, c["cqjnzx"]["graduates"] = 400;
  c["cqjtjg"]["graduates_further_study"] = 100, c["cqjtjg"]["graduates"] = 300;
  c["cqcjjg"]["graduates_further_study"] = 50, c["cqcjjg"]["graduates"] = 200;
  // Enrolment for the 2 × training target.
  const std::map<std::string, int64_t> enrolled = {
      {"cqvie", 1000}, {"cqepc", 1000}, {"cqjtzy", 800}, {"cqgyzy", 500}, {"cqdxzy", 400},
      {"cqgsxx", 600}, {"cqjnzx", 700}, {"cqjtjg", 300}, {"cqcjjg", 0}};
  for (const auto& [code, n] : enrolled) c[code]["enrolled_students"] = n;
  // Task 15 and 23 counts, mostly held by cqvie.
  const std::map<std::string, int64_t> at_cqvie = {
      {"industry_education_colleges", 3}, {"dual_bases", 1}, {"urgent_featured_majors", 10},
      {"apprenticeship_majors", 6}, {"integration_training_bases", 12},
      {"national_integration_training_bases", 1}, {"national_virtual_simulation_bases", 0},
      {"municipal_integration_training_bases", 2}, {"industry_colleges", 4},
      {"national_teaching_teams", 2}, {"municipal_teaching_teams", 2},
      {"municipal_research_teams", 1}, {"skill_master_studios", 5}, {"skill_masters", 6},
      {"enterprise_workstations", 20}, {"dual_teacher_training_bases", 7},
      {"famous_teacher_studios", 13}, {"industry_mentor_studios", 9},
      {"teacher_practice_stations", 8}, {"craft_heritage_platforms", 5},
      {"classroom_revolution_cases", 5}, {"classroom_revolution_cases_municipal", 3}};
  for (const auto& [item, n] : at_cqvie) c["cqvie"][item] = n;
  c["cqgsxx"]["skill_masters"] = 5;            // 6 + 5 = 11
  c["cqepc"]["enterprise_workstations"] = 8;   // 20 + 8 = 28
  c["cqjnzx"]["classroom_revolution_cases"] = 4;  // 5 + 4 = 9
  for (auto& [code, counts] : c) in.school[code] = AcceptedReport{"ay2025", 2, counts};

  in.ledger_person_times = {{"cqvie", 2500},  {"cqepc", 1999}, {"cqjtzy", 1600}, {"cqgyzy", 1500},
                            {"cqgsxx", 1300}, {"cqjnzx", 700}, {"cqjtjg", 900},  {"cqcjjg", 100},
                            {"cqdxzy", 0}};  // listed, but recorded nothing

  const std::map<std::string, double> stats = {
      {"vocational_universities", 1},
      {"national_double_high_schools", 0},
      {"high_level_major_groups", 5},
      {"national_quality_secondary_schools", 2},
      {"national_quality_secondary_majors", 4},
      {"municipal_quality_secondary_schools", 2},
      {"municipal_quality_secondary_majors", 6},
      {"municipal_quality_technical_schools", 1},
      {"municipal_quality_technical_majors", 1},
      {"skilled_workers", 102000},
      {"employed_persons", 400000},
      {"high_skilled_workers", 29580},
      {"secondary_vocational_admissions", 4800},
      {"general_high_school_admissions", 5200},
      {"skill_test_full_marks", 300},
      {"admission_exam_full_marks", 600},
      {"technician_colleges", 1},
      {"double_high_major_group_schools", 2},
      {"community_education_bases", 11},
      {"elderly_learning_centres", 5},
      {"industrial_enterprises_above_scale", 400},
      {"industrial_enterprises_with_rd_platform", 380},
      {"high_tech_enterprises", 120},
      {"high_tech_enterprises_with_rd_platform", 120},
      {"jiangnan_international_partners", 2},
      {"community_colleges", 2},
      {"elderly_education_demonstration_bases", 1},
      {"ahk_training_centres", 0},
      {"sino_korean_joint_majors", 1},
      {"international_rail_training_bases", 1},
      {"luban_workshops", 1}};  // german_cooperation_platforms not entered
  for (const auto& [key, value] : stats) in.statistics[key] = Stat(key, value);
  return in;
}

class ComputeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    ASSERT_TRUE(CheckIndicatorCatalog(*catalog).ok()) << CheckIndicatorCatalog(*catalog);
    indicators_.assign(catalog->indicators().begin(), catalog->indicators().end());
  }

  std::map<std::string, v1::Result> Run(const std::map<int, YearInputs>& years, int year,
                                        absl::Time now) {
    ComputeRequest request;
    request.year = year;
    request.now = now;
    request.institutions = Institutions();
    request.years = years;
    std::map<std::string, v1::Result> by_key;
    for (auto& r : ComputeResults(indicators_, request)) {
      by_key[r.indicator().substr(11) + "@" + r.scope_key()] = r;
    }
    return by_key;
  }

  std::vector<v1::Indicator> indicators_;
};

struct Expected {
  const char* key;  // indicator id @ scope key
  double value;
  v1::ResultStatus status;
};

constexpr auto MET = v1::RESULT_STATUS_MET;
constexpr auto MISSED = v1::RESULT_STATUS_MISSED;
constexpr auto NO_DATA = v1::RESULT_STATUS_NO_DATA;

TEST_F(ComputeTest, FinalEvaluationOfEveryIndicatorMatchesHandComputedFigures) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  auto results = Run({{2025, Scenario2025()}}, 2025, now);
  const std::vector<Expected> expected = {
      {"vocational-university@district", 1, MET},
      {"national-double-high-schools@district", 0, MISSED},
      {"high-level-major-groups@district", 5, MET},
      {"national-quality-secondary-schools@district", 2, MET},
      {"national-quality-secondary-majors@district", 4, MISSED},
      {"municipal-quality-secondary-schools@district", 2, MET},
      {"municipal-quality-secondary-majors@district", 6, MET},
      {"municipal-quality-technical-schools@district", 1, MET},
      {"municipal-quality-technical-majors@district", 1, MET},
      {"skilled-workers@district", 102000, MET},
      {"skilled-worker-share@district", 25.5, MET},      // 102000 / 400000
      {"high-skilled-share@district", 29.0, MISSED},     // 29580 / 102000
      {"vocational-general-ratio@district", 48.0, MET},  // 4800 / 10000, in 45–55
      // The plan's one figure over 中职 and 技工 schools: (500 + 150) / (900 + 500),
      // although the 中职 schools alone are at 55.6 %.
      {"secondary-further-study-share@district", 650.0 / 14, MISSED},
      {"skill-test-score-share@district", 50.0, MET},
      {"technician-colleges@district", 1, MISSED},
      {"double-high-major-group-schools@district", 2, MET},  // 争取1－3所: at least 1
      {"training-person-times-ratio@institution:cqvie", 2.5, MET},
      {"training-person-times-ratio@institution:cqepc", 1.999, MISSED},
      {"training-person-times-ratio@institution:cqjtzy", 2.0, MET},
      {"training-person-times-ratio@institution:cqgyzy", 3.0, MET},
      {"training-person-times-ratio@institution:cqdxzy", 0.0, MISSED},
      {"training-person-times-ratio@institution:cqgsxx", 1300.0 / 600, MET},
      {"training-person-times-ratio@institution:cqjnzx", 1.0, MISSED},
      {"training-person-times-ratio@institution:cqjtjg", 3.0, MET},
      {"training-person-times-ratio@institution:cqcjjg", 0, NO_DATA},  // enrolment 0
      {"community-education-bases@district", 11, MET},  // 共建8－10个: beyond it is no failure
      {"elderly-learning-centres@district", 5, MET},
      {"industrial-enterprise-rd-platform-coverage@district", 95.0, MISSED},
      {"high-tech-enterprise-rd-platform-coverage@district", 100.0, MET},
      {"industry-education-colleges@district", 3, MET},
      {"dual-bases@district", 1, MISSED},
      {"urgent-featured-majors@district", 10, MET},
      {"apprenticeship-majors@district", 6, MET},
      {"integration-training-bases@district", 12, MISSED},
      {"national-integration-training-bases@district", 1, MET},
      {"national-virtual-simulation-bases@district", 0, MISSED},
      {"municipal-integration-training-bases@district", 2, MET},
      {"industry-colleges@district", 4, MET},
      {"dual-qualified-teacher-share@type:higher_vocational", 60.0, MET},
      {"dual-qualified-teacher-share@type:secondary_vocational", 72.0, MET},
      {"dual-qualified-teacher-share@type:technical", 9000.0 / 140, MISSED},  // < 72
      {"national-teaching-teams@district", 2, MET},
      {"municipal-teaching-teams@district", 2, MISSED},
      {"municipal-research-teams@district", 1, MET},
      {"skill-master-studios@district", 5, MET},
      {"skill-masters@district", 11, MET},
      {"enterprise-workstations@district", 28, MISSED},
      {"dual-teacher-training-bases@district", 7, MET},
      {"famous-teacher-studios@district", 13, MET},
      {"industry-mentor-studios@district", 9, MISSED},
      {"teacher-practice-stations@district", 8, MET},
      {"craft-heritage-platforms@district", 5, MET},
      {"classroom-revolution-cases@district", 9, MET},
      {"classroom-revolution-cases-municipal@district", 3, MISSED},
      {"german-cooperation-platforms@district", 0, NO_DATA},  // not entered
      {"jiangnan-international-partners@district", 2, MET},
      {"community-colleges@district", 2, MET},
      {"elderly-education-demonstration-bases@district", 1, MET},
      {"ahk-training-centres@district", 0, MISSED},
      {"sino-korean-joint-majors@district", 1, MISSED},  // one of the two majors
      {"international-rail-training-bases@district", 1, MET},
      {"luban-workshops@district", 1, MET},
  };
  EXPECT_EQ(results.size(), expected.size());
  for (const auto& e : expected) {
    SCOPED_TRACE(e.key);
    auto it = results.find(e.key);
    ASSERT_NE(it, results.end());
    EXPECT_EQ(it->second.status(), e.status) << it->second.rule();
    if (e.status != NO_DATA) {
      EXPECT_NEAR(it->second.value(), e.value, 1e-9);
    } else {
      EXPECT_FALSE(it->second.has_value());
    }
  }
  EXPECT_NE(results["german-cooperation-platforms@district"].rule().find(
                "statistic german_cooperation_platforms for 2025 not entered"),
            std::string::npos);
  EXPECT_NE(results["training-person-times-ratio@institution:cqcjjg"].rule().find(
                "denominator is zero"),
            std::string::npos);
  // The type-dependent threshold: 高职 against 60, 技工 against 72.
  EXPECT_EQ(results["dual-qualified-teacher-share@type:higher_vocational"].target().value(), 60);
  EXPECT_EQ(results["dual-qualified-teacher-share@type:technical"].target().value(), 72);
  EXPECT_NEAR(results["dual-qualified-teacher-share@type:technical"].gap(), 9000.0 / 140 - 72,
              1e-9);
}

TEST_F(ComputeTest, LineageNamesEveryFigureAndWhereItCameFrom) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  auto results = Run({{2025, Scenario2025()}}, 2025, now);
  const v1::Result& share = results["dual-qualified-teacher-share@type:secondary_vocational"];
  ASSERT_EQ(share.sources_size(), 4);  // two schools × numerator and denominator
  double numerator = 0, denominator = 0;
  for (const auto& s : share.sources()) {
    EXPECT_TRUE(s.institution() == "cqgsxx" || s.institution() == "cqjnzx");
    EXPECT_EQ(s.origin(), "school-reporting institutions/" + s.institution() +
                              "/dataReports/ay2025 revision 2");
    (s.ref() == "school:dual_qualified_teachers" ? numerator : denominator) += s.value();
  }
  EXPECT_EQ(numerator, 144);
  EXPECT_EQ(denominator, 200);
  EXPECT_NEAR(numerator / denominator * 100, share.value(), 1e-9);

  const v1::Result& ratio = results["training-person-times-ratio@institution:cqvie"];
  ASSERT_EQ(ratio.sources_size(), 2);
  EXPECT_EQ(ratio.sources(0).origin(), "training-ledger statement cqvie 2025");
  EXPECT_EQ(ratio.sources(0).value(), 2500);

  const v1::Result& skilled = results["skilled-worker-share@district"];
  ASSERT_EQ(skilled.sources_size(), 2);
  EXPECT_EQ(skilled.sources(0).origin(),
            "statistic skilled_workers 2025: 江津区统计年鉴2025, as of 2025-12-31, entered by "
            "department:hrss");
}

TEST_F(ComputeTest, AMissingSchoolReportMakesEveryFigureThatNeedsItNoData) {
  YearInputs in = Scenario2025();
  in.school.erase("cqcjjg");
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  auto results = Run({{2025, in}}, 2025, now);
  const v1::Result& technical = results["dual-qualified-teacher-share@type:technical"];
  EXPECT_EQ(technical.status(), NO_DATA);
  EXPECT_EQ(technical.rule(), "no data: no accepted ay2025 data report from cqcjjg");
  // The district's counts are sums over every institution: incomplete without it.
  EXPECT_EQ(results["industry-colleges@district"].status(), NO_DATA);
  // Types and institutions that do not need it are unaffected.
  EXPECT_EQ(results["dual-qualified-teacher-share@type:secondary_vocational"].status(), MET);
  EXPECT_EQ(results["training-person-times-ratio@institution:cqvie"].status(), MET);
}

TEST_F(ComputeTest, AnInstitutionTheLedgerDoesNotListHasNoFigureRatherThanZero) {
  YearInputs in = Scenario2025();
  in.ledger_person_times.erase("cqdxzy");  // new since the ledger learnt the institutions
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  auto results = Run({{2025, in}}, 2025, now);
  const v1::Result& unlisted = results["training-person-times-ratio@institution:cqdxzy"];
  EXPECT_EQ(unlisted.status(), NO_DATA);
  EXPECT_FALSE(unlisted.has_value());
  EXPECT_EQ(unlisted.rule(), "no data: the training-ledger's 2025 statement does not list cqdxzy");
  EXPECT_EQ(results["training-person-times-ratio@institution:cqvie"].status(), MET);

  // Others are counted for a caller who may not see them, the caller itself named.
  EXPECT_EQ(RuleAsSeenBy(unlisted, "cqdxzy"), unlisted.rule());
  EXPECT_EQ(RuleAsSeenBy(unlisted, "cqvie"),
            "no data: the training-ledger's 2025 statement does not list 1 institution");
  v1::Result two = unlisted;
  two.set_rule("no data: the training-ledger's 2025 statement does not list cqdxzy, cqvie");
  EXPECT_EQ(RuleAsSeenBy(two, "cqvie"),
            "no data: the training-ledger's 2025 statement does not list cqvie and 1 other "
            "institution");
  EXPECT_EQ(RuleAsSeenBy(two, ""),
            "no data: the training-ledger's 2025 statement does not list 2 institutions");
}

TEST_F(ComputeTest, ARuleShowsTheDigitsThatTellAValueFromItsTarget) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  auto results = Run({{2025, Scenario2025()}}, 2025, now);
  // 1999 / 1000 rounds to the target of 2: two decimals would read "2.00 against ≥ 2.00".
  EXPECT_EQ(results["training-person-times-ratio@institution:cqepc"].rule(),
            "1.999倍 against ≥ 2.000倍: not met by the deadline 2025-12-31");
  EXPECT_EQ(results["training-person-times-ratio@institution:cqjtzy"].rule(),
            "2.00倍 against ≥ 2.00倍: met");  // exactly 2
  EXPECT_EQ(results["training-person-times-ratio@institution:cqvie"].rule(),
            "2.50倍 against ≥ 2.00倍: met");
  // 100003 / 400000 = 25.00075 %: met, and shown to be above the target.
  YearInputs in = Scenario2025();
  in.statistics["skilled_workers"].set_value(100003);
  auto near = Run({{2025, in}}, 2025, now)["skilled-worker-share@district"];
  EXPECT_EQ(near.rule(), "25.001% against ≥ 25.000%: met");
}

TEST_F(ComputeTest, BeforeTheDeadlineTheTrendTellsOnTrackFromAtRisk) {
  auto year_with = [](int year, double skilled_workers) {
    YearInputs in;
    in.year = year;
    in.school_available = in.ledger_available = true;
    in.statistics["skilled_workers"] = Stat("skilled_workers", skilled_workers);
    return in;
  };
  absl::Time mid_2025 = absl::FromCivil(absl::CivilDay(2025, 6, 30), kTz);
  // 80 000 in 2023 and 90 000 in 2024: the line reaches 100 000 in 2025.
  auto on_track = Run({{2023, year_with(2023, 80000)}, {2024, year_with(2024, 90000)}}, 2024,
                      mid_2025)["skilled-workers@district"];
  EXPECT_EQ(on_track.status(), v1::RESULT_STATUS_ON_TRACK) << on_track.rule();
  EXPECT_TRUE(on_track.has_projection());
  EXPECT_NEAR(on_track.projected_value(), 100000, 1e-6);

  // Adding 95 000 for 2025 bends the fitted line to 95 833 at the deadline.
  auto at_risk = Run({{2023, year_with(2023, 80000)},
                      {2024, year_with(2024, 90000)},
                      {2025, year_with(2025, 95000)}},
                     2025, mid_2025)["skilled-workers@district"];
  EXPECT_EQ(at_risk.status(), v1::RESULT_STATUS_AT_RISK) << at_risk.rule();
  EXPECT_NEAR(at_risk.projected_value(), 95833.333333, 1e-3);

  // A single year gives no trend: not met is at risk.
  auto alone = Run({{2024, year_with(2024, 90000)}}, 2024, mid_2025)["skilled-workers@district"];
  EXPECT_EQ(alone.status(), v1::RESULT_STATUS_AT_RISK);
  EXPECT_FALSE(alone.has_projection());

  // Once the deadline has passed, not met is missed whatever the trend.
  absl::Time after = absl::FromCivil(absl::CivilDay(2026, 1, 1), kTz);
  auto missed = Run({{2023, year_with(2023, 80000)}, {2025, year_with(2025, 99999)}}, 2025,
                    after)["skilled-workers@district"];
  EXPECT_EQ(missed.status(), MISSED);
}

// A college that opens in 2025 (first_year) is not owed 2024's figures: 2024
// is summed without it, has no result of its own for it, and still gives
// the trend its point. Without first_year, 2024 lacks its report.
TEST_F(ComputeTest, AnInstitutionOpenedLaterIsNotOwedEarlierYearsFigures) {
  YearInputs y2024 = Scenario2025();
  y2024.year = 2024;
  for (auto& [code, report] : y2024.school) report.period_id = "ay2024";
  YearInputs y2025 = Scenario2025();
  y2025.school["cqnew"] = y2025.school["cqdxzy"];
  y2025.ledger_person_times["cqnew"] = y2025.ledger_person_times["cqdxzy"];
  const absl::Time mid_2025 = absl::FromCivil(absl::CivilDay(2025, 6, 30), kTz);
  auto run = [&](int first_year, int year) {
    ComputeRequest request;
    request.year = year;
    request.now = mid_2025;
    request.institutions = Institutions();
    request.institutions.push_back({"cqnew", kHigher, "", "", "", first_year});
    request.years = {{2024, y2024}, {2025, y2025}};
    if (year == 2024) request.years.erase(2025);
    std::map<std::string, v1::Result> by_key;
    for (auto& r : ComputeResults(indicators_, request)) {
      by_key[r.indicator().substr(11) + "@" + r.scope_key()] = r;
    }
    return by_key;
  };
  auto before = Run({{2024, y2024}}, 2024, mid_2025);  // the district without it
  auto counted_later = run(2025, 2024);
  EXPECT_EQ(counted_later.count("training-person-times-ratio@institution:cqnew"), 0u);
  ASSERT_EQ(counted_later.size(), before.size());
  for (const auto& [key, result] : before) {
    EXPECT_EQ(counted_later[key].status(), result.status()) << key;
    EXPECT_EQ(counted_later[key].value(), result.value()) << key;
  }
  auto always = run(0, 2024);
  EXPECT_EQ(always["industry-colleges@district"].status(), NO_DATA);
  EXPECT_TRUE(absl::StrContains(always["industry-colleges@district"].rule(), "cqnew"));

  // 2025, before the deadline: results not yet met project from 2024 too.
  auto trend = run(2025, 2025);
  auto no_trend = run(0, 2025);
  EXPECT_EQ(trend.count("training-person-times-ratio@institution:cqnew"), 1u);
  int projected = 0;
  for (const auto& [key, result] : trend) {
    if (result.scope() != v1::SCOPE_DISTRICT || !result.has_projection()) continue;
    bool sums_it = false;
    for (const auto& source : result.sources()) sums_it |= source.institution() == "cqnew";
    if (!sums_it) continue;
    ++projected;
    EXPECT_FALSE(no_trend[key].has_projection()) << key;
  }
  EXPECT_GT(projected, 0);
}

TEST_F(ComputeTest, UnknownInstitutionsNeverCountAsZero) {
  ComputeRequest request;
  request.year = 2025;
  request.now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  request.institutions_known = false;
  request.years[2025] = Scenario2025();
  for (const auto& r : ComputeResults(indicators_, request)) {
    bool statistics_only = true;
    for (const auto& ref : r.sources()) statistics_only &= ref.ref().rfind("stat:", 0) == 0;
    if (r.scope_key() == "unknown") {
      EXPECT_EQ(r.status(), NO_DATA) << r.indicator();
    } else {
      EXPECT_TRUE(statistics_only) << r.indicator();
    }
  }
}

// School reporting answers, but no institution has been imported yet (a
// fresh deployment): a district count summed over nobody is not a 0 to judge
// as missed (found in review).
TEST_F(ComputeTest, NoInstitutionsYetIsNoDataNotZero) {
  ComputeRequest request;
  request.year = 2025;
  request.now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  request.institutions_known = true;
  request.years[2025] = Scenario2025();
  int per_institution = 0;
  for (const auto& r : ComputeResults(indicators_, request)) {
    const v1::Indicator* indicator = nullptr;
    for (const auto& i : indicators_) {
      if (i.name() == r.indicator()) indicator = &i;
    }
    ASSERT_NE(indicator, nullptr) << r.indicator();
    bool counts_institutions = false;
    for (const auto* refs :
         {&indicator->formula().numerator(), &indicator->formula().denominator()}) {
      for (const auto& ref : *refs) {
        counts_institutions |=
            ref.ref().rfind("school:", 0) == 0 || ref.ref() == "ledger:person_times";
      }
    }
    if (!counts_institutions) continue;
    ++per_institution;
    EXPECT_EQ(r.status(), NO_DATA) << r.indicator() << " " << r.rule();
    EXPECT_FALSE(r.has_value()) << r.indicator();  // the field, not optional presence
  }
  EXPECT_GT(per_institution, 10);
}

// A figure stored before figures were bounded (kMaxFigure) may overflow: it
// is NO_DATA, never MET as "inf%" (found in review).
TEST_F(ComputeTest, AFigureTooLargeToComputeIsNoData) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  YearInputs in = Scenario2025();
  in.statistics["skilled_workers"] = Stat("skilled_workers", 1.7e308);
  in.statistics["employed_persons"] = Stat("employed_persons", 1);
  auto results = Run({{2025, in}}, 2025, now);
  const v1::Result& share = results.at("skilled-worker-share@district");
  EXPECT_EQ(share.status(), NO_DATA) << share.rule();
  EXPECT_FALSE(share.has_value());
}

TEST(TargetTest, ComparatorsAndGaps) {
  v1::Target between;
  between.set_comparator(v1::COMPARATOR_BETWEEN);
  between.set_value(8);
  between.set_upper(10);
  EXPECT_TRUE(Meets(between, 8));
  EXPECT_TRUE(Meets(between, 10));
  EXPECT_FALSE(Meets(between, 11));
  EXPECT_EQ(Gap(between, 11), -1);
  EXPECT_EQ(Gap(between, 7), -1);
  EXPECT_EQ(Gap(between, 9), 0);
  v1::Target at_most;
  at_most.set_comparator(v1::COMPARATOR_AT_MOST);
  at_most.set_value(5);
  EXPECT_TRUE(Meets(at_most, 5));
  EXPECT_FALSE(Meets(at_most, 5.1));
  EXPECT_EQ(DeadlineTime("2025-12-31"), absl::FromCivil(absl::CivilDay(2026, 1, 1), kTz));
}

}  // namespace
}  // namespace vetrack::evaluation
