#ifndef VETRACK_SERVICES_TRAINING_LEDGER_REDIS_LEDGER_STORE_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_REDIS_LEDGER_STORE_H_

#include <string>

#include "ledger_store.h"
#include "redis/redis_client.h"

namespace vetrack::ledger {

// LedgerStore on Redis. Keys (prefix "vt:tl:" by default):
//   rec:{institution}:{id}      string: fingerprint (16 hex) + TrainingRecord bytes
//   rev:{institution}:{id}      string: the id of the record's reversal
//   ids:{institution}:{year}    list: record ids in append order
//   agg:{institution}:{year}    string of i64 counters (BITFIELD), five per
//                               cell (records.h: CounterIndex); at most 40 KiB
//   policy:{year}               hash {v, d}: the current AccountingPolicy
//   policy-log:{year}           list: every version of it
//   published:{year}            hash {v, d}: the latest PublishedTrainingStatement
//   published-log:{year}        list: every revision of it, oldest first
//   answer:{request_key}        idempotency of policy changes and publications (with TTL)
// Records and reversals go through the scripts of ledger_scripts.h; policy
// changes and publications through redis/atomic_write.h, a publication with
// its entry in the exchange outbox (vt:ex:outbox:training-ledger).
class RedisLedgerStore : public LedgerStore {
 public:
  RedisLedgerStore(redis::Client& client,
                   std::string prefix = "vt:tl:", int64_t answer_ttl_seconds = 30 * 24 * 3600);

  absl::Status Ping() override;
  absl::StatusOr<std::vector<AppendOutcome>> AppendRecords(
      const std::vector<PreparedRecord>& records) override;
  absl::StatusOr<std::vector<std::vector<AppendOutcome>>> AppendBatches(
      const std::vector<std::vector<PreparedRecord>>& batches) override;
  absl::StatusOr<ReversalResult> AppendReversal(const ReversalWrite& write) override;
  absl::StatusOr<std::optional<StoredRecord>> GetRecord(const RecordRef& ref) override;
  absl::StatusOr<std::vector<StoredRecord>> ListRecords(const std::string& institution_code,
                                                        int year, int offset, int limit,
                                                        int* total) override;
  absl::StatusOr<std::vector<YearCells>> GetYearCells(
      const std::vector<std::string>& institution_codes, int year) override;
  absl::StatusOr<std::optional<StoredPolicy>> GetPolicy(int year) override;
  absl::StatusOr<std::vector<v1::AccountingPolicy>> ListPolicyVersions(int year, int offset,
                                                                       int limit,
                                                                       int* total) override;
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override;
  absl::StatusOr<PolicyWriteOutcome> WritePolicy(const PolicyWrite& write) override;
  absl::StatusOr<std::optional<v1::PublishedTrainingStatement>> GetPublishedStatement(
      int year, int revision) override;
  absl::StatusOr<PolicyWriteOutcome> WritePublication(const PublishWrite& write) override;

 private:
  std::string RecordKey(const RecordRef& ref) const;
  std::string ReversalMarkKey(const RecordRef& ref) const;
  std::string IdsKey(const std::string& institution_code, int year) const;
  std::string CellsKey(const std::string& institution_code, int year) const;
  std::string PolicyKey(int year) const;
  std::string PolicyLogKey(int year) const;
  std::string AnswerKey(const std::string& request_key) const;
  std::string PublishedKey(int year) const;
  std::string PublishedLogKey(int year) const;
  // One batch as an EVALSHA of the append script; `order` maps the script's
  // answers (grouped by institution and year) back to the batch.
  struct AppendCall {
    std::vector<std::string> command;
    std::vector<size_t> order;
  };
  AppendCall BuildAppend(const std::vector<PreparedRecord>& records) const;
  // Reads records and their reversal marks in one round trip; absent ones are skipped.
  absl::StatusOr<std::vector<StoredRecord>> ReadRecords(const std::vector<RecordRef>& refs);

  redis::Client& client_;
  std::string prefix_;
  int64_t answer_ttl_seconds_;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_REDIS_LEDGER_STORE_H_
