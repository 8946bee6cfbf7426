#include "names.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::tasks {

std::string TaskName(const std::string& plan_id, int number) {
  return absl::StrCat("plans/", plan_id, "/tasks/", number);
}

absl::StatusOr<TaskRef> ParseTaskName(const std::string& name, const std::string& field) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  TaskRef ref;
  if (parts.size() != 4 || parts[0] != "plans" || parts[2] != "tasks" ||
      !IsValidResourceId(parts[1]) || !absl::SimpleAtoi(parts[3], &ref.number) || ref.number <= 0 ||
      ref.number > kMaxTaskNumber ||
      parts[3] != absl::StrCat(ref.number)) {  // one name per task: no "06", "+6", " 6"
    return InvalidField(field, absl::StrCat("'", name.substr(0, 128),
                                            "' is not a task name plans/{plan}/tasks/{number}"));
  }
  ref.plan_id = std::string(parts[1]);
  return ref;
}

std::string ProgressName(const std::string& task_name, const std::string& period_id,
                         const std::string& unit) {
  return absl::StrCat(task_name, "/periods/", period_id, "/progress/", unit);
}

std::string ReportName(const std::string& task_name, const std::string& period_id) {
  return absl::StrCat(task_name, "/periods/", period_id, "/report");
}

}  // namespace vetrack::tasks
