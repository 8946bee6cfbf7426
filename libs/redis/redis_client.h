#ifndef VETRACK_LIBS_REDIS_REDIS_CLIENT_H_
#define VETRACK_LIBS_REDIS_REDIS_CLIENT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct redisContext;

namespace vetrack::redis {

class CommandBatcher;

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{3000};
  // Connections kept open at most; callers beyond it wait for a free one.
  int pool_size = 16;
  // Sent with AUTH on every new connection when not empty: a managed Redis's
  // password, with `username` for an ACL user (Redis 6+).
  std::string username;
  std::string password;
};

// A Redis reply copied out of hiredis, so no hiredis type leaves this library.
struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray };
  Type type = Type::kNil;
  long long integer = 0;
  std::string str;
  std::vector<Reply> elements;

  bool is_nil() const { return type == Type::kNil; }
};

// A Lua script run with EVALSHA. Its SHA1 is computed here, so the first
// call needs no SCRIPT LOAD; when Redis does not know it (first use, after a
// restart or SCRIPT FLUSH) the call is sent once more as EVAL with the source,
// which also caches it.
class Script {
 public:
  explicit Script(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;
};

// What an asynchronous call hands its answer to. It runs on the thread that
// reads Redis's replies: it must not wait for Redis itself (it may start
// another asynchronous call) and should hand slow work to another thread.
using ReplyCallback = std::function<void(absl::StatusOr<Reply>)>;

// Who sends a batch of asynchronous calls when none is at Redis.
enum class BatchSender {
  // The batcher's own thread: the call returns at once.
  kBatcherThread,
  // The calling thread, which then waits for Redis and runs the batch's
  // callbacks itself, and goes on sending while calls keep arriving; later
  // callers return at once. For a thread that would otherwise only hand the
  // call over and be woken for its answer (gRPC's callback threads).
  kCaller,
};

// A thread-safe pool of hiredis connections. Each call leases a connection for
// its duration (RAII). An idle connection that Redis closed (a restart) is
// found before it carries anything and replaced, so a restart costs callers
// nothing. A call whose connection fails after sending is not sent again,
// since Redis may have applied it: the caller gets UNAVAILABLE and decides
// (services retry with the same request_id, which replays the first outcome).
// Scripts, which are how services write, go instead over one more connection
// that sends the scripts of concurrent callers together (CommandBatcher), so
// that they share one fsync.
// Every failure comes back as absl::Status: UNAVAILABLE for I/O and connection
// errors and for error replies that only refuse for now (LOADING after a
// restart, READONLY after a failover, …), INTERNAL for other error replies
// (ErrorReplyStatus in hiredis_glue.h).
class Client {
 public:
  explicit Client(Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  absl::StatusOr<Reply> Command(const std::vector<std::string>& argv);
  // Sends all commands in one round trip; replies come back in order.
  absl::StatusOr<std::vector<Reply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);
  absl::StatusOr<Reply> Eval(const Script& script, const std::vector<std::string>& keys,
                             const std::vector<std::string>& args);
  // Eval without waiting: `done` receives the reply (see ReplyCallback).
  void EvalAsync(const Script& script, const std::vector<std::string>& keys,
                 const std::vector<std::string>& args, ReplyCallback done,
                 BatchSender sender = BatchSender::kBatcherThread);
  absl::Status Ping();

  const Options& options() const { return options_; }

 private:
  class Lease;
  absl::StatusOr<redisContext*> Acquire();
  void Release(redisContext* context, bool healthy);

  Options options_;
  std::unique_ptr<CommandBatcher> scripts_;
  std::mutex mu_;
  std::condition_variable released_;
  std::vector<redisContext*> idle_;
  int open_ = 0;
};

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_REDIS_CLIENT_H_
