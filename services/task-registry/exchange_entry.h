#ifndef VETRACK_SERVICES_TASK_REGISTRY_EXCHANGE_ENTRY_H_
#define VETRACK_SERVICES_TASK_REGISTRY_EXCHANGE_ENTRY_H_

#include <string>

#include "absl/time/time.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::tasks {

// The outbox list the registry appends accepted reports to.
std::string TaskRegistryOutboxKey();

// The exchange entry (schema vetrack.exchange.v1, kind "task_report.accepted")
// for `report` of `task`, just accepted at `accepted_time`.
std::string AcceptedReportEntry(const v1::Task& task, const v1::TaskReport& report,
                                absl::Time accepted_time);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_EXCHANGE_ENTRY_H_
