#include "ledger_fixture.h"

#include "status/errors.h"

namespace vetrack::ledger::testing {

std::string FieldOf(const absl::Status& status) {
  auto violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

v1::TrainingRecord Record(const std::string& institution, const std::string& id,
                          const std::string& date, v1::ProgrammeType programme,
                          v1::TargetGroup group, bool subsidised, int64_t trainees, int32_t hours,
                          int64_t income, int64_t certificates) {
  v1::TrainingRecord r;
  r.set_institution_code(institution);
  r.set_record_id(id);
  r.set_date(date);
  r.set_programme(programme);
  r.set_target_group(group);
  r.set_subsidised(subsidised);
  r.set_trainees(trainees);
  r.set_hours_per_trainee(hours);
  r.set_income_fen(income);
  r.set_certificates(certificates);
  return r;
}

LedgerTest::LedgerTest()
    : client_(redis_.options()),
      store_(client_),
      clock_(absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0),
                             absl::FixedTimeZone(8 * 3600))),
      directory_({"cqgsxx", "cqjtjg", "cqvie"}),
      ledger_(store_, directory_, enrolment_, clock_, SmallBatches()) {}

LedgerOptions LedgerTest::SmallBatches() {
  LedgerOptions options;
  options.import_batch_size = 3;
  options.import_writers = 3;
  options.import_queue_depth = 1;
  return options;
}

absl::StatusOr<v1::TrainingRecord> LedgerTest::Create(const Principal& caller,
                                                      const v1::TrainingRecord& r) {
  v1::CreateTrainingRecordRequest req;
  *req.mutable_training_record() = r;
  return ledger_.CreateTrainingRecord(caller, req);
}

absl::StatusOr<v1::TrainingRecord> LedgerTest::Reverse(const Principal& caller,
                                                       const std::string& name,
                                                       const std::string& reversal_id,
                                                       const std::string& reason) {
  v1::ReverseTrainingRecordRequest req;
  req.set_name(name);
  req.set_reversal_id(reversal_id);
  req.set_reason(reason);
  return ledger_.ReverseTrainingRecord(caller, req);
}

absl::StatusOr<v1::AccountingPolicy> LedgerTest::SetPolicy(const std::string& request_id,
                                                           const std::string& uplift,
                                                           const std::string& etag) {
  v1::SetAccountingPolicyRequest req;
  req.set_request_id(request_id);
  auto* policy = req.mutable_policy();
  policy->set_year(2026);
  policy->set_performance_pay_uplift_rate(uplift);
  policy->set_public_funds_share("0.15");
  policy->set_fte_per_training_hour("0.00125");
  policy->set_etag(etag);
  return ledger_.SetAccountingPolicy(coordinator_, req);
}

absl::StatusOr<v1::TrainingStatement> LedgerTest::Statement(const Principal& caller,
                                                            const std::string& institution,
                                                            int year) {
  v1::GetTrainingStatementRequest req;
  req.set_institution_code(institution);
  req.set_year(year);
  return ledger_.GetTrainingStatement(caller, req);
}

std::map<std::string, std::string> LedgerTest::Snapshot() {
  std::map<std::string, std::string> snapshot;
  auto keys = client_.Command({"KEYS", "*"});
  for (const auto& key : keys->elements) {
    snapshot[key.str] = client_.Command({"DUMP", key.str})->str;
  }
  return snapshot;
}

void LedgerTest::RecordCqvieYear() {
  const Principal school{Role::kSchool, "cqvie"};
  for (const auto& r :
       {Record("cqvie", "r1", "2026-03-10", v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS,
               v1::TARGET_GROUP_NEW_GENERATION_MIGRANT_WORKERS, true, 120, 40, 1234567, 100),
        Record("cqvie", "r2", "2026-05-20", v1::PROGRAMME_TYPE_JOB_SKILLS_UPGRADE,
               v1::TARGET_GROUP_LAID_OFF_UNEMPLOYED, false, 300, 16, 449998, 280),
        Record("cqvie", "r3", "2026-06-01", v1::PROGRAMME_TYPE_ELDERLY_EDUCATION,
               v1::TARGET_GROUP_ELDERLY, false, 800, 8, 0, 0),
        Record("cqvie", "r4", "2026-07-15", v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS,
               v1::TARGET_GROUP_VETERANS, true, 50, 60, 300000, 45),
        Record("cqvie", "r5", "2025-12-30", v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS,
               v1::TARGET_GROUP_GENERAL, false, 999, 10, 10000, 0)}) {
    ASSERT_TRUE(Create(school, r).ok());
  }
  ASSERT_TRUE(Reverse(school, "institutions/cqvie/trainingRecords/r4", "r4-rev").ok());
}

}  // namespace vetrack::ledger::testing
