// The delivery loop's heartbeat, which the worker's liveness reads.
#include "heartbeat.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace vetrack::exchange {
namespace {

TEST(HeartbeatTest, ALoopSilentForLongerThanTheWindowReadsAsStalled) {
  Heartbeat heartbeat;
  EXPECT_TRUE(heartbeat.BeatWithin(absl::Hours(1)));  // a new loop has not stalled yet
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_FALSE(heartbeat.BeatWithin(absl::Milliseconds(10)));
  heartbeat.Beat();
  EXPECT_TRUE(heartbeat.BeatWithin(absl::Hours(1)));
}

}  // namespace
}  // namespace vetrack::exchange
