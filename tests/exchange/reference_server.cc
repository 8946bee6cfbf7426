#include "reference_server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "batch_sender.h"
#include "testing/redis_server.h"

namespace vetrack::exchange::testing {

ReferenceServer::ReferenceServer()
    : port_(vetrack::testing::FreePort()), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/vetrack/reference", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    ++requests_;
    if (!signature_.empty()) res.set_header(kSignatureHeader, signature_);
    res.set_content(body_, "application/json");
  });
  // SO_REUSEADDR, as the gateway binds (cpp-httplib's SO_REUSEPORT alone
  // cannot bind a claimed port whose last connections wait in TIME_WAIT).
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Listening before the constructor returns, so a client never races it.
  if (!server_->bind_to_port("127.0.0.1", port_)) {
    std::perror(("reference server: cannot bind 127.0.0.1:" + std::to_string(port_)).c_str());
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

ReferenceServer::~ReferenceServer() {
  server_->stop();
  thread_.join();
}

std::string ReferenceServer::endpoint() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/vetrack/reference");
}

void ReferenceServer::Serve(std::string body, std::string signature) {
  std::lock_guard<std::mutex> lock(mu_);
  body_ = std::move(body);
  signature_ = std::move(signature);
}

int ReferenceServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

}  // namespace vetrack::exchange::testing
