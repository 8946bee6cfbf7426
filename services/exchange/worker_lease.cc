#include "worker_lease.h"

#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace vetrack::exchange {
namespace {

// Extends the lease only for its owner: a worker whose lease expired and
// was taken over must not extend the new holder's.
const redis::Script& RenewScript() {
  static const auto* script = new redis::Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
)lua");
  return *script;
}

const redis::Script& ReleaseScript() {
  static const auto* script = new redis::Script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return *script;
}

}  // namespace

WorkerLease::WorkerLease(redis::Client& client, std::string owner, absl::Duration ttl)
    : client_(client), owner_(std::move(owner)), ttl_(ttl) {}

absl::StatusOr<bool> WorkerLease::Hold() {
  const std::string ttl_ms = std::to_string(absl::ToInt64Milliseconds(ttl_));
  // Renewing first also recognises a lease this worker took with a SET whose
  // answer was lost (the client retries a failed command once).
  auto renewed = client_.Eval(RenewScript(), {kLeaseKey}, {owner_, ttl_ms});
  if (!renewed.ok()) return renewed.status();
  if (renewed->integer == 1) return true;
  auto taken = client_.Command({"SET", kLeaseKey, owner_, "NX", "PX", ttl_ms});
  if (!taken.ok()) return taken.status();
  return !taken->is_nil();
}

absl::Status WorkerLease::Release() {
  return client_.Eval(ReleaseScript(), {kLeaseKey}, {owner_}).status();
}

absl::StatusOr<std::string> WorkerLease::Holder() {
  auto holder = client_.Command({"GET", kLeaseKey});
  if (!holder.ok()) return holder.status();
  return holder->is_nil() ? std::string() : holder->str;
}

std::string NewLeaseOwnerId() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device random;
  return absl::StrCat(host, "/", getpid(), "/", absl::StrFormat("%08x", random()));
}

}  // namespace vetrack::exchange
