#ifndef VETRACK_SERVICES_GATEWAY_AUDIT_STORE_H_
#define VETRACK_SERVICES_GATEWAY_AUDIT_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit_chain.h"
#include "vetrack/gateway/v1/gateway.pb.h"

namespace vetrack::gateway {

// How far apart the gateway replicas' clocks (and the store's) may be; NTP
// keeps them far closer.
inline constexpr absl::Duration kAuditClockSkew = absl::Minutes(1);

// Where the audit trail lives. Entries are only ever appended, never changed
// or trimmed; lookups by principal and by resource go through indexes of
// entry sequences kept with them.
class AuditStore {
 public:
  virtual ~AuditStore() = default;

  struct AppendResult {
    // False when the chain had moved on from `expected` (another gateway
    // appended first): nothing was written and `head` is the current head.
    bool appended = false;
    ChainHead head;
  };
  // Appends `entries` (already linked to `expected`, in order) and makes the
  // last one the head, all at once, only if the head is still `expected`.
  virtual absl::StatusOr<AppendResult> Append(const ChainHead& expected,
                                              const std::vector<v1::AuditEntry>& entries) = 0;
  virtual absl::StatusOr<ChainHead> Head() = 0;

  // Up to `count` entries from sequence `first` on, in order.
  virtual absl::StatusOr<std::vector<v1::AuditEntry>> Range(int64_t first, int count) = 0;
  virtual absl::StatusOr<std::vector<v1::AuditEntry>> Get(
      const std::vector<int64_t>& sequences) = 0;

  enum class Index { kPrincipal, kResource };
  // Up to `count` sequences in the index for `key`, in [first, last], in order.
  virtual absl::StatusOr<std::vector<int64_t>> Lookup(Index index, const std::string& key,
                                                      int64_t first, int64_t last, int count) = 0;
  // Bounds for a time range, at millisecond grain (callers filter exactly):
  // the first sequence written at or after `time` (nullopt: none), and the
  // last written at or before it. Times are indexed as never going back: an
  // entry stamped by a replica whose clock is behind counts as written at
  // the newest time before it, and an entry stamped further ahead of the
  // store's clock than kAuditClockSkew at the store's clock plus the skew. So
  // an entry is indexed at most twice the skew after its own time, and a
  // caller's end bound should allow for that.
  virtual absl::StatusOr<std::optional<int64_t>> FirstAtOrAfter(absl::Time time) = 0;
  virtual absl::StatusOr<std::optional<int64_t>> LastBefore(absl::Time time) = 0;

  virtual absl::Status Ping() = 0;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_AUDIT_STORE_H_
