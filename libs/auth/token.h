#ifndef VETRACK_LIBS_AUTH_TOKEN_H_
#define VETRACK_LIBS_AUTH_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "auth/principal.h"

// Bearer tokens: who the caller is, until when, signed with a shared key.
//
//   token   = base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))
//   payload = "2|" role "|" unit "|" expiry (unix seconds) "|" key id "|"
//             base64url(holder) "|" token id
//
// The holder is the person or system the token was issued to, so the audit
// trail names who acted, not only for which unit; the token id (16 hex
// digits, random) tells two tokens of one holder apart. Tokens of version 1
// (no holder, no id) are still accepted until they expire.
//
// The gateway verifies them; vetctl and `vetctl token issue` sign them. Every
// failure is UNAUTHENTICATED, with a message that says which check failed
// but never echoes the token.
namespace vetrack {

// What a verified token says.
struct TokenClaims {
  Principal principal;
  absl::Time expiry;
  std::string key_id;
  std::string holder;    // empty for a version 1 token
  std::string token_id;  // empty for a version 1 token
};

// Whether `id` is a token id: 16 lower-case hex digits, as Sign makes them.
bool IsTokenId(absl::string_view id);

// At most this many bytes name a holder.
inline constexpr size_t kMaxTokenHolderBytes = 128;

// INVALID_ARGUMENT unless `holder` can name a token's holder: well-formed
// UTF-8 (the audit trail stores it in protobuf strings), no control
// characters (it is printed on terminals) nor invisible ones (the trail is
// searched by it), at most kMaxTokenHolderBytes.
absl::Status CheckTokenHolder(absl::string_view holder);

// Metadata key and scheme that carry a token.
inline constexpr char kAuthorizationMetadataKey[] = "authorization";
inline constexpr char kBearerPrefix[] = "Bearer ";

// The keys a process signs and verifies with. A key file holds one secret
// per line (at least 32 characters each, surrounding blanks ignored): the
// first signs, all verify, so a key can be rotated without a flag day.
class TokenKeys {
 public:
  static absl::StatusOr<TokenKeys> FromFile(const std::string& path);
  static absl::StatusOr<TokenKeys> FromSecrets(const std::vector<std::string>& secrets);

  // A token for `principal`, held by `holder`, that expires at `expiry`,
  // signed with the first key and given a fresh random id. A holder that
  // fails CheckTokenHolder makes a token that does not verify.
  std::string Sign(const Principal& principal, absl::Time expiry,
                   absl::string_view holder = "") const;
  // UNAUTHENTICATED when the token is malformed (a holder CheckTokenHolder
  // refuses, an id other than 16 lower-case hex digits), signed with a key not
  // held here, badly signed, or expired at `now`.
  absl::StatusOr<TokenClaims> Verify(absl::string_view token, absl::Time now) const;

  const std::string& signing_key_id() const { return keys_.front().id; }

 private:
  struct Key {
    std::string id;
    std::string secret;
  };
  explicit TokenKeys(std::vector<Key> keys) : keys_(std::move(keys)) {}
  const Key* FindKey(absl::string_view id) const;

  std::vector<Key> keys_;
};

// Who a token says its caller is, its signature unchecked: for a client that
// holds no key (vetctl comparing $VETRACK_TOKEN with --as), never for a
// decision. UNAUTHENTICATED when it is not of the form above.
absl::StatusOr<Principal> UnverifiedPrincipal(absl::string_view token);

// A key's id: the first 12 hex digits of SHA-256 over the secret, so a token
// names its key without revealing it.
std::string TokenKeyId(absl::string_view secret);

// Hex HMAC-SHA256 of `data` under `key`: the signature of what one process
// sends another (the exchange signs its batches with it).
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

// The token in an "authorization" value ("Bearer <token>"); UNAUTHENTICATED
// when the value is empty or of another scheme.
absl::StatusOr<absl::string_view> BearerToken(absl::string_view authorization);

}  // namespace vetrack

#endif  // VETRACK_LIBS_AUTH_TOKEN_H_
