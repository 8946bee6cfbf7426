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
  virtual absl::StatusOr<std::vector<v1::RevokedToken>> List() = 0;
};

// In the gateway's Redis, under `prefix`: a hash revoked-tokens, token id →
// serialized RevokedToken, written with HSETNX (the first revocation stands).
class RedisRevocationStore : public RevocationStore {
 public:
  RedisRevocationStore(redis::Client& client, std::string prefix)
      : client_(client), key_(std::move(prefix) + "revoked-tokens") {}
  absl::StatusOr<v1::RevokedToken> Add(const v1::RevokedToken& revocation) override;
  absl::StatusOr<std::vector<v1::RevokedToken>> List() override;

 private:
  redis::Client& client_;
  std::string key_;
};

// Tokens revoked before they expire. Checking a token must not cost a Redis
// round trip per call, so each replica holds the revoked ids in memory and
// reads them again when its copy is older than `refresh`: a token revoked on
// one replica is refused by every other within that time. When Redis cannot
// be read the copy held is used (and read again a refresh later), so an
// outage of the gateway's Redis does not lock every caller out.
class TokenRevocations {
 public:
  TokenRevocations(RevocationStore& store, AuditTrail& audit, const Clock& clock,
                   absl::Duration refresh = absl::Seconds(1))
      : store_(store), audit_(audit), clock_(clock), refresh_(refresh) {}

  bool IsRevoked(const std::string& token_id) const;

  // `caller` holds the token `own`. PERMISSION_DENIED unless the caller is
  // the coordinator or an operator, or revokes its own token; UNAVAILABLE
  // when the audit trail or the store cannot be written. The revocation is
  // audited (attempt, then outcome) as a change made through the gateway.
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
  mutable std::mutex mu_;
  mutable std::unordered_set<std::string> revoked_;
  mutable absl::Time read_at_ = absl::InfinitePast();
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_TOKEN_REVOCATIONS_H_
