#include "command_runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>

namespace vetrack::exchange::testing {
namespace {

std::string ShellQuoted(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& word : argv) command += ShellQuoted(word) + " ";
  command += "2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string WriteTempFile(const std::string& name, const std::string& contents) {
  char dir[] = "/tmp/vetrack-exchange-files-XXXXXX";
  const std::string path = std::string(mkdtemp(dir)) + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

}  // namespace vetrack::exchange::testing
