#ifndef VETRACK_SERVICES_EXCHANGE_OUTBOX_STORE_H_
#define VETRACK_SERVICES_EXCHANGE_OUTBOX_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "redis/redis_client.h"

namespace vetrack::exchange {

// Entries [first, end) of one source's outbox, as delivered in one POST.
struct Batch {
  std::string source;
  int64_t first = 0;
  int64_t end = 0;
  // Stable: derived from the source, the range and the entries, so every
  // redelivery of the same entries carries the same id.
  std::string id;
  std::string body;
};

// The worker's view of one source's outbox (libs/exchange/outbox.h), kept in
// the source's Redis: a checkpoint (entries delivered or parked), the end of
// the batch in flight, and the parked batches. One worker per source writes
// it.
class OutboxStore {
 public:
  OutboxStore(redis::Client& client, std::string source);

  const std::string& source() const { return source_; }

  // The batch in flight if a delivery was cut short (same entries, same id),
  // else up to `max_entries` entries after the checkpoint, which then become
  // the batch in flight; nullopt when everything has been delivered.
  absl::StatusOr<std::optional<Batch>> NextBatch(int max_entries);
  // Moves the checkpoint past `batch`; call only after the receiver took it.
  // ABORTED when `batch` is no longer the one in flight (another worker
  // moved on meanwhile): nothing changes.
  absl::Status MarkDelivered(const Batch& batch);
  // Parks `batch` as a dead letter and moves the checkpoint past it, so the
  // outbox behind it keeps flowing. ABORTED as MarkDelivered.
  absl::Status ParkDeadLetter(const Batch& batch);

  // Parked batches (id, body) in outbox order, so a redelivery sends older
  // entries first.
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> DeadLetters();
  absl::Status RemoveDeadLetter(const std::string& batch_id);
  // Batches parked since the outbox began (redelivered ones included).
  absl::StatusOr<int64_t> DeadLettersParked();
  // Entries delivered or parked so far.
  absl::StatusOr<int64_t> Checkpoint();
  // Entries after the checkpoint: not yet delivered nor parked.
  absl::StatusOr<int64_t> Pending();

 private:
  absl::StatusOr<Batch> Read(int64_t first, int64_t end);
  absl::Status MoveCheckpoint(const Batch& batch, bool park);

  redis::Client& client_;
  std::string source_;
  std::string outbox_key_;
  std::string state_key_;
  std::string dead_key_;
};

// The JSON body of a batch: the envelope plus the entries as stored.
std::string BatchBody(const std::string& source, const std::string& batch_id,
                      const std::vector<std::string>& entries);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_OUTBOX_STORE_H_
