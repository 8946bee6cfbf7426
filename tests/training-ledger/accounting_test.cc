// The ledger's pure rules: exact decimals and rounding, statements against
// figures computed by hand, record shapes, names, permissions.
#include "accounting.h"

#include <gtest/gtest.h>

#include <set>

#include "permissions.h"
#include "records.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::ledger {
namespace {

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

v1::AccountingPolicy Policy(const std::string& uplift, const std::string& public_share,
                            const std::string& fte) {
  v1::AccountingPolicy policy;
  policy.set_year(2026);
  policy.set_performance_pay_uplift_rate(uplift);
  policy.set_public_funds_share(public_share);
  policy.set_fte_per_training_hour(fte);
  return policy;
}

v1::TrainingRecord GoodRecord() {
  v1::TrainingRecord r;
  r.set_institution_code("cqvie");
  r.set_record_id("2026-0001");
  r.set_date("2026-03-10");
  r.set_programme(v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
  r.set_target_group(v1::TARGET_GROUP_NEW_GENERATION_MIGRANT_WORKERS);
  r.set_trainees(120);
  r.set_hours_per_trainee(40);
  r.set_income_fen(1234567);
  r.set_certificates(100);
  return r;
}

TEST(DecimalTest, ParsesExactlyAndRefusesWhatIsNotADecimal) {
  EXPECT_EQ(*ParseDecimal("0.3", 4, "f"), 3000);
  EXPECT_EQ(*ParseDecimal("1", 4, "f"), 10000);
  EXPECT_EQ(*ParseDecimal("0.0001", 4, "f"), 1);
  EXPECT_EQ(*ParseDecimal("0.00125", 8, "f"), 125000);
  EXPECT_EQ(*ParseDecimal("12.5", 2, "f"), 1250);
  for (const std::string bad :
       {"", ".5", "5.", "-0.3", "+1", "0.00001", "1e-3", "0,3", "abc", "12345678901"}) {
    auto parsed = ParseDecimal(bad, 4, "policy.x");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(FieldsOf(parsed.status()), std::vector<std::string>{"policy.x"}) << bad;
  }
  // Found in use: -0.1 and 1e9 were told "at most 4 decimal places".
  auto said = [](const std::string& text) {
    auto violations = FieldViolationsOf(ParseDecimal(text, 4, "policy.x").status());
    return violations.empty() ? std::string() : violations.front().description;
  };
  EXPECT_EQ(said("-0.1"), "must not be negative");
  EXPECT_NE(said("1e9").find("without an exponent"), std::string::npos) << said("1e9");
  EXPECT_EQ(said("12345678901"), "too large");
  EXPECT_EQ(said("0.00001"), "at most 4 decimal places");
  EXPECT_EQ(FormatDecimal(3000, 4), "0.3");
  EXPECT_EQ(FormatDecimal(10000, 4), "1");
  EXPECT_EQ(FormatDecimal(125000, 8), "0.00125");
  EXPECT_EQ(FormatDecimal(0, 4), "0");
  EXPECT_EQ(FormatHundredths(2875), "28.75");
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(0), "0.00");
}

TEST(DecimalTest, RoundsHalfUpAtTheLastStep) {
  EXPECT_EQ(DivideRoundHalfUp(5053695, 10), 505370);  // .5 goes up
  EXPECT_EQ(DivideRoundHalfUp(5053694, 10), 505369);
  EXPECT_EQ(DivideRoundHalfUp(5053696, 10), 505370);
  PolicyRates rates{3000, 1500, 125000};
  EXPECT_EQ(UpliftFen(1684565, rates), 505370);          // 505369.5
  EXPECT_EQ(PublicFundsFen(1684565, rates), 252685);     // 252684.75
  EXPECT_EQ(UpliftFen(1, rates), 0);                     // 0.3
  EXPECT_EQ(UpliftFen(5, rates), 2);                     // 1.5
  EXPECT_EQ(WorkloadFteHundredths(16000, rates), 2000);  // 20.00
  EXPECT_EQ(WorkloadFteHundredths(4, rates), 1);         // 0.005 -> 0.01
  EXPECT_EQ(WorkloadFteHundredths(3, rates), 0);         // 0.00375 -> 0.00
  // The ratio prints as the evaluation prints it: half-up (found in use:
  // the ledger said 0.10 where the evaluation said 0.11), with more decimals
  // where two would read as the rule's 2.00.
  EXPECT_EQ(RatioText(700, 300), "2.33");
  EXPECT_EQ(RatioText(1263, 12000), "0.11");  // 0.10525
  EXPECT_EQ(RatioText(1, 8), "0.13");         // 0.125
  EXPECT_EQ(RatioText(21, 200), "0.11");      // 0.105, stored as 0.10499…
  EXPECT_EQ(RatioText(201, 200), "1.01");     // 1.005: 100.4999… once scaled
  EXPECT_EQ(RatioText(900, 451), "1.996");    // not "2.00" beside "not met"
  EXPECT_EQ(RatioText(902, 451), "2.00");
  EXPECT_EQ(RatioText(1999999, 1000000), "1.999999");
  // Products beyond int64 stay exact: 10^15 fen × 9,999 bp is taken in 128 bits.
  EXPECT_EQ(UpliftFen(kMaxIncomeFen * 10000, PolicyRates{9999, 0, 0}), kMaxIncomeFen * 9999);
}

TEST(PolicyTest, RatesAreCheckedAllAtOnceAndWrittenCanonically) {
  auto rates = ParsePolicyRates(Policy("0.30", "0.15", "0.00125"), "policy.");
  ASSERT_TRUE(rates.ok()) << rates.status();
  EXPECT_EQ(rates->uplift_bp, 3000);
  EXPECT_EQ(rates->public_funds_bp, 1500);
  EXPECT_EQ(rates->fte_per_hour_e8, 125000);
  v1::AccountingPolicy canonical;
  CanonicalizeRates(*rates, &canonical);
  EXPECT_EQ(canonical.performance_pay_uplift_rate(), "0.3");

  auto bad = ParsePolicyRates(Policy("1.5", "-0.1", "0.3e2"), "policy.");
  EXPECT_EQ(FieldsOf(bad.status()), (std::vector<std::string>{"policy.performance_pay_uplift_rate",
                                                              "policy.public_funds_share",
                                                              "policy.fte_per_training_hour"}));
}

// The figures of ledger_test's cqvie year, by hand: see the comments there.
TEST(StatementTest, MatchesHandComputedFigures) {
  YearCells cells;
  cells[Cell{1, 1, true}] = Amounts{1, 120, 4800, 1234567, 100};
  cells[Cell{2, 2, false}] = Amounts{1, 300, 4800, 449998, 280};
  cells[Cell{5, 4, false}] = Amounts{1, 800, 6400, 0, 0};
  cells[Cell{1, 6, true}] = Amounts{0, 0, 0, 0, 0};  // entered and reversed
  EnrolmentFigure enrolment{v1::ENROLMENT_STATUS_REPORTED, "ay2025", 2, 1000, "from ay2025"};
  auto statement =
      BuildStatement("cqvie", 2026, cells, Policy("0.3", "0.15", "0.00125"), enrolment);

  EXPECT_EQ(statement.totals().records(), 3);
  EXPECT_EQ(statement.totals().person_times(), 1220);
  EXPECT_EQ(statement.totals().trainee_hours(), 16000);
  EXPECT_EQ(statement.totals().income_fen(), 1684565);
  EXPECT_EQ(statement.totals().certificates(), 380);
  EXPECT_EQ(statement.subsidised().person_times(), 120);
  EXPECT_EQ(statement.required_person_times(), 2000);
  EXPECT_EQ(statement.person_times_ratio(), "1.22");
  EXPECT_EQ(statement.compliance(), v1::COMPLIANCE_NOT_MET);
  EXPECT_EQ(statement.performance_pay_uplift_fen(), 505370);
  EXPECT_EQ(statement.public_funds_fen(), 252685);
  EXPECT_EQ(statement.workload_fte(), "20.00");
  EXPECT_EQ(statement.enrolment_period_id(), "ay2025");
  ASSERT_EQ(statement.by_programme_size(), v1::ProgrammeType_MAX);
  EXPECT_EQ(statement.by_programme(0).programme(), v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
  EXPECT_EQ(statement.by_programme(0).totals().person_times(), 120);
  EXPECT_EQ(statement.by_programme(1).totals().person_times(), 300);
  EXPECT_EQ(statement.by_programme(4).totals().person_times(), 800);
  ASSERT_EQ(statement.by_target_group_size(), v1::TargetGroup_MAX);
  EXPECT_EQ(statement.by_target_group(3).target_group(), v1::TARGET_GROUP_ELDERLY);
  EXPECT_EQ(statement.by_target_group(3).totals().person_times(), 800);
  EXPECT_EQ(statement.by_target_group(5).totals().records(), 0);  // veterans: reversed
}

TEST(StatementTest, WithoutEnrolmentOrPolicyItSaysSo) {
  YearCells cells;
  cells[Cell{3, 8, false}] = Amounts{2, 50, 500, 10000, 0};
  EnrolmentFigure unknown{v1::ENROLMENT_STATUS_NOT_REPORTED, "", 0, 0, "not reported yet"};
  auto statement = BuildStatement("cqjtjg", 2026, cells, std::nullopt, unknown);
  EXPECT_EQ(statement.compliance(), v1::COMPLIANCE_UNKNOWN);
  EXPECT_EQ(statement.person_times_ratio(), "");
  EXPECT_FALSE(statement.has_policy());
  EXPECT_EQ(statement.performance_pay_uplift_fen(), 0);
  EXPECT_EQ(statement.workload_fte(), "0.00");
  ASSERT_EQ(statement.notes_size(), 2);
  EXPECT_EQ(statement.notes(0), "not reported yet");
}

TEST(StatementTest, DistrictAddsUpTheInstitutionsRoundedFigures) {
  auto policy = Policy("0.3", "0.15", "0.00125");
  YearCells a, b;
  a[Cell{1, 1, true}] = Amounts{1, 3, 3, 1, 0};  // uplift 0.3 -> 0
  b[Cell{1, 1, true}] = Amounts{1, 3, 3, 1, 0};
  EnrolmentFigure one{v1::ENROLMENT_STATUS_REPORTED, "ay2026", 1, 1, ""};
  std::vector<v1::TrainingStatement> statements = {BuildStatement("a", 2026, a, policy, one),
                                                   BuildStatement("b", 2026, b, policy, one)};
  auto district = BuildDistrictStatement(2026, statements, policy);
  // 0 + 0, although 0.3 + 0.3 would round to 1: rows add up to the total.
  EXPECT_EQ(district.performance_pay_uplift_fen(), 0);
  EXPECT_EQ(district.totals().person_times(), 6);
  EXPECT_EQ(district.enrolled_students(), 2);
  EXPECT_EQ(district.required_person_times(), 4);
  EXPECT_EQ(district.institutions_met(), 2);
  EXPECT_EQ(district.compliance(), v1::COMPLIANCE_MET);
  EXPECT_EQ(district.workload_fte(), "0.00");  // 0.00375 twice, each rounded
  EXPECT_EQ(district.institutions_size(), 2);
}

TEST(StatementTest, OneSchoolsSurplusDoesNotCoverAnothersShortfall) {
  auto policy = Policy("0.3", "0.15", "0.00125");
  YearCells ahead, behind;
  ahead[Cell{v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS, 1, false}] = Amounts{1, 500, 0, 0, 0};
  behind[Cell{v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS, 1, false}] = Amounts{1, 50, 0, 0, 0};
  EnrolmentFigure hundred{v1::ENROLMENT_STATUS_REPORTED, "ay2026", 1, 100, ""};
  auto district = BuildDistrictStatement(2026,
                                         {BuildStatement("a", 2026, ahead, policy, hundred),
                                          BuildStatement("b", 2026, behind, policy, hundred)},
                                         policy);
  EXPECT_EQ(district.counted_person_times(), 550);  // ≥ 400 required in all
  EXPECT_EQ(district.institutions_met(), 1);
  EXPECT_EQ(district.institutions_not_met(), 1);
  EXPECT_EQ(district.compliance(), v1::COMPLIANCE_NOT_MET);
}

TEST(StatementTest, DistrictComparesCountedAndRequiredOverTheSameInstitutions) {
  auto policy = Policy("0.3", "0.15", "0.00125");
  YearCells reported, not_reported, unavailable;
  reported[Cell{v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS, 1, false}] = Amounts{1, 150, 0, 0, 0};
  not_reported[Cell{v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS, 1, false}] = Amounts{1, 500, 0, 0, 0};
  not_reported[Cell{v1::PROGRAMME_TYPE_CAREER_EXPERIENCE, 8, false}] = Amounts{1, 40, 0, 0, 0};
  unavailable[Cell{v1::PROGRAMME_TYPE_ELDERLY_EDUCATION, 4, false}] = Amounts{1, 30, 0, 0, 0};
  EnrolmentFigure hundred{v1::ENROLMENT_STATUS_REPORTED, "ay2026", 1, 100, ""};
  EnrolmentFigure none{v1::ENROLMENT_STATUS_NOT_REPORTED, "", 0, 0, "not reported yet"};
  EnrolmentFigure down{v1::ENROLMENT_STATUS_UNAVAILABLE, "", 0, 0, "did not answer"};
  auto district = BuildDistrictStatement(2026,
                                         {BuildStatement("a", 2026, reported, policy, hundred),
                                          BuildStatement("b", 2026, not_reported, policy, none),
                                          BuildStatement("c", 2026, unavailable, policy, down)},
                                         policy);
  // Only a has a requirement, so only a's counted person-times face it:
  // 150 against 200, not 680 against 200.
  EXPECT_EQ(district.enrolled_students(), 100);
  EXPECT_EQ(district.required_person_times(), 200);
  EXPECT_EQ(district.counted_person_times(), 150);
  // The plain totals still hold every institution.
  EXPECT_EQ(district.totals().person_times(), 720);
  EXPECT_EQ(district.institutions_not_met(), 1);
  EXPECT_EQ(district.institutions_unknown(), 2);
  EXPECT_EQ(district.compliance(), v1::COMPLIANCE_NOT_MET);
  ASSERT_EQ(district.notes_size(), 1);
  EXPECT_EQ(district.notes(0),
            "2 institution(s) without reported enrolment, left out of the district's enrolled, "
            "required and counted person-times (their 530 counted person-times are in the totals "
            "only): b (not reported), c (unavailable)");

  // Unjudged (the basic view): no enrolment, so nothing on either side.
  EnrolmentFigure not_asked{v1::ENROLMENT_STATUS_UNSPECIFIED, "", 0, 0, ""};
  auto basic = BuildDistrictStatement(
      2026, {BuildStatement("a", 2026, reported, policy, not_asked)}, policy);
  EXPECT_EQ(basic.counted_person_times(), 0);
  EXPECT_EQ(basic.required_person_times(), 0);
  EXPECT_EQ(basic.totals().person_times(), 150);
  EXPECT_EQ(basic.notes_size(), 0);
}

TEST(StatementTest, CareerExperienceIsNotTrainingAndOnlySkillsTrainingEarnsTheUplift) {
  auto policy = Policy("0.3", "0.15", "0.00125");
  YearCells cells;
  cells[Cell{v1::PROGRAMME_TYPE_CAREER_EXPERIENCE, 8, false}] = Amounts{1, 300, 600, 10000, 0};
  cells[Cell{v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION, 8, false}] = Amounts{1, 100, 400, 20000, 0};
  cells[Cell{v1::PROGRAMME_TYPE_RURAL_ECOMMERCE, 8, true}] = Amounts{1, 50, 800, 40000, 10};
  EnrolmentFigure hundred{v1::ENROLMENT_STATUS_REPORTED, "ay2026", 1, 100, ""};
  auto statement = BuildStatement("cqgsxx", 2026, cells, policy, hundred);
  EXPECT_EQ(statement.totals().person_times(), 450);
  EXPECT_EQ(statement.counted_person_times(), 150);  // community education counts; 职业体验 not
  EXPECT_EQ(statement.compliance(), v1::COMPLIANCE_NOT_MET);  // 150 < 200
  EXPECT_EQ(statement.person_times_ratio(), "1.50");
  EXPECT_EQ(statement.skills_training_income_fen(), 40000);
  EXPECT_EQ(statement.performance_pay_uplift_fen(), 12000);  // 0.3 × 40,000
  // Totals keep every record; public funds and workload take training only.
  EXPECT_EQ(statement.totals().income_fen(), 70000);
  EXPECT_EQ(statement.totals().trainee_hours(), 1800);
  EXPECT_EQ(statement.public_funds_fen(), 9000);  // 0.15 × 60,000, not of 职业体验's 10,000
  EXPECT_EQ(statement.workload_fte(), "1.50");    // 1200 h × 0.00125, not of its 600 h

  // The district takes the same base from each institution's rows.
  auto district = BuildDistrictStatement(2026, {statement}, policy);
  EXPECT_EQ(district.totals().trainee_hours(), 1800);
  EXPECT_EQ(district.counted_person_times(), 150);
  EXPECT_EQ(district.public_funds_fen(), 9000);
  EXPECT_EQ(district.workload_fte(), "1.50");
}

TEST(RecordTest, NamesDatesAndCells) {
  EXPECT_EQ(RecordName({"cqvie", "2026-0001"}), "institutions/cqvie/trainingRecords/2026-0001");
  auto ref = ParseRecordName("institutions/cqvie/trainingRecords/a.b_c-1", "name");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->record_id, "a.b_c-1");
  EXPECT_FALSE(ParseRecordName("institutions/cqvie/records/1", "name").ok());
  EXPECT_FALSE(ParseRecordName("institutions/CQVIE/trainingRecords/1", "name").ok());
  EXPECT_FALSE(IsValidRecordId("has space"));
  EXPECT_FALSE(IsValidRecordId("colon:no"));
  EXPECT_FALSE(IsValidRecordId(std::string(65, 'a')));

  EXPECT_TRUE(ParseDate("2024-02-29", "date").ok());
  for (const std::string bad : {"2025-02-29", "2026-13-01", "2026-3-1", "26-03-01", "2026/03/01",
                                "1999-12-31", "2026-03-01x"}) {
    EXPECT_FALSE(ParseDate(bad, "date").ok()) << bad;
  }

  // Counters of different cells and metrics never collide, and map back.
  std::set<int64_t> seen;
  for (int p = 1; p <= v1::ProgrammeType_MAX; ++p) {
    for (int g = 1; g <= v1::TargetGroup_MAX; ++g) {
      for (bool s : {false, true}) {
        for (int m = 0; m < kMetrics; ++m) {
          const int64_t counter = CounterIndex(Cell{p, g, s}, m);
          EXPECT_TRUE(seen.insert(counter).second);
          EXPECT_LT(counter, kCounters);
          EXPECT_EQ(CellOfCounter(counter), (Cell{p, g, s}));
          EXPECT_EQ(MetricOfCounter(counter), m);
        }
      }
    }
  }

  // The fingerprint covers what the client sent, not what the server added.
  v1::TrainingRecord with_outputs = GoodRecord();
  with_outputs.set_recorded_by("school:cqvie");
  with_outputs.set_reversed_by("x");
  EXPECT_EQ(ClientBytes(with_outputs), ClientBytes(GoodRecord()));
}

TEST(ValidationTest, EveryBadFieldOfARecordIsNamed) {
  EXPECT_TRUE(ValidateRecord(GoodRecord(), "").ok());
  v1::TrainingRecord bad = GoodRecord();
  bad.set_institution_code("");
  bad.set_record_id("bad id");
  bad.set_date("2026-02-30");
  bad.set_programme(static_cast<v1::ProgrammeType>(99));
  bad.set_target_group(static_cast<v1::TargetGroup>(42));
  bad.set_trainees(-5);
  bad.set_hours_per_trainee(0);
  bad.set_income_fen(-1);
  bad.set_certificates(-2);
  auto status = ValidateRecord(bad, "training_record.");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(status),
            (std::vector<std::string>{
                "training_record.institution_code", "training_record.record_id",
                "training_record.date", "training_record.programme", "training_record.target_group",
                "training_record.trainees", "training_record.hours_per_trainee",
                "training_record.income_fen", "training_record.certificates"}));
  EXPECT_NE(status.message().find("(got -5)"), std::string::npos);

  // A certificate per trainee at most; an imported row names the field unprefixed.
  v1::TrainingRecord one_trainee = GoodRecord();
  one_trainee.set_trainees(1);
  one_trainee.set_certificates(1);
  EXPECT_TRUE(ValidateRecord(one_trainee, "").ok());
  one_trainee.set_certificates(2);
  auto too_many = ValidateRecord(one_trainee, "");
  EXPECT_EQ(too_many.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(too_many), std::vector<std::string>{"certificates"});
  EXPECT_NE(too_many.message().find("at most one per trainee: 2 for 1 trainees"), std::string::npos)
      << too_many.message();
  one_trainee.set_certificates(kMaxCertificates);
  EXPECT_EQ(FieldsOf(ValidateRecord(one_trainee, "training_record.")),
            std::vector<std::string>{"training_record.certificates"});

  v1::SetAccountingPolicyRequest policy;
  EXPECT_EQ(FieldsOf(Validate(policy)), (std::vector<std::string>{"request_id", "policy"}));
  v1::ReverseTrainingRecordRequest reverse;
  reverse.set_name("institutions/cqvie/trainingRecords/1");
  reverse.set_reversal_id("1-rev");
  EXPECT_EQ(FieldsOf(Validate(reverse)), std::vector<std::string>{"reason"});
}

TEST(PermissionTest, SchoolsKeepTheirOwnCoordinatorSetsPolicy) {
  const Principal school{Role::kSchool, "cqvie"};
  const Principal other_school{Role::kSchool, "cqgsxx"};
  const Principal coordinator{Role::kCoordinator, ""};
  const Principal department{Role::kDepartment, "edu"};
  const Principal evaluator{Role::kEvaluator, ""};
  const Principal exchange{Role::kExchange, ""};
  EXPECT_TRUE(CheckCanRecord(school, "cqvie").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRecord(other_school, "cqvie")));
  EXPECT_TRUE(CheckCanRecord(coordinator, "cqvie").ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRecord(department, "cqvie")));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanRecord(evaluator, "cqvie")));
  for (const Principal& reader : {coordinator, department, evaluator, school}) {
    EXPECT_TRUE(CheckCanReadInstitution(reader, "cqvie").ok()) << reader.ToString();
  }
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanReadInstitution(other_school, "cqvie")));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanReadInstitution(exchange, "cqvie")));
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanReadDistrict(school)));
  EXPECT_TRUE(CheckCanReadDistrict(evaluator).ok());
  EXPECT_TRUE(CheckCanSetPolicy(coordinator).ok());
  EXPECT_TRUE(absl::IsPermissionDenied(CheckCanSetPolicy(department)));
  EXPECT_TRUE(CheckCanReadPolicy(school).ok());
}

}  // namespace
}  // namespace vetrack::ledger
