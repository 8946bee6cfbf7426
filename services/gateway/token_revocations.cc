#include "token_revocations.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "log/log.h"
#include "paging/paging.h"
#include "status/errors.h"

namespace vetrack::gateway {
namespace {

constexpr char kRevokeMethod[] = "/vetrack.gateway.v1.GatewayService/RevokeToken";

// Stores the revocation only if the hash has none for the token, and returns
// the one that stands, in one step.
const redis::Script& AddScript() {
  static const auto* script = new redis::Script(R"lua(
    if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return ARGV[2] end
    return redis.call('HGET', KEYS[1], ARGV[1])
  )lua");
  return *script;
}

absl::StatusOr<v1::RevokedToken> Parse(const std::string& bytes) {
  v1::RevokedToken revocation;
  if (!revocation.ParseFromString(bytes)) {
    return absl::DataLossError("a stored token revocation cannot be parsed");
  }
  return revocation;
}

}  // namespace

absl::StatusOr<v1::RevokedToken> RedisRevocationStore::Add(const v1::RevokedToken& revocation) {
  auto reply =
      client_.Eval(AddScript(), {key_}, {revocation.token_id(), revocation.SerializeAsString()});
  if (!reply.ok()) return reply.status();
  return Parse(reply->str);
}

absl::StatusOr<std::vector<v1::RevokedToken>> RedisRevocationStore::List() {
  auto reply = client_.Command({"HVALS", key_});
  if (!reply.ok()) return reply.status();
  std::vector<v1::RevokedToken> all;
  for (const auto& element : reply->elements) {
    auto revocation = Parse(element.str);
    if (!revocation.ok()) {
      LogError("a stored token revocation is left out",
               {{"error", revocation.status().ToString()}});
      continue;
    }
    all.push_back(*std::move(revocation));
  }
  return all;
}

absl::StatusOr<std::vector<std::string>> RedisRevocationStore::RevokedIds() {
  auto reply = client_.Command({"HKEYS", key_});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (auto& element : reply->elements) ids.push_back(std::move(element.str));
  return ids;
}

bool TokenRevocations::Refresh() const {
  auto ids = store_.RevokedIds();
  std::lock_guard<std::mutex> lock(mu_);
  reading_ = false;
  // Failed or not, the next read is a refresh after this one ended.
  read_at_ = clock_.Now();
  if (!ids.ok()) {
    LogWarn("token revocations not read; the copy held is used",
            {{"error", ids.status().ToString()}});
    return false;
  }
  // Merged, not replaced: a revocation is never taken back, and one this
  // replica made while the read was in flight may be missing from what it read.
  revoked_.insert(ids->begin(), ids->end());
  loaded_ = true;
  return true;
}

bool TokenRevocations::IsRevoked(const std::string& token_id) const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool stale = clock_.Now() - read_at_ >= refresh_;
    if (!stale || reading_) return revoked_.count(token_id) > 0;
    reading_ = true;
  }
  Refresh();
  std::lock_guard<std::mutex> lock(mu_);
  return revoked_.count(token_id) > 0;
}

absl::Status TokenRevocations::Loaded() const {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (loaded_) return absl::OkStatus();
    if (reading_) return absl::UnavailableError("token revocations being read");
    reading_ = true;
  }
  if (Refresh()) return absl::OkStatus();
  return absl::UnavailableError("token revocations not read yet");
}

absl::StatusOr<v1::RevokedToken> TokenRevocations::Revoke(const TokenClaims& caller,
                                                          const v1::RevokeTokenRequest& req) {
  v1::AuditEntry attempt;
  attempt.set_kind(v1::AUDIT_ENTRY_KIND_ATTEMPT);
  SetCaller(caller, &attempt);
  attempt.set_method(kRevokeMethod);
  attempt.set_resource(absl::StrCat("tokens/", req.token_id()));
  attempt.set_request_id(req.request_id());
  // Recorded before anything is decided, as every change is: a refused
  // revocation is in the trail too.
  auto attempted = audit_.AppendAndWait(attempt);
  if (!attempted.ok()) return attempted.status();
  v1::AuditEntry outcome = attempt;
  outcome.set_kind(v1::AUDIT_ENTRY_KIND_OUTCOME);
  outcome.set_attempt_sequence(*attempted);
  auto finish = [&](const absl::Status& status) {
    // "OK", "PERMISSION_DENIED": as the forwarded changes' outcomes say.
    outcome.set_code(absl::AsciiStrToUpper(absl::StatusCodeToString(status.code())));
    if (auto recorded = audit_.AppendAndWait(outcome); !recorded.ok()) {
      LogWarn("a token revocation's outcome was not audited",
              {{"token_id", req.token_id()}, {"error", recorded.status().ToString()}});
    }
  };

  const Role role = caller.principal.role;
  if (role != Role::kCoordinator && role != Role::kOperator && caller.token_id != req.token_id()) {
    absl::Status denied = absl::PermissionDeniedError(absl::StrCat(
        caller.principal.ToString(),
        " may revoke only the token it calls with: the coordinator and operators revoke any"));
    finish(denied);
    return denied;
  }
  v1::RevokedToken revocation;
  revocation.set_token_id(req.token_id());
  revocation.set_reason(req.reason());
  revocation.set_revoked_by(caller.principal.ToString());
  revocation.set_revoked_by_holder(caller.holder);
  *revocation.mutable_revoke_time() = TimeToProto(clock_.Now());
  auto stored = store_.Add(revocation);
  finish(stored.status());
  if (!stored.ok()) return stored.status();
  // Also outside Redis: a restore of an earlier snapshot takes the
  // revocation back, and the log is where the operator finds it to make again.
  LogInfo("token revoked", {{"token_id", stored->token_id()}, {"by", stored->revoked_by()}});
  {
    // This replica refuses it at once, not a refresh later.
    std::lock_guard<std::mutex> lock(mu_);
    revoked_.insert(req.token_id());
  }
  return stored;
}

absl::StatusOr<v1::ListRevokedTokensResponse> TokenRevocations::List(
    const Principal& caller, const v1::ListRevokedTokensRequest& req) {
  if (caller.role != Role::kCoordinator && caller.role != Role::kOperator) {
    return absl::PermissionDeniedError(absl::StrCat(
        caller.ToString(), " may not list revoked tokens: the coordinator and operators do"));
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  auto all = store_.List();
  if (!all.ok()) return all.status();
  std::sort(all->begin(), all->end(), [](const v1::RevokedToken& a, const v1::RevokedToken& b) {
    const absl::Time at = TimeFromProto(a.revoke_time()), bt = TimeFromProto(b.revoke_time());
    return at != bt ? at > bt : a.token_id() < b.token_id();
  });
  const int total = static_cast<int>(all->size());
  v1::ListRevokedTokensResponse response;
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    *response.add_revoked_tokens() = std::move((*all)[i]);
  }
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

}  // namespace vetrack::gateway
