// vetctl: the command line for the task registry. This file only dispatches;
// commands.cc lists the commands.
#include <iostream>

#include "args.h"
#include "command_context.h"
#include "commands.h"
#include "output.h"
#include "registry_client.h"

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int ExitWith(const absl::Status& status) {
  if (status.ok()) return 0;
  if (vetrack::vetctl::IsUsageError(status)) {
    std::cerr << "vetctl: " << status.message() << "\n(vetctl help lists the commands)\n";
    return kExitUsage;
  }
  vetrack::vetctl::PrintError(std::cerr, status);
  return kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vetrack::vetctl;

  absl::StatusOr<CommandLine> line = ParseCommandLine(argc, argv, AllOptions());
  if (!line.ok()) return ExitWith(line.status());
  if (line->words.empty() || line->words.front() == "help" || HasSwitch(*line, "help")) {
    // Asked for, it goes to stdout (to page through) and succeeds (found in
    // use: a script's help probe failed); as a complaint, to stderr.
    bool asked = !line->words.empty() || HasSwitch(*line, "help");
    (asked ? std::cout : std::cerr) << UsageText();
    return asked ? 0 : kExitUsage;
  }
  const CommandSpec* command = FindCommand(line->words);
  if (command == nullptr) {
    std::cerr << "vetctl: " << UnknownCommandMessage(line->words) << "\n\n" << UsageText();
    return kExitUsage;
  }

  absl::StatusOr<GlobalOptions> global = TakeGlobalOptions(*line);
  if (!global.ok()) return ExitWith(global.status());
  absl::StatusOr<std::vector<std::string>> args = CheckInvocation(*command, *line);
  if (!args.ok()) return ExitWith(args.status());

  RegistryClient client(*global);
  CommandContext context{*std::move(args), *std::move(line), *global, &client};
  return ExitWith(command->run(context));
}
