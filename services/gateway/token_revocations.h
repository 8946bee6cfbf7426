#ifndef VETRACK_SERVICES_GATEWAY_TOKEN_REVOCATIONS_H_
#define VETRACK_SERVICES_GATEWAY_TOKEN_REVOCATIONS_H_

#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "audit_trail.h"
#include "auth/token.h"
#include "clock/clock.h"
#include "redis/redis_client.h"
#include "vetrack/gateway/v1/gateway.pb.h"

namespace vetrack::gateway {

// Where revocations are kept: shared by the gateway's replicas.
class RevocationStore {
 public:
  virtual ~RevocationStore() = default;
  // Stores `revocation` unless its token was revoked already; either way
  // returns the revocation that stands.
  virtual absl::StatusOr<v1::RevokedToken> Add(const v1::RevokedToken& revocation) = 0;
  // Every revocation; one that cannot be read is left out (and logged), so
  // one damaged value does not hide the others.
  virtual absl::StatusOr<std::vector<v1::RevokedToken>> List() = 0;
  // The ids alone: what every replica reads each refresh.
  virtual absl::StatusOr<std::vector<std::string>> RevokedIds() = 0;
};

// In the gateway's Redis, under `prefix`: a hash revoked-tokens, token id →
// serialized RevokedToken, written with HSETNX (the first revocation stands).
class RedisRevocationStore : public RevocationStore {
 public:
  RedisRevocationStore(redis::Client& client, std::string prefix)
      : client_(client), key_(std::move(prefix) + "revoked-tokens") {}
  absl::StatusOr<v1::RevokedToken> Add(const v1::RevokedToken& revocation) override;
  absl::StatusOr<std::vector<v1::RevokedToken>> List() override;
  absl::StatusOr<std::vector<std::string>> RevokedIds() override;

 private:
  redis::Client& client_;
  std::string key_;
};

// Tokens revoked before they expire. Checking a token must not cost a Redis
// round trip per call, so each replica holds the revoked ids in memory and
// reads them again when its copy is older than `refresh`: a token revoked on
// one replica is refused by every other within that time (and the read's).
// One call a refresh does the read, outside the lock; the others meanwhile
// check the copy held; a read adds to the copy, since a revocation is never
// taken back. When Redis cannot be read the copy held is used, so an outage
// of the gateway's Redis does not lock every caller out; a replica that has
// never read the list is not ready (Loaded), so it gets no calls.
class TokenRevocations {
 public:
  TokenRevocations(RevocationStore& store, AuditTrail& audit, const Clock& clock,
                   absl::Duration refresh = absl::Seconds(1))
      : store_(store), audit_(audit), clock_(clock), refresh_(refresh) {}

  bool IsRevoked(const std::string& token_id) const;
  // OK once the list has been read (readiness); reads it if not.
  absl::Status Loaded() const;

  // PERMISSION_DENIED unless `caller` is the coordinator or an operator, or
  // revokes the token it calls with; UNAVAILABLE when the audit trail or the
  // store cannot be written. Audited (attempt, then outcome, a refusal too)
  // as a change made through the gateway.
  absl::StatusOr<v1::RevokedToken> Revoke(const TokenClaims& caller,
                                          const v1::RevokeTokenRequest& req);
  // Coordinator and operator only; newest first.
  absl::StatusOr<v1::ListRevokedTokensResponse> List(const Principal& caller,
                                                     const v1::ListRevokedTokensRequest& req);

 private:
  RevocationStore& store_;
  AuditTrail& audit_;
  const Clock& clock_;
  const absl::Duration refresh_;
  // Reads the list now; true when it could.
  bool Refresh() const;

  mutable std::mutex mu_;
  mutable std::unordered_set<std::string> revoked_;
  mutable absl::Time read_at_ = absl::InfinitePast();  // when the last read ended
  mutable bool reading_ = false;
  mutable bool loaded_ = false;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_TOKEN_REVOCATIONS_H_
