#ifndef VETRACK_SERVICES_VETCTL_EXPORT_COMMAND_H_
#define VETRACK_SERVICES_VETCTL_EXPORT_COMMAND_H_

#include "absl/status/status.h"
#include "command_context.h"

namespace vetrack::vetctl {

// export --year Y --out DIR: reads the year's accepted data from every
// service (through the gateway, like any command) and writes the files of
// export_dataset.h into DIR, which is made if missing.
absl::Status RunExport(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_EXPORT_COMMAND_H_
