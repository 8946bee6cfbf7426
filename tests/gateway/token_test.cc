// Bearer tokens (libs/auth/token.h): what verifies and what does not.
#include "auth/token.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vetrack {
namespace {

const std::string kSecret = "a-test-secret-of-at-least-32-characters";
const std::string kOtherSecret = "another-secret-also-32-characters-long";
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 3, 1, 9, 0, 0), absl::UTCTimeZone());

TokenKeys Keys(const std::vector<std::string>& secrets) {
  auto keys = TokenKeys::FromSecrets(secrets);
  EXPECT_TRUE(keys.ok()) << keys.status();
  return *keys;
}

void ExpectRejected(const absl::StatusOr<TokenClaims>& claims, const std::string& why) {
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(claims.status().message(), why)) << claims.status();
}

TEST(TokenTest, AGoodTokenNamesItsPrincipalExpiryAndKey) {
  TokenKeys keys = Keys({kSecret});
  std::string token = keys.Sign({Role::kDepartment, "hrss"}, kNow + absl::Hours(1));
  auto claims = keys.Verify(token, kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->principal.role, Role::kDepartment);
  EXPECT_EQ(claims->principal.unit, "hrss");
  EXPECT_EQ(claims->expiry, kNow + absl::Hours(1));
  EXPECT_EQ(claims->key_id, TokenKeyId(kSecret));
  EXPECT_EQ(claims->key_id.size(), 12u);
}

TEST(TokenTest, ATokenNamesItsHolderAndHasAnIdOfItsOwn) {
  TokenKeys keys = Keys({kSecret});
  auto first =
      keys.Verify(keys.Sign({Role::kSchool, "cqvie"}, kNow + absl::Hours(1), "王五|教务处"), kNow);
  auto second =
      keys.Verify(keys.Sign({Role::kSchool, "cqvie"}, kNow + absl::Hours(1), "王五|教务处"), kNow);
  ASSERT_TRUE(first.ok() && second.ok()) << first.status() << second.status();
  EXPECT_EQ(first->holder, "王五|教务处") << "a separator in the holder is no field of its own";
  EXPECT_EQ(first->token_id.size(), 16u);
  EXPECT_NE(first->token_id, second->token_id);
  EXPECT_EQ(first->principal.ToString(), "school:cqvie");
}

// Tokens issued before holders were named keep working until they expire.
TEST(TokenTest, AVersionOneTokenStillVerifies) {
  TokenKeys keys = Keys({kSecret});
  const std::string payload = absl::WebSafeBase64Escape(absl::StrCat(
      "1|department|hrss|", absl::ToUnixSeconds(kNow + absl::Hours(1)), "|", TokenKeyId(kSecret)));
  const std::string mac = absl::HexStringToBytes(HmacSha256Hex(kSecret, payload));
  auto claims = keys.Verify(absl::StrCat(payload, ".", absl::WebSafeBase64Escape(mac)), kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->principal.ToString(), "department:hrss");
  EXPECT_TRUE(claims->holder.empty());
  EXPECT_TRUE(claims->token_id.empty());
}

// A payload signed with a held key but not of a known shape: its fields are
// not believed. (A key holder's mistake, or a signer of its own.)
TEST(TokenTest, ASignedPayloadOfAnUnknownShapeIsRefused) {
  TokenKeys keys = Keys({kSecret});
  const std::string head = absl::StrCat(
      "department|hrss|", absl::ToUnixSeconds(kNow + absl::Hours(1)), "|", TokenKeyId(kSecret));
  const std::string holder = absl::WebSafeBase64Escape("张三");
  auto signed_token = [&](const std::string& payload_text) {
    const std::string payload = absl::WebSafeBase64Escape(payload_text);
    const std::string mac = absl::HexStringToBytes(HmacSha256Hex(kSecret, payload));
    return absl::StrCat(payload, ".", absl::WebSafeBase64Escape(mac));
  };
  ASSERT_TRUE(
      keys.Verify(signed_token(absl::StrCat("2|", head, "|", holder, "|0123456789abcdef")), kNow)
          .ok())
      << "the well-formed one, for contrast";
  for (const std::string& bad : {
           absl::StrCat("3|", head, "|", holder, "|0123456789abcdef"),  // version 3
           absl::StrCat("1|", head, "|", holder, "|0123456789abcdef"),  // version 1, 7 fields
           absl::StrCat("2|", head),                                    // version 2, 5 fields
           absl::StrCat("2|", head, "|", holder, "|"),                  // no id
           absl::StrCat("2|", head, "|", holder, "|0123456789ABCDEF"),  // not lower-case hex
           absl::StrCat("2|", head, "|", holder, "|0123"),              // short id
           absl::StrCat("2|", head, "|", absl::WebSafeBase64Escape("\xff\xfe"),
                        "|0123456789abcdef"),  // not UTF-8
           absl::StrCat("2|", head, "|", absl::WebSafeBase64Escape("a\x1b[2Jb"),
                        "|0123456789abcdef"),  // a terminal escape
           absl::StrCat("2|", head, "|", absl::WebSafeBase64Escape(std::string(129, 'x')),
                        "|0123456789abcdef"),                  // too long
           absl::StrCat("2|", head, "|%%%|0123456789abcdef"),  // not base64url
       }) {
    ExpectRejected(keys.Verify(signed_token(bad), kNow), "malformed");
  }
  EXPECT_TRUE(CheckTokenHolder(std::string(128, 'x')).ok());
  EXPECT_FALSE(CheckTokenHolder(std::string(129, 'x')).ok());
  EXPECT_FALSE(CheckTokenHolder("a\tb").ok());
  EXPECT_TRUE(CheckTokenHolder("王五|教务处").ok());
  // Found in review: these looked like 张三 and were taken.
  EXPECT_FALSE(CheckTokenHolder("\u202e三张").ok());
  EXPECT_FALSE(CheckTokenHolder("张三\u200b").ok());
  EXPECT_FALSE(CheckTokenHolder("\ufeff张三").ok());
  EXPECT_FALSE(CheckTokenHolder("张三\u200e").ok());  // a left-to-right mark
  EXPECT_FALSE(CheckTokenHolder("张\u00ad三").ok());  // a soft hyphen
  EXPECT_FALSE(CheckTokenHolder("\u3164张三").ok());  // a Hangul filler
}

TEST(TokenTest, EveryRoleRoundTrips) {
  TokenKeys keys = Keys({kSecret});
  for (Role role : {Role::kCoordinator, Role::kEvaluator, Role::kExchange, Role::kOperator}) {
    auto claims = keys.Verify(keys.Sign({role, ""}, kNow + absl::Minutes(5)), kNow);
    ASSERT_TRUE(claims.ok()) << RoleName(role);
    EXPECT_EQ(claims->principal.role, role);
  }
}

TEST(TokenTest, ATokenWhoseUnitIsNotAUnitCodeIsRefused) {
  // Signing takes any principal (the key holder's mistake); verifying does not.
  TokenKeys keys = Keys({kSecret});
  ExpectRejected(keys.Verify(keys.Sign({Role::kDepartment, "区教委"}, kNow + absl::Hours(1)), kNow),
                 "not a unit code");
}

TEST(TokenTest, AnExpiredTokenIsRefused) {
  TokenKeys keys = Keys({kSecret});
  std::string token = keys.Sign({Role::kCoordinator, ""}, kNow);
  ExpectRejected(keys.Verify(token, kNow), "expired");
  ExpectRejected(keys.Verify(token, kNow + absl::Seconds(1)), "expired");
  EXPECT_TRUE(keys.Verify(token, kNow - absl::Seconds(1)).ok());
}

TEST(TokenTest, ATamperedPayloadFailsTheSignature) {
  TokenKeys keys = Keys({kSecret});
  std::string token = keys.Sign({Role::kSchool, "cqvie"}, kNow + absl::Hours(1));
  // Rewrite the payload to another school, keeping the signature.
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token.substr(0, token.find('.')), &payload));
  std::string forged = payload;
  forged.replace(forged.find("cqvie"), 5, "cqepc");
  std::string tampered = absl::WebSafeBase64Escape(forged) + token.substr(token.find('.'));
  ExpectRejected(keys.Verify(tampered, kNow), "bad signature");
  // And a flipped signature character: one inside it, since the last
  // character of 32 bytes in base64 carries bits the decoder drops.
  std::string flipped = token;
  char& inside = flipped[flipped.size() - 10];
  inside = inside == 'A' ? 'B' : 'A';
  ExpectRejected(keys.Verify(flipped, kNow), "bad signature");
}

// What a client without the key may read of a token (vetctl, to compare it
// with --as): the caller it names, not that it is genuine.
TEST(TokenTest, TheCallerATokenNamesCanBeReadWithoutTheKey) {
  std::string token = Keys({kOtherSecret}).Sign({Role::kSchool, "cqvie"}, kNow - absl::Hours(1));
  auto named = UnverifiedPrincipal(token);
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->ToString(), "school:cqvie");
  EXPECT_TRUE(absl::IsUnauthenticated(UnverifiedPrincipal("not.a-token").status()));
  EXPECT_TRUE(absl::IsUnauthenticated(UnverifiedPrincipal("").status()));
}

TEST(TokenTest, ATokenOfAnotherKeyIsRefused) {
  std::string token = Keys({kOtherSecret}).Sign({Role::kCoordinator, ""}, kNow + absl::Hours(1));
  ExpectRejected(Keys({kSecret}).Verify(token, kNow), "unknown key");
}

TEST(TokenTest, MalformedTokensAreRefused) {
  TokenKeys keys = Keys({kSecret});
  for (const std::string& token :
       {std::string(""), std::string("abc"), std::string("a.b.c"), std::string("!!!.???"),
        absl::WebSafeBase64Escape("1|x") + ".AA"}) {
    ExpectRejected(keys.Verify(token, kNow), "");
  }
}

TEST(TokenTest, ASecondKeyVerifiesSoKeysCanRotate) {
  std::string old_token = Keys({kOtherSecret}).Sign({Role::kOperator, ""}, kNow + absl::Hours(1));
  TokenKeys rotated = Keys({kSecret, kOtherSecret});
  EXPECT_TRUE(rotated.Verify(old_token, kNow).ok());
  EXPECT_EQ(rotated.signing_key_id(), TokenKeyId(kSecret));
}

TEST(TokenTest, KeysComeFromAFileOfAtLeast32Characters) {
  std::string path = ::testing::TempDir() + "/token.key";
  {
    std::ofstream out(path);
    out << "  " << kSecret << "  \n\n";
  }
  auto keys = TokenKeys::FromFile(path);
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->signing_key_id(), TokenKeyId(kSecret));
  {
    std::ofstream out(path);
    out << "short\n";
  }
  EXPECT_EQ(TokenKeys::FromFile(path).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenKeys::FromFile(path + ".missing").status().code(), absl::StatusCode::kNotFound);
  std::remove(path.c_str());
}

TEST(TokenTest, BearerValues) {
  EXPECT_EQ(*BearerToken("Bearer abc.def"), "abc.def");
  EXPECT_EQ(*BearerToken("bearer abc.def"), "abc.def");
  EXPECT_EQ(BearerToken("").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(BearerToken("Basic dXNlcjpwYXNz").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(BearerToken("Bearer ").status().code(), absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace vetrack
