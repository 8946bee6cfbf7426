// Token revocations (token_revocations.h): who may revoke, that the first
// revocation stands, that each replica learns of one within its refresh, and
// that the gateway's authenticator then refuses the token.
#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "audit_fixture.h"
#include "authenticator.h"
#include "status/errors.h"
#include "token_revocations.h"
#include "validation.h"

namespace vetrack::gateway {
namespace {

const std::string kSecret = "a-revocation-test-secret-of-32-characters";

class RevocationTest : public AuditTrailTest {
 protected:
  RevocationTest() : revocation_store_(redis_, "vt:gw:") { clock_.Set(kAuditStart); }

  static TokenKeys Keys() {
    auto keys = TokenKeys::FromSecrets({kSecret});
    EXPECT_TRUE(keys.ok()) << keys.status();
    return *keys;
  }

  TokenClaims Claims(const std::string& token) {
    auto claims = Keys().Verify(token, clock_.Now());
    EXPECT_TRUE(claims.ok()) << claims.status();
    return claims.ok() ? *claims : TokenClaims{};
  }

  static v1::RevokeTokenRequest Revocation(const std::string& token_id,
                                           const std::string& request_id) {
    v1::RevokeTokenRequest req;
    req.set_token_id(token_id);
    req.set_reason("离职");
    req.set_request_id(request_id);
    return req;
  }

  RedisRevocationStore revocation_store_;
};

TEST_F(RevocationTest, ARevokedTokenIsRefusedHereAtOnceAndByAnotherReplicaAfterItsRefresh) {
  AuditTrail trail(store_, clock_);
  TokenRevocations here(revocation_store_, trail, clock_);
  TokenRevocations there(revocation_store_, trail, clock_, absl::Seconds(1));
  Authenticator authenticator(Keys(), clock_);
  authenticator.RefuseRevoked(&there);

  const std::string clerk =
      Keys().Sign({Role::kDepartment, "hrss"}, kAuditStart + absl::Hours(8), "张三");
  const std::string other =
      Keys().Sign({Role::kDepartment, "hrss"}, kAuditStart + absl::Hours(8), "李四");
  const std::string bearer = "Bearer " + clerk;
  ASSERT_TRUE(authenticator.AuthenticateHeader(bearer).ok()) << "read once, none revoked";

  const std::string operator_token =
      Keys().Sign({Role::kOperator, ""}, kAuditStart + absl::Hours(1), "ops-王");
  auto revoked = here.Revoke(Claims(operator_token), Revocation(Claims(clerk).token_id, "r-1"));
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_by(), "operator");
  EXPECT_EQ(revoked->revoked_by_holder(), "ops-王");
  EXPECT_EQ(revoked->reason(), "离职");
  EXPECT_TRUE(here.IsRevoked(Claims(clerk).token_id));

  // The other replica read the list less than a refresh ago.
  EXPECT_TRUE(authenticator.AuthenticateHeader(bearer).ok());
  clock_.Advance(absl::Seconds(1));
  auto refused = authenticator.AuthenticateHeader(bearer);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("revoked"), std::string::npos) << refused.status();
  EXPECT_TRUE(authenticator.AuthenticateHeader("Bearer " + other).ok())
      << "the holder's other token is not revoked";

  // Revoking again keeps the first revocation; both are audited.
  clock_.Advance(absl::Minutes(5));
  v1::RevokeTokenRequest again = Revocation(Claims(clerk).token_id, "r-2");
  again.set_reason("另一个原因");
  auto second = here.Revoke(Claims(operator_token), again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->reason(), "离职");
  EXPECT_EQ(second->revoke_time().seconds(), revoked->revoke_time().seconds());
  v1::ListAuditEntriesRequest about;
  about.set_resource("tokens/" + Claims(clerk).token_id);
  auto entries = trail.List(kCoordinator, about);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->entries_size(), 4);
  EXPECT_EQ(entries->entries(0).kind(), v1::AUDIT_ENTRY_KIND_ATTEMPT);
  EXPECT_EQ(entries->entries(0).holder(), "ops-王");
  EXPECT_EQ(entries->entries(1).kind(), v1::AUDIT_ENTRY_KIND_OUTCOME);
  EXPECT_EQ(entries->entries(1).attempt_sequence(), entries->entries(0).sequence());
  EXPECT_EQ(entries->entries(1).code(), "OK");

  v1::ListRevokedTokensRequest list;
  auto listed = here.List(kCoordinator, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revoked_tokens_size(), 1);
  EXPECT_EQ(listed->revoked_tokens(0).token_id(), Claims(clerk).token_id);
}

TEST_F(RevocationTest, AUnitRevokesOnlyItsOwnTokenAndOnlyTheCoordinatorAndOperatorsList) {
  AuditTrail trail(store_, clock_);
  TokenRevocations revocations(revocation_store_, trail, clock_);
  const std::string mine =
      Keys().Sign({Role::kSchool, "cqvie"}, kAuditStart + absl::Hours(1), "教务处");
  const std::string theirs =
      Keys().Sign({Role::kSchool, "cqvie"}, kAuditStart + absl::Hours(1), "招生处");
  auto denied = revocations.Revoke(Claims(mine), Revocation(Claims(theirs).token_id, "r-x"));
  EXPECT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(revocations.IsRevoked(Claims(theirs).token_id));
  // The refusal is in the trail too.
  v1::ListAuditEntriesRequest about;
  about.set_resource("tokens/" + Claims(theirs).token_id);
  auto entries = trail.List(kCoordinator, about);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->entries_size(), 2);
  EXPECT_EQ(entries->entries(0).holder(), "教务处");
  EXPECT_EQ(entries->entries(1).code(), "PERMISSION_DENIED");
  auto own = revocations.Revoke(Claims(mine), Revocation(Claims(mine).token_id, "r-own"));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->revoked_by(), "school:cqvie");
  EXPECT_TRUE(revocations.IsRevoked(Claims(mine).token_id));

  EXPECT_EQ(revocations.List({Role::kSchool, "cqvie"}, {}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(revocations.List({Role::kOperator, ""}, {}).ok());
}

// Reads the ids as the store holds them, then lets `after_read` act (once)
// before they are returned: a revocation made while a replica's read is in
// flight.
class RevocationDuringRead : public RevocationStore {
 public:
  explicit RevocationDuringRead(RevocationStore& store) : store_(store) {}
  absl::StatusOr<v1::RevokedToken> Add(const v1::RevokedToken& revocation) override {
    return store_.Add(revocation);
  }
  absl::StatusOr<std::vector<v1::RevokedToken>> List() override { return store_.List(); }
  absl::StatusOr<std::vector<std::string>> RevokedIds() override {
    auto ids = store_.RevokedIds();
    if (auto act = std::exchange(after_read, nullptr)) act();
    return ids;
  }
  std::function<void()> after_read;

 private:
  RevocationStore& store_;
};

// The revoking replica refuses the token at once even when its refresh had
// read the list just before the revocation was stored: the older list must
// not put the token back.
TEST_F(RevocationTest, ARevocationMadeWhileTheListIsBeingReadStandsHere) {
  AuditTrail trail(store_, clock_);
  RevocationDuringRead store(revocation_store_);
  TokenRevocations here(store, trail, clock_);
  ASSERT_TRUE(here.Loaded().ok());
  const std::string coordinator =
      Keys().Sign({Role::kCoordinator, ""}, kAuditStart + absl::Hours(1), "科长");
  const std::string clerk =
      Keys().Sign({Role::kDepartment, "edu"}, kAuditStart + absl::Hours(1), "张三");
  const std::string clerk_id = Claims(clerk).token_id;

  clock_.Advance(absl::Seconds(1));
  store.after_read = [&] {
    ASSERT_TRUE(here.Revoke(Claims(coordinator), Revocation(clerk_id, "r-1")).ok());
  };
  EXPECT_TRUE(here.IsRevoked(clerk_id)) << "the read began before the revocation";
  EXPECT_EQ(store.after_read, nullptr) << "the refresh read the list";
  EXPECT_TRUE(here.IsRevoked(clerk_id));
  EXPECT_FALSE(here.IsRevoked(Claims(coordinator).token_id));
}

// Redis away: the copy held stands (no caller is locked out, none let in
// that was refused), a replica that never read the list is not ready, and
// once Redis is back the list is read again.
TEST_F(RevocationTest, WhileRedisIsAwayTheCopyHeldIsUsedAndAColdReplicaIsNotReady) {
  AuditTrail trail(store_, clock_);
  TokenRevocations warm(revocation_store_, trail, clock_);
  const std::string coordinator =
      Keys().Sign({Role::kCoordinator, ""}, kAuditStart + absl::Hours(1), "科长");
  const std::string clerk =
      Keys().Sign({Role::kDepartment, "edu"}, kAuditStart + absl::Hours(1), "张三");
  ASSERT_TRUE(warm.Revoke(Claims(coordinator), Revocation(Claims(clerk).token_id, "r-1")).ok());
  ASSERT_TRUE(warm.Loaded().ok());

  server_.Kill();
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(warm.IsRevoked(Claims(clerk).token_id)) << "the copy held, Redis unread";
  EXPECT_FALSE(warm.IsRevoked(Claims(coordinator).token_id));
  TokenRevocations cold(revocation_store_, trail, clock_);
  EXPECT_EQ(cold.Loaded().code(), absl::StatusCode::kUnavailable);

  server_.Start();
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(cold.Loaded().ok());
  EXPECT_TRUE(cold.IsRevoked(Claims(clerk).token_id));
}

// A version 1 token (no holder, no id) cannot be revoked by id; once every
// token has been reissued the gateway can refuse them all.
TEST_F(RevocationTest, HolderlessTokensAreRefusedOnceTheGatewayIsToldTo) {
  const std::string payload = absl::WebSafeBase64Escape(
      absl::StrCat("1|department|hrss|", absl::ToUnixSeconds(kAuditStart + absl::Hours(1)), "|",
                   TokenKeyId(kSecret)));
  const std::string v1_token = absl::StrCat(
      payload, ".",
      absl::WebSafeBase64Escape(absl::HexStringToBytes(HmacSha256Hex(kSecret, payload))));
  Authenticator authenticator(Keys(), clock_);
  ASSERT_TRUE(authenticator.AuthenticateHeader("Bearer " + v1_token).ok());
  authenticator.RefuseHolderless();
  auto refused = authenticator.AuthenticateHeader("Bearer " + v1_token);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("holder"), std::string::npos) << refused.status();
  EXPECT_TRUE(authenticator
                  .AuthenticateHeader("Bearer " + Keys().Sign({Role::kDepartment, "hrss"},
                                                              kAuditStart + absl::Hours(1), "张三"))
                  .ok());
}

// Found in review (security): a token signed for ten years was accepted, and
// only a revocation by its id would ever have stopped it.
TEST_F(RevocationTest, ATokenValidLongerThanTheGatewayAcceptsIsRefused) {
  Authenticator authenticator(Keys(), clock_);
  const std::string decade =
      "Bearer " +
      Keys().Sign({Role::kDepartment, "hrss"}, kAuditStart + absl::Hours(24 * 3650), "hrss-oa");
  const std::string month = "Bearer " + Keys().Sign({Role::kDepartment, "hrss"},
                                                    kAuditStart + absl::Hours(24 * 30), "hrss-oa");
  ASSERT_TRUE(authenticator.AuthenticateHeader(decade).ok()) << "no limit until told";
  authenticator.RefuseValidLongerThan(absl::Hours(24 * 90));
  auto refused = authenticator.AuthenticateHeader(decade);  // remembered, still checked
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("--ttl"), std::string::npos) << refused.status();
  EXPECT_TRUE(authenticator.AuthenticateHeader(month).ok());
  // A signer's clock a few minutes ahead does not refuse a token of the limit.
  const std::string at_the_limit =
      "Bearer " + Keys().Sign({Role::kDepartment, "hrss"},
                              kAuditStart + absl::Hours(24 * 90) + absl::Minutes(5), "hrss-oa");
  EXPECT_TRUE(authenticator.AuthenticateHeader(at_the_limit).ok());
  // As time passes, a token that was too long comes within the limit.
  const std::string long_one =
      "Bearer " +
      Keys().Sign({Role::kDepartment, "hrss"}, kAuditStart + absl::Hours(24 * 100), "hrss-oa");
  EXPECT_FALSE(authenticator.AuthenticateHeader(long_one).ok());
  clock_.Advance(absl::Hours(24 * 11));
  EXPECT_TRUE(authenticator.AuthenticateHeader(long_one).ok());
}

TEST_F(RevocationTest, ABadRevocationNamesItsField) {
  auto field_of = [](const absl::Status& status) {
    auto violations = FieldViolationsOf(status);
    return violations.empty() ? std::string() : violations.front().field;
  };
  EXPECT_TRUE(Validate(Revocation("0123456789abcdef", "r-1")).ok());
  EXPECT_EQ(field_of(Validate(Revocation("0123456789ABCDEF", "r-1"))), "token_id");
  EXPECT_EQ(field_of(Validate(Revocation("0123", "r-1"))), "token_id");
  EXPECT_EQ(field_of(Validate(Revocation("0123456789abcdef", ""))), "request_id");
  v1::RevokeTokenRequest no_reason = Revocation("0123456789abcdef", "r-1");
  no_reason.clear_reason();
  EXPECT_EQ(field_of(Validate(no_reason)), "reason");
  v1::ListRevokedTokensRequest negative;
  negative.set_page_size(-1);
  EXPECT_EQ(field_of(Validate(negative)), "page_size");
}

}  // namespace
}  // namespace vetrack::gateway
