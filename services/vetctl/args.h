#ifndef VETRACK_SERVICES_VETCTL_ARGS_H_
#define VETRACK_SERVICES_VETCTL_ARGS_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/tls.h"

// The command line: words (command and arguments) and --options, which may
// appear anywhere. Anything wrong here is a usage error (exit 2), told apart
// from a failed call by a status payload.
namespace vetrack::vetctl {

struct CommandLine {
  // Command words and positional arguments, in order.
  std::vector<std::string> words;
  // Valued options by name without the dashes; repeats kept in order.
  std::map<std::string, std::vector<std::string>> options;
  // Options without a value (--json, --accept …).
  std::set<std::string> switches;
};

// Who vetctl calls, as whom, and how.
struct GlobalOptions {
  // Where each service listens (--addr is the task registry's).
  std::string address;
  std::string schools_address;
  std::string ledger_address;
  std::string evaluation_address;
  // The gateway's own methods (views, audit); every default address is the
  // gateway's, which forwards the services' methods.
  std::string gateway_address;
  // Sent as "authorization: Bearer <token>" when set: --token, else
  // $VETRACK_TOKEN, else one signed here for --as when a key file is given
  // (--token-key-file or $VETRACK_TOKEN_KEY_FILE).
  std::string token;
  std::string role;
  std::string unit;  // empty for roles not tied to a unit
  bool json = false;
  std::string plan_id;
  std::string request_id;
  absl::Duration timeout;
  // How every channel is secured, read once with the options: TLS when
  // --ca-file, --tls-cert or --tls-key names a file, else plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // The name to check the server's certificate against (--tls-server-name).
  std::string tls_server_name;
};

absl::Status UsageError(const std::string& message);
bool IsUsageError(const absl::Status& status);

// Moves the global options out of `line`, filling in defaults from the
// environment (VETRACK_TASKS_ADDR, VETRACK_SCHOOLS_ADDR, VETRACK_LEDGER_ADDR,
// VETRACK_GATEWAY_ADDR, VETRACK_AS, VETRACK_TOKEN, VETRACK_TOKEN_KEY_FILE).
absl::StatusOr<GlobalOptions> TakeGlobalOptions(CommandLine& line);

// A command's options. `repeatable` is the subset that may be given more
// than once.
struct OptionSpec {
  std::vector<std::string> valued;
  std::vector<std::string> repeatable;
  std::vector<std::string> switches;
};

// The options every command takes (--addr, --json …), and --help.
OptionSpec GlobalOptionSpec();

// Accepts --name value, --name=value, and "--" to end the options. `known`
// says which names take a value, so "--typo 21" is not read as --typo=21.
absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv, const OptionSpec& known);

// Usage error on an option the command does not take, or a single-valued
// option given twice.
absl::Status CheckOptions(const CommandLine& line, const OptionSpec& spec);

// The option's value, or "" when absent (CheckOptions has ruled out repeats).
std::string OptionValue(const CommandLine& line, const std::string& name);
absl::StatusOr<std::string> RequiredOption(const CommandLine& line, const std::string& name);
std::vector<std::string> OptionValues(const CommandLine& line, const std::string& name);
bool HasSwitch(const CommandLine& line, const std::string& name);

// A task number as the user typed it: a positive decimal integer.
absl::StatusOr<int> ParseTaskNumber(const std::string& text);

// 32 hex digits from /dev/urandom: a fresh idempotency key per invocation.
absl::StatusOr<std::string> RandomRequestId();

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_ARGS_H_
