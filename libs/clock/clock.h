#ifndef VETRACK_LIBS_CLOCK_CLOCK_H_
#define VETRACK_LIBS_CLOCK_CLOCK_H_

#include <atomic>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace vetrack {

// Time as the domain sees it; injected so deadlines and escalations can be
// tested without waiting.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_ns_(absl::ToUnixNanos(now)) {}
  absl::Time Now() const override { return absl::FromUnixNanos(now_ns_.load()); }
  void Set(absl::Time now) { now_ns_ = absl::ToUnixNanos(now); }
  void Advance(absl::Duration d) { now_ns_ += absl::ToInt64Nanoseconds(d); }

 private:
  std::atomic<int64_t> now_ns_;
};

// The district's time zone (Asia/Shanghai, UTC+8), for dates and deadlines.
absl::TimeZone DistrictTimeZone();

// The district's quarter containing `t`, as reporting periods are named:
// "2026-Q4".
std::string QuarterIdAt(absl::Time t);

// The last year a reporting period (a task quarter, a school year) may name.
// The plan runs to 2025 and the district keeps reporting after it, so a year
// past 2100 is a typo; a fixed bound rather than the clock's year keeps the
// parses pure. Times after 2262 would not fit the nanoseconds TimeToProto
// converts through, and render as the wrong dates.
inline constexpr int kLastPeriodYear = 2100;

}  // namespace vetrack

#endif  // VETRACK_LIBS_CLOCK_CLOCK_H_
