#ifndef VETRACK_LIBS_REDIS_COMMAND_BATCHER_H_
#define VETRACK_LIBS_REDIS_COMMAND_BATCHER_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "redis/redis_client.h"

struct redisContext;

namespace vetrack::redis {

// One connection that carries the commands of many threads in batches: the
// commands handed in while a batch is at Redis go out together as the next
// one. Redis reads a batch in one go, and under `appendfsync always` covers it
// with one fsync and answers it with one write, so concurrent writers share
// the disk flush and the round trip (group commit) instead of each paying for
// its own.
//
// One thread at a time sends: it writes the next batch before it hands the
// last one's replies to their callbacks, so Redis works on one while the
// other is answered, and goes on while commands are queued. That thread is
// the batcher's own, or (BatchSender::kCaller) the caller that found no batch
// at Redis: a gRPC callback thread then answers the calls in place instead of
// handing them to another thread and being woken for the next (measured in
// bench/README.md, session 7). A connection error fails every command of the
// batch that was on it with UNAVAILABLE (Redis may or may not have applied
// them, as with any lost reply) and the next batch connects afresh; a
// connection Redis closed while idle is replaced before a batch goes out.
class CommandBatcher {
 public:
  explicit CommandBatcher(Options options);
  // Fails what was not sent yet with UNAVAILABLE; waits for a caller that is
  // sending to finish its batch, and stops the batcher's thread.
  ~CommandBatcher();
  CommandBatcher(const CommandBatcher&) = delete;
  CommandBatcher& operator=(const CommandBatcher&) = delete;

  // Sends one command with the next batch; `done` receives its reply on the
  // sending thread (see ReplyCallback and BatchSender). An error reply is
  // INTERNAL, a connection failure UNAVAILABLE.
  void RunAsync(const std::vector<std::string>& argv, ReplyCallback done,
                BatchSender sender = BatchSender::kBatcherThread);
  // RunAsync, waiting for the reply.
  absl::StatusOr<Reply> Run(const std::vector<std::string>& argv);

  // How many batches have gone out, and how many commands they carried.
  struct Counts {
    long long batches = 0;
    long long commands = 0;
  };
  Counts counts() const;

 private:
  struct Pending {
    std::string command;  // RESP bytes, formatted by the caller's thread
    ReplyCallback done;
    absl::StatusOr<Reply> reply;  // once read
  };
  using Batch = std::vector<Pending>;

  // The batcher's thread: sends whenever commands wait and no one is sending.
  void BatcherThread();
  // Sends batches while commands are queued; the calling thread must have
  // set sending_. Returns, clearing it, once every batch it sent is answered.
  void SendWhileQueued();
  // False, with every reply set to the failure, if it could not be written.
  bool Write(Batch& batch);
  void ReadReplies(Batch& batch);
  static void Answer(Batch& batch);
  void DropConnection();

  const Options options_;
  mutable std::mutex mu_;
  std::condition_variable work_;        // for the batcher's thread
  std::condition_variable stopped_;     // sending_ cleared, for closing
  std::vector<Pending> queue_;          // guarded by mu_
  bool sending_ = false;                // guarded by mu_: a thread is sending
  bool stopping_ = false;               // guarded by mu_
  Counts counts_;                       // guarded by mu_
  redisContext* connection_ = nullptr;  // only the sending thread touches it
  std::thread batcher_thread_;          // last: starts once the rest exists
};

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_COMMAND_BATCHER_H_
