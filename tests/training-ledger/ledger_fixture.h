#ifndef VETRACK_TESTS_TRAINING_LEDGER_LEDGER_FIXTURE_H_
#define VETRACK_TESTS_TRAINING_LEDGER_LEDGER_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fakes.h"
#include "redis_ledger_store.h"
#include "testing/redis_server.h"
#include "training_ledger.h"

// The ledger's domain on its Redis store against a real redis-server, with a
// fake clock (2026-11-20 10:00 in the district) and fake school reporting
// knowing cqgsxx, cqjtjg and cqvie.
namespace vetrack::ledger::testing {

// The first field a status names, or "".
std::string FieldOf(const absl::Status& status);

v1::TrainingRecord Record(const std::string& institution, const std::string& id,
                          const std::string& date, v1::ProgrammeType programme,
                          v1::TargetGroup group, bool subsidised, int64_t trainees, int32_t hours,
                          int64_t income, int64_t certificates);

class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest();

  // Small batches and several writers, so that imports span many script calls.
  static LedgerOptions SmallBatches();

  absl::StatusOr<v1::TrainingRecord> Create(const Principal& caller, const v1::TrainingRecord& r);
  absl::StatusOr<v1::TrainingRecord> Reverse(const Principal& caller, const std::string& name,
                                             const std::string& reversal_id,
                                             const std::string& reason = "录入错误");
  // A 2026 policy with the given uplift, public share 0.15, 0.00125 FTE per hour.
  absl::StatusOr<v1::AccountingPolicy> SetPolicy(const std::string& request_id,
                                                 const std::string& uplift,
                                                 const std::string& etag = "");
  absl::StatusOr<v1::TrainingStatement> Statement(const Principal& caller,
                                                  const std::string& institution, int year = 2026);
  // Every key and its dumped value: equal snapshots mean nothing changed.
  std::map<std::string, std::string> Snapshot();

  // The cqvie year of the hand-computed statement (see accounting_test too):
  //   r1 就业技能 新生代农民工 补贴  120 × 40h  1,234,567 fen  100 certs
  //   r2 岗位提升 下岗失业      300 × 16h    449,998 fen  280 certs
  //   r3 老年教育 老年人        800 ×  8h          0 fen
  //   r4 就业技能 退役军人 补贴  50 × 60h    300,000 fen   45 certs, reversed
  //   r5 dated 2025: not in the 2026 statement
  void RecordCqvieYear();

  ::vetrack::testing::RedisServer redis_;
  redis::Client client_;
  RedisLedgerStore store_;
  FakeClock clock_;
  FakeDirectory directory_;
  FakeEnrolment enrolment_;
  TrainingLedger ledger_;
  Principal coordinator_{Role::kCoordinator, ""};
  Principal cqvie_{Role::kSchool, "cqvie"};
};

}  // namespace vetrack::ledger::testing

#endif  // VETRACK_TESTS_TRAINING_LEDGER_LEDGER_FIXTURE_H_
