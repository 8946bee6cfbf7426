#ifndef VETRACK_SERVICES_EXCHANGE_HEARTBEAT_H_
#define VETRACK_SERVICES_EXCHANGE_HEARTBEAT_H_

#include <atomic>
#include <cstdint>

#include "absl/time/time.h"

namespace vetrack::exchange {

// When the delivery loop last showed it was moving: it beats between its
// steps (each wait's slices, each batch), and the liveness probe, on another
// thread, asks whether it has beaten lately. The loop's longest step is one
// request to the platform or one Redis call, each cut at its timeout, so a
// loop silent for much longer is stuck, and only a restart frees it.
class Heartbeat {
 public:
  Heartbeat();
  void Beat();
  bool BeatWithin(absl::Duration window) const;

 private:
  // Monotonic: a wall clock set back would make an old beat look fresh.
  static int64_t NowNanos();
  std::atomic<int64_t> last_beat_nanos_;
};

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_HEARTBEAT_H_
