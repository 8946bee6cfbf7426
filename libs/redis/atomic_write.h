#ifndef VETRACK_LIBS_REDIS_ATOMIC_WRITE_H_
#define VETRACK_LIBS_REDIS_ATOMIC_WRITE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "redis/redis_client.h"

namespace vetrack::redis {

// A stored entity: its serialized bytes and a version that grows by one on
// every write. The version is the entity's etag.
struct Versioned {
  int64_t version = 0;
  std::string data;
};

struct CommitResult {
  // True when the request had been answered before; `response` is that answer.
  bool replayed = false;
  std::string response;
};

// A change to several keys that Redis applies all at once or not at all: the
// guards are checked first, then every write runs, inside one Lua script.
// Since Redis runs a script atomically and logs its effects to the AOF as one
// transaction, a crash can never leave half of it applied.
//
// Services build one per mutation: version guards for optimistic concurrency,
// the writes, and the idempotency record of the request that caused it.
//
// Redis does not undo a script's writes when a later one fails, so nothing
// that would fail in Redis is sent: a score that is not a number or a TTL
// that is not positive makes the commit INTERNAL before it leaves, and a key
// that holds another type than its write expects (a corrupted store, or one
// key written as two types), or a counter that is not an integer, makes it
// DATA_LOSS before its first write. The script asks only keys no guard has
// read (a filing: about one TYPE).
class AtomicWrite {
 public:
  // Aborts the write unless `key` holds version `expected` (0: must not exist).
  // `what` names the guarded thing for the caller (e.g. its resource name):
  // the ABORTED status says that it changed, and never shows Redis's keys.
  void ExpectVersion(const std::string& key, int64_t expected, std::string what);
  // Stores an entity as a hash {v: version, d: data}. With `keep_as` (e.g.
  // "r3") the data is also kept under that field of the same hash, where it
  // stays when the entity moves on: its revisions, in the one HSET.
  void PutVersioned(const std::string& key, int64_t version, std::string data,
                    std::string keep_as = "");
  // ExpectVersion(key, expected, what), then PutVersioned at expected + 1:
  // the optimistic update every store makes of an entity it read.
  void PutGuarded(const std::string& key, int64_t expected, std::string data, std::string what,
                  std::string keep_as = "");
  void Set(const std::string& key, std::string value);
  void HashSet(const std::string& key, const std::string& field, std::string value);
  void HashIncrBy(const std::string& key, const std::string& field, int64_t delta);
  void ListAppend(const std::string& key, std::string value);
  void SetAdd(const std::string& key, std::string member);
  void SortedSetAdd(const std::string& key, double score, std::string member);
  void SortedSetRemove(const std::string& key, std::string member);
  // Records `response` as the answer to the request with this fingerprint. If
  // `key` already holds an answer, nothing is written and Commit returns the
  // stored answer (same fingerprint) or INVALID_ARGUMENT on request_id.
  void RecordIdempotent(const std::string& key, const std::string& fingerprint,
                        std::string response, int64_t ttl_seconds);

  bool empty() const { return ops_.empty(); }

 private:
  friend void CommitAsync(Client&, const AtomicWrite&,
                          std::function<void(absl::StatusOr<CommitResult>)>, BatchSender);
  struct Op {
    char code;
    std::string key;
    std::string a1, a2, a3;
  };
  std::vector<Op> ops_;
  // Each ExpectVersion's key and what it guards, for its ABORTED.
  std::vector<std::pair<std::string, std::string>> guards_;
  // Why the write cannot be sent (a NaN score, a TTL of 0); empty when it can.
  std::string unsendable_;
};

// Applies `write`. A failed version guard is ABORTED (reason STALE_ETAG),
// naming what it guards.
absl::StatusOr<CommitResult> Commit(Client& client, const AtomicWrite& write);
// Commit without waiting: `done` gets the outcome on the thread that reads
// Redis's replies (see ReplyCallback for what it may do there, and
// BatchSender for which thread that is).
using CommitCallback = std::function<void(absl::StatusOr<CommitResult>)>;
void CommitAsync(Client& client, const AtomicWrite& write, CommitCallback done,
                 BatchSender sender = BatchSender::kBatcherThread);

// Reads a versioned entity; nullopt when absent.
absl::StatusOr<std::optional<Versioned>> GetVersioned(Client& client, const std::string& key);
// Reads many in one round trip, in order.
absl::StatusOr<std::vector<std::optional<Versioned>>> GetVersionedMany(
    Client& client, const std::vector<std::string>& keys);

// What PutVersioned kept under `fields` of the entity at `key` (entry i
// answers fields[i]; nullopt where nothing was kept), in one HMGET.
absl::StatusOr<std::vector<std::optional<std::string>>> GetKept(
    Client& client, const std::string& key, const std::vector<std::string>& fields);

// The stored answer to a request, if it was answered before; INVALID_ARGUMENT
// on request_id when the id was used with another fingerprint.
absl::StatusOr<std::optional<std::string>> LookupIdempotent(Client& client, const std::string& key,
                                                            const std::string& fingerprint);

// LookupIdempotent and GetVersionedMany in one round trip. Under
// `appendfsync always` every reply waits for the fsync of the event-loop turn
// it lands in, so a mutation that reads before it writes pays one fsync per
// round trip; this is how it reads everything it needs for the price of one.
struct AnswerAndEntities {
  std::optional<std::string> answer;
  // Entry i answers keys[i].
  std::vector<std::optional<Versioned>> entities;
};
absl::StatusOr<AnswerAndEntities> LookupIdempotentWith(Client& client, const std::string& key,
                                                       const std::string& fingerprint,
                                                       const std::vector<std::string>& keys);

// A stable fingerprint of a request's bytes (FNV-1a 64, hex).
std::string Fingerprint(const std::string& bytes);

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_ATOMIC_WRITE_H_
