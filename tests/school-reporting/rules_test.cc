// The pure rules of school reporting: national codes, the item catalog, the
// content rules (each one, and all at once), change warnings, revision diffs,
// workflow states and periods.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "clock/timestamp.h"
#include "institution_codes.h"
#include "items.h"
#include "names.h"
#include "periods.h"
#include "report_rules.h"
#include "status/errors.h"
#include "validation.h"
#include "workflow.h"

namespace vetrack::schools {
namespace {

const absl::TimeZone kTz = absl::FixedTimeZone(8 * 3600);

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  return fields;
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  return Fields(FieldViolationsOf(status));
}

// A complete, valid report of a 高职 institution.
v1::DataReport CompleteReport() {
  v1::DataReport report;
  auto& c = *report.mutable_counts();
  c["enrolled_students"] = 12000;
  c["fulltime_professional_teachers"] = 500;
  c["dual_qualified_teachers"] = 320;
  c["industry_parttime_teachers"] = 150;
  c["graduates"] = 3800;
  c["graduates_further_study"] = 600;
  c["graduates_employed"] = 3000;
  c["training_person_times"] = 25000;
  c["classroom_revolution_cases"] = 3;
  c["classroom_revolution_cases_municipal"] = 1;
  v1::Major* major = report.add_majors();
  major->set_catalog_code("510201");
  major->set_display_name("计算机应用技术");
  major->set_status(v1::MAJOR_STATUS_CONTINUING);
  return report;
}

TEST(InstitutionCodesTest, CreditCodeCheckCharacterFollowsGb32100) {
  // Published codes of real organisations.
  EXPECT_EQ(CreditCodeProblem("91350100M000100Y43"), "");
  EXPECT_EQ(CreditCodeProblem("91110000802100433B"), "");
  EXPECT_EQ(CreditCodeCheckCharacter("91350100M000100Y4"), '3');
  // One character mistyped: the check character catches it.
  EXPECT_NE(CreditCodeProblem("91350100M000100Y44"), "");
  EXPECT_NE(CreditCodeProblem("91350100M000101Y43"), "");
  EXPECT_NE(CreditCodeProblem("91350100M000100Y4"), "");   // 17 characters
  EXPECT_NE(CreditCodeProblem("91350100m000100Y43"), "");  // lower case
  EXPECT_NE(CreditCodeProblem("91350100I000100Y43"), "");  // I is not in the alphabet
  EXPECT_NE(CreditCodeProblem("913A0100M000100Y43"), "");  // division code not digits
}

TEST(InstitutionCodesTest, SchoolIdCodeIsTenDigits) {
  EXPECT_EQ(SchoolIdCodeProblem("4150013571"), "");
  EXPECT_NE(SchoolIdCodeProblem("415001357"), "");
  EXPECT_NE(SchoolIdCodeProblem("41500135710"), "");
  EXPECT_NE(SchoolIdCodeProblem("415001357X"), "");
}

TEST(ItemCatalogTest, IdsAreUniqueAndBoundsReferToItemsOfTheSameTypes) {
  std::set<std::string> ids;
  for (const v1::Item& item : ItemCatalog()) {
    EXPECT_TRUE(ids.insert(item.id()).second) << item.id();
    EXPECT_FALSE(item.display_name().empty()) << item.id();
    EXPECT_FALSE(item.unit().empty()) << item.id();
    EXPECT_FALSE(item.institution_types().empty()) << item.id();
    if (item.at_most_item().empty()) continue;
    const v1::Item* bound = FindItem(item.at_most_item());
    ASSERT_NE(bound, nullptr) << item.id();
    for (int type : item.institution_types()) {
      EXPECT_TRUE(AppliesTo(*bound, static_cast<v1::InstitutionType>(type))) << item.id();
    }
  }
  // The ids other services compute with.
  for (const char* id : {"enrolled_students",
                         "fulltime_professional_teachers",
                         "dual_qualified_teachers",
                         "industry_parttime_teachers",
                         "graduates",
                         "graduates_further_study",
                         "graduates_employed",
                         "majors",
                         "industry_education_colleges",
                         "dual_bases",
                         "urgent_featured_majors",
                         "apprenticeship_majors",
                         "integration_training_bases",
                         "national_integration_training_bases",
                         "national_virtual_simulation_bases",
                         "municipal_integration_training_bases",
                         "industry_colleges",
                         "national_teaching_teams",
                         "municipal_teaching_teams",
                         "municipal_research_teams",
                         "skill_master_studios",
                         "skill_masters",
                         "enterprise_workstations",
                         "dual_teacher_training_bases",
                         "famous_teacher_studios",
                         "industry_mentor_studios",
                         "teacher_practice_stations",
                         "craft_heritage_platforms",
                         "classroom_revolution_cases",
                         "classroom_revolution_cases_municipal",
                         "training_person_times"}) {
    EXPECT_NE(FindItem(id), nullptr) << id;
  }
  EXPECT_EQ(ids.size(), 31u);
  EXPECT_EQ(FindItem("majors")->type(), v1::ITEM_TYPE_MAJOR_LIST);
  EXPECT_EQ(FindItem("dual_qualified_teachers")->at_most_item(), "fulltime_professional_teachers");
}

TEST(ItemCatalogTest, ItemsDependOnTheInstitutionType) {
  const v1::Item& virtual_bases = *FindItem("national_virtual_simulation_bases");
  EXPECT_TRUE(AppliesTo(virtual_bases, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL));
  EXPECT_FALSE(AppliesTo(virtual_bases, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL));
  const v1::Item& teams = *FindItem("national_teaching_teams");
  EXPECT_TRUE(AppliesTo(teams, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL));
  EXPECT_FALSE(AppliesTo(teams, v1::INSTITUTION_TYPE_TECHNICAL));
  EXPECT_GT(ItemsFor(v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL).size(),
            ItemsFor(v1::INSTITUTION_TYPE_TECHNICAL).size());
}

TEST(ReportRulesTest, ACompleteReportPasses) {
  EXPECT_TRUE(
      DataReportViolations(CompleteReport(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "")
          .empty());
}

TEST(ReportRulesTest, EachRuleNamesItsField) {
  struct Case {
    const char* name;
    std::function<void(v1::DataReport&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"negative", [](v1::DataReport& r) { (*r.mutable_counts())["graduates"] = -1; },
       "counts.graduates"},
      {"beyond a billion",
       [](v1::DataReport& r) { (*r.mutable_counts())["enrolled_students"] = 4611686018427387904; },
       "counts.enrolled_students"},
      {"dual above teachers",
       [](v1::DataReport& r) { (*r.mutable_counts())["dual_qualified_teachers"] = 501; },
       "counts.dual_qualified_teachers"},
      {"going on above graduates",
       [](v1::DataReport& r) { (*r.mutable_counts())["graduates_further_study"] = 3801; },
       "counts.graduates_further_study"},
      {"employed above graduates",
       [](v1::DataReport& r) { (*r.mutable_counts())["graduates_employed"] = 3801; },
       "counts.graduates_employed"},
      {"municipal above all cases",
       [](v1::DataReport& r) { (*r.mutable_counts())["classroom_revolution_cases_municipal"] = 4; },
       "counts.classroom_revolution_cases_municipal"},
      {"municipal with all cases left out",
       [](v1::DataReport& r) { r.mutable_counts()->erase("classroom_revolution_cases"); },
       "counts.classroom_revolution_cases_municipal"},
      {"going on and employed together above graduates",
       [](v1::DataReport& r) { (*r.mutable_counts())["graduates_further_study"] = 801; },
       "counts.graduates_employed"},
      {"required missing",
       [](v1::DataReport& r) { r.mutable_counts()->erase("graduates_employed"); },
       "counts.graduates_employed"},
      {"no majors", [](v1::DataReport& r) { r.clear_majors(); }, "majors"},
      {"unknown item", [](v1::DataReport& r) { (*r.mutable_counts())["robots"] = 1; },
       "counts.robots"},
      {"list as count", [](v1::DataReport& r) { (*r.mutable_counts())["majors"] = 3; },
       "counts.majors"},
      {"catalog code", [](v1::DataReport& r) { r.mutable_majors(0)->set_catalog_code("5102"); },
       "majors[0].catalog_code"},
      {"status", [](v1::DataReport& r) { r.mutable_majors(0)->clear_status(); },
       "majors[0].status"},
      {"major twice", [](v1::DataReport& r) { *r.add_majors() = r.majors(0); },
       "majors[1].catalog_code"},
  };
  for (const Case& c : cases) {
    v1::DataReport report = CompleteReport();
    c.spoil(report);
    auto violations =
        DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "");
    EXPECT_EQ(Fields(violations), std::vector<std::string>{c.field}) << c.name;
  }
}

// Found in review: every school had to enter its training total, which
// nothing reads (the 2x target counts the ledger's records).
TEST(ReportRulesTest, TheTrainingTotalIsOptional) {
  v1::DataReport report = CompleteReport();
  report.mutable_counts()->erase("training_person_times");
  EXPECT_TRUE(
      DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "").empty());
  EXPECT_FALSE(FindItem("training_person_times")->required());
}

TEST(ReportRulesTest, EveryViolationIsReportedAtOnceWithThePrefix) {
  v1::DataReport report = CompleteReport();
  auto& c = *report.mutable_counts();
  c["enrolled_students"] = -5;
  c["dual_qualified_teachers"] = 900;
  c["graduates_employed"] = 4000;
  c["national_virtual_simulation_bases"] = 1;  // not for 技工
  report.mutable_majors(0)->set_catalog_code("610201");
  auto violations =
      DataReportViolations(report, v1::INSTITUTION_TYPE_TECHNICAL, true, "data_report.");
  EXPECT_EQ(Fields(violations),
            (std::vector<std::string>{"data_report.counts.enrolled_students",
                                      "data_report.counts.national_virtual_simulation_bases",
                                      "data_report.counts.dual_qualified_teachers",
                                      "data_report.counts.graduates_employed"}));
  // 610201 is a 中职 code, which a 技工 school offers; 510201 would not be.
  report.mutable_majors(0)->set_catalog_code("510201");
  violations = DataReportViolations(report, v1::INSTITUTION_TYPE_TECHNICAL, true, "");
  EXPECT_EQ(Fields(violations).back(), "majors[0].catalog_code");
}

// Found in review: a 技工 school had to list majors by 2021 catalog codes,
// while its own majors follow 人社's 技工院校专业目录.
TEST(ReportRulesTest, ATechnicalSchoolNeedNotListMajors) {
  v1::DataReport report = CompleteReport();
  report.clear_majors();
  EXPECT_TRUE(
      Fields(DataReportViolations(report, v1::INSTITUTION_TYPE_TECHNICAL, true, "")).empty());
  EXPECT_EQ(Fields(DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "")),
            std::vector<std::string>{"majors"});
}

TEST(ReportRulesTest, AnOptionalWholeLeftOutMeansNoneOnASubmission) {
  v1::DataReport report = CompleteReport();
  report.mutable_counts()->erase("classroom_revolution_cases");
  (*report.mutable_counts())["classroom_revolution_cases_municipal"] = 5;
  auto violations = DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "");
  ASSERT_EQ(Fields(violations),
            std::vector<std::string>{"counts.classroom_revolution_cases_municipal"});
  EXPECT_NE(violations[0].description.find("not reported"), std::string::npos)
      << violations[0].description;
  (*report.mutable_counts())["classroom_revolution_cases_municipal"] = 0;
  EXPECT_TRUE(
      DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "").empty());
  // A draft may not have reached the whole yet.
  (*report.mutable_counts())["classroom_revolution_cases_municipal"] = 5;
  EXPECT_TRUE(
      DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, false, "").empty());
  // A required whole left out is named as required, not as 0 on its parts.
  report = CompleteReport();
  report.mutable_counts()->erase("graduates");
  EXPECT_EQ(Fields(DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "")),
            std::vector<std::string>{"counts.graduates"});
}

TEST(ReportRulesTest, GoingOnAndEmployedTogetherStayWithinGraduates) {
  v1::DataReport report = CompleteReport();
  auto& c = *report.mutable_counts();
  c["graduates_further_study"] = 800;  // 800 + 3000 = 3800: every graduate placed
  EXPECT_TRUE(
      DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, true, "data_report.")
          .empty());
  c["graduates_further_study"] = 801;
  for (bool complete : {true, false}) {  // drafts too: the graduates are there
    auto violations = DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, complete,
                                           "data_report.");
    ASSERT_EQ(Fields(violations),
              std::vector<std::string>{"data_report.counts.graduates_employed"});
    EXPECT_NE(violations[0].description.find("3801"), std::string::npos)
        << violations[0].description;
  }
  // Either part left out counts as none.
  c.erase("graduates_further_study");
  EXPECT_TRUE(
      DataReportViolations(report, v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, false, "data_report.")
          .empty());
}

TEST(ReportRulesTest, DraftsNeedNotBeComplete) {
  v1::DataReport draft;
  (*draft.mutable_counts())["enrolled_students"] = 800;
  EXPECT_TRUE(
      DataReportViolations(draft, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL, false, "").empty());
  EXPECT_FALSE(
      DataReportViolations(draft, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL, true, "").empty());
}

TEST(ReportRulesTest, CatalogCodesFollowThe2021CatalogAndTheInstitutionsLevel) {
  const auto higher = v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL;
  const auto secondary = v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
  EXPECT_EQ(CatalogCodeProblem("510201", higher), "");  // 专科
  EXPECT_EQ(CatalogCodeProblem("310201", higher), "");  // 本科
  EXPECT_EQ(CatalogCodeProblem("710201", secondary), "");
  EXPECT_NE(CatalogCodeProblem("710201", higher), "");
  EXPECT_NE(CatalogCodeProblem("510201", secondary), "");
  EXPECT_NE(CatalogCodeProblem("810201", higher), "");  // no such 专业大类
  EXPECT_NE(CatalogCodeProblem("510001", higher), "");
  EXPECT_NE(CatalogCodeProblem("51020", higher), "");
  EXPECT_NE(CatalogCodeProblem("51020a", higher), "");
}

TEST(ReportRulesTest, WarningsFlagValuesThatMovedMoreThanTheShare) {
  Counts previous, current;
  previous["enrolled_students"] = 1000;
  previous["graduates"] = 300;
  previous["dual_bases"] = 0;
  current["enrolled_students"] = 1301;  // +30.1%
  current["graduates"] = 210;           // −30%: not more than the share
  current["dual_bases"] = 2;            // from 0: not compared
  auto warnings = ChangeWarnings(current, previous, 0.3);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].item(), "enrolled_students");
  EXPECT_EQ(warnings[0].previous_value(), 1000);
  EXPECT_EQ(warnings[0].value(), 1301);
  EXPECT_NEAR(warnings[0].change_share(), 0.301, 1e-9);
}

TEST(ReportRulesTest, DiffListsChangedCountsAndMajors) {
  v1::DataReport from = CompleteReport();
  v1::DataReport to = from;
  (*to.mutable_counts())["graduates_employed"] = 3100;
  to.mutable_counts()->erase("classroom_revolution_cases_municipal");
  (*to.mutable_counts())["dual_bases"] = 1;
  to.mutable_majors(0)->set_status(v1::MAJOR_STATUS_UPGRADED);
  v1::Major* added = to.add_majors();
  added->set_catalog_code("460103");
  added->set_status(v1::MAJOR_STATUS_NEW);
  v1::DataReportDiff diff;
  DiffDataReports(from, to, &diff);
  ASSERT_EQ(diff.count_changes_size(), 3);
  EXPECT_EQ(diff.count_changes(0).item(), "graduates_employed");
  EXPECT_EQ(diff.count_changes(0).from_value(), 3000);
  EXPECT_EQ(diff.count_changes(0).to_value(), 3100);
  EXPECT_EQ(diff.count_changes(1).item(), "dual_bases");
  EXPECT_FALSE(diff.count_changes(1).has_from_value());
  EXPECT_EQ(diff.count_changes(2).item(), "classroom_revolution_cases_municipal");
  EXPECT_FALSE(diff.count_changes(2).has_to_value());
  ASSERT_EQ(diff.major_changes_size(), 2);
  EXPECT_EQ(diff.major_changes(0).catalog_code(), "460103");
  EXPECT_FALSE(diff.major_changes(0).has_from_major());
  EXPECT_EQ(diff.major_changes(1).to_major().status(), v1::MAJOR_STATUS_UPGRADED);
}

TEST(ReportRulesTest, QualityDiffListsTitleDocumentAndFiguresByKey) {
  v1::QualityReport from;
  from.set_title("2025年度质量年报");
  from.set_document_uri("doc://a.pdf");
  from.set_document_sha256(std::string(64, 'a'));
  v1::KeyFigure* rate = from.add_key_figures();
  rate->set_key("employment_rate");
  rate->set_value(96.5);
  rate->set_unit("%");
  v1::QualityReport to = from;
  to.set_title("2025年度质量年报（修订）");
  to.set_document_sha256(std::string(64, 'b'));
  to.mutable_key_figures(0)->set_unit("个");  // the value alone is not the figure
  v1::QualityReportDiff diff;
  const std::vector<std::string> changed = DiffQualityReports(from, to, &diff);
  EXPECT_EQ(diff.from_title(), "2025年度质量年报");
  EXPECT_EQ(diff.to_title(), "2025年度质量年报（修订）");
  EXPECT_EQ(diff.from_document_uri(), "doc://a.pdf");  // both parts, though one changed
  EXPECT_EQ(diff.to_document_uri(), "doc://a.pdf");
  EXPECT_EQ(diff.to_document_sha256(), std::string(64, 'b'));
  ASSERT_EQ(diff.key_figure_changes_size(), 1);
  EXPECT_EQ(diff.key_figure_changes(0).to_figure().unit(), "个");
  EXPECT_EQ(changed, (std::vector<std::string>{"title", "document", "employment_rate"}));

  v1::QualityReportDiff same;
  EXPECT_TRUE(DiffQualityReports(to, to, &same).empty());
  EXPECT_EQ(same.ByteSizeLong(), 0u);
}

TEST(WorkflowTest, StatesAllowOnlyTheirTransitions) {
  EXPECT_TRUE(CheckCanEdit(v1::REPORT_STATE_UNSPECIFIED).ok());
  EXPECT_TRUE(CheckCanEdit(v1::REPORT_STATE_RETURNED).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckCanEdit(v1::REPORT_STATE_SUBMITTED)));
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckCanEdit(v1::REPORT_STATE_ACCEPTED)));
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckCanSubmit(v1::REPORT_STATE_UNSPECIFIED)));
  EXPECT_TRUE(CheckCanReview(v1::REPORT_STATE_SUBMITTED).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckCanReview(v1::REPORT_STATE_RETURNED)));
  EXPECT_TRUE(CheckCanReopen(v1::REPORT_STATE_ACCEPTED).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckCanReopen(v1::REPORT_STATE_DRAFT)));
}

TEST(WorkflowTest, SchoolsWriteOnlyTheirOwnAndOnlyReadersReadAll) {
  const Principal own{Role::kSchool, "cqvie"}, other{Role::kSchool, "cqepc"};
  EXPECT_TRUE(CheckCanWrite(own, "cqvie").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanWrite(other, "cqvie")));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanWrite({Role::kCoordinator, ""}, "cqvie")));
  EXPECT_TRUE(CheckCanRead(own, "cqvie").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRead(other, "cqvie")));
  EXPECT_TRUE(CheckCanRead({Role::kDepartment, "hrss"}, "cqvie").ok());
  EXPECT_TRUE(CheckCanRead({Role::kEvaluator, ""}, "cqvie").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRead({Role::kExchange, ""}, "cqvie")));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRead({Role::kOperator, ""}, "cqvie")));
}

TEST(WorkflowTest, CredibilityStartsFullAndFallsWithDiscrepancies) {
  EXPECT_DOUBLE_EQ(CredibilityScore(0, 0), 100.0);
  EXPECT_DOUBLE_EQ(CredibilityScore(1, 1), 100.0);
  EXPECT_DOUBLE_EQ(CredibilityScore(1, 0), 50.0);
  EXPECT_DOUBLE_EQ(CredibilityScore(3, 2), 75.0);
}

TEST(PeriodsTest, AcademicAndCalendarYearsWithDefaultWindows) {
  auto ay = ParsePeriodId("ay2025", "period_id");
  ASSERT_TRUE(ay.ok());
  EXPECT_EQ(ay->kind, v1::PERIOD_KIND_ACADEMIC_YEAR);
  const PeriodPolicy policy;
  v1::Period period = DefaultPeriod(*ay, policy);
  EXPECT_EQ(TimeFromProto(period.start_time()), absl::FromCivil(absl::CivilDay(2025, 9, 1), kTz));
  EXPECT_EQ(TimeFromProto(period.end_time()), absl::FromCivil(absl::CivilDay(2026, 9, 1), kTz));
  EXPECT_EQ(TimeFromProto(period.close_time()), absl::FromCivil(absl::CivilDay(2026, 10, 1), kTz));
  v1::Period quality = DefaultPeriod(*ParsePeriodId("cy2025", "p"), policy);
  EXPECT_EQ(TimeFromProto(quality.open_time()), absl::FromCivil(absl::CivilDay(2026, 1, 1), kTz));
  // The end of March in every year: found in use, 90 days closed a leap
  // year's report on 30 March.
  EXPECT_EQ(TimeFromProto(quality.close_time()), absl::FromCivil(absl::CivilDay(2026, 4, 1), kTz));
  v1::Period leap = DefaultPeriod(*ParsePeriodId("cy2023", "p"), policy);
  EXPECT_EQ(TimeFromProto(leap.close_time()), absl::FromCivil(absl::CivilDay(2024, 4, 1), kTz));
  for (const char* bad : {"2025", "ay25", "ay-2025", "qy2025", "ay20255"}) {
    EXPECT_FALSE(ParsePeriodId(bad, "period_id").ok()) << bad;
  }
  // Years run to a bound, well before times stop fitting the conversions.
  EXPECT_TRUE(ParsePeriodId("cy2100", "period_id").ok());
  for (const char* far : {"ay2101", "cy2263", "ay9999"}) {
    auto refused = ParsePeriodId(far, "period_id");
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << far;
    EXPECT_EQ(FieldsOf(refused.status()), std::vector<std::string>{"period_id"}) << far;
  }
  EXPECT_FALSE(
      ParseReportName("institutions/cqvie/dataReports/ay9999", ReportKind::kData, "name").ok());
  const absl::Time before_open = absl::FromCivil(absl::CivilSecond(2025, 12, 31, 23, 0, 0), kTz);
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckOpen(quality, before_open)));
  EXPECT_FALSE(IsLate(period, absl::FromCivil(absl::CivilDay(2026, 9, 30), kTz)));
  EXPECT_TRUE(IsLate(period, absl::FromCivil(absl::CivilDay(2026, 10, 2), kTz)));
}

TEST(PeriodsTest, AWindowIsTwoValidTimesInOrder) {
  v1::UpdatePeriodRequest req;
  req.set_request_id("window");
  req.mutable_period()->set_name("periods/ay2026");
  const absl::Time open = absl::FromCivil(absl::CivilDay(2026, 9, 1), kTz);
  *req.mutable_period()->mutable_open_time() = TimeToProto(open);
  *req.mutable_period()->mutable_close_time() = TimeToProto(open + absl::Hours(24 * 60));
  ASSERT_TRUE(Validate(req).ok()) << Validate(req);

  v1::UpdatePeriodRequest bad = req;
  bad.mutable_period()->mutable_open_time()->set_nanos(-1);
  EXPECT_EQ(FieldsOf(Validate(bad)), std::vector<std::string>{"period.open_time"});
  bad = req;
  bad.mutable_period()->mutable_open_time()->set_nanos(1000000000);
  EXPECT_EQ(FieldsOf(Validate(bad)), std::vector<std::string>{"period.open_time"});
  bad = req;
  bad.mutable_period()->mutable_close_time()->set_seconds(1000000000000000);
  EXPECT_EQ(FieldsOf(Validate(bad)), std::vector<std::string>{"period.close_time"});
  bad = req;
  bad.mutable_period()->mutable_open_time()->set_seconds(-1000000000000000);
  bad.mutable_period()->mutable_close_time()->set_nanos(-5);
  EXPECT_EQ(FieldsOf(Validate(bad)),
            (std::vector<std::string>{"period.open_time", "period.close_time"}));
  bad = req;
  *bad.mutable_period()->mutable_close_time() = req.period().open_time();
  EXPECT_EQ(FieldsOf(Validate(bad)), std::vector<std::string>{"period.close_time"});
  bad = req;
  bad.mutable_period()->set_name("periods/ay9999");
  EXPECT_EQ(FieldsOf(Validate(bad)), std::vector<std::string>{"period.name"});
}

TEST(PeriodsTest, BegunPeriodsRunOldestFirstFromThePlansFirstYear) {
  const absl::Time now = absl::FromCivil(absl::CivilDay(2022, 10, 1), kTz);
  std::vector<std::string> ids;
  for (const auto& ref : BegunPeriods(v1::PERIOD_KIND_UNSPECIFIED, PeriodPolicy{}, now)) {
    ids.push_back(ref.id());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"cy2021", "ay2021", "cy2022", "ay2022"}));
}

TEST(NamesTest, ReportNamesCarryAPeriodOfTheirKind) {
  auto data = ParseReportName("institutions/cqvie/dataReports/ay2025", ReportKind::kData, "name");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->institution_code, "cqvie");
  EXPECT_FALSE(
      ParseReportName("institutions/cqvie/dataReports/cy2025", ReportKind::kData, "n").ok());
  EXPECT_FALSE(
      ParseReportName("institutions/cqvie/qualityReports/cy2025", ReportKind::kData, "n").ok());
  EXPECT_TRUE(ParseAnyReportName("institutions/cqvie/qualityReports/cy2025", "n").ok());
  EXPECT_FALSE(ParseReportName("schools/cqvie/dataReports/ay2025", ReportKind::kData, "n").ok());
}

}  // namespace
}  // namespace vetrack::schools
