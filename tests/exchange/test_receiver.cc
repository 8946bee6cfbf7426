#include "test_receiver.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "auth/token.h"
#include "batch_sender.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "testing/redis_server.h"

namespace vetrack::exchange::testing {

namespace {

std::unique_ptr<httplib::Server> MakeServer(const std::optional<TestReceiver::Tls>& tls) {
  if (!tls) return std::make_unique<httplib::Server>();
  auto server = std::make_unique<httplib::SSLServer>(tls->cert_file.c_str(), tls->key_file.c_str());
  if (!server->is_valid()) std::abort();
  return server;
}

}  // namespace

TestReceiver::TestReceiver(std::string secret, std::optional<Tls> tls)
    : secret_(std::move(secret)),
      tls_(tls.has_value()),
      port_(vetrack::testing::FreePort()),
      server_(MakeServer(tls)) {
  server_->Post("/vetrack/exchange", [this](const httplib::Request& req, httplib::Response& res) {
    res.status = Handle(req.get_header_value(kBatchIdHeader),
                        req.get_header_value(kSignatureHeader), req.body);
  });
  // Bound (and listening) before the constructor returns, so a client never
  // races the server thread.
  // SO_REUSEADDR, as the gateway binds (see the reference server).
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  if (!server_->bind_to_port("127.0.0.1", port_)) {
    std::perror(("test receiver: cannot bind 127.0.0.1:" + std::to_string(port_)).c_str());
    std::abort();
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // cpp-httplib's stop() does nothing before the loop has begun, which then
  // runs on: one dropped at once (a test that never calls it) hung in its
  // destructor's join (found in CI).
  for (int waited_ms = 0; !server_->is_running() && waited_ms < 5000; ++waited_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TestReceiver::~TestReceiver() {
  server_->stop();
  thread_.join();
}

std::string TestReceiver::endpoint() const {
  return absl::StrCat(tls_ ? "https" : "http", "://127.0.0.1:", port_, "/vetrack/exchange");
}

void TestReceiver::FailEvery(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_every_ = n;
}

void TestReceiver::AnswerNext(int status, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  answer_status_ = status;
  answer_times_ = times;
}

void TestReceiver::AnswerBodiesHolding(const std::string& text, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  choke_on_ = text;
  choke_status_ = status;
}

void TestReceiver::StallEvery(int n, absl::Duration delay) {
  std::lock_guard<std::mutex> lock(mu_);
  stall_every_ = n;
  stall_ = delay;
}

int TestReceiver::Handle(const std::string& batch_id, const std::string& signature,
                         const std::string& body) {
  absl::Duration stall = absl::ZeroDuration();
  {
    std::lock_guard<std::mutex> lock(mu_);
    int n = ++requests_;
    if (signature != HmacSha256Hex(secret_, body)) {
      ++rejected_;
      return 401;
    }
    if (fail_every_ > 0 && n % fail_every_ == 0) return 503;
    if (answer_times_ > 0) {
      --answer_times_;
      return answer_status_;
    }
    if (!choke_on_.empty() && body.find(choke_on_) != std::string::npos) return choke_status_;
    google::protobuf::Struct batch;
    if (batch_id.empty() || !google::protobuf::util::JsonStringToMessage(body, &batch).ok() ||
        batch.fields().at("batch_id").string_value() != batch_id) {
      return 400;
    }
    // Applied once per batch id: a redelivered batch is acknowledged only.
    if (batches_[batch_id]++ == 0) {
      for (const auto& entry : batch.fields().at("entries").list_value().values()) {
        const std::string& change_id = entry.struct_value().fields().at("change_id").string_value();
        if (++applied_[change_id] == 1) {
          (void)google::protobuf::util::MessageToJsonString(entry, &entries_[change_id]);
          applied_order_.push_back(change_id);
        }
      }
    }
    if (stall_every_ > 0 && n % stall_every_ == 0) stall = stall_;
  }
  absl::SleepFor(stall);
  return 200;
}

int TestReceiver::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

int TestReceiver::rejected_signatures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rejected_;
}

std::map<std::string, int> TestReceiver::applied() const {
  std::lock_guard<std::mutex> lock(mu_);
  return applied_;
}

std::map<std::string, int> TestReceiver::batches_seen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

std::map<std::string, std::string> TestReceiver::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_;
}

std::vector<std::string> TestReceiver::applied_order() const {
  std::lock_guard<std::mutex> lock(mu_);
  return applied_order_;
}

}  // namespace vetrack::exchange::testing
