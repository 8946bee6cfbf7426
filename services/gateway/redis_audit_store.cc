#include "redis_audit_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace vetrack::gateway {
namespace {

// KEYS: head, log, time index, then per entry its principal and resource
// index. ARGV: expected head, new head, entry count, then per entry its
// sequence, bytes, time (ms) and whether it names a resource.
const redis::Script& AppendScript() {
  static const auto* script = new redis::Script(R"lua(
local head = redis.call('GET', KEYS[1]) or ''
if head ~= ARGV[1] then return {0, head} end
local n = tonumber(ARGV[3])
for i = 0, n - 1 do
  local a = 4 + i * 4
  local seq = ARGV[a]
  redis.call('XADD', KEYS[2], '0-' .. seq, 'e', ARGV[a + 1])
  redis.call('ZADD', KEYS[3], ARGV[a + 2], seq)
  redis.call('ZADD', KEYS[4 + i * 2], seq, seq)
  if ARGV[a + 3] == '1' then redis.call('ZADD', KEYS[5 + i * 2], seq, seq) end
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
      return absl::DataLossError(absl::StrCat("audit log entry ", item.elements[0].str,
                                              " cannot be read"));
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
  return absl::StrCat(prefix_, index == Index::kPrincipal ? "audit:principal:" : "audit:resource:",
                      key);
}

absl::StatusOr<AuditStore::AppendResult> RedisAuditStore::Append(
    const ChainHead& expected, const std::vector<v1::AuditEntry>& entries) {
  if (entries.empty()) return AppendResult{true, expected};
  std::vector<std::string> keys = {HeadKey(), LogKey(), prefix_ + "audit:time"};
  ChainHead last{entries.back().sequence(), entries.back().hash()};
  std::vector<std::string> args = {EncodeHead(expected), EncodeHead(last),
                                   absl::StrCat(entries.size())};
  for (const auto& entry : entries) {
    keys.push_back(IndexKey(Index::kPrincipal, entry.principal()));
    keys.push_back(IndexKey(Index::kResource, entry.resource()));
    args.push_back(absl::StrCat(entry.sequence()));
    args.push_back(entry.SerializeAsString());
    args.push_back(absl::StrCat(entry.time().seconds() * 1000 + entry.time().nanos() / 1000000));
    args.push_back(entry.resource().empty() ? "0" : "1");
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
  auto reply = client_.Command(
      {"XRANGE", LogKey(), StreamId(first), "+", "COUNT", absl::StrCat(count)});
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
  auto reply = client_.Command({"ZRANGEBYSCORE", prefix_ + "audit:time",
                                absl::StrCat(absl::ToUnixMillis(time)), "+inf", "LIMIT", "0", "1"});
  if (!reply.ok()) return reply.status();
  auto sequences = Sequences(*reply);
  if (sequences.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(sequences.front());
}

absl::StatusOr<std::optional<int64_t>> RedisAuditStore::LastBefore(absl::Time time) {
  auto reply =
      client_.Command({"ZREVRANGEBYSCORE", prefix_ + "audit:time",
                       absl::StrCat(absl::ToUnixMillis(time)), "-inf", "LIMIT", "0", "1"});
  if (!reply.ok()) return reply.status();
  auto sequences = Sequences(*reply);
  if (sequences.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(sequences.front());
}

}  // namespace vetrack::gateway
