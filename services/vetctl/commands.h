#ifndef VETRACK_SERVICES_VETCTL_COMMANDS_H_
#define VETRACK_SERVICES_VETCTL_COMMANDS_H_

#include <string>
#include <vector>

#include "args.h"
#include "command_context.h"

// Every vetctl command: its words, what it takes, and who runs it. The usage
// text is made from the same table, so it cannot forget a command.
namespace vetrack::vetctl {

struct CommandSpec {
  // The command words, e.g. {"tasks", "show"}.
  std::vector<std::string> words;
  // What follows the words in the usage text.
  std::string synopsis;
  std::string summary;
  // Positional arguments after the words.
  size_t arg_count = 0;
  OptionSpec options;
  CommandHandler run = nullptr;
  // Positional arguments that may follow those (the handler has a default).
  size_t optional_arg_count = 0;
};

const std::vector<CommandSpec>& Commands();

// Every option any command or the globals take, for parsing the line.
OptionSpec AllOptions();

// The command `words` starts with, or nullptr.
const CommandSpec* FindCommand(const std::vector<std::string>& words);

// Usage error unless `words` and `line` fit `spec`; otherwise the positional
// arguments after the command words.
absl::StatusOr<std::vector<std::string>> CheckInvocation(const CommandSpec& spec,
                                                         const CommandLine& line);

// Why `words` (which FindCommand did not match) is not a command.
std::string UnknownCommandMessage(const std::vector<std::string>& words);

std::string UsageText();

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_COMMANDS_H_
