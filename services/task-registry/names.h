#ifndef VETRACK_SERVICES_TASK_REGISTRY_NAMES_H_
#define VETRACK_SERVICES_TASK_REGISTRY_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Resource names of the registry (AIP-122): plans/{plan}/tasks/{number}, and
// below a task periods/{period}/progress/{unit} and periods/{period}/report.
namespace vetrack::tasks {

struct TaskRef {
  std::string plan_id;
  int number = 0;
};
// Task numbers run from 1 to this: lists page on the number written in six
// digits (so that "10" follows "9"), and a plan has a few dozen tasks.
inline constexpr int kMaxTaskNumber = 999999;

std::string TaskName(const std::string& plan_id, int number);
// INVALID_ARGUMENT on `field` when `name` is not plans/{plan}/tasks/{n}.
absl::StatusOr<TaskRef> ParseTaskName(const std::string& name, const std::string& field);
std::string ProgressName(const std::string& task_name, const std::string& period_id,
                         const std::string& unit);
std::string ReportName(const std::string& task_name, const std::string& period_id);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_NAMES_H_
