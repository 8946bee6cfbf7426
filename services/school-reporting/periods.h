#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_PERIODS_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_PERIODS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clock/clock.h"
#include "names.h"
#include "vetrack/schools/v1/schools.pb.h"

// Reporting periods in the district's time zone: academic years "ay2025"
// (2025-09-01 … 2026-08-31) for data reports, calendar years "cy2025" for
// quality reports. Each has a window: reports are accepted from its open
// time, and after its close time they are still accepted but flagged late.
namespace vetrack::schools {

// Default windows, used unless the coordinator sets a period's own
// (UpdatePeriod).
struct PeriodPolicy {
  // The plan's first year: no period starts before it.
  int first_year = 2021;
  // A data report opens when its academic year begins and closes this long
  // after the year ends. The report describes the year's first day (学年初,
  // items.cc), so it can be made at once; the default is generous, and the
  // coordinator sets the district's due date per period (UpdatePeriod).
  absl::Duration data_close_after = absl::Hours(24 * 30);
  // A quality report on a calendar year opens when the year is over and
  // closes after this many whole months: by default at the end of March.
  // Months, not days: 90 days ended on 30 March in a leap year.
  int quality_close_months = 3;
};

struct PeriodRef {
  v1::PeriodKind kind = v1::PERIOD_KIND_UNSPECIFIED;
  int year = 0;

  std::string id() const;
};

// INVALID_ARGUMENT on `field` unless `id` is ayYYYY or cyYYYY with YYYY from
// 2000 to kLastPeriodYear.
absl::StatusOr<PeriodRef> ParsePeriodId(const std::string& id, const std::string& field);

// The period kind a report kind is filed for.
v1::PeriodKind ReportPeriodKind(ReportKind kind);

// The period with its default window.
v1::Period DefaultPeriod(const PeriodRef& ref, const PeriodPolicy& policy);

// INVALID_ARGUMENT on `field` for a period before the plan's first year.
absl::Status CheckWithinPlan(const PeriodRef& ref, const PeriodPolicy& policy,
                             const std::string& field);

// FAILED_PRECONDITION (PERIOD_NOT_OPEN) before the period's window opens.
absl::Status CheckOpen(const v1::Period& period, absl::Time now);

// Whether `period` counts `institution`: it is not counted only from a later
// year (first_year), so it existed then and owes the period its report.
inline bool CountedIn(const v1::Institution& institution, const PeriodRef& period) {
  return institution.first_year() <= period.year;
}

// FAILED_PRECONDITION (NOT_YET_COUNTED) unless CountedIn: an institution that
// did not exist then owes no report, and a report would count nowhere.
absl::Status CheckCountedIn(const v1::Institution& institution, const std::string& period_id);

bool IsLate(const v1::Period& period, absl::Time now);

// Every period of `kind` (both kinds when UNSPECIFIED) from the plan's first
// year that has begun by `now`, oldest first.
std::vector<PeriodRef> BegunPeriods(v1::PeriodKind kind, const PeriodPolicy& policy,
                                    absl::Time now);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_PERIODS_H_
