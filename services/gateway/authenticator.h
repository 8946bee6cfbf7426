#ifndef VETRACK_SERVICES_GATEWAY_AUTHENTICATOR_H_
#define VETRACK_SERVICES_GATEWAY_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/token.h"
#include "clock/clock.h"
#include "token_revocations.h"
#include "unit_directory.h"

namespace vetrack::gateway {

// Who is calling, from the bearer token alone: x-vetrack-role and
// x-vetrack-unit sent by a caller are never read here, and never forwarded.
// A system sends the same token with every call, so tokens already verified
// are remembered (until they expire) instead of being checked again; whether
// one was revoked meanwhile is asked on every call.
class Authenticator {
 public:
  Authenticator(TokenKeys keys, const Clock& clock, size_t remembered = 4096)
      : keys_(std::move(keys)), clock_(clock), remembered_(remembered) {}

  // UNAUTHENTICATED when the call has no valid bearer token.
  absl::StatusOr<TokenClaims> Authenticate(const grpc::ServerContextBase& context) const;
  // The same from an "authorization" value (HTTP header or metadata).
  absl::StatusOr<TokenClaims> AuthenticateHeader(absl::string_view authorization) const;

  // From then on a revoked token is UNAUTHENTICATED too. Set before serving.
  void RefuseRevoked(const TokenRevocations* revocations) { revocations_ = revocations; }
  // From then on a token whose department or school the units do not list
  // as one is UNAUTHENTICATED too. Set before serving.
  void CheckUnits(const UnitDirectory* units) { units_ = units; }
  // From then on a token of version 1 (no holder, no id, so not revocable
  // but by rotating its key) is UNAUTHENTICATED. Set before serving.
  void RefuseHolderless() { refuse_holderless_ = true; }
  // From then on a token that expires more than `longest` (and a few minutes
  // of the signer's clock running ahead) after now is UNAUTHENTICATED: one
  // signed for years outlives the person or system it was given to, and
  // only a revocation by its id would stop it. Set before serving.
  void RefuseValidLongerThan(absl::Duration longest) { longest_validity_ = longest; }

 private:
  // Checked or remembered, revoked or not.
  absl::StatusOr<TokenClaims> Verified(absl::string_view authorization) const;

  TokenKeys keys_;
  const Clock& clock_;
  const size_t remembered_;
  const TokenRevocations* revocations_ = nullptr;
  const UnitDirectory* units_ = nullptr;
  bool refuse_holderless_ = false;
  absl::Duration longest_validity_ = absl::InfiniteDuration();
  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, TokenClaims> verified_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_AUTHENTICATOR_H_
