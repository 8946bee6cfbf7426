#ifndef VETRACK_SERVICES_EXCHANGE_EXCHANGE_WORKER_H_
#define VETRACK_SERVICES_EXCHANGE_EXCHANGE_WORKER_H_

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "batch_sender.h"
#include "outbox_store.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace vetrack::exchange {

struct WorkerOptions {
  int batch_size = 50;
  // Attempts at a batch in its first cycle while the receiver is unavailable
  // (at least one). A batch still not taken is tried once in a later cycle,
  // and not before its backoff (doubling with each cycle) has passed: the
  // other sources' batches go out meanwhile instead of waiting behind it.
  int max_attempts = 8;
  absl::Duration initial_backoff = absl::Milliseconds(500);
  absl::Duration max_backoff = absl::Seconds(60);
  // Asked before each batch; false ends the pass (the process is stopping,
  // or the worker lost its lease:
  // renewing it here, not only between passes, keeps several slow sources
  // in one pass from outliving it).
  std::function<bool()> may_continue;
  // The time, for a deferred batch's backoff across cycles.
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

// What a redelivery of the parked batches did: those the receiver took, and
// those it refused again (they stay parked), with the last refusal's words.
struct Redelivery {
  int redelivered = 0;
  int still_parked = 0;
  std::string last_refusal;
};

// Delivers the outboxes at least once and, per source, in order: the
// checkpoint moves only after a 2xx. While the receiver is unavailable a
// batch is retried with exponential backoff and jitter, then left in flight
// for later cycles, in each of which it has one attempt once its backoff has
// passed (its source waits, the others go on); while it refuses
// the worker's credentials the source waits without retries. Only a batch
// the receiver refuses for good (a 4xx other than 401, 403, 408, 429) is
// parked, so it cannot block the rest. With the stable batch id the receiver
// turns that into exactly-once effect.
class ExchangeWorker {
 public:
  // `sleep` waits between attempts and returns false when the worker should
  // stop (then the batch stays in flight for the next run).
  ExchangeWorker(std::vector<OutboxStore*> sources, BatchSender& sender, WorkerOptions options,
                 std::function<bool(absl::Duration)> sleep);

  // Delivers (or parks) one batch from each source that has one; returns how
  // many batches it moved past. A source that fails (its outbox unreadable,
  // its checkpoint not stored, its batch deferred because the receiver is
  // unavailable or refuses the credentials) is logged and skipped; the error
  // is returned only when nothing moved, so the caller waits before the next
  // cycle.
  absl::StatusOr<int> DeliverOnce();
  // Sends every parked batch once more (same id, same body), in outbox order;
  // a batch the receiver takes leaves the dead letters, one it refuses again
  // stays. Returns how many of each; CANCELLED, saying how many were taken,
  // when `may_continue` says stop before the last; stops with the error when
  // the receiver refuses the credentials, or does not answer after the
  // retries (saying how many were taken).
  absl::StatusOr<Redelivery> RedeliverDeadLetters();

  // Counts batches by outcome (vetrack_exchange_batches_total{outcome=
  // delivered|parked|redelivered|deferred|unauthorized}: deferred while the
  // receiver is unavailable, unauthorized while it refuses the credentials,
  // once per batch and cycle) and failed attempts
  // (vetrack_exchange_failed_attempts_total) in `registry`, and after each
  // cycle how many entries each source's outbox still holds
  // (vetrack_exchange_outbox_pending{source}): how far behind the platform
  // is, which the counters cannot say.
  void ExportMetrics(prometheus::Registry& registry);

  // The wait before attempt `attempt + 1`: doubling from the initial backoff,
  // capped, with a random half of it taken off so retries spread out.
  absl::Duration Backoff(int attempt);

  // Sets vetrack_exchange_outbox_pending of every source that answers:
  // after each cycle, and by a worker waiting for the lease at each poll, so
  // a standby does not show its last value, or none, as the backlog.
  void ExportPending();

 private:
  // OK once delivered; UNAVAILABLE after `attempts` unavailable answers;
  // any other error at once, since retrying cannot change it; CANCELLED when
  // told to stop.
  absl::Status SendWithRetries(const std::string& batch_id, const std::string& body, int attempts);

  // A source's batch the receiver did not take: when it may be tried again.
  struct Deferral {
    std::string batch_id;
    int cycles = 0;
    absl::Time retry_at;
    // Cycles in a row whose credentials were refused (0 after any other
    // failure): what the refusal's log counts.
    int refused_cycles = 0;
  };

  std::vector<OutboxStore*> sources_;
  BatchSender& sender_;
  WorkerOptions options_;
  std::function<bool(absl::Duration)> sleep_;
  std::mt19937_64 random_;
  std::map<const OutboxStore*, Deferral> waiting_;      // by source
  std::map<OutboxStore*, prometheus::Gauge*> pending_;  // by source, once exported
  prometheus::Counter* delivered_ = nullptr;
  prometheus::Counter* parked_ = nullptr;
  prometheus::Counter* redelivered_ = nullptr;
  prometheus::Counter* deferred_ = nullptr;
  prometheus::Counter* unauthorized_ = nullptr;
  prometheus::Counter* failed_attempts_ = nullptr;
};

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_EXCHANGE_WORKER_H_
