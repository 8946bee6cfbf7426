#include "clock/clock.h"

#include "absl/strings/str_cat.h"

namespace vetrack {

absl::TimeZone DistrictTimeZone() {
  // A fixed offset: China has no daylight saving, and this needs no tzdata.
  return absl::FixedTimeZone(8 * 60 * 60);
}

std::string QuarterIdAt(absl::Time t) {
  absl::CivilDay day = absl::ToCivilDay(t, DistrictTimeZone());
  return absl::StrCat(day.year(), "-Q", (day.month() - 1) / 3 + 1);
}

}  // namespace vetrack
