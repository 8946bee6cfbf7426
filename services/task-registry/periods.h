#ifndef VETRACK_SERVICES_TASK_REGISTRY_PERIODS_H_
#define VETRACK_SERVICES_TASK_REGISTRY_PERIODS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// Reporting periods are calendar quarters in the district's time zone, named
// "2026-Q3". Progress and reports for a quarter are due `grace` after it ends.
namespace vetrack::tasks {

// INVALID_ARGUMENT on period_id when `id` is not YYYY-Qn with YYYY from 2000
// to kLastPeriodYear.
absl::StatusOr<v1::Period> ParsePeriod(const std::string& id, absl::Duration grace);

// INVALID_ARGUMENT on period_id unless the period lies between the plan's
// first quarter and the current one: reports are filed for quarters that have
// begun, and the district keeps reporting after the plan's horizon ends.
absl::Status CheckReportable(const v1::Period& period, const v1::Plan& plan, absl::Time now);

// Every reportable quarter of the plan up to now, oldest first.
std::vector<v1::Period> ReportablePeriods(const v1::Plan& plan, absl::Time now,
                                          absl::Duration grace);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_PERIODS_H_
