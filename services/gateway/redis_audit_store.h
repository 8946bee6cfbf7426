#ifndef VETRACK_SERVICES_GATEWAY_REDIS_AUDIT_STORE_H_
#define VETRACK_SERVICES_GATEWAY_REDIS_AUDIT_STORE_H_

#include <string>

#include "audit_store.h"
#include "redis/redis_client.h"

namespace vetrack::gateway {

// The trail in Redis, under `prefix` (e.g. "vt:gw:"):
//   audit:head                "sequence hash" of the last entry
//   audit:log                 a stream; entry "0-{sequence}" holds the
//                             serialized AuditEntry in field "e"
//   audit:time                sorted set: sequence by time (unix ms)
//   audit:principal:{p}       sorted set: sequences of a principal
//   audit:resource:{r}        sorted set: sequences about a resource
// An append is one Lua script that checks the head first (compare-and-set),
// so gateway replicas sharing the Redis keep one chain. Nothing is ever
// trimmed, so entries are kept at least the 180 days asked for.
class RedisAuditStore : public AuditStore {
 public:
  RedisAuditStore(redis::Client& client, std::string prefix)
      : client_(client), prefix_(std::move(prefix)) {}

  absl::StatusOr<AppendResult> Append(const ChainHead& expected,
                                      const std::vector<v1::AuditEntry>& entries) override;
  absl::StatusOr<ChainHead> Head() override;
  absl::StatusOr<std::vector<v1::AuditEntry>> Range(int64_t first, int count) override;
  absl::StatusOr<std::vector<v1::AuditEntry>> Get(const std::vector<int64_t>& sequences) override;
  absl::StatusOr<std::vector<int64_t>> Lookup(Index index, const std::string& key, int64_t first,
                                              int64_t last, int count) override;
  absl::StatusOr<std::optional<int64_t>> FirstAtOrAfter(absl::Time time) override;
  absl::StatusOr<std::optional<int64_t>> LastBefore(absl::Time time) override;
  absl::Status Ping() override { return client_.Ping(); }

  // Key names, for tests that tamper with the trail.
  std::string LogKey() const { return prefix_ + "audit:log"; }
  std::string HeadKey() const { return prefix_ + "audit:head"; }

 private:
  std::string IndexKey(Index index, const std::string& key) const;
  // The sequence the time-index query `nearest` (one member WITHSCORES)
  // lands on: the lowest (`first`) or highest of those sharing its score.
  absl::StatusOr<std::optional<int64_t>> Bound(const std::vector<std::string>& nearest, bool first);

  redis::Client& client_;
  std::string prefix_;
};

// "sequence hash" ⇄ ChainHead; an empty value is the empty chain.
std::string EncodeHead(const ChainHead& head);
absl::StatusOr<ChainHead> DecodeHead(const std::string& value);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_REDIS_AUDIT_STORE_H_
