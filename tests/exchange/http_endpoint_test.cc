// A request to a municipal platform ends within --timeout-ms as a whole, not
// only each of its reads: a platform that trickles its answer must not hold a
// delivery past the exchange lease that counts on that bound.
#include "http_endpoint.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "batch_sender.h"
#include "reference_import.h"
#include "testing/ports.h"

namespace vetrack::exchange {
namespace {

// Answers a connection with a status line, then a header one byte every
// 20 ms for up to 20 s, then the end of the answer: every read the client
// makes gets a byte long before its read timeout, so only a bound on the
// whole request ends it sooner. Connection i trickles if trickle[i]; the
// others are answered at once.
class TricklingServer {
 public:
  explicit TricklingServer(std::vector<bool> trickle)
      : port_(vetrack::testing::FreePort()), trickle_(std::move(trickle)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    listening_ = bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                 listen(listener_, 4) == 0;
    thread_ = std::thread([this] { Serve(); });
  }
  ~TricklingServer() {
    stop_ = true;
    shutdown(listener_, SHUT_RDWR);  // wakes accept
    thread_.join();
    close(listener_);
  }
  TricklingServer(const TricklingServer&) = delete;
  TricklingServer& operator=(const TricklingServer&) = delete;

  bool listening() const { return listening_; }
  std::string url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  // Trickled answers that reached their end: the client waited them out.
  int trickles_finished() const { return trickles_finished_; }

 private:
  void Serve() {
    for (size_t connection = 0; !stop_; ++connection) {
      const int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      timeval second{1, 0};  // a client that sends nothing cannot hold the server
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof(second));
      char request[4096];
      (void)read(fd, request, sizeof(request));  // its start; the rest may stay unread
      const bool trickle = connection >= trickle_.size() || trickle_[connection];
      bool open = Write(fd, "HTTP/1.1 200 OK\r\nX-Slow: ");
      for (int i = 0; trickle && open && !stop_ && i < 1000; ++i) {
        open = Write(fd, "a");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (open && Write(fd, "\r\nContent-Length: 0\r\n\r\n") && trickle) ++trickles_finished_;
      close(fd);
    }
  }
  static bool Write(int fd, const std::string& bytes) {
    return send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  const int port_;
  const std::vector<bool> trickle_;
  int listener_ = -1;
  bool listening_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<int> trickles_finished_{0};
  std::thread thread_;
};

TEST(HttpEndpointTest, ARequestWhoseAnswerTricklesIsCutAtTheTimeout) {
  TricklingServer platform({true, false, true});
  ASSERT_TRUE(platform.listening());
  HttpEndpointOptions options;
  options.timeout = absl::Seconds(2);  // far above each 20 ms wait, far below 20 s

  auto sender = HttpBatchSender::Create(platform.url("/intake"), "secret", options);
  ASSERT_TRUE(sender.ok()) << sender.status();
  absl::Status sent = (*sender)->Send("b-1", R"({"batch_id":"b-1","entries":[]})");
  EXPECT_TRUE(absl::IsUnavailable(sent)) << sent;
  // The same sender delivers the next batch: the cut left it usable.
  absl::Status next = (*sender)->Send("b-2", R"({"batch_id":"b-2","entries":[]})");
  EXPECT_TRUE(next.ok()) << next;

  auto fetched = FetchReference(platform.url("/reference"), options);
  EXPECT_TRUE(absl::IsUnavailable(fetched.status())) << fetched.status();
  // Neither waited its answer out (20 s).
  EXPECT_EQ(platform.trickles_finished(), 0);
}

}  // namespace
}  // namespace vetrack::exchange
