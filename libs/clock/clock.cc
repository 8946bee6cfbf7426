#include "clock/clock.h"

namespace vetrack {

absl::TimeZone DistrictTimeZone() {
  // A fixed offset: China has no daylight saving, and this needs no tzdata.
  return absl::FixedTimeZone(8 * 60 * 60);
}

}  // namespace vetrack
