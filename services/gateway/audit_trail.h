#ifndef VETRACK_SERVICES_GATEWAY_AUDIT_TRAIL_H_
#define VETRACK_SERVICES_GATEWAY_AUDIT_TRAIL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/status/statusor.h"
#include "audit_chain.h"
#include "audit_store.h"
#include "auth/principal.h"
#include "auth/token.h"
#include "clock/clock.h"
#include "vetrack/gateway/v1/gateway.pb.h"

namespace vetrack::gateway {

struct AuditOptions {
  // Entries written by one append at most (group commit under load).
  int max_batch = 64;
  // Appends retried when another gateway moved the chain on meanwhile.
  int max_conflicts = 50;
  // Entries looked at by one ListAuditEntries call at most.
  int max_scan = 5000;
  // Entries a verification reads from the store at once; its deadline is
  // looked at between reads.
  int verify_batch = 1000;
  // Told how many entries a failed write lost (their changes were refused or
  // their outcomes are missing), e.g. to count them on /metrics.
  std::function<void(int entries)> on_write_failed;
  // Told the head after the first write and then after a write at least
  // checkpoint_interval after the last one told, e.g. to log it: logs kept
  // outside the gateway's Redis are anchors for VerifyAuditChain, which a
  // rewrite of the (unkeyed) chain in Redis cannot reach.
  std::function<void(const ChainHead& head)> on_checkpoint;
  absl::Duration checkpoint_interval = absl::Minutes(10);
};

// The audit trail's domain: entries are chained and appended by one writer
// thread, which takes whatever has queued up and appends it in one
// compare-and-set step (so an fsync is shared by concurrent calls). No gRPC
// here; errors are absl::Status.
class AuditTrail {
 public:
  AuditTrail(AuditStore& store, const Clock& clock, AuditOptions options = {});
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // Called on the writer thread with the entry's sequence once it is stored,
  // or UNAVAILABLE when it could not be.
  using Done = std::function<void(absl::StatusOr<int64_t> sequence)>;
  // Queues `entry` (time, sequence and hashes are set when it is written).
  void Append(v1::AuditEntry entry, Done done);
  absl::StatusOr<int64_t> AppendAndWait(v1::AuditEntry entry);

  // Coordinator and operator only.
  absl::StatusOr<v1::ListAuditEntriesResponse> List(const Principal& caller,
                                                    const v1::ListAuditEntriesRequest& req);
  // One page of the chain's verification (VerifyAuditChainRequest says
  // how); stops with a next_page_token at answer_by.
  absl::StatusOr<v1::VerifyAuditChainResponse> Verify(
      const Principal& caller, const v1::VerifyAuditChainRequest& req = {},
      absl::Time answer_by = absl::InfiniteFuture());

  absl::Status Ping() { return store_.Ping(); }

 private:
  struct Pending {
    v1::AuditEntry entry;
    Done done;
  };
  void WriterLoop();
  void Write(std::vector<Pending>& batch);
  absl::Status WriteOnce(std::vector<Pending>& batch, bool* conflict);
  // Fails `verifier` unless the trail holds `anchor` unchanged; an error
  // only when the store cannot say.
  absl::Status ConfirmAnchor(const ChainHead& anchor, ChainVerifier& verifier);

  AuditStore& store_;
  const Clock& clock_;
  AuditOptions options_;

  std::mutex mu_;
  std::condition_variable queued_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  // The head as last seen; only the writer thread touches it.
  std::optional<ChainHead> head_;
  // When on_checkpoint was last told; only the writer thread touches it.
  absl::Time last_checkpoint_ = absl::InfinitePast();
  std::thread writer_;
};

// The audit trail's readers.
absl::Status CheckCanReadAudit(const Principal& caller);

// Sets who made the call an entry records: principal, signing key, holder
// and token id.
void SetCaller(const TokenClaims& caller, v1::AuditEntry* entry);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_AUDIT_TRAIL_H_
