// The evaluation engine on the plan's real indicator catalog: a full 2025
// scenario with hand-computed expected values for every indicator, by
// district, type and institution, with type-dependent thresholds, missing
// data and lineage.
#include "compute.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "compute_fixture.h"

namespace vetrack::evaluation {
namespace {

const absl::TimeZone kTz = DistrictTz();

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
  EXPECT_NE(
      results["training-person-times-ratio@institution:cqcjjg"].rule().find("denominator is zero"),
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
  in.school.accepted.erase("cqcjjg");
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
  in.ledger.person_times.erase("cqdxzy");  // new since the ledger learnt the institutions
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
            "1.999倍 against ≥ 2.000倍: not met in 2025, a floor for every year");
  EXPECT_EQ(results["training-person-times-ratio@institution:cqjtzy"].rule(),
            "2.00倍 against ≥ 2.00倍: met");  // exactly 2
  EXPECT_EQ(results["training-person-times-ratio@institution:cqvie"].rule(),
            "2.50倍 against ≥ 2.00倍: met");
  // The value as clients show it, beside the status: found in use as "2.00".
  EXPECT_EQ(results["training-person-times-ratio@institution:cqepc"].value_text(), "1.999");
  EXPECT_EQ(results["training-person-times-ratio@institution:cqvie"].value_text(), "2.50");
  // 100003 / 400000 = 25.00075 %: met, and shown to be above the target.
  YearInputs in = Scenario2025();
  in.statistics["skilled_workers"].set_value(100003);
  auto near = Run({{2025, in}}, 2025, now)["skilled-worker-share@district"];
  EXPECT_EQ(near.rule(), "25.001% against ≥ 25.000%: met");
  // A count against a count reads whole (found in use: "98000.00人").
  in.statistics["skilled_workers"].set_value(102000);
  const v1::Result workers = Run({{2025, in}}, 2025, now)["skilled-workers@district"];
  EXPECT_EQ(workers.value_text(), "102000");
  EXPECT_TRUE(absl::StartsWith(workers.rule(), "102000人 against ≥ 100000人: met"))
      << workers.rule();
}

}  // namespace
}  // namespace vetrack::evaluation
