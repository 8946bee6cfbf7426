#include "heartbeat.h"

#include <chrono>

namespace vetrack::exchange {

Heartbeat::Heartbeat() : last_beat_nanos_(NowNanos()) {}

void Heartbeat::Beat() { last_beat_nanos_.store(NowNanos(), std::memory_order_relaxed); }

bool Heartbeat::BeatWithin(absl::Duration window) const {
  const int64_t silent = NowNanos() - last_beat_nanos_.load(std::memory_order_relaxed);
  return absl::Nanoseconds(silent) <= window;
}

int64_t Heartbeat::NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace vetrack::exchange
