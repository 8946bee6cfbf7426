#include "outbox_store.h"

#include <algorithm>
#include <functional>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "exchange/outbox.h"
#include "redis/atomic_write.h"

namespace vetrack::exchange {
namespace {

constexpr char kCheckpoint[] = "checkpoint";
constexpr char kInflightEnd[] = "inflight_end";
constexpr char kParked[] = "dead_letters_parked";

// Moves the checkpoint past a batch only if it is still the batch in flight
// where this worker found it, so a worker that lost the lease mid-batch can
// never move the checkpoint back or past entries nobody sent.
// KEYS: state hash, dead-letter hash. ARGV: first, end, park (0|1), batch
// id, body. Returns 1 when moved, 0 when the state is no longer the batch's.
const redis::Script& MoveCheckpointScript() {
  static const auto* script = new redis::Script(R"lua(
local state = redis.call('HMGET', KEYS[1], 'checkpoint', 'inflight_end')
if tonumber(state[1] or '0') ~= tonumber(ARGV[1]) or
   tonumber(state[2] or '0') ~= tonumber(ARGV[2]) then
  return 0
end
if ARGV[3] == '1' then
  -- The counter first: HINCRBY is the write that can fail (a field that is
  -- not an integer), and Redis would not undo the dead letter before it.
  redis.call('HINCRBY', KEYS[1], 'dead_letters_parked', 1)
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
end
redis.call('HSET', KEYS[1], 'checkpoint', ARGV[2], 'inflight_end', '0')
return 1
)lua");
  return *script;
}

// Pins [checkpoint, end) as the batch in flight, only if the state is still
// what the caller read (checkpoint ARGV[1], nothing in flight): a worker whose
// lease lapsed meanwhile must not widen the range another worker pinned.
const redis::Script& PinBatchScript() {
  static const auto* script = new redis::Script(R"lua(
local state = redis.call('HMGET', KEYS[1], 'checkpoint', 'inflight_end')
local checkpoint = tonumber(state[1] or '0')
if checkpoint ~= tonumber(ARGV[1]) or tonumber(state[2] or '0') > checkpoint then
  return 0
end
redis.call('HSET', KEYS[1], 'inflight_end', ARGV[2])
return 1
)lua");
  return *script;
}

int64_t IntOf(const redis::Reply& reply) {
  int64_t value = 0;
  if (!reply.is_nil() && !absl::SimpleAtoi(reply.str, &value)) value = 0;
  return value;
}

// The first entry of a batch, from its id `<source>-<first>-<end>-<hash>`:
// the ids' string order would put 100-150 before 50-100. nullopt for an id
// not in that form.
std::optional<int64_t> FirstOf(const std::string& source, absl::string_view batch_id) {
  if (!absl::ConsumePrefix(&batch_id, source) || !absl::ConsumePrefix(&batch_id, "-")) {
    return std::nullopt;
  }
  int64_t first = 0;
  if (!absl::SimpleAtoi(batch_id.substr(0, batch_id.find('-')), &first)) return std::nullopt;
  return first;
}

}  // namespace

std::string BatchBody(const std::string& source, const std::string& batch_id,
                      const std::vector<std::string>& entries) {
  // Source names and batch ids are [a-z0-9:-], so they need no escaping; the
  // entries are already JSON.
  return absl::StrCat("{\"schema\":\"", kSchemaVersion, "\",\"district_code\":\"", kDistrictCode,
                      "\",\"source\":\"", source, "\",\"batch_id\":\"", batch_id,
                      "\",\"entries\":[", absl::StrJoin(entries, ","), "]}");
}

OutboxStore::OutboxStore(redis::Client& client, std::string source)
    : client_(client),
      source_(std::move(source)),
      outbox_key_(OutboxKey(source_)),
      state_key_(absl::StrCat("vt:ex:state:", source_)),
      dead_key_(absl::StrCat("vt:ex:dead:", source_)) {}

absl::StatusOr<std::optional<Batch>> OutboxStore::NextBatch(int max_entries) {
  auto state = client_.Command({"HMGET", state_key_, kCheckpoint, kInflightEnd});
  if (!state.ok()) return state.status();
  if (state->elements.size() != 2) return absl::InternalError("redis: bad HMGET reply");
  int64_t first = IntOf(state->elements[0]);
  int64_t inflight_end = IntOf(state->elements[1]);
  if (inflight_end > first) {
    auto batch = Read(first, inflight_end);
    if (!batch.ok()) return batch.status();
    return std::optional<Batch>(*std::move(batch));
  }
  auto length = client_.Command({"LLEN", outbox_key_});
  if (!length.ok()) return length.status();
  int64_t end = std::min<int64_t>(length->integer, first + max_entries);
  if (end <= first) return std::optional<Batch>();
  // Fixing the range before the first attempt is what keeps the batch (and
  // its id) the same when a restart finds more entries behind it.
  auto pinned =
      client_.Eval(PinBatchScript(), {state_key_}, {std::to_string(first), std::to_string(end)});
  if (!pinned.ok()) return pinned.status();
  // Another worker pinned or delivered meanwhile: nothing to send this pass.
  if (pinned->integer != 1) return std::optional<Batch>();
  auto batch = Read(first, end);
  if (!batch.ok()) return batch.status();
  return std::optional<Batch>(*std::move(batch));
}

absl::StatusOr<Batch> OutboxStore::Read(int64_t first, int64_t end) {
  auto range =
      client_.Command({"LRANGE", outbox_key_, std::to_string(first), std::to_string(end - 1)});
  if (!range.ok()) return range.status();
  std::vector<std::string> entries;
  for (const auto& element : range->elements) entries.push_back(element.str);
  if (static_cast<int64_t>(entries.size()) != end - first) {
    return absl::DataLossError(absl::StrCat("outbox ", outbox_key_, " is shorter than ", end));
  }
  Batch batch;
  batch.source = source_;
  batch.first = first;
  batch.end = end;
  batch.id = absl::StrCat(source_, "-", first, "-", end, "-",
                          redis::Fingerprint(absl::StrJoin(entries, "\n")));
  batch.body = BatchBody(source_, batch.id, entries);
  return batch;
}

absl::Status OutboxStore::MoveCheckpoint(const Batch& batch, bool park) {
  auto moved = client_.Eval(MoveCheckpointScript(), {state_key_, dead_key_},
                            {std::to_string(batch.first), std::to_string(batch.end),
                             park ? "1" : "0", batch.id, batch.body});
  if (!moved.ok()) return moved.status();
  if (moved->integer != 1) {
    return absl::AbortedError(absl::StrCat("the checkpoint of ", source_,
                                           " moved on meanwhile: another worker took batch ",
                                           batch.id));
  }
  return absl::OkStatus();
}

absl::Status OutboxStore::MarkDelivered(const Batch& batch) { return MoveCheckpoint(batch, false); }

absl::Status OutboxStore::ParkDeadLetter(const Batch& batch) { return MoveCheckpoint(batch, true); }

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> OutboxStore::DeadLetters() {
  auto all = client_.Command({"HGETALL", dead_key_});
  if (!all.ok()) return all.status();
  std::vector<std::pair<std::string, std::string>> letters;
  for (size_t i = 0; i + 1 < all->elements.size(); i += 2) {
    letters.emplace_back(all->elements[i].str, all->elements[i + 1].str);
  }
  // An id not in the usual form goes last, so the ones that are keep their
  // order; ties (none expected) fall back to the id.
  auto order = [this](const std::pair<std::string, std::string>& letter) {
    std::optional<int64_t> first = FirstOf(source_, letter.first);
    return std::make_tuple(!first.has_value(), first.value_or(0), std::cref(letter.first));
  };
  std::sort(letters.begin(), letters.end(),
            [&order](const auto& a, const auto& b) { return order(a) < order(b); });
  return letters;
}

absl::Status OutboxStore::RemoveDeadLetter(const std::string& batch_id) {
  return client_.Command({"HDEL", dead_key_, batch_id}).status();
}

absl::StatusOr<int64_t> OutboxStore::DeadLettersParked() {
  auto value = client_.Command({"HGET", state_key_, kParked});
  if (!value.ok()) return value.status();
  return IntOf(*value);
}

absl::StatusOr<int64_t> OutboxStore::Checkpoint() {
  auto value = client_.Command({"HGET", state_key_, kCheckpoint});
  if (!value.ok()) return value.status();
  return IntOf(*value);
}

absl::StatusOr<int64_t> OutboxStore::Pending() {
  auto checkpoint = Checkpoint();
  if (!checkpoint.ok()) return checkpoint.status();
  auto length = client_.Command({"LLEN", outbox_key_});
  if (!length.ok()) return length.status();
  return std::max<int64_t>(0, length->integer - *checkpoint);
}

}  // namespace vetrack::exchange
