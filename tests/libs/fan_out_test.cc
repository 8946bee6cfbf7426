#include "rpc/fan_out.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace vetrack {
namespace {

// Calls that finish on threads of their own a moment after they start, the
// way gRPC runs an async stub's callbacks; odd calls fail.
class FakeCalls {
 public:
  ~FakeCalls() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : threads_) t.join();
  }

  void Start(size_t i, CallDone done) {
    const int now = ++in_flight_;
    int seen = max_in_flight_.load();
    while (now > seen && !max_in_flight_.compare_exchange_weak(seen, now)) {
    }
    std::lock_guard<std::mutex> lock(mu_);
    threads_.emplace_back([this, i, done = std::move(done)] {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      --in_flight_;
      done(i % 2 == 1 ? grpc::Status(grpc::StatusCode::ABORTED, std::to_string(i))
                      : grpc::Status::OK);
    });
  }

  int max_in_flight() const { return max_in_flight_; }

 private:
  std::atomic<int> in_flight_{0};
  std::atomic<int> max_in_flight_{0};
  std::mutex mu_;
  std::vector<std::thread> threads_;
};

TEST(FanOutTest, EveryCallRunsOnceWithItsOwnStatusAndNoMoreThanTheLimitAtOnce) {
  FakeCalls calls;
  std::vector<int> started(10, 0);
  std::vector<grpc::Status> statuses = FanOut(10, 3, [&](size_t i, CallDone done) {
    ++started[i];
    calls.Start(i, std::move(done));
  });
  ASSERT_EQ(statuses.size(), 10u);
  for (size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(started[i], 1) << i;
    EXPECT_EQ(statuses[i].ok(), i % 2 == 0) << i;
    if (i % 2 == 1) {
      EXPECT_EQ(statuses[i].error_message(), std::to_string(i));
    }
  }
  EXPECT_LE(calls.max_in_flight(), 3);
  EXPECT_GE(calls.max_in_flight(), 2) << "the calls ran one after another";
}

TEST(FanOutTest, FewerCallsThanTheLimitOrNoneAtAll) {
  FakeCalls calls;
  auto two = FanOut(2, 8, [&](size_t i, CallDone done) { calls.Start(i, std::move(done)); });
  ASSERT_EQ(two.size(), 2u);
  EXPECT_TRUE(two[0].ok());
  EXPECT_FALSE(two[1].ok());
  bool started = false;
  EXPECT_TRUE(FanOut(0, 3, [&](size_t, CallDone) { started = true; }).empty());
  EXPECT_FALSE(started);
}

}  // namespace
}  // namespace vetrack
