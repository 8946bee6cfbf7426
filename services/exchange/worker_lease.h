#ifndef VETRACK_SERVICES_EXCHANGE_WORKER_LEASE_H_
#define VETRACK_SERVICES_EXCHANGE_WORKER_LEASE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redis/redis_client.h"

namespace vetrack::exchange {

// Where the lease lives, in the worker's own Redis (--redis).
inline constexpr char kLeaseKey[] = "vt:ex:lease";

// The exchange runs as a single replica: the checkpoint of each outbox must
// have one writer. The lease makes that hold even when two workers are
// started by mistake (a rollout overlapping the old pod, an operator running
// one by hand): only the holder delivers; another waits until the lease is
// released or expires.
//
// The lease is a Redis string holding the owner's id with a time to live,
// taken with SET NX PX and kept by renewing it (compare-and-renew in Lua)
// well inside that time. A holder that dies without releasing it is
// replaced once its lease expires.
class WorkerLease {
 public:
  WorkerLease(redis::Client& client, std::string owner, absl::Duration ttl);

  // Renews the lease if this worker holds it, else takes it if it is free.
  // True while this worker holds it.
  absl::StatusOr<bool> Hold();
  // Gives the lease up if this worker still holds it, so another worker can
  // take over at once.
  absl::Status Release();
  // The id of the worker holding the lease; "" when nobody does.
  absl::StatusOr<std::string> Holder();

  const std::string& owner() const { return owner_; }
  absl::Duration ttl() const { return ttl_; }

 private:
  redis::Client& client_;
  std::string owner_;
  absl::Duration ttl_;
};

// An id unique to this process run: host, pid and a random part.
std::string NewLeaseOwnerId();

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_WORKER_LEASE_H_
