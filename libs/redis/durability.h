#ifndef VETRACK_LIBS_REDIS_DURABILITY_H_
#define VETRACK_LIBS_REDIS_DURABILITY_H_

#include "absl/status/status.h"
#include "redis/redis_client.h"

namespace vetrack::redis {

// Whether Redis keeps what it acknowledges through a crash, as DESIGN.md's
// storage rules ask: AOF on with `appendfsync always`, and no fsync skipped
// while a child process writes (`no-appendfsync-on-rewrite no`). OK when it does;
// FAILED_PRECONDITION naming the settings when it does not (a restore into a
// managed instance can bring the provider's defaults, e.g. everysec: a
// second of acknowledged writes lost in a crash); another error when Redis
// cannot be asked (unreachable, or CONFIG renamed away by the provider).
absl::Status CheckDurable(Client& client);

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_DURABILITY_H_
