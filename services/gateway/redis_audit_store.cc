#include "redis_audit_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vetrack::gateway {
namespace {

// KEYS: head, log, time index, then per entry its principal index and the
// index of each resource it names. ARGV: expected head, new head, entry
// count, the clock skew allowed (ms), then per entry its sequence, bytes,
// time (ms) and how many resources it names. The time index never goes back (a replica
// whose clock is behind is indexed at the newest time so far), so its order is
// the sequence's and a time bound is a sequence bound; and no entry is indexed
// later than Redis's own clock plus the skew, so one replica whose clock runs
// far ahead cannot push everyone's entries out of their time ranges.
const redis::Script& AppendScript() {
  static const auto* script = new redis::Script(R"lua(
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then return {0, head} end
local n = tonumber(ARGV[3])
local now = redis.call('TIME')
local latest = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + tonumber(ARGV[4])
local newest = redis.call('ZREVRANGE', KEYS[3], 0, 0, 'WITHSCORES')
local floor = tonumber(newest[2] or '0')
-- Redis does not undo a script's writes when a later one fails: an index of
-- another type (a corrupted store) must stop the append before its first
-- write, or the log would hold entries its head does not, and every later
-- append would fail on their sequence. The log's type and the order of its
-- ids are checked by the first XADD, the time index's by ZREVRANGE.
for k = 4, #KEYS do
  local has = redis.call('TYPE', KEYS[k])['ok']
  if has ~= 'none' and has ~= 'zset' then
    return redis.error_reply('WRONGTYPE ' .. KEYS[k] .. ' holds a ' .. has ..
                             '; nothing was appended')
  end
end
local k = 4
for i = 0, n - 1 do
  local a = 5 + i * 4
  local seq = ARGV[a]
  redis.call('XADD', KEYS[2], '0-' .. seq, 'e', ARGV[a + 1])
  floor = math.max(floor, math.min(tonumber(ARGV[a + 2]), latest))
  redis.call('ZADD', KEYS[3], floor, seq)
  -- Its principal's index, then the index of each resource it names.
  for j = 0, tonumber(ARGV[a + 3]) do
    redis.call('ZADD', KEYS[k], seq, seq)
    k = k + 1
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return {1, ARGV[2]}
)lua");
  return *script;
}

absl::StatusOr<std::vector<v1::AuditEntry>> ParseStreamEntries(const redis::Reply& reply) {
  std::vector<v1::AuditEntry> out;
  for (const auto& item : reply.elements) {
    // [id, [field, value, …]]
    if (item.elements.size() != 2) return absl::InternalError("malformed audit log entry");
    const auto& fields = item.elements[1].elements;
    v1::AuditEntry entry;
    bool parsed = false;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "e") parsed = entry.ParseFromString(fields[i + 1].str);
    }
    if (!parsed) {
      return absl::DataLossError(
          absl::StrCat("audit log entry ", item.elements[0].str, " cannot be read"));
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<int64_t> Sequences(const redis::Reply& reply) {
  std::vector<int64_t> out;
  for (const auto& member : reply.elements) {
    int64_t sequence = 0;
    if (absl::SimpleAtoi(member.str, &sequence)) out.push_back(sequence);
  }
  return out;
}

std::string StreamId(int64_t sequence) { return absl::StrCat("0-", sequence); }

}  // namespace

std::string EncodeHead(const ChainHead& head) {
  if (head.sequence == 0) return "";
  return absl::StrCat(head.sequence, " ", head.hash);
}

absl::StatusOr<ChainHead> DecodeHead(const std::string& value) {
  if (value.empty()) return ChainHead{};
  std::vector<std::string> parts = absl::StrSplit(value, ' ');
  ChainHead head;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &head.sequence)) {
    return absl::DataLossError("the audit trail's head is unreadable");
  }
  head.hash = parts[1];
  return head;
}

std::string RedisAuditStore::IndexKey(Index index, const std::string& key) const {
  return absl::StrCat(prefix_,
                      index == Index::kPrincipal ? "audit:principal:" : "audit:resource:", key);
}

absl::StatusOr<AuditStore::AppendResult> RedisAuditStore::Append(
    const ChainHead& expected, const std::vector<v1::AuditEntry>& entries) {
  if (entries.empty()) return AppendResult{true, expected};
  std::vector<std::string> keys = {HeadKey(), LogKey(), prefix_ + "audit:time"};
  ChainHead last{entries.back().sequence(), entries.back().hash()};
  std::vector<std::string> args = {EncodeHead(expected), EncodeHead(last),
                                   absl::StrCat(entries.size()),
                                   absl::StrCat(absl::ToInt64Milliseconds(kAuditClockSkew))};
  for (const auto& entry : entries) {
    keys.push_back(IndexKey(Index::kPrincipal, entry.principal()));
    int resources = 0;
    if (!entry.resource().empty()) {
      keys.push_back(IndexKey(Index::kResource, entry.resource()));
      ++resources;
    }
    for (const auto& other : entry.other_resources()) {
      keys.push_back(IndexKey(Index::kResource, other));
      ++resources;
    }
    args.push_back(absl::StrCat(entry.sequence()));
    args.push_back(entry.SerializeAsString());
    args.push_back(absl::StrCat(entry.time().seconds() * 1000 + entry.time().nanos() / 1000000));
    args.push_back(absl::StrCat(resources));
  }
  auto reply = client_.Eval(AppendScript(), keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 2) return absl::InternalError("unexpected audit append reply");
  auto head = DecodeHead(reply->elements[1].str);
  if (!head.ok()) return head.status();
  return AppendResult{reply->elements[0].integer == 1, *head};
}

absl::StatusOr<ChainHead> RedisAuditStore::Head() {
  auto reply = client_.Command({"GET", HeadKey()});
  if (!reply.ok()) return reply.status();
  return DecodeHead(reply->str);
}

absl::StatusOr<std::vector<v1::AuditEntry>> RedisAuditStore::Range(int64_t first, int count) {
  auto reply =
      client_.Command({"XRANGE", LogKey(), StreamId(first), "+", "COUNT", absl::StrCat(count)});
  if (!reply.ok()) return reply.status();
  return ParseStreamEntries(*reply);
}

absl::StatusOr<std::vector<v1::AuditEntry>> RedisAuditStore::Get(
    const std::vector<int64_t>& sequences) {
  std::vector<std::vector<std::string>> commands;
  for (int64_t s : sequences) {
    commands.push_back({"XRANGE", LogKey(), StreamId(s), StreamId(s)});
  }
  if (commands.empty()) return std::vector<v1::AuditEntry>{};
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  std::vector<v1::AuditEntry> out;
  for (const auto& reply : *replies) {
    auto entries = ParseStreamEntries(reply);
    if (!entries.ok()) return entries.status();
    for (auto& e : *entries) out.push_back(std::move(e));
  }
  return out;
}

absl::StatusOr<std::vector<int64_t>> RedisAuditStore::Lookup(Index index, const std::string& key,
                                                             int64_t first, int64_t last,
                                                             int count) {
  auto reply = client_.Command({"ZRANGEBYSCORE", IndexKey(index, key), absl::StrCat(first),
                                absl::StrCat(last), "LIMIT", "0", absl::StrCat(count)});
  if (!reply.ok()) return reply.status();
  return Sequences(*reply);
}

absl::StatusOr<std::optional<int64_t>> RedisAuditStore::FirstAtOrAfter(absl::Time time) {
  return Bound({"ZRANGEBYSCORE", prefix_ + "audit:time", absl::StrCat(absl::ToUnixMillis(time)),
                "+inf", "WITHSCORES", "LIMIT", "0", "1"},
               /*first=*/true);
}

absl::StatusOr<std::optional<int64_t>> RedisAuditStore::LastBefore(absl::Time time) {
  return Bound({"ZREVRANGEBYSCORE", prefix_ + "audit:time", absl::StrCat(absl::ToUnixMillis(time)),
                "-inf", "WITHSCORES", "LIMIT", "0", "1"},
               /*first=*/false);
}

absl::StatusOr<std::optional<int64_t>> RedisAuditStore::Bound(
    const std::vector<std::string>& nearest, bool first) {
  auto reply = client_.Command(nearest);
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 2) return std::optional<int64_t>();
  // Entries of one millisecond share a score, and Redis orders those as
  // strings ("10" before "9"): take the numeric first or last of them all.
  const std::string& score = reply->elements[1].str;
  auto tied = client_.Command({"ZRANGEBYSCORE", prefix_ + "audit:time", score, score});
  if (!tied.ok()) return tied.status();
  std::vector<int64_t> sequences = Sequences(*tied);
  if (sequences.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(first ? *std::min_element(sequences.begin(), sequences.end())
                                      : *std::max_element(sequences.begin(), sequences.end()));
}

}  // namespace vetrack::gateway
