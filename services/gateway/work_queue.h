#ifndef VETRACK_SERVICES_GATEWAY_WORK_QUEUE_H_
#define VETRACK_SERVICES_GATEWAY_WORK_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vetrack::gateway {

// A few threads for work that blocks (Redis reads of the audit trail), kept
// off gRPC's callback threads, which must never block.
class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  // Runs what is queued, then joins.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void Post(std::function<void()> work);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_WORK_QUEUE_H_
