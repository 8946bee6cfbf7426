#ifndef VETRACK_SERVICES_VETCTL_COMMAND_CONTEXT_H_
#define VETRACK_SERVICES_VETCTL_COMMAND_CONTEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "args.h"
#include "google/protobuf/timestamp.pb.h"
#include "registry_client.h"

// What a command handler gets: its arguments and options (already checked
// against the command's spec), the global options and the client.
namespace vetrack::vetctl {

struct CommandContext {
  // Positional arguments after the command words; as many as the spec says
  // (its optional ones may be missing).
  std::vector<std::string> args;
  CommandLine line;
  GlobalOptions global;
  RegistryClient* client = nullptr;
};

using CommandHandler = absl::Status (*)(const CommandContext& context);

// plans/{plan}
std::string PlanName(const GlobalOptions& global);
// plans/{plan}/tasks/{n} from the task number in the first argument.
absl::StatusOr<std::string> TaskNameFromArgs(const CommandContext& context);

// The unit the first argument names, else the caller's own (its token's, or
// --as ROLE:UNIT without one): a unit looks at its own workbench without
// naming itself. Usage error when neither names one.
absl::StatusOr<std::string> UnitFromArgsOrCaller(const CommandContext& context);
// As UnitFromArgsOrCaller, for the option --unit.
absl::StatusOr<std::string> UnitFromOptionOrCaller(const CommandContext& context);

// The option --NAME as a date YYYY-MM-DD, midnight in the district; a usage
// error when it is missing or not a date.
absl::StatusOr<google::protobuf::Timestamp> DateOption(const CommandContext& context,
                                                       const std::string& name);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_COMMAND_CONTEXT_H_
