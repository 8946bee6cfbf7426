#include "redis/atomic_write.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "redis/await.h"
#include "status/errors.h"

namespace vetrack::redis {
namespace {

// ARGV holds, per op, four slots: code, a1, a2, a3; KEYS[i] is op i's key.
// Phase 1 checks idempotency records and version guards, and that every key
// to be written holds what its write expects, without writing: Redis does
// not undo a script's writes when a later one fails (WRONGTYPE on a key that
// is not what the code thinks), so a commit fails before its first write or
// not at all. The reads of phase 1 check their keys' types themselves (a
// hash), so only keys nothing read are asked for theirs, once per key; a key
// new to Redis takes the type of its first write.
// A counter to be incremented must hold an integer, for the same reason.
// Phase 2 applies every write. Replies: {"ok"}, {"replay", response},
// {"reused"}, {"conflict", key, actual_version}, {"wrongtype", key, type},
// {"notinteger", key, field}.
const Script kCommitScript(R"lua(
local n = #KEYS
local holds = {P='hash', H='hash', N='hash', S='string', L='list', A='set', Z='zset', R='zset'}
local known = {}
for i = 1, n do
  local code = ARGV[4*i-3]
  if code == 'I' then
    local stored = redis.call('HMGET', KEYS[i], 'f', 'r')
    if stored[1] then
      if stored[1] == ARGV[4*i-2] then return {'replay', stored[2]} end
      return {'reused'}
    end
    known[KEYS[i]] = 'hash'
  elseif code == 'G' then
    local v = redis.call('HGET', KEYS[i], 'v') or '0'
    if v ~= ARGV[4*i-2] then return {'conflict', KEYS[i], v} end
    known[KEYS[i]] = 'hash'
  end
end
for i = 1, n do
  local want = holds[ARGV[4*i-3]]
  if want then
    local k = KEYS[i]
    local has = known[k] or redis.call('TYPE', k)['ok']
    if has == 'none' then has = want end
    if has ~= want then return {'wrongtype', k, has} end
    known[k] = has
    if ARGV[4*i-3] == 'N' then
      local v = redis.call('HGET', k, ARGV[4*i-2])
      -- As Redis reads one: no sign but '-', no leading zero, and (well
      -- inside a 64-bit integer) at most 18 digits.
      if v and v ~= '0' and not string.match(v, '^%-?[1-9]' .. string.rep('%d?', 17) .. '$') then
        return {'notinteger', k, ARGV[4*i-2]}
      end
    end
  end
end
for i = 1, n do
  local code, k, a1, a2, a3 = ARGV[4*i-3], KEYS[i], ARGV[4*i-2], ARGV[4*i-1], ARGV[4*i]
  if code == 'P' and a3 ~= '' then redis.call('HSET', k, 'v', a1, 'd', a2, a3, a2)
  elseif code == 'P' then redis.call('HSET', k, 'v', a1, 'd', a2)
  elseif code == 'S' then redis.call('SET', k, a1)
  elseif code == 'H' then redis.call('HSET', k, a1, a2)
  elseif code == 'N' then redis.call('HINCRBY', k, a1, a2)
  elseif code == 'L' then redis.call('RPUSH', k, a1)
  elseif code == 'A' then redis.call('SADD', k, a1)
  elseif code == 'Z' then redis.call('ZADD', k, a1, a2)
  elseif code == 'R' then redis.call('ZREM', k, a1)
  elseif code == 'I' then
    redis.call('HSET', k, 'f', a1, 'r', a2)
    redis.call('EXPIRE', k, a3)
  end
end
return {'ok'}
)lua");

absl::Status RequestIdReused() {
  return InvalidField("request_id", "this request_id was already used for a different request");
}

}  // namespace

void AtomicWrite::ExpectVersion(const std::string& key, int64_t expected, std::string what) {
  ops_.push_back({'G', key, std::to_string(expected), "", ""});
  guards_.emplace_back(key, std::move(what));
}
void AtomicWrite::PutVersioned(const std::string& key, int64_t version, std::string data,
                               std::string keep_as) {
  ops_.push_back({'P', key, std::to_string(version), std::move(data), std::move(keep_as)});
}
void AtomicWrite::PutGuarded(const std::string& key, int64_t expected, std::string data,
                             std::string what, std::string keep_as) {
  ExpectVersion(key, expected, std::move(what));
  PutVersioned(key, expected + 1, std::move(data), std::move(keep_as));
}
void AtomicWrite::Set(const std::string& key, std::string value) {
  ops_.push_back({'S', key, std::move(value), "", ""});
}
void AtomicWrite::HashSet(const std::string& key, const std::string& field, std::string value) {
  ops_.push_back({'H', key, field, std::move(value), ""});
}
void AtomicWrite::HashIncrBy(const std::string& key, const std::string& field, int64_t delta) {
  ops_.push_back({'N', key, field, std::to_string(delta), ""});
}
void AtomicWrite::ListAppend(const std::string& key, std::string value) {
  ops_.push_back({'L', key, std::move(value), "", ""});
}
void AtomicWrite::SetAdd(const std::string& key, std::string member) {
  ops_.push_back({'A', key, std::move(member), "", ""});
}
void AtomicWrite::SortedSetAdd(const std::string& key, double score, std::string member) {
  if (std::isnan(score) && unsendable_.empty()) unsendable_ = "a NaN score for " + key;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", score);
  ops_.push_back({'Z', key, buf, std::move(member), ""});
}
void AtomicWrite::SortedSetRemove(const std::string& key, std::string member) {
  ops_.push_back({'R', key, std::move(member), "", ""});
}
void AtomicWrite::RecordIdempotent(const std::string& key, const std::string& fingerprint,
                                   std::string response, int64_t ttl_seconds) {
  // EXPIRE with 0 or less deletes the record it has just written.
  if (ttl_seconds <= 0 && unsendable_.empty()) unsendable_ = "a TTL of 0 or less for " + key;
  ops_.push_back({'I', key, fingerprint, std::move(response), std::to_string(ttl_seconds)});
}

namespace {

// What the guard on `key` guards, as the caller named it.
std::string GuardedThing(const std::vector<std::pair<std::string, std::string>>& guards,
                         const std::string& key) {
  for (const auto& [guarded_key, what] : guards) {
    if (guarded_key == key && !what.empty()) return what;
  }
  return "what this change read";
}

absl::StatusOr<CommitResult> CommitResultFrom(
    const absl::StatusOr<Reply>& reply,
    const std::vector<std::pair<std::string, std::string>>& guards) {
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kArray || reply->elements.empty()) {
    return absl::InternalError("redis: unexpected reply from commit script");
  }
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "ok") return CommitResult{};
  if (outcome == "replay" && reply->elements.size() == 2) {
    return CommitResult{true, reply->elements[1].str};
  }
  if (outcome == "reused") return RequestIdReused();
  if (outcome == "notinteger" && reply->elements.size() == 3) {
    return absl::DataLossError(absl::StrCat("redis: field ", reply->elements[2].str, " of ",
                                            reply->elements[1].str,
                                            " is not an integer to increment; nothing of the "
                                            "change was written"));
  }
  if (outcome == "wrongtype" && reply->elements.size() == 3) {
    return absl::DataLossError(absl::StrCat("redis: ", reply->elements[1].str, " holds a ",
                                            reply->elements[2].str,
                                            " where a write expects another type; nothing of the "
                                            "change was written"));
  }
  if (outcome == "conflict" && reply->elements.size() == 3) {
    return WithReason(absl::AbortedError(absl::StrCat(
                          "concurrent modification: ", GuardedThing(guards, reply->elements[1].str),
                          " changed since it was read; read it again and retry")),
                      "STALE_ETAG");
  }
  return absl::InternalError(absl::StrCat("redis: commit script said ", outcome));
}

}  // namespace

void CommitAsync(Client& client, const AtomicWrite& write, CommitCallback done,
                 BatchSender sender) {
  if (!write.unsendable_.empty()) {
    done(absl::InternalError("redis: not committed, the write holds " + write.unsendable_));
    return;
  }
  std::vector<std::string> keys;
  std::vector<std::string> args;
  keys.reserve(write.ops_.size());
  args.reserve(write.ops_.size() * 4);
  for (const auto& op : write.ops_) {
    keys.push_back(op.key);
    args.push_back(std::string(1, op.code));
    args.push_back(op.a1);
    args.push_back(op.a2);
    args.push_back(op.a3);
  }
  client.EvalAsync(
      kCommitScript, keys, args,
      [done = std::move(done), guards = write.guards_](absl::StatusOr<Reply> reply) {
        done(CommitResultFrom(reply, guards));
      },
      sender);
}

absl::StatusOr<CommitResult> Commit(Client& client, const AtomicWrite& write) {
  return Await<absl::StatusOr<CommitResult>>(
      [&](CommitCallback done) { CommitAsync(client, write, std::move(done)); });
}

namespace {

std::vector<std::string> GetVersionedCommand(const std::string& key) {
  return {"HMGET", key, "v", "d"};
}

std::optional<Versioned> VersionedFromReply(const Reply& reply) {
  if (reply.elements.size() != 2 || reply.elements[0].is_nil()) return std::nullopt;
  return Versioned{std::stoll(reply.elements[0].str), reply.elements[1].str};
}

std::vector<std::string> LookupIdempotentCommand(const std::string& key) {
  return {"HMGET", key, "f", "r"};
}

absl::StatusOr<std::optional<std::string>> AnswerFromReply(const Reply& reply,
                                                           const std::string& fingerprint) {
  if (reply.elements.size() != 2 || reply.elements[0].is_nil()) {
    return std::optional<std::string>();
  }
  if (reply.elements[0].str != fingerprint) return RequestIdReused();
  return std::optional<std::string>(reply.elements[1].str);
}

}  // namespace

absl::StatusOr<std::vector<std::optional<Versioned>>> GetVersionedMany(
    Client& client, const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(keys.size());
  for (const auto& key : keys) commands.push_back(GetVersionedCommand(key));
  std::vector<std::optional<Versioned>> out;
  if (keys.empty()) return out;
  auto replies = client.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  out.reserve(keys.size());
  for (const auto& r : *replies) out.push_back(VersionedFromReply(r));
  return out;
}

absl::StatusOr<std::optional<Versioned>> GetVersioned(Client& client, const std::string& key) {
  auto many = GetVersionedMany(client, {key});
  if (!many.ok()) return many.status();
  return std::move(many->front());
}

absl::StatusOr<std::vector<std::optional<std::string>>> GetKept(
    Client& client, const std::string& key, const std::vector<std::string>& fields) {
  std::vector<std::optional<std::string>> out;
  if (fields.empty()) return out;
  std::vector<std::string> command = {"HMGET", key};
  command.insert(command.end(), fields.begin(), fields.end());
  auto reply = client.Command(command);
  if (!reply.ok()) return reply.status();
  if (reply->type != Reply::Type::kArray || reply->elements.size() != fields.size()) {
    return absl::DataLossError(absl::StrCat("HMGET of ", key, " did not answer each field"));
  }
  for (const Reply& field : reply->elements) {
    if (field.is_nil()) {
      out.emplace_back();
    } else {
      out.emplace_back(field.str);
    }
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> LookupIdempotent(Client& client, const std::string& key,
                                                            const std::string& fingerprint) {
  auto reply = client.Command(LookupIdempotentCommand(key));
  if (!reply.ok()) return reply.status();
  return AnswerFromReply(*reply, fingerprint);
}

absl::StatusOr<AnswerAndEntities> LookupIdempotentWith(Client& client, const std::string& key,
                                                       const std::string& fingerprint,
                                                       const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> commands = {LookupIdempotentCommand(key)};
  for (const auto& k : keys) commands.push_back(GetVersionedCommand(k));
  auto replies = client.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  AnswerAndEntities out;
  auto answer = AnswerFromReply(replies->front(), fingerprint);
  if (!answer.ok()) return answer.status();
  out.answer = *std::move(answer);
  for (size_t i = 1; i < replies->size(); ++i) {
    out.entities.push_back(VersionedFromReply((*replies)[i]));
  }
  return out;
}

std::string Fingerprint(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace vetrack::redis
