#ifndef VETRACK_LIBS_REDIS_AWAIT_H_
#define VETRACK_LIBS_REDIS_AWAIT_H_

#include <future>
#include <utility>

namespace vetrack::redis {

// The blocking form of an asynchronous call: `start` is given the callback
// to hand its answer to, and Await returns that answer once it is handed.
// Never call it from a thread that must run the callback itself (whichever
// is sending a CommandBatcher's batches, see BatchSender): it would wait for
// itself.
template <typename Answer, typename Start>
Answer Await(Start&& start) {
  std::promise<Answer> answer;
  auto answered = answer.get_future();
  std::forward<Start>(start)([&answer](Answer got) { answer.set_value(std::move(got)); });
  return answered.get();
}

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_AWAIT_H_
