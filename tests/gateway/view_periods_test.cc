// What the views show by default: the quarter whose filings are due next,
// and the academic and calendar years of the reports.
#include <gtest/gtest.h>

#include "clock/clock.h"
#include "views.h"

namespace vetrack::gateway {
namespace {

absl::Time DistrictTime(int year, int month, int day, int hour = 12) {
  return absl::FromCivil(absl::CivilHour(year, month, day, hour), DistrictTimeZone());
}

const absl::Duration kTenDays = absl::Hours(24 * 10);

// Found in review: from 1 to 10 January the views showed Q1, owed by no one
// yet, while Q4's filings were due within days.
TEST(ViewPeriodsTest, TheQuarterJustEndedUntilItsDeadlineThenTheOneUnderWay) {
  EXPECT_EQ(DefaultPeriods(DistrictTime(2027, 1, 5), kTenDays).quarter, "2026-Q4");
  EXPECT_EQ(DefaultPeriods(DistrictTime(2027, 1, 10, 23), kTenDays).quarter, "2026-Q4");
  // The deadline is 11 January 00:00: from then Q1 is what is due next.
  EXPECT_EQ(DefaultPeriods(DistrictTime(2027, 1, 11, 0), kTenDays).quarter, "2027-Q1");
  EXPECT_EQ(DefaultPeriods(DistrictTime(2026, 11, 30), kTenDays).quarter, "2026-Q4");
  EXPECT_EQ(DefaultPeriods(DistrictTime(2026, 7, 3), kTenDays).quarter, "2026-Q2");
  EXPECT_EQ(DefaultPeriods(DistrictTime(2026, 7, 3), absl::ZeroDuration()).quarter, "2026-Q3");
}

TEST(ViewPeriodsTest, TheReportsYearsDoNotWaitForTheQuartersDeadline) {
  ViewPeriods january = DefaultPeriods(DistrictTime(2027, 1, 5), kTenDays);
  EXPECT_EQ(january.data_period_id, "ay2025");  // the academic year that ended in August 2026
  EXPECT_EQ(january.results_year, 2025);
  EXPECT_EQ(january.quality_period_id, "cy2026");
  EXPECT_EQ(january.training_year, 2027);
  ViewPeriods autumn = DefaultPeriods(DistrictTime(2026, 9, 1), kTenDays);
  EXPECT_EQ(autumn.data_period_id, "ay2025");
  EXPECT_EQ(autumn.quarter, "2026-Q3");
}

// A caller who names the year means it throughout, as far as its reports
// are due: naming a year whose reports are not due yet keeps the latest
// there are (found in review: every school would have read as missing).
TEST(ViewPeriodsTest, ANamedYearIsThatYearsAsFarAsItsReportsAreDue) {
  ViewPeriods now = DefaultPeriods(DistrictTime(2026, 12, 2), kTenDays);
  ViewPeriods past = PeriodsOfYear(now, 2023);
  EXPECT_EQ(past.data_period_id, "ay2023");
  EXPECT_EQ(past.quality_period_id, "cy2023");
  EXPECT_EQ(past.training_year, 2023);
  EXPECT_EQ(past.quarter, now.quarter);
  ViewPeriods next = PeriodsOfYear(now, 2027);
  EXPECT_EQ(next.data_period_id, "ay2025");
  EXPECT_EQ(next.quality_period_id, "cy2025");
  EXPECT_EQ(next.training_year, 2027);
}

}  // namespace
}  // namespace vetrack::gateway
