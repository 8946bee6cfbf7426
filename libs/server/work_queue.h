#ifndef VETRACK_LIBS_SERVER_WORK_QUEUE_H_
#define VETRACK_LIBS_SERVER_WORK_QUEUE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vetrack {

// A few threads for work that blocks (a Redis read, a careful write), handed
// over by code that must never block: gRPC's callback threads and the thread
// that reads Redis's replies.
class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  // Runs what is queued, then joins: every piece of work answers someone.
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

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_WORK_QUEUE_H_
