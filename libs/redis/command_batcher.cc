#include "redis/command_batcher.h"

#include <hiredis/hiredis.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "redis/await.h"
#include "redis/hiredis_glue.h"
#include "server/signals.h"

namespace vetrack::redis {

CommandBatcher::CommandBatcher(Options options)
    : options_(std::move(options)), batcher_thread_([this] { BatcherThread(); }) {}

CommandBatcher::~CommandBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_one();
  batcher_thread_.join();
  DropConnection();
}

void CommandBatcher::RunAsync(const std::vector<std::string>& argv, ReplyCallback done,
                              BatchSender sender) {
  std::string command = FormatCommand(argv);
  bool send_here = false;
  bool wake_batcher_thread = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) {
      lock.unlock();
      done(absl::UnavailableError("redis: client is closing"));
      return;
    }
    queue_.push_back(
        Pending{std::move(command), std::move(done), absl::UnknownError("unanswered")});
    // Whoever is sending takes the command with its next batch.
    if (!sending_) {
      send_here = sender == BatchSender::kCaller;
      sending_ = send_here;
      wake_batcher_thread = !send_here;
    }
  }
  if (send_here) SendWhileQueued();
  if (wake_batcher_thread) work_.notify_one();
}

absl::StatusOr<Reply> CommandBatcher::Run(const std::vector<std::string>& argv) {
  return Await<absl::StatusOr<Reply>>([&](ReplyCallback done) { RunAsync(argv, std::move(done)); });
}

CommandBatcher::Counts CommandBatcher::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void CommandBatcher::BatcherThread() {
  BlockShutdownSignals();
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait(lock, [&] { return stopping_ || (!queue_.empty() && !sending_); });
      if (stopping_) break;
      sending_ = true;
    }
    SendWhileQueued();
  }
  // Closing: a caller may still be sending; what it leaves queued is failed.
  Batch unsent;
  {
    std::unique_lock<std::mutex> lock(mu_);
    stopped_.wait(lock, [&] { return !sending_; });
    unsent.swap(queue_);
  }
  for (Pending& pending : unsent)
    pending.reply = absl::UnavailableError("redis: client is closing");
  Answer(unsent);
}

void CommandBatcher::SendWhileQueued() {
  Batch answered;  // its replies are read; its callbacks have not run yet
  while (true) {
    Batch batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stopping_) batch.swap(queue_);
      if (batch.empty() && answered.empty()) {
        sending_ = false;
        stopped_.notify_all();
        return;
      }
      if (!batch.empty()) {
        ++counts_.batches;
        counts_.commands += static_cast<long long>(batch.size());
      }
    }
    const bool written = !batch.empty() && Write(batch);
    Answer(answered);
    if (written) ReadReplies(batch);
    answered.swap(batch);
  }
}

bool CommandBatcher::Write(Batch& batch) {
  absl::Status failed;
  if (connection_ != nullptr && ClosedByPeer(connection_)) DropConnection();
  if (connection_ == nullptr) {
    auto connected = Connect(options_);
    if (connected.ok()) {
      connection_ = *connected;
    } else {
      failed = connected.status();
    }
  }
  if (failed.ok()) {
    for (const Pending& pending : batch) {
      redisAppendFormattedCommand(connection_, pending.command.data(), pending.command.size());
    }
    int done = 0;
    while (!done) {
      if (redisBufferWrite(connection_, &done) != REDIS_OK) {
        failed = absl::UnavailableError(absl::StrCat("redis: ", connection_->errstr));
        DropConnection();
        break;
      }
    }
  }
  if (failed.ok()) return true;
  for (Pending& pending : batch) pending.reply = failed;
  return false;
}

void CommandBatcher::ReadReplies(Batch& batch) {
  for (auto it = batch.begin(); it != batch.end(); ++it) {
    void* raw = nullptr;
    if (redisGetReply(connection_, &raw) != REDIS_OK || raw == nullptr) {
      absl::Status lost = absl::UnavailableError(absl::StrCat("redis: ", connection_->errstr));
      DropConnection();
      for (; it != batch.end(); ++it) it->reply = lost;
      return;
    }
    auto* reply = static_cast<redisReply*>(raw);
    it->reply = ConvertReply(reply);
    freeReplyObject(reply);
  }
  // A replica since a failover: the next batch connects afresh, and so
  // reaches whatever the address now names.
  for (const Pending& pending : batch) {
    if (RefusedAsReplica(pending.reply.status())) {
      DropConnection();
      return;
    }
  }
}

void CommandBatcher::Answer(Batch& batch) {
  for (Pending& pending : batch) pending.done(std::move(pending.reply));
  batch.clear();
}

void CommandBatcher::DropConnection() {
  if (connection_ != nullptr) redisFree(connection_);
  connection_ = nullptr;
}

}  // namespace vetrack::redis
