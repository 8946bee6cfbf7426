#ifndef VETRACK_SERVICES_VETCTL_TASK_CORRECTION_H_
#define VETRACK_SERVICES_VETCTL_TASK_CORRECTION_H_

#include <string>

#include "absl/status/statusor.h"
#include "args.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::vetctl {

// The UpdateTask request `tasks correct` sends for the task `task_name`: the
// fields the line gives (--lead, --co, --text, --section) and an update mask
// naming them, guarded by --etag (required). A usage error when it gives no
// field or no etag.
absl::StatusOr<tasks::v1::UpdateTaskRequest> TaskCorrection(const CommandLine& line,
                                                            const std::string& task_name,
                                                            const std::string& request_id);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_TASK_CORRECTION_H_
