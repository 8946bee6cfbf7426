#ifndef VETRACK_SERVICES_VETCTL_REFERENCE_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_REFERENCE_COMMANDS_H_

#include "absl/status/status.h"
#include "command_context.h"

// vetctl's reference-data commands: importing institutions and the major
// catalog from a file (JSON or CSV, see reference_files.h), listing majors,
// and the history of imports and reporting windows.
namespace vetrack::vetctl {

absl::Status RunInstitutionsImport(const CommandContext& context);
absl::Status RunMajorsImport(const CommandContext& context);
absl::Status RunMajorsList(const CommandContext& context);
absl::Status RunReferenceHistory(const CommandContext& context);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_REFERENCE_COMMANDS_H_
