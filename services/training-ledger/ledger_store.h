#ifndef VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_STORE_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "accounting.h"
#include "records.h"
#include "vetrack/ledger/v1/ledger.pb.h"

namespace vetrack::ledger {

// A record ready to append: the stored bytes and what the store needs to
// place it (its key, its aggregate cell and amounts) without parsing them.
struct PreparedRecord {
  RecordRef ref;
  int year = 0;
  Cell cell;
  Amounts amounts;
  // Fingerprint of the client's fields (16 hex digits): equal fingerprints
  // under one id are the same record sent again.
  std::string fingerprint;
  // The whole record as stored (client fields and output-only fields).
  std::string record_bytes;
};

enum class AppendOutcome {
  kCreated,
  // The id holds a record with the same fingerprint: nothing was written.
  kUnchanged,
  // The id holds a different record: nothing was written.
  kConflict,
};

// A record as stored, reversed_by filled in when it has been reversed.
struct StoredRecord {
  v1::TrainingRecord record;
  std::string fingerprint;
};

// A reversal to append: it cancels `original` (whose stored fingerprint must
// still be `original_fingerprint`), once.
struct ReversalWrite {
  RecordRef original;
  std::string original_fingerprint;
  // The reversal itself: its cell and amounts are the original's, subtracted.
  PreparedRecord reversal;
};

struct ReversalResult {
  enum class Outcome {
    kApplied,
    // The reversal id holds this very reversal: `earlier` is the stored one.
    kReplayed,
    // The reversal id holds a different record.
    kIdTaken,
    kOriginalMissing,
    // Reversed before, by `reversed_by` (a record id).
    kAlreadyReversed,
  };
  Outcome outcome = Outcome::kApplied;
  std::optional<v1::TrainingRecord> earlier;
  std::string reversed_by;
};

// A policy version stored with its version number (the etag's source).
struct StoredPolicy {
  v1::AccountingPolicy policy;
  int64_t version = 0;
};

// The answer to a request, kept so a replay of the same request_id gets it.
struct Answer {
  std::string request_key;
  std::string fingerprint;
  std::string response;
};

// A new version of a year's policy, applied only while the year is still at
// `expected_version`, together with the answer to the request; or, when the
// request changes nothing, only the answer (still guarded by the version).
struct PolicyWrite {
  int year = 0;
  std::optional<v1::AccountingPolicy> policy;
  int64_t expected_version = 0;
  Answer answer;
};

struct PolicyWriteOutcome {
  bool replayed = false;
  std::string earlier_response;
};

// A publication of a year's district statement: the next revision (applied
// only while the year's latest is still `expected_revision`) with its exchange
// entry, or, when nothing changed, only the answer to the request.
struct PublishWrite {
  std::optional<v1::PublishedTrainingStatement> published;
  int64_t expected_revision = 0;
  // JSON for the outbox (libs/exchange/outbox.h); empty when unpublished.
  std::string outbox_entry;
  Answer answer;
};

// Where the ledger keeps its state. Every append writes the record, its
// idempotency check and every aggregate it touches at once: a crash never
// leaves a record without its totals.
class LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  virtual absl::Status Ping() = 0;

  // Appends all records at once (one atomic step); outcome i answers records[i].
  // A record whose id already exists writes nothing and is reported as
  // unchanged or conflicting; a repeated id within the batch likewise.
  virtual absl::StatusOr<std::vector<AppendOutcome>> AppendRecords(
      const std::vector<PreparedRecord>& records) = 0;
  // Appends several batches in order, each atomically as AppendRecords does,
  // sent together (one round trip, one fsync when Redis takes them in one go).
  // On an error, earlier batches may have been applied: sending them again
  // finds them unchanged.
  virtual absl::StatusOr<std::vector<std::vector<AppendOutcome>>> AppendBatches(
      const std::vector<std::vector<PreparedRecord>>& batches) = 0;
  virtual absl::StatusOr<ReversalResult> AppendReversal(const ReversalWrite& write) = 0;

  virtual absl::StatusOr<std::optional<StoredRecord>> GetRecord(const RecordRef& ref) = 0;
  // An institution's records of a year in append order; `total` gets their count.
  virtual absl::StatusOr<std::vector<StoredRecord>> ListRecords(const std::string& institution_code,
                                                                int year, int offset, int limit,
                                                                int* total) = 0;
  // The aggregate cells of each institution's year; entry i answers codes[i].
  // The cost depends on the number of cells, never on the number of records.
  virtual absl::StatusOr<std::vector<YearCells>> GetYearCells(
      const std::vector<std::string>& institution_codes, int year) = 0;

  virtual absl::StatusOr<std::optional<StoredPolicy>> GetPolicy(int year) = 0;
  // Oldest first; `total` gets the number of versions.
  virtual absl::StatusOr<std::vector<v1::AccountingPolicy>> ListPolicyVersions(int year, int offset,
                                                                               int limit,
                                                                               int* total) = 0;
  // The earlier answer to a request, if any; INVALID_ARGUMENT on request_id
  // when the key was used with a different fingerprint.
  virtual absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                                const std::string& fingerprint) = 0;
  // ABORTED when the year moved past expected_version meanwhile.
  virtual absl::StatusOr<PolicyWriteOutcome> WritePolicy(const PolicyWrite& write) = 0;

  // A year's published statement: `revision`, or the latest when 0; nullopt
  // when there is no such revision.
  virtual absl::StatusOr<std::optional<v1::PublishedTrainingStatement>> GetPublishedStatement(
      int year, int revision) = 0;
  // ABORTED when another revision was published meanwhile.
  virtual absl::StatusOr<PolicyWriteOutcome> WritePublication(const PublishWrite& write) = 0;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_STORE_H_
