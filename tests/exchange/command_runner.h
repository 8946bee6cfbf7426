#ifndef VETRACK_TESTS_EXCHANGE_COMMAND_RUNNER_H_
#define VETRACK_TESTS_EXCHANGE_COMMAND_RUNNER_H_

#include <string>
#include <vector>

// Runs one of the binaries to its end, as an operator would from a shell.
namespace vetrack::exchange::testing {

struct CommandResult {
  int exit_code = -1;
  // stdout and stderr together.
  std::string output;
};

CommandResult RunCommand(const std::vector<std::string>& argv);

// Writes `contents` to a fresh file in a temporary directory; its path.
std::string WriteTempFile(const std::string& name, const std::string& contents);

}  // namespace vetrack::exchange::testing

#endif  // VETRACK_TESTS_EXCHANGE_COMMAND_RUNNER_H_
