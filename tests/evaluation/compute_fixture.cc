#include "compute_fixture.h"

#include "indicator_catalog.h"

namespace vetrack::evaluation {
namespace {

const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/evaluation/data/indicators.json";

}  // namespace

absl::TimeZone DistrictTz() { return absl::FixedTimeZone(8 * 3600); }

std::vector<Institution> Institutions() {
  return {{"cqvie", kHigher},     {"cqepc", kHigher},     {"cqjtzy", kHigher},
          {"cqgyzy", kHigher},    {"cqdxzy", kHigher},    {"cqgsxx", kSecondary},
          {"cqjnzx", kSecondary}, {"cqjtjg", kTechnical}, {"cqcjjg", kTechnical}};
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
// can be worked out by hand (the expected results in compute_test.cc).
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
  const std::map<std::string, int64_t> at_cqvie = {{"industry_education_colleges", 3},
                                                   {"dual_bases", 1},
                                                   {"urgent_featured_majors", 10},
                                                   {"apprenticeship_majors", 6},
                                                   {"integration_training_bases", 12},
                                                   {"national_integration_training_bases", 1},
                                                   {"national_virtual_simulation_bases", 0},
                                                   {"municipal_integration_training_bases", 2},
                                                   {"industry_colleges", 4},
                                                   {"national_teaching_teams", 2},
                                                   {"municipal_teaching_teams", 2},
                                                   {"municipal_research_teams", 1},
                                                   {"skill_master_studios", 5},
                                                   {"skill_masters", 6},
                                                   {"enterprise_workstations", 20},
                                                   {"dual_teacher_training_bases", 7},
                                                   {"famous_teacher_studios", 13},
                                                   {"industry_mentor_studios", 9},
                                                   {"teacher_practice_stations", 8},
                                                   {"craft_heritage_platforms", 5},
                                                   {"classroom_revolution_cases", 5},
                                                   {"classroom_revolution_cases_municipal", 3}};
  for (const auto& [item, n] : at_cqvie) c["cqvie"][item] = n;
  c["cqgsxx"]["skill_masters"] = 5;               // 6 + 5 = 11
  c["cqepc"]["enterprise_workstations"] = 8;      // 20 + 8 = 28
  c["cqjnzx"]["classroom_revolution_cases"] = 4;  // 5 + 4 = 9
  for (auto& [code, counts] : c) in.school.accepted[code] = AcceptedReport{"ay2025", 2, counts};

  in.ledger.person_times = {{"cqvie", 2500},  {"cqepc", 1999}, {"cqjtzy", 1600}, {"cqgyzy", 1500},
                            {"cqgsxx", 1300}, {"cqjnzx", 700}, {"cqjtjg", 900},  {"cqcjjg", 100},
                            {"cqdxzy", 0}};  // listed, but recorded nothing
  // The ledger judges its rule on the same accepted enrolment.
  for (const auto& [code, n] : enrolled) in.ledger.enrolment[code] = {n, "ay2025", 2};

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

void ComputeTest::SetUp() {
  auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  ASSERT_TRUE(CheckIndicatorCatalog(*catalog).ok()) << CheckIndicatorCatalog(*catalog);
  indicators_.assign(catalog->indicators().begin(), catalog->indicators().end());
}

std::map<std::string, v1::Result> ComputeTest::Run(const std::map<int, YearInputs>& years, int year,
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

}  // namespace vetrack::evaluation
