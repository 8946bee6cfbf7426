#ifndef VETRACK_SERVICES_EXCHANGE_LEASED_DELIVERY_H_
#define VETRACK_SERVICES_EXCHANGE_LEASED_DELIVERY_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "exchange_worker.h"
#include "prometheus/counter.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "worker_lease.h"

namespace vetrack::exchange {

// The exchange process's main loop: it delivers while it holds the worker
// lease and waits (polling, logging when it starts waiting, counting the
// waits) while another worker holds it.
class LeasedDelivery {
 public:
  // `sleep` waits and returns false when the process should stop.
  LeasedDelivery(ExchangeWorker& worker, WorkerLease& lease, absl::Duration poll,
                 std::function<bool(absl::Duration)> sleep);

  // vetrack_exchange_lease_held (1 while this worker holds the lease) and
  // vetrack_exchange_lease_waits_total (polls spent waiting for it).
  void ExportMetrics(prometheus::Registry& registry);

  // Runs until `sleep` says stop, then releases the lease.
  void Run();

 private:
  // kUnsure: Redis did not answer, so this worker cannot tell who holds it.
  enum class State { kStarting, kHolding, kWaiting, kUnsure };

  // One pass; true when there may be more to deliver at once.
  bool Cycle();
  void Become(State state, const std::string& holder);

  ExchangeWorker& worker_;
  WorkerLease& lease_;
  absl::Duration poll_;
  std::function<bool(absl::Duration)> sleep_;
  State state_ = State::kStarting;
  // The lease check's failure last logged: an outage is logged when it
  // begins and when its error changes, not at every poll (found in review:
  // one line a second, 86 000 a day).
  std::string unsure_error_;
  prometheus::Gauge* held_ = nullptr;
  prometheus::Counter* waits_ = nullptr;
};

// The worker's wait between delivery attempts under the lease: sleeps in
// steps of a third of the lease's time to live, renewing it after each.
// False when `sleep` says stop, or when the lease was lost (another worker
// now owns the batch in flight).
bool SleepRenewingLease(WorkerLease& lease, absl::Duration wait,
                        const std::function<bool(absl::Duration)>& sleep);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_LEASED_DELIVERY_H_
