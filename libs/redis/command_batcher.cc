#include "redis/command_batcher.h"

#include <hiredis/hiredis.h>

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "redis/await.h"
#include "redis/hiredis_glue.h"

namespace vetrack::redis {

CommandBatcher::CommandBatcher(Options options)
    : options_(std::move(options)), sender_([this] { SendLoop(); }) {}

CommandBatcher::~CommandBatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_one();
  sender_.join();
  DropConnection();
}

void CommandBatcher::RunAsync(const std::vector<std::string>& argv, ReplyCallback done) {
  std::string command = FormatCommand(argv);
  bool sender_idle = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) {
      lock.unlock();
      done(absl::UnavailableError("redis: client is closing"));
      return;
    }
    // The sender sleeps only on an empty queue, so only the first command
    // after a batch has left needs to wake it.
    sender_idle = queue_.empty();
    queue_.push_back(
        Pending{std::move(command), std::move(done), absl::UnknownError("unanswered")});
  }
  if (sender_idle) work_.notify_one();
}

absl::StatusOr<Reply> CommandBatcher::Run(const std::vector<std::string>& argv) {
  return Await<absl::StatusOr<Reply>>([&](ReplyCallback done) { RunAsync(argv, std::move(done)); });
}

CommandBatcher::Counts CommandBatcher::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void CommandBatcher::SendLoop() {
  Batch answered;  // its replies are read; its callbacks have not run yet
  while (true) {
    std::optional<Batch> batch = TakeQueued(/*wait=*/answered.empty());
    if (!batch.has_value()) break;
    const bool written = !batch->empty() && Write(*batch);
    Answer(answered);
    if (written) ReadReplies(*batch);
    answered.swap(*batch);
  }
  Answer(answered);
  Batch unsent;
  {
    std::lock_guard<std::mutex> lock(mu_);
    unsent.swap(queue_);
  }
  for (Pending& pending : unsent)
    pending.reply = absl::UnavailableError("redis: client is closing");
  Answer(unsent);
}

std::optional<CommandBatcher::Batch> CommandBatcher::TakeQueued(bool wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (wait) work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (stopping_) return std::nullopt;
  Batch batch;
  batch.swap(queue_);
  if (!batch.empty()) {
    ++counts_.batches;
    counts_.commands += static_cast<long long>(batch.size());
  }
  return batch;
}

bool CommandBatcher::Write(Batch& batch) {
  absl::Status failed;
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
