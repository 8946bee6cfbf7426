// RedisLedgerStore against a real redis-server (AOF, appendfsync always):
// batched appends with their idempotency outcomes, aggregates equal to the
// sum of their records, the reversal script's rules, and what survives a
// SIGKILL of Redis.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "redis/atomic_write.h"
#include "redis_ledger_store.h"
#include "testing/redis_server.h"

namespace vetrack::ledger {
namespace {

PreparedRecord Prepared(const std::string& institution, const std::string& id, int year, Cell cell,
                        int64_t trainees, int32_t hours, int64_t income, int64_t certificates = 0) {
  v1::TrainingRecord r;
  r.set_institution_code(institution);
  r.set_record_id(id);
  r.set_date(absl::StrCat(year, "-06-01"));
  r.set_programme(static_cast<v1::ProgrammeType>(cell.programme));
  r.set_target_group(static_cast<v1::TargetGroup>(cell.target_group));
  r.set_subsidised(cell.subsidised);
  r.set_trainees(trainees);
  r.set_hours_per_trainee(hours);
  r.set_income_fen(income);
  r.set_certificates(certificates);
  PreparedRecord p;
  p.ref = {institution, id};
  p.year = year;
  p.cell = cell;
  p.amounts = AmountsOf(r);
  p.record_bytes = ClientBytes(r);
  p.fingerprint = redis::Fingerprint(p.record_bytes);
  return p;
}

class LedgerStoreTest : public ::testing::Test {
 protected:
  LedgerStoreTest() : client_(redis_.options()), store_(client_) {}

  YearCells Cells(const std::string& institution, int year) {
    auto cells = store_.GetYearCells({institution}, year);
    EXPECT_TRUE(cells.ok()) << cells.status();
    return cells.ok() ? cells->front() : YearCells{};
  }

  // Sums an institution's year from its records: entries add, reversals subtract.
  YearCells SumOfRecords(const std::string& institution, int year) {
    int total = 0;
    auto records = store_.ListRecords(institution, year, 0, 100000, &total);
    EXPECT_TRUE(records.ok()) << records.status();
    YearCells sums;
    for (const auto& stored : *records) {
      Amounts amounts = AmountsOf(stored.record);
      if (!stored.record.reverses().empty()) {
        amounts = Amounts{-amounts.records, -amounts.person_times, -amounts.trainee_hours,
                          -amounts.income_fen, -amounts.certificates};
      }
      sums[CellOf(stored.record)] += amounts;
    }
    // Cells whose records all cancel out hold no counters.
    for (auto it = sums.begin(); it != sums.end();) {
      it = it->second == Amounts{} ? sums.erase(it) : std::next(it);
    }
    return sums;
  }

  testing::RedisServer redis_;
  redis::Client client_;
  RedisLedgerStore store_;
};

TEST_F(LedgerStoreTest, ABatchIsAppendedOnceAndItsAggregatesAreItsSums) {
  const Cell employment{1, 1, true};
  const Cell elderly{5, 4, false};
  std::vector<PreparedRecord> batch = {
      Prepared("cqvie", "a", 2026, employment, 120, 40, 1234567, 100),
      Prepared("cqvie", "b", 2026, employment, 30, 8, 5000, 3),
      Prepared("cqvie", "c", 2026, elderly, 800, 8, 0),
      Prepared("cqvie", "d", 2025, elderly, 10, 2, 0),
      Prepared("cqgsxx", "a", 2026, employment, 7, 7, 7),  // same id, other institution
  };
  auto first = store_.AppendRecords(batch);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, std::vector<AppendOutcome>(5, AppendOutcome::kCreated));

  YearCells cells = Cells("cqvie", 2026);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[employment], (Amounts{2, 150, 4800 + 240, 1239567, 103}));
  EXPECT_EQ(cells[elderly], (Amounts{1, 800, 6400, 0, 0}));
  EXPECT_EQ(Cells("cqvie", 2025)[elderly], (Amounts{1, 10, 20, 0, 0}));
  EXPECT_EQ(cells, SumOfRecords("cqvie", 2026));

  // The same batch again changes nothing; a changed record under a used id
  // is a conflict, and also writes nothing.
  auto again = store_.AppendRecords(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, std::vector<AppendOutcome>(5, AppendOutcome::kUnchanged));
  auto changed =
      store_.AppendRecords({Prepared("cqvie", "a", 2026, employment, 121, 40, 1234567, 100),
                            Prepared("cqvie", "e", 2026, elderly, 5, 1, 0)});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed,
            (std::vector<AppendOutcome>{AppendOutcome::kConflict, AppendOutcome::kCreated}));
  EXPECT_EQ(Cells("cqvie", 2026)[employment], (Amounts{2, 150, 5040, 1239567, 103}));
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));

  auto stored = store_.GetRecord({"cqvie", "a"});
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->record.trainees(), 120);
  EXPECT_EQ((*stored)->record.name(), "institutions/cqvie/trainingRecords/a");
}

TEST_F(LedgerStoreTest, AnIdRepeatedWithinOneBatchIsKeptOnce) {
  const Cell cell{2, 2, false};
  auto outcomes = store_.AppendRecords({Prepared("cqvie", "x", 2026, cell, 10, 1, 100),
                                        Prepared("cqvie", "x", 2026, cell, 10, 1, 100),
                                        Prepared("cqvie", "x", 2026, cell, 99, 1, 100)});
  ASSERT_TRUE(outcomes.ok());
  EXPECT_EQ(*outcomes,
            (std::vector<AppendOutcome>{AppendOutcome::kCreated, AppendOutcome::kUnchanged,
                                        AppendOutcome::kConflict}));
  EXPECT_EQ(Cells("cqvie", 2026)[cell], (Amounts{1, 10, 10, 100, 0}));
  int total = 0;
  ASSERT_TRUE(store_.ListRecords("cqvie", 2026, 0, 10, &total).ok());
  EXPECT_EQ(total, 1);
}

TEST_F(LedgerStoreTest, PipelinedBatchesApplyInOrderEvenAfterTheScriptCacheIsFlushed) {
  const Cell cell{4, 8, false};
  ASSERT_TRUE(client_.Command({"SCRIPT", "FLUSH"}).ok());  // as after a Redis restart
  auto outcomes = store_.AppendBatches({{Prepared("cqvie", "p1", 2026, cell, 3, 2, 10)},
                                        {},
                                        {Prepared("cqvie", "p1", 2026, cell, 3, 2, 10),
                                         Prepared("cqvie", "p2", 2026, cell, 4, 2, 10)},
                                        {Prepared("cqvie", "p2", 2026, cell, 5, 2, 10)}});
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 4u);
  EXPECT_EQ((*outcomes)[0], std::vector<AppendOutcome>{AppendOutcome::kCreated});
  EXPECT_TRUE((*outcomes)[1].empty());
  EXPECT_EQ((*outcomes)[2],
            (std::vector<AppendOutcome>{AppendOutcome::kUnchanged, AppendOutcome::kCreated}));
  EXPECT_EQ((*outcomes)[3], std::vector<AppendOutcome>{AppendOutcome::kConflict});
  EXPECT_EQ(Cells("cqvie", 2026)[cell], (Amounts{2, 7, 14, 20, 0}));
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));
}

TEST_F(LedgerStoreTest, AReversalIsAppliedOnceAndOnlyToWhatExists) {
  const Cell cell{1, 6, true};
  PreparedRecord original = Prepared("cqvie", "r1", 2026, cell, 50, 60, 300000, 45);
  ASSERT_TRUE(store_.AppendRecords({original}).ok());
  ReversalWrite write;
  write.original = original.ref;
  write.original_fingerprint = original.fingerprint;
  write.reversal = Prepared("cqvie", "r1-rev", 2026, cell, 50, 60, 300000, 45);
  write.reversal.fingerprint = "00000000000000aa";
  v1::TrainingRecord reversal;
  ASSERT_TRUE(reversal.ParseFromString(write.reversal.record_bytes));
  reversal.set_reverses(RecordName(original.ref));
  write.reversal.record_bytes = reversal.SerializeAsString();

  using Outcome = ReversalResult::Outcome;
  auto applied = store_.AppendReversal(write);
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_EQ(applied->outcome, Outcome::kApplied);
  EXPECT_TRUE(Cells("cqvie", 2026).empty());
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));
  auto marked = store_.GetRecord(original.ref);
  EXPECT_EQ((*marked)->record.reversed_by(), "institutions/cqvie/trainingRecords/r1-rev");

  EXPECT_EQ(store_.AppendReversal(write)->outcome, Outcome::kReplayed);
  ReversalWrite second = write;
  second.reversal.ref.record_id = "r1-rev2";
  second.reversal.fingerprint = "00000000000000bb";
  auto twice = store_.AppendReversal(second);
  EXPECT_EQ(twice->outcome, Outcome::kAlreadyReversed);
  EXPECT_EQ(twice->reversed_by, "r1-rev");
  ReversalWrite taken = second;
  taken.reversal.ref.record_id = "r1";  // the original's own id
  EXPECT_EQ(store_.AppendReversal(taken)->outcome, Outcome::kIdTaken);
  ReversalWrite missing = second;
  missing.original.record_id = "nope";
  EXPECT_EQ(store_.AppendReversal(missing)->outcome, Outcome::kOriginalMissing);
  // Nothing of the refused ones was written.
  EXPECT_TRUE(Cells("cqvie", 2026).empty());
  int total = 0;
  ASSERT_TRUE(store_.ListRecords("cqvie", 2026, 0, 10, &total).ok());
  EXPECT_EQ(total, 2);
}

// A key of another type than its write expects (a corrupted store): Redis
// would apply the writes before the one it refuses, leaving records without
// their ids and sums for good (a retry finds them there and adds nothing).
// The scripts refuse before their first write.
TEST_F(LedgerStoreTest, AKeyOfAnotherTypeRefusesTheWholeBatchBeforeAnyWrite) {
  const Cell cell{1, 1, true};
  std::vector<PreparedRecord> batch = {Prepared("cqvie", "w1", 2026, cell, 10, 8, 100),
                                       Prepared("cqvie", "w2", 2026, cell, 20, 8, 200),
                                       Prepared("cqepc", "w3", 2026, cell, 30, 8, 300)};
  auto keys = [&] { return client_.Command({"DBSIZE"})->integer; };
  const int64_t before = keys();

  // The second group's aggregate holds a list.
  ASSERT_TRUE(client_.Command({"RPUSH", "vt:tl:agg:cqepc:2026", "x"}).ok());
  auto refused = store_.AppendRecords(batch);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss) << refused.status();
  EXPECT_NE(refused.status().message().find("vt:tl:agg:cqepc:2026"), std::string::npos);
  EXPECT_EQ(keys(), before + 1);
  ASSERT_TRUE(client_.Command({"DEL", "vt:tl:agg:cqepc:2026"}).ok());

  // A record key (the last the script sets: groups go by institution code)
  // holds a hash: the two records the script had created are deleted again.
  ASSERT_TRUE(client_.Command({"HSET", "vt:tl:rec:cqvie:w2", "f", "v"}).ok());
  refused = store_.AppendRecords(batch);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss) << refused.status();
  EXPECT_EQ(keys(), before + 1);
  EXPECT_TRUE(Cells("cqvie", 2026).empty());
  ASSERT_TRUE(client_.Command({"DEL", "vt:tl:rec:cqvie:w2"}).ok());

  ASSERT_TRUE(store_.AppendRecords(batch).ok());
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));
  EXPECT_EQ(Cells("cqepc", 2026), SumOfRecords("cqepc", 2026));

  // A reversal whose id list holds a string writes nothing either.
  ReversalWrite write;
  write.original = batch[0].ref;
  write.original_fingerprint = batch[0].fingerprint;
  write.reversal = Prepared("cqvie", "w1-rev", 2026, cell, 10, 8, 100);
  const YearCells cells = Cells("cqvie", 2026);
  ASSERT_TRUE(client_.Command({"SET", "vt:tl:ids:cqvie:2026", "x"}).ok());
  const int64_t with_batch = keys();
  EXPECT_EQ(store_.AppendReversal(write).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(keys(), with_batch);
  EXPECT_EQ(Cells("cqvie", 2026), cells);
}

TEST_F(LedgerStoreTest, ABatchOfTenThousandNewRecordsOfOneYearIsAppendedWhole) {
  // More ids than Lua can unpack at once (~8000): a script failing there
  // would leave records without their ids and sums.
  const Cell cell{1, 8, false};
  std::vector<PreparedRecord> batch;
  for (int i = 0; i < 10000; ++i) {
    batch.push_back(Prepared("cqvie", absl::StrCat("big-", i), 2026, cell, 1, 1, 1));
  }
  auto appended = store_.AppendRecords(batch);
  ASSERT_TRUE(appended.ok()) << appended.status();
  EXPECT_EQ(*appended, std::vector<AppendOutcome>(10000, AppendOutcome::kCreated));
  int total = 0;
  ASSERT_TRUE(store_.ListRecords("cqvie", 2026, 0, 10, &total).ok());
  EXPECT_EQ(total, 10000);
  EXPECT_EQ(Cells("cqvie", 2026)[cell].records, 10000);
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));
}

TEST_F(LedgerStoreTest, ReadingTotalsCostsTheSameWhateverTheLedgerSize) {
  const Cell cell{1, 8, false};
  const std::string cells_key = "vt:tl:agg:cqvie:2026";
  int64_t size_after_first = 0;
  for (int chunk = 0; chunk < 10; ++chunk) {
    std::vector<PreparedRecord> batch;
    for (int i = 0; i < 500; ++i) {
      batch.push_back(
          Prepared("cqvie", absl::StrCat(chunk, "-", i), 2026, cell, 1 + i % 7, 4, 1000 + i));
    }
    ASSERT_TRUE(store_.AppendRecords(batch).ok());
    // However many records, the statement reads the same bounded string of
    // counters, one value of at most kCounters × 8 bytes.
    int64_t size = client_.Command({"STRLEN", cells_key})->integer;
    if (chunk == 0) size_after_first = size;
    EXPECT_EQ(size, size_after_first);
    EXPECT_LE(size, kCounters * 8);
  }
  EXPECT_EQ(Cells("cqvie", 2026)[cell].records, 5000);
  EXPECT_EQ(Cells("cqvie", 2026), SumOfRecords("cqvie", 2026));
}

TEST_F(LedgerStoreTest, AcknowledgedAppendsSurviveSigkillOfRedis) {
  const Cell cell{3, 2, true};
  std::vector<PreparedRecord> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Prepared("cqepc", absl::StrCat("k", i), 2026, cell, 2, 3, 5));
  }
  ASSERT_TRUE(store_.AppendRecords(batch).ok());
  redis_.Restart();  // SIGKILL, then start on the same AOF
  EXPECT_EQ(Cells("cqepc", 2026)[cell], (Amounts{300, 600, 1800, 1500, 0}));
  auto again = store_.AppendRecords(batch);  // NOSCRIPT after the restart is handled
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->front(), AppendOutcome::kUnchanged);
  EXPECT_EQ(Cells("cqepc", 2026), SumOfRecords("cqepc", 2026));
}

TEST_F(LedgerStoreTest, PolicyVersionsAreGuardedAndLogged) {
  v1::AccountingPolicy policy;
  policy.set_year(2026);
  policy.set_performance_pay_uplift_rate("0.3");
  policy.set_version(1);
  auto first = store_.WritePolicy({2026, policy, 0, {"coordinator/p1", "f1", "answer-1"}});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  // Someone else's write against the same version is refused.
  auto stale = store_.WritePolicy({2026, policy, 0, {"coordinator/p2", "f2", "answer-2"}});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
  auto replay = store_.WritePolicy({2026, policy, 1, {"coordinator/p1", "f1", "ignored"}});
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->earlier_response, "answer-1");
  policy.set_version(2);
  ASSERT_TRUE(store_.WritePolicy({2026, policy, 1, {"coordinator/p3", "f3", "answer-3"}}).ok());
  auto current = store_.GetPolicy(2026);
  ASSERT_TRUE(current.ok() && current->has_value());
  EXPECT_EQ((*current)->version, 2);
  EXPECT_EQ((*current)->policy.etag(), "2");
  int total = 0;
  auto versions = store_.ListPolicyVersions(2026, 0, 10, &total);
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(total, 2);
  EXPECT_FALSE(store_.GetPolicy(2027)->has_value());

  // A request that changes nothing stores its answer only, still guarded.
  EXPECT_EQ(store_.WritePolicy({2026, std::nullopt, 1, {"coordinator/p4", "f4", "answer-4"}})
                .status()
                .code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(
      store_.WritePolicy({2026, std::nullopt, 2, {"coordinator/p4", "f4", "answer-4"}}).ok());
  EXPECT_EQ(store_.GetPolicy(2026)->value().version, 2);
  ASSERT_TRUE(store_.ListPolicyVersions(2026, 0, 10, &total).ok());
  EXPECT_EQ(total, 2);
  auto answered = store_.FindAnswer("coordinator/p4", "f4");
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(answered->value_or(""), "answer-4");
}

}  // namespace
}  // namespace vetrack::ledger
