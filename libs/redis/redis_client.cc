#include "redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "redis/await.h"
#include "redis/command_batcher.h"
#include "redis/hiredis_glue.h"

namespace vetrack::redis {

Script::Script(std::string source) : source_(std::move(source)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  sha_.reserve(2 * SHA_DIGEST_LENGTH);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char byte : digest) {
    sha_.push_back(kHex[byte >> 4]);
    sha_.push_back(kHex[byte & 0xf]);
  }
}

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

Client::Client(Options options)
    : options_(std::move(options)), scripts_(std::make_unique<CommandBatcher>(options_)) {}

Client::~Client() {
  std::lock_guard<std::mutex> lock(mu_);
  for (redisContext* c : idle_) redisFree(c);
}

absl::StatusOr<redisContext*> Client::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    bool ready = released_.wait_for(lock, options_.command_timeout,
                                    [&] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!ready) return absl::UnavailableError("redis: connection pool exhausted");
    while (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      if (!ClosedByPeer(c)) return c;
      redisFree(c);
      --open_;
    }
    ++open_;  // Reserve a slot; connect outside the lock.
  }
  auto connected = Connect(options_);
  if (!connected.ok()) Release(nullptr, false);
  return connected;
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

absl::StatusOr<std::vector<Reply>> Client::Pipeline(
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
    auto converted = ConvertReply(reply);
    freeReplyObject(reply);
    if (!converted.ok()) {
      // Keep reading so the connection stays in step with the server.
      if (first_error.ok()) first_error = converted.status();
      // A replica since a failover: the next call connects afresh, and so
      // reaches whatever the address now names.
      if (RefusedAsReplica(converted.status())) lease.MarkBroken();
      replies.emplace_back();
      continue;
    }
    replies.push_back(*std::move(converted));
  }
  if (!first_error.ok()) return first_error;
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

absl::StatusOr<Reply> Client::Eval(const Script& script, const std::vector<std::string>& keys,
                                   const std::vector<std::string>& args) {
  return Await<absl::StatusOr<Reply>>(
      [&](ReplyCallback done) { EvalAsync(script, keys, args, std::move(done)); });
}

namespace {

// One script call through the batcher, sent again as EVAL with its source
// when Redis does not know the SHA (a restart or SCRIPT FLUSH). A lost
// connection is not a reason to send it again: Redis may have run it.
struct ScriptCall : std::enable_shared_from_this<ScriptCall> {
  CommandBatcher* batcher;
  const Script* script;
  std::vector<std::string> argv;  // EVALSHA sha numkeys keys... args...
  ReplyCallback done;
  BatchSender sender = BatchSender::kBatcherThread;
  bool sent_source = false;

  void Send() {
    auto self = shared_from_this();
    batcher->RunAsync(
        argv, [self](absl::StatusOr<Reply> reply) { self->OnReply(std::move(reply)); }, sender);
  }

  void OnReply(absl::StatusOr<Reply> reply) {
    if (!reply.ok() && absl::StrContains(reply.status().message(), "NOSCRIPT") && !sent_source) {
      sent_source = true;
      argv[0] = "EVAL";
      argv[1] = script->source();
      return Send();
    }
    done(std::move(reply));
  }
};

}  // namespace

void Client::EvalAsync(const Script& script, const std::vector<std::string>& keys,
                       const std::vector<std::string>& args, ReplyCallback done,
                       BatchSender sender) {
  auto call = std::make_shared<ScriptCall>();
  call->batcher = scripts_.get();
  call->script = &script;
  call->argv.reserve(3 + keys.size() + args.size());
  call->argv = {"EVALSHA", script.sha(), std::to_string(keys.size())};
  call->argv.insert(call->argv.end(), keys.begin(), keys.end());
  call->argv.insert(call->argv.end(), args.begin(), args.end());
  call->done = std::move(done);
  call->sender = sender;
  call->Send();
}

}  // namespace vetrack::redis
