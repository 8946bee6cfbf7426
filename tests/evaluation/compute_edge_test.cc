// The evaluation engine at the edges: the trend that tells on-track from
// at-risk before the deadline, institutions opened later or unknown, no
// institutions at all, figures too large to compute, and the comparators.
#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "compute.h"
#include "compute_fixture.h"

namespace vetrack::evaluation {
namespace {

const absl::TimeZone kTz = DistrictTz();

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

// Found in review: 年培训人次不低于在校生的2倍 and 职普比 are floors for every
// year, yet a year below them was only ever "at risk" before 2025. A year
// that has ended below its floor is missed, whatever the trend; the year
// still running is at risk below it, with no projection; a target for the
// deadline (技能人才) is still judged by its trend.
TEST_F(ComputeTest, AFloorForEveryYearIsJudgedOnTheYearAlone) {
  auto in_year = [](int year) {
    YearInputs in = Scenario2025();
    in.year = year;
    for (auto& [code, report] : in.school.accepted) report.period_id = absl::StrCat("ay", year);
    in.statistics["skilled_workers"] = Stat("skilled_workers", 80000 + 10000 * (year - 2022));
    return in;
  };
  // cqjnzx trained 1.0 × its enrolment in each year.
  const std::map<int, YearInputs> years = {{2022, in_year(2022)}, {2023, in_year(2023)}};
  const std::string ratio = "training-person-times-ratio@institution:cqjnzx";

  auto after_2023 = Run(years, 2023, absl::FromCivil(absl::CivilDay(2024, 1, 1), kTz));
  EXPECT_EQ(after_2023[ratio].status(), MISSED) << after_2023[ratio].rule();
  EXPECT_TRUE(absl::StrContains(after_2023[ratio].rule(), "not met in 2023"))
      << after_2023[ratio].rule();
  EXPECT_EQ(after_2023["training-person-times-ratio@institution:cqvie"].status(), MET);
  EXPECT_EQ(after_2023["skilled-workers@district"].status(), v1::RESULT_STATUS_ON_TRACK)
      << "90 000 in 2023 after 80 000: 110 000 by 2025";

  auto during_2023 = Run(years, 2023, absl::FromCivil(absl::CivilDay(2023, 12, 31), kTz));
  EXPECT_EQ(during_2023[ratio].status(), v1::RESULT_STATUS_AT_RISK) << during_2023[ratio].rule();
  EXPECT_FALSE(during_2023[ratio].has_projection());
  EXPECT_TRUE(absl::StrContains(during_2023[ratio].rule(), "so far in 2023"))
      << during_2023[ratio].rule();

  // The same for the district's 职普比 (48 % in the scenario, inside 45–55):
  // pushed below 45 % in 2023, it is missed once 2023 is over.
  std::map<int, YearInputs> low = years;
  low[2023].statistics["secondary_vocational_admissions"] =
      Stat("secondary_vocational_admissions", 4000);  // 4 000 / 9 200
  auto low_after = Run(low, 2023, absl::FromCivil(absl::CivilDay(2024, 1, 1), kTz));
  const v1::Result& share = low_after["vocational-general-ratio@district"];
  EXPECT_LT(share.value(), 45) << share.rule();
  EXPECT_EQ(share.status(), MISSED) << share.rule();
  // A band, not a floor (found in use).
  EXPECT_TRUE(absl::StrContains(share.rule(), "not met in 2023, a band for every year"))
      << share.rule();
}

// Found in review: a type no target named was judged against the first
// target (高职's 60%). Without a target of its own it has no result.
TEST_F(ComputeTest, ATypeWithoutATargetIsNotJudgedAgainstAnothers) {
  const absl::Time after = absl::FromCivil(absl::CivilDay(2026, 1, 1), kTz);
  const std::string share = "dual-qualified-teacher-share@type:";
  ASSERT_EQ(Run({{2025, Scenario2025()}}, 2025, after).count(share + "secondary_vocational"), 1u);
  for (auto& indicator : indicators_) {
    if (indicator.id() != "dual-qualified-teacher-share") continue;
    ASSERT_EQ(indicator.targets_size(), 2);
    indicator.mutable_targets()->RemoveLast();  // the 72% of 中职 and 技工
  }
  auto results = Run({{2025, Scenario2025()}}, 2025, after);
  EXPECT_EQ(results.count(share + "higher_vocational"), 1u);
  EXPECT_EQ(results.count(share + "secondary_vocational"), 0u);
}

// A college that opens in 2025 (first_year) is not owed 2024's figures: 2024
// is summed without it, has no result of its own for it, and still gives
// the trend its point. Without first_year, 2024 lacks its report.
TEST_F(ComputeTest, AnInstitutionOpenedLaterIsNotOwedEarlierYearsFigures) {
  YearInputs y2024 = Scenario2025();
  y2024.year = 2024;
  for (auto& [code, report] : y2024.school.accepted) report.period_id = "ay2024";
  YearInputs y2025 = Scenario2025();
  y2025.school.accepted["cqnew"] = y2025.school.accepted["cqdxzy"];
  y2025.ledger.person_times["cqnew"] = y2025.ledger.person_times["cqdxzy"];
  y2025.ledger.enrolment["cqnew"] = y2025.ledger.enrolment["cqdxzy"];
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

// cqgsxx, a 中职 school, was upgraded to 高职 in 2025. Its 2023 and 2024
// reports were submitted as 中职 and count there, in those years' results
// and in the trend of the 中职 share; from 2025 (a report with no recorded
// type reads as of the current one) it counts as 高职.
TEST_F(ComputeTest, AnUpgradedSchoolsEarlierYearsCountUnderItsTypeThen) {
  const char* kShare = "dual-qualified-teacher-share@type:";
  std::map<int, YearInputs> years;
  for (int year : {2023, 2024, 2025}) {
    YearInputs in = Scenario2025();
    in.year = year;
    for (auto& [code, report] : in.school.accepted) report.period_id = AcademicYearOf(year);
    // cqjnzx's share: 60, 62 and 68 %; cqgsxx's stays 70 %.
    in.school.accepted["cqjnzx"].counts["dual_qualified_teachers"] =
        year == 2025 ? 68 : 58 + 2 * (year - 2022);
    if (year < 2025) in.school.accepted["cqgsxx"].type = kSecondary;
    years[year] = in;
  }
  ComputeRequest request;
  request.now = absl::FromCivil(absl::CivilDay(2025, 6, 30), kTz);
  request.institutions = Institutions();
  for (auto& i : request.institutions) {
    if (i.code == "cqgsxx") i.type = kHigher;
  }
  auto run = [&](int year) {
    request.year = year;
    request.years = years;
    for (int later = year + 1; later <= 2025; ++later) request.years.erase(later);
    std::map<std::string, v1::Result> by_key;
    for (auto& r : ComputeResults(indicators_, request)) {
      by_key[r.indicator().substr(11) + "@" + r.scope_key()] = r;
    }
    return by_key;
  };
  auto sums = [](const v1::Result& r, const std::string& code) {
    for (const auto& source : r.sources()) {
      if (source.institution() == code) return true;
    }
    return false;
  };

  auto in_2024 = run(2024);
  const v1::Result& secondary_2024 = in_2024[std::string(kShare) + "secondary_vocational"];
  EXPECT_NEAR(secondary_2024.value(), 66, 1e-9);  // (70 + 62) / 200
  EXPECT_TRUE(sums(secondary_2024, "cqgsxx"));
  EXPECT_FALSE(sums(in_2024[std::string(kShare) + "higher_vocational"], "cqgsxx"));

  auto in_2025 = run(2025);
  const v1::Result& secondary_2025 = in_2025[std::string(kShare) + "secondary_vocational"];
  EXPECT_NEAR(secondary_2025.value(), 68, 1e-9);  // cqjnzx alone
  EXPECT_FALSE(sums(secondary_2025, "cqgsxx"));
  EXPECT_TRUE(sums(in_2025[std::string(kShare) + "higher_vocational"], "cqgsxx"));
  // The trend through 65, 66 and 68 % (with cqgsxx in its 中职 years), not
  // through 60, 62 and 68 %.
  ASSERT_TRUE(secondary_2025.has_projection()) << secondary_2025.rule();
  EXPECT_NEAR(secondary_2025.projected_value(), 67.0 + 5.0 / 6, 1e-9);
}

TEST_F(ComputeTest, UnknownInstitutionsNeverCountAsZero) {
  ComputeRequest request;
  request.year = 2025;
  request.now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  request.institutions_known = false;
  request.years[2025] = Scenario2025();
  int unknown = 0;
  for (const auto& r : ComputeResults(indicators_, request)) {
    bool statistics_only = true;
    for (const auto& ref : r.sources()) statistics_only &= ref.ref().rfind("stat:", 0) == 0;
    if (r.scope_key() == "unknown") {
      ++unknown;
      EXPECT_EQ(r.status(), NO_DATA) << r.indicator();
    } else {
      EXPECT_TRUE(statistics_only) << r.indicator();
    }
  }
  // Every indicator drawn from the schools says so, none is left out.
  int from_schools = 0;
  for (const auto& i : indicators_) {
    bool statistics_only = true;
    for (const auto* refs : {&i.formula().numerator(), &i.formula().denominator()}) {
      for (const auto& ref : *refs) statistics_only &= ref.ref().rfind("stat:", 0) == 0;
    }
    from_schools += statistics_only ? 0 : 1;
  }
  EXPECT_GT(from_schools, 0);
  EXPECT_EQ(unknown, from_schools);
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
            ref.ref().rfind("school:", 0) == 0 || ref.ref().rfind("ledger:", 0) == 0;
      }
    }
    if (!counts_institutions) continue;
    ++per_institution;
    EXPECT_EQ(r.status(), NO_DATA) << r.indicator() << " " << r.rule();
    EXPECT_FALSE(r.has_value()) << r.indicator();  // the field, not optional presence
  }
  EXPECT_GT(per_institution, 10);
}

// Found in use: a result without data listed the numerator's figures only,
// so its lineage read as if the denominator had none.
TEST_F(ComputeTest, AResultWithoutDataStillShowsEveryFigureThereIs) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 11, 28), kTz);
  YearInputs in = Scenario2025();
  in.ledger.person_times.erase("cqvie");
  auto results = Run({{2025, in}}, 2025, now);
  const v1::Result& ratio = results.at("training-person-times-ratio@institution:cqvie");
  EXPECT_EQ(ratio.status(), NO_DATA) << ratio.rule();
  EXPECT_TRUE(absl::StrContains(ratio.rule(), "cqvie")) << ratio.rule();
  bool enrolment_listed = false;
  for (const auto& s : ratio.sources()) {
    EXPECT_NE(s.ref(), "ledger:person_times") << s.ShortDebugString();
    enrolment_listed |= s.ref() == "ledger:enrolment" && s.institution() == "cqvie";
  }
  EXPECT_TRUE(enrolment_listed) << ratio.ShortDebugString();
}

// Found in use: in 2026 the ledger judged cqvie's 2 × rule on ay2025's
// enrolment (ay2026 not accepted yet) while the evaluation said no data. The
// ratio now divides by the enrolment the ledger judged on, and says which.
TEST_F(ComputeTest, TheTrainingRatioDividesByTheEnrolmentTheLedgerJudgedOn) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 2), kTz);
  YearInputs in2026;
  in2026.year = 2026;
  in2026.school_available = in2026.ledger_available = true;  // no ay2026 report accepted
  in2026.ledger.person_times = {{"cqvie", 3200}, {"cqepc", 100}};
  in2026.ledger.enrolment = {{"cqvie", {6400, "ay2025", 2}}};
  in2026.ledger.no_enrolment = {
      {"cqepc", "enrolment not reported yet: neither ay2026 nor ay2025 has accepted figures"}};
  auto results = Run({{2025, Scenario2025()}, {2026, in2026}}, 2026, now);
  const v1::Result& cqvie = results.at("training-person-times-ratio@institution:cqvie");
  ASSERT_TRUE(cqvie.has_value()) << cqvie.rule();
  EXPECT_DOUBLE_EQ(cqvie.value(), 0.5);
  bool names_the_year = false;
  for (const auto& s : cqvie.sources()) {
    names_the_year |= s.ref() == "ledger:enrolment" && absl::StrContains(s.origin(), "ay2025");
  }
  EXPECT_TRUE(names_the_year) << cqvie.ShortDebugString();
  const v1::Result& cqepc = results.at("training-person-times-ratio@institution:cqepc");
  EXPECT_EQ(cqepc.status(), NO_DATA);
  EXPECT_TRUE(absl::StrContains(cqepc.rule(), "neither ay2026 nor ay2025")) << cqepc.rule();
  // The rule ends with the institutions, as RuleAsSeenBy finds them to hide
  // other schools' names from a school.
  EXPECT_TRUE(absl::EndsWith(cqepc.rule(), "has no enrolment for cqepc")) << cqepc.rule();
  EXPECT_EQ(RuleAsSeenBy(cqepc, "cqepc"), cqepc.rule());
}

// Found in use: the ledger printed cqvie's ratio 0.10 (rounded down) where
// the evaluation printed 0.11. Both now print as DecimalText does; the
// ledger's tests hold it to the same figures ("0.11", "1.996").
TEST_F(ComputeTest, TheTrainingRatioPrintsAsTheLedgerPrintsIt) {
  absl::Time now = absl::FromCivil(absl::CivilDay(2026, 12, 2), kTz);
  YearInputs in2026;
  in2026.year = 2026;
  in2026.school_available = in2026.ledger_available = true;
  in2026.ledger.person_times = {{"cqvie", 1263}, {"cqepc", 900}, {"cqjnzx", 21}};
  in2026.ledger.enrolment = {{"cqvie", {12000, "ay2025", 1}},
                             {"cqepc", {451, "ay2025", 1}},
                             {"cqjnzx", {200, "ay2025", 1}}};
  auto results = Run({{2025, Scenario2025()}, {2026, in2026}}, 2026, now);
  const v1::Result& cqvie = results.at("training-person-times-ratio@institution:cqvie");
  EXPECT_EQ(cqvie.value_text(), "0.11") << cqvie.rule();
  const v1::Result& cqepc = results.at("training-person-times-ratio@institution:cqepc");
  EXPECT_EQ(cqepc.value_text(), "1.996") << cqepc.rule();
  EXPECT_NE(cqepc.status(), MET);
  // 0.105 is stored as 0.10499…: printf said "0.10", the ledger "0.11".
  const v1::Result& cqjnzx = results.at("training-person-times-ratio@institution:cqjnzx");
  EXPECT_EQ(cqjnzx.value_text(), "0.11") << cqjnzx.rule();
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
