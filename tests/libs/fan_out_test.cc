#include "rpc/fan_out.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace vetrack {
namespace {

// Calls that finish on threads of their own, the way gRPC runs an async
// stub's callbacks; odd calls fail. No call finishes before `overlap` of them
// have been in flight at once (or all `total` have started): so a FanOut that
// keeps calls in flight together is seen doing so, whatever the scheduler
// does. One that ran them one after another would never open the gate: its
// calls give up waiting after a while and max_in_flight() tells.
class FakeCalls {
 public:
  FakeCalls(int overlap, int total) : overlap_(overlap), total_(total) {}

  ~FakeCalls() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  void Start(size_t i, CallDone done) {
    std::lock_guard<std::mutex> lock(mu_);
    ++started_;
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    if (in_flight_ >= overlap_ || started_ == total_) opened_ = true;
    gate_.notify_all();
    threads_.emplace_back([this, i, done = std::move(done)] {
      {
        std::unique_lock<std::mutex> lock(mu_);
        gate_.wait_for(lock, std::chrono::seconds(2), [this] { return opened_; });
        --in_flight_;
      }
      done(i % 2 == 1 ? grpc::Status(grpc::StatusCode::ABORTED, std::to_string(i))
                      : grpc::Status::OK);
    });
  }

  int max_in_flight() const {
    std::lock_guard<std::mutex> lock(mu_);
    return max_in_flight_;
  }

 private:
  const int overlap_;
  const int total_;
  mutable std::mutex mu_;
  std::condition_variable gate_;
  int started_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  bool opened_ = false;
  std::vector<std::thread> threads_;
};

TEST(FanOutTest, EveryCallRunsOnceWithItsOwnStatusAndNoMoreThanTheLimitAtOnce) {
  FakeCalls calls(/*overlap=*/3, /*total=*/10);
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
  EXPECT_EQ(calls.max_in_flight(), 3) << "never more than the limit, and up to it";
}

TEST(FanOutTest, FewerCallsThanTheLimitOrNoneAtAll) {
  FakeCalls calls(/*overlap=*/2, /*total=*/2);
  auto two = FanOut(2, 8, [&](size_t i, CallDone done) { calls.Start(i, std::move(done)); });
  ASSERT_EQ(two.size(), 2u);
  EXPECT_TRUE(two[0].ok());
  EXPECT_FALSE(two[1].ok());
  EXPECT_EQ(calls.max_in_flight(), 2);
  bool started = false;
  EXPECT_TRUE(FanOut(0, 3, [&](size_t, CallDone) { started = true; }).empty());
  EXPECT_FALSE(started);
}

}  // namespace
}  // namespace vetrack
