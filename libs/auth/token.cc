#include "auth/token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "status/errors.h"

namespace vetrack {
namespace {

constexpr char kVersion[] = "2";
// Version 1 tokens (role, unit, expiry, key id) are verified until they expire.
constexpr char kHolderlessVersion[] = "1";
constexpr size_t kMinSecretLength = 32;

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("bearer token rejected: ", why));
}

std::string Mac(const std::string& secret, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

}  // namespace

bool IsTokenId(absl::string_view id) {
  return id.size() == 16 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

absl::Status CheckTokenHolder(absl::string_view holder) {
  if (holder.size() > kMaxTokenHolderBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a holder is at most ", kMaxTokenHolderBytes, " bytes"));
  }
  if (FirstInvalidUtf8(std::string_view(holder.data(), holder.size())) != std::string::npos) {
    return absl::InvalidArgumentError("a holder is UTF-8 text");
  }
  const std::string_view text(holder.data(), holder.size());
  if (std::any_of(holder.begin(), holder.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; }) ||
      HasControlCharacters(text)) {
    return absl::InvalidArgumentError("a holder has no control characters");
  }
  // A holder is what the audit trail is searched by: one that looks like
  // 张三 must be 张三 (found in review: "\u202e三张\u200b" was taken).
  // Unicode's format characters a name could carry unseen (zero widths,
  // direction marks, invisible operators, the soft hyphen) and the blank
  // Hangul fillers; the bidirectional overrides are control characters.
  for (const char* invisible :
       {"\u00ad", "\u061c", "\u115f", "\u1160", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e",
        "\u200f", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u3164", "\ufeff", "\uffa0"}) {
    if (absl::StrContains(holder, invisible)) {
      return absl::InvalidArgumentError("a holder has no invisible characters");
    }
  }
  return absl::OkStatus();
}

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  return absl::BytesToHexString(Mac(std::string(key), data));
}

std::string TokenKeyId(absl::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(secret.data(), secret.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length))
      .substr(0, 12);
}

absl::StatusOr<TokenKeys> TokenKeys::FromSecrets(const std::vector<std::string>& secrets) {
  std::vector<Key> keys;
  for (const std::string& raw : secrets) {
    std::string secret(absl::StripAsciiWhitespace(raw));
    if (secret.empty()) continue;
    if (secret.size() < kMinSecretLength) {
      return absl::InvalidArgumentError(
          absl::StrCat("a token key must have at least ", kMinSecretLength, " characters"));
    }
    keys.push_back({TokenKeyId(secret), secret});
  }
  if (keys.empty()) return absl::InvalidArgumentError("no token key given");
  return TokenKeys(std::move(keys));
}

absl::StatusOr<TokenKeys> TokenKeys::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the token key file ", path));
  std::stringstream text;
  text << in.rdbuf();
  auto keys = FromSecrets(absl::StrSplit(text.str(), '\n'));
  if (!keys.ok()) {
    return absl::Status(keys.status().code(), absl::StrCat(path, ": ", keys.status().message()));
  }
  return keys;
}

const TokenKeys::Key* TokenKeys::FindKey(absl::string_view id) const {
  for (const Key& key : keys_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

std::string TokenKeys::Sign(const Principal& principal, absl::Time expiry,
                            absl::string_view holder) const {
  const Key& key = keys_.front();
  unsigned char id[8];
  if (RAND_bytes(id, sizeof(id)) != 1) {
    // OpenSSL's generator failing leaves no safe id to give: stop.
    std::abort();
  }
  std::string payload = absl::WebSafeBase64Escape(absl::StrCat(
      kVersion, "|", RoleName(principal.role), "|", principal.unit, "|",
      absl::ToUnixSeconds(expiry), "|", key.id, "|", absl::WebSafeBase64Escape(holder), "|",
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(id), sizeof(id)))));
  return absl::StrCat(payload, ".", absl::WebSafeBase64Escape(Mac(key.secret, payload)));
}

namespace {

// A token taken apart: the encoded payload (what the signature covers), the
// signature, and the payload's fields (version, role, unit, expiry, key id).
struct TokenParts {
  std::string signed_part;
  std::string mac;
  std::vector<std::string> fields;
};

absl::StatusOr<TokenParts> Split(absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::string payload;
  TokenParts out;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &payload) ||
      !absl::WebSafeBase64Unescape(parts[1], &out.mac)) {
    return Unauthenticated("malformed");
  }
  out.signed_part = std::string(parts[0]);
  out.fields = absl::StrSplit(payload, '|');
  const bool known = (out.fields.size() == 7 && out.fields[0] == kVersion) ||
                     (out.fields.size() == 5 && out.fields[0] == kHolderlessVersion);
  if (!known) return Unauthenticated("malformed");
  return out;
}

}  // namespace

absl::StatusOr<TokenClaims> TokenKeys::Verify(absl::string_view token, absl::Time now) const {
  auto parts = Split(token);
  if (!parts.ok()) return parts.status();
  const std::vector<std::string>& fields = parts->fields;
  // The signature is checked before anything else the payload says is used.
  const Key* key = FindKey(fields[4]);
  if (key == nullptr) return Unauthenticated("signed with an unknown key");
  std::string expected = Mac(key->secret, parts->signed_part);
  if (expected.size() != parts->mac.size() ||
      CRYPTO_memcmp(expected.data(), parts->mac.data(), parts->mac.size()) != 0) {
    return Unauthenticated("bad signature");
  }
  int64_t expiry_seconds = 0;
  if (!absl::SimpleAtoi(fields[3], &expiry_seconds)) return Unauthenticated("malformed");
  absl::Time expiry = absl::FromUnixSeconds(expiry_seconds);
  if (now >= expiry) return Unauthenticated("expired");
  auto principal = ParsePrincipal(fields[1], fields[2]);
  if (!principal.ok()) return Unauthenticated(principal.status().message());
  TokenClaims claims{*principal, expiry, key->id, "", ""};
  if (fields.size() == 7) {
    // Signed, so issued by a key holder; still checked, as whatever it says
    // goes into the audit trail and onto terminals.
    if (!absl::WebSafeBase64Unescape(fields[5], &claims.holder) ||
        !CheckTokenHolder(claims.holder).ok() || !IsTokenId(fields[6])) {
      return Unauthenticated("malformed");
    }
    claims.token_id = fields[6];
  }
  return claims;
}

absl::StatusOr<Principal> UnverifiedPrincipal(absl::string_view token) {
  auto parts = Split(token);
  if (!parts.ok()) return parts.status();
  return ParsePrincipal(parts->fields[1], parts->fields[2]);
}

absl::StatusOr<absl::string_view> BearerToken(absl::string_view authorization) {
  if (authorization.empty()) {
    return absl::UnauthenticatedError("no bearer token: send authorization: Bearer <token>");
  }
  // The scheme is case-insensitive (RFC 7235).
  if (authorization.size() <= sizeof(kBearerPrefix) - 1 ||
      !absl::EqualsIgnoreCase(authorization.substr(0, sizeof(kBearerPrefix) - 1), kBearerPrefix)) {
    return absl::UnauthenticatedError("the authorization is not a bearer token");
  }
  return absl::StripAsciiWhitespace(authorization.substr(sizeof(kBearerPrefix) - 1));
}

}  // namespace vetrack
