#include "command_line_for_test.h"

#include <cstdlib>

#include "commands.h"

namespace vetrack::vetctl {

absl::StatusOr<CommandContext> ContextFor(std::vector<std::string> args) {
  for (const char* name : {"VETRACK_AS", "VETRACK_TOKEN", "VETRACK_TOKEN_KEY_FILE"}) {
    unsetenv(name);
  }
  args.insert(args.begin(), "vetctl");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto line = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), AllOptions());
  if (!line.ok()) return line.status();
  const CommandSpec* command = FindCommand(line->words);
  if (command == nullptr) return absl::NotFoundError("no such command");
  auto global = TakeGlobalOptions(*line);
  if (!global.ok()) return global.status();
  auto positional = CheckInvocation(*command, *line);
  if (!positional.ok()) return positional.status();
  return CommandContext{*std::move(positional), *std::move(line), *std::move(global), nullptr};
}

}  // namespace vetrack::vetctl
