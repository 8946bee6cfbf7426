#ifndef VETRACK_LIBS_REDIS_HIREDIS_GLUE_H_
#define VETRACK_LIBS_REDIS_HIREDIS_GLUE_H_

// What the pool and the batcher share of hiredis; no hiredis type leaves
// libs/redis.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "redis/redis_client.h"

struct redisContext;
struct redisReply;

namespace vetrack::redis {

// A blocking connection with the options' timeouts; UNAVAILABLE if Redis
// cannot be reached. The caller frees it with redisFree.
absl::StatusOr<redisContext*> Connect(const Options& options);

// True when Redis closed the connection (a restart) or it holds bytes nobody
// asked for. Checked before an idle connection carries commands: once a
// command is sent, a lost reply leaves its outcome unknown and it must not be
// sent again, so a dead connection has to be found before, not after.
bool ClosedByPeer(const redisContext* connection);

// Copies a hiredis reply; an error reply becomes ErrorReplyStatus.
absl::StatusOr<Reply> ConvertReply(const redisReply* reply);

// The status for an error reply (without its "-"): UNAVAILABLE when Redis
// refused the command only for now (LOADING, BUSY, READONLY, MASTERDOWN,
// OOM, …), DATA_LOSS for WRONGTYPE, INTERNAL otherwise.
absl::Status ErrorReplyStatus(absl::string_view error);

// Whether `status` is Redis refusing as a replica (READONLY, MASTERDOWN): the
// connection reaches a server that is no longer the primary (a failover), and
// a new one, to the same address, reaches the one that is.
bool RefusedAsReplica(const absl::Status& status);

// Queues a command on the connection's output buffer.
void AppendCommand(redisContext* connection, const std::vector<std::string>& argv);

// The command in Redis's wire format (RESP).
std::string FormatCommand(const std::vector<std::string>& argv);

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_HIREDIS_GLUE_H_
