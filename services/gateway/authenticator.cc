#include "authenticator.h"

#include "absl/strings/str_cat.h"

namespace vetrack::gateway {

absl::StatusOr<TokenClaims> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kAuthorizationMetadataKey);
  if (it == metadata.end()) return AuthenticateHeader("");
  return AuthenticateHeader(absl::string_view(it->second.data(), it->second.size()));
}

absl::StatusOr<TokenClaims> Authenticator::AuthenticateHeader(
    absl::string_view authorization) const {
  auto claims = Verified(authorization);
  if (!claims.ok()) return claims;
  if (refuse_holderless_ && claims->token_id.empty()) {
    return absl::UnauthenticatedError(
        "bearer token rejected: it names no holder; ask for a new one (vetctl token issue "
        "--holder)");
  }
  // The signer's clock may run a little ahead of this one.
  constexpr absl::Duration kSignerClockSkew = absl::Minutes(10);
  if (longest_validity_ != absl::InfiniteDuration() &&
      claims->expiry > clock_.Now() + longest_validity_ + kSignerClockSkew) {
    return absl::UnauthenticatedError(
        absl::StrCat("bearer token rejected: it is valid until ", absl::FormatTime(claims->expiry),
                     ", longer than this gateway accepts (", longest_validity_ / absl::Hours(24),
                     " days from now); ask for one with a shorter --ttl"));
  }
  if (revocations_ != nullptr && !claims->token_id.empty() &&
      revocations_->IsRevoked(claims->token_id)) {
    return absl::UnauthenticatedError("bearer token rejected: revoked");
  }
  if (units_ != nullptr) {
    if (absl::Status named = units_->Check(claims->principal); !named.ok()) return named;
  }
  return claims;
}

absl::StatusOr<TokenClaims> Authenticator::Verified(absl::string_view authorization) const {
  auto token = BearerToken(authorization);
  if (!token.ok()) return token.status();
  const absl::Time now = clock_.Now();
  std::string key(*token);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = verified_.find(key);
    if (it != verified_.end() && now < it->second.expiry) return it->second;
  }
  auto claims = keys_.Verify(*token, now);
  if (!claims.ok()) return claims.status();
  std::lock_guard<std::mutex> lock(mu_);
  // Expired entries go when the table is full, all at once: cheaper than an
  // LRU list on every call, and a refilled table costs one verification each.
  if (verified_.size() >= remembered_) verified_.clear();
  verified_.emplace(std::move(key), *claims);
  return claims;
}

}  // namespace vetrack::gateway
