#include "redis/redis_client.h"

#include <hiredis/hiredis.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vetrack::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = ms.count() / 1000;
  tv.tv_usec = (ms.count() % 1000) * 1000;
  return tv;
}

// Copies a hiredis reply; an error reply becomes a Status.
absl::StatusOr<Reply> Convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_NIL:
      out.type = Reply::Type::kNil;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      return absl::InternalError(
          absl::StrCat("redis: ", std::string(r->str, r->len)));
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        auto element = Convert(r->element[i]);
        if (!element.ok()) return element.status();
        out.elements.push_back(*std::move(element));
      }
      break;
    default:
      return absl::InternalError("redis: unexpected reply type");
  }
  return out;
}

void AppendCommand(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> parts;
  std::vector<size_t> lengths;
  parts.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const auto& a : argv) {
    parts.push_back(a.data());
    lengths.push_back(a.size());
  }
  redisAppendCommandArgv(c, static_cast<int>(argv.size()), parts.data(),
                         lengths.data());
}

}  // namespace

// Returns the connection to the pool when the call is done with it.
class Client::Lease {
 public:
  Lease(Client* client, redisContext* c) : client_(client), c_(c) {}
  ~Lease() { client_->Release(c_, healthy_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  redisContext* get() const { return c_; }
  void MarkBroken() { healthy_ = false; }

 private:
  Client* client_;
  redisContext* c_;
  bool healthy_ = true;
};

Client::Client(Options options) : options_(std::move(options)) {}

Client::~Client() {
  std::lock_guard<std::mutex> lock(mu_);
  for (redisContext* c : idle_) redisFree(c);
}

absl::StatusOr<redisContext*> Client::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    bool ready = released_.wait_for(lock, options_.command_timeout, [&] {
      return !idle_.empty() || open_ < options_.pool_size;
    });
    if (!ready) return absl::UnavailableError("redis: connection pool exhausted");
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    ++open_;  // Reserve a slot; connect outside the lock.
  }
  timeval connect_timeout = ToTimeval(options_.connect_timeout);
  redisContext* c = redisConnectWithTimeout(options_.host.c_str(),
                                            options_.port, connect_timeout);
  if (c == nullptr || c->err) {
    std::string why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    Release(nullptr, false);
    return absl::UnavailableError(absl::StrCat(
        "redis: cannot connect to ", options_.host, ":", options_.port, ": ", why));
  }
  redisSetTimeout(c, ToTimeval(options_.command_timeout));
  return c;
}

void Client::Release(redisContext* c, bool healthy) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (c != nullptr && healthy) {
      idle_.push_back(c);
    } else {
      if (c != nullptr) redisFree(c);
      --open_;
      // One broken connection usually means Redis restarted or went away:
      // the idle ones are dead too, and the retry must not pick one of them.
      if (c != nullptr) {
        for (redisContext* idle : idle_) redisFree(idle);
        open_ -= static_cast<int>(idle_.size());
        idle_.clear();
      }
    }
  }
  released_.notify_all();
}

absl::StatusOr<std::vector<Reply>> Client::RunOnce(
    const std::vector<std::vector<std::string>>& commands) {
  auto acquired = Acquire();
  if (!acquired.ok()) return acquired.status();
  Lease lease(this, *acquired);
  redisContext* c = lease.get();
  for (const auto& argv : commands) AppendCommand(c, argv);
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  absl::Status first_error;
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(c, &raw) != REDIS_OK || raw == nullptr) {
      lease.MarkBroken();
      return absl::UnavailableError(absl::StrCat("redis: ", c->errstr));
    }
    auto* reply = static_cast<redisReply*>(raw);
    auto converted = Convert(reply);
    freeReplyObject(reply);
    if (!converted.ok()) {
      // Keep reading so the connection stays in step with the server.
      if (first_error.ok()) first_error = converted.status();
      replies.emplace_back();
      continue;
    }
    replies.push_back(*std::move(converted));
  }
  if (!first_error.ok()) return first_error;
  return replies;
}

absl::StatusOr<std::vector<Reply>> Client::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  auto replies = RunOnce(commands);
  if (absl::IsUnavailable(replies.status())) replies = RunOnce(commands);
  return replies;
}

absl::StatusOr<Reply> Client::Command(const std::vector<std::string>& argv) {
  auto replies = Pipeline({argv});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::Status Client::Ping() {
  auto reply = Command({"PING"});
  return reply.status();
}

absl::StatusOr<std::string> Client::LoadScript(const Script& script) {
  auto reply = Command({"SCRIPT", "LOAD", script.source()});
  if (!reply.ok()) return reply.status();
  std::lock_guard<std::mutex> lock(script.mu_);
  script.sha_ = reply->str;
  return reply->str;
}

absl::StatusOr<Reply> Client::Eval(const Script& script,
                                   const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  std::string sha;
  {
    std::lock_guard<std::mutex> lock(script.mu_);
    sha = script.sha_;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (sha.empty()) {
      auto loaded = LoadScript(script);
      if (!loaded.ok()) return loaded.status();
      sha = *loaded;
    }
    std::vector<std::string> argv = {"EVALSHA", sha, std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    auto reply = Command(argv);
    if (!reply.ok() && absl::StrContains(reply.status().message(), "NOSCRIPT")) {
      sha.clear();
      continue;
    }
    return reply;
  }
  return absl::InternalError("redis: script could not be loaded");
}

}  // namespace vetrack::redis
