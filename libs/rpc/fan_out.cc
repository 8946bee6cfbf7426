#include "rpc/fan_out.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace vetrack {

std::vector<grpc::Status> FanOut(size_t count, size_t max_in_flight,
                                 const std::function<void(size_t i, CallDone done)>& start) {
  std::vector<grpc::Status> statuses(count);
  std::mutex mu;
  std::condition_variable all_done;
  size_t pending = count;
  size_t next = 0;  // the next call to start; guarded by mu
  // Each finished call starts the next one, so at most max_in_flight run.
  // Once the last is done this function may return and its locals go: the
  // callback touches none of them after that (count is its own copy).
  std::function<void(size_t)> launch = [&](size_t i) {
    start(i, [&, i, count](grpc::Status status) {
      size_t to_start = count;
      {
        std::lock_guard<std::mutex> lock(mu);
        statuses[i] = std::move(status);
        if (next < count) to_start = next++;
        if (--pending == 0) {
          all_done.notify_one();
          return;
        }
      }
      // Still pending: this function waits at least for the call started here.
      if (to_start < count) launch(to_start);
    });
  };
  std::vector<size_t> first;
  {
    std::lock_guard<std::mutex> lock(mu);
    next = std::min(count, std::max<size_t>(1, max_in_flight));
    for (size_t i = 0; i < next; ++i) first.push_back(i);
  }
  for (size_t i : first) launch(i);
  std::unique_lock<std::mutex> lock(mu);
  all_done.wait(lock, [&] { return pending == 0; });
  return statuses;
}

}  // namespace vetrack
