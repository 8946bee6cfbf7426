#include "args.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/principal.h"
#include "auth/token.h"
#include "decimal.h"

namespace vetrack::vetctl {
namespace {

// The account running vetctl, as the system names its uid ($USER is
// whatever the caller set; containers and cron jobs often set none), else
// the uid. Self-asserted all the same: who holds the key file signs any name.
std::string LocalUserName() {
  if (const passwd* entry = getpwuid(geteuid()); entry != nullptr) {
    if (CheckTokenHolder(absl::StrCat("vetctl:", entry->pw_name)).ok()) return entry->pw_name;
  }
  return absl::StrCat("uid", geteuid());
}

constexpr char kUsagePayloadUrl[] = "vetctl/usage";
// The gateway: it forwards every service's methods, so one address serves all.
constexpr char kDefaultAddress[] = "localhost:50050";
// How long a token vetctl signs for itself stays valid.
constexpr absl::Duration kSelfSignedTokenLifetime = absl::Minutes(10);
constexpr char kDefaultCaller[] = "coordinator";
constexpr char kDefaultPlanId[] = "jiangjin-vet-2021";
constexpr char kDefaultTimeoutSeconds[] = "10";

bool Contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// Takes the single value of a global option out of the line.
absl::StatusOr<std::string> TakeOption(CommandLine& line, const std::string& name,
                                       const std::string& fallback) {
  auto it = line.options.find(name);
  if (it == line.options.end()) return fallback;
  std::vector<std::string> values = std::move(it->second);
  line.options.erase(it);
  if (values.size() > 1) return UsageError(absl::StrCat("--", name, " given more than once"));
  if (values.front().empty()) return UsageError(absl::StrCat("--", name, " must not be empty"));
  return values.front();
}

absl::Status ParseCaller(const std::string& value, GlobalOptions* options) {
  size_t colon = value.find(':');
  options->role = value.substr(0, colon);
  options->unit = colon == std::string::npos ? "" : value.substr(colon + 1);
  // The server decides what the caller may do; this only catches a caller
  // it would not recognise at all, with advice in command-line terms.
  absl::StatusOr<Principal> principal = ParsePrincipal(options->role, options->unit);
  if (!principal.ok()) {
    return UsageError(
        absl::StrCat("--as ", value, ": ", principal.status().message(),
                     "; use ROLE[:UNIT], e.g. coordinator, department:edu or school:cqvie"));
  }
  return absl::OkStatus();
}

absl::Status ParsePlan(const std::string& value, GlobalOptions* options) {
  std::string id = value;
  if (absl::StartsWith(id, "plans/")) id = id.substr(6);
  // Task names are built from the id, so it must stay one path segment.
  if (id.empty() || absl::StrContains(id, "/")) {
    return UsageError(absl::StrCat("--plan ", value, ": expected plans/ID"));
  }
  options->plan_id = id;
  return absl::OkStatus();
}

absl::Status ParseTimeout(const std::string& value, GlobalOptions* options) {
  double seconds = 0;
  // At most a day: a deadline further off is no deadline, and would not fit
  // in the clock's nanoseconds.
  if (!ParseDecimal(value, &seconds) || seconds <= 0 || seconds > 86400) {
    return UsageError(absl::StrCat("--timeout ", value,
                                   ": expected a positive number of seconds, at most 86400"));
  }
  options->timeout = absl::Seconds(seconds);
  return absl::OkStatus();
}

// The bearer token: given, or signed here for the --as identity. An --as on
// the command line wins over $VETRACK_TOKEN: vetctl then signs for it when it
// holds the key, and refuses when the environment's token is someone else's,
// rather than act as one caller while the user named another.
absl::Status TakeToken(CommandLine& line, bool as_given, GlobalOptions* options) {
  const bool token_given = line.options.count("token") > 0;
  absl::StatusOr<std::string> token = TakeOption(line, "token", EnvOr("VETRACK_TOKEN", ""));
  if (!token.ok()) return token.status();
  absl::StatusOr<std::string> key_file =
      TakeOption(line, "token-key-file", EnvOr("VETRACK_TOKEN_KEY_FILE", ""));
  if (!key_file.ok()) return key_file.status();
  options->token = *token;
  if (as_given && !token_given && !options->token.empty()) {
    absl::StatusOr<Principal> named = ParsePrincipal(options->role, options->unit);
    if (!named.ok()) return named.status();
    absl::StatusOr<Principal> held = UnverifiedPrincipal(options->token);
    if (!held.ok() || held->ToString() != named->ToString()) {
      if (key_file->empty()) {
        return UsageError(absl::StrCat("--as ", named->ToString(),
                                       ", but $VETRACK_TOKEN is a token of ",
                                       held.ok() ? held->ToString() : "another caller",
                                       ": give --token, or --token-key-file to sign one for --as"));
      }
      options->token.clear();  // signed for --as below
    }
  }
  if (!as_given && !options->token.empty()) {
    // Who the token says calls, for what is shown to whom (a school's own
    // scores); the service checks the token itself.
    if (absl::StatusOr<Principal> held = UnverifiedPrincipal(options->token); held.ok()) {
      options->role = RoleName(held->role);
      options->unit = held->unit;
    }
  }
  if (!options->token.empty() || key_file->empty()) return absl::OkStatus();
  absl::StatusOr<TokenKeys> keys = TokenKeys::FromFile(*key_file);
  if (!keys.ok()) return UsageError(absl::StrCat("--token-key-file: ", keys.status().message()));
  absl::StatusOr<Principal> caller = ParsePrincipal(options->role, options->unit);
  if (!caller.ok()) return caller.status();
  // Signed here, the token is held by whoever runs vetctl.
  options->token =
      keys->Sign(*caller, absl::Now() + kSelfSignedTokenLifetime, "vetctl:" + LocalUserName());
  return absl::OkStatus();
}

// The channels' credentials, from the TLS files read here (a wrong path is a
// usage error).
absl::Status TakeTls(CommandLine& line, GlobalOptions* options) {
  TlsFiles files;
  std::string server_name;
  struct Flag {
    const char* name;
    const char* env;
    std::string* value;
  };
  for (const Flag& flag : {Flag{"ca-file", "VETRACK_CA_FILE", &files.ca_file},
                           Flag{"tls-cert", "VETRACK_TLS_CERT", &files.cert_file},
                           Flag{"tls-key", "VETRACK_TLS_KEY", &files.key_file},
                           Flag{"tls-server-name", "VETRACK_TLS_SERVER_NAME", &server_name}}) {
    absl::StatusOr<std::string> value = TakeOption(line, flag.name, EnvOr(flag.env, ""));
    if (!value.ok()) return value.status();
    *flag.value = *value;
  }
  auto credentials = ChannelCredentialsFromFiles(files);
  if (!credentials.ok()) return UsageError(absl::StrCat("--", credentials.status().message()));
  options->credentials = *std::move(credentials);
  options->tls_server_name = server_name;
  return absl::OkStatus();
}

}  // namespace

absl::Status UsageError(const std::string& message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kUsagePayloadUrl, absl::Cord("1"));
  return status;
}

bool IsUsageError(const absl::Status& status) {
  return status.GetPayload(kUsagePayloadUrl).has_value();
}

OptionSpec GlobalOptionSpec() {
  return OptionSpec{{"addr", "schools-addr", "ledger-addr", "evaluation-addr", "gateway-addr", "as",
                     "plan", "request-id", "timeout", "token", "token-key-file", "ca-file",
                     "tls-cert", "tls-key", "tls-server-name"},
                    {},
                    {"json", "help"}};
}

absl::StatusOr<CommandLine> ParseCommandLine(int argc, char** argv, const OptionSpec& known) {
  CommandLine line;
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    const std::string token = argv[i];
    if (options_ended || !absl::StartsWith(token, "-") || token == "-") {
      line.words.push_back(token);
      continue;
    }
    if (token == "--") {
      options_ended = true;
      continue;
    }
    if (token == "-h") {
      line.switches.insert("help");
      continue;
    }
    if (!absl::StartsWith(token, "--")) {
      // A single dash: most likely a negative number, which the command
      // rejects with a precise message.
      line.words.push_back(token);
      continue;
    }
    const size_t equals = token.find('=');
    const std::string name = token.substr(2, equals == std::string::npos ? equals : equals - 2);
    if (name.empty()) return UsageError(absl::StrCat("malformed option '", token, "'"));
    if (Contains(known.switches, name)) {
      if (equals != std::string::npos) {
        return UsageError(absl::StrCat("--", name, " takes no value"));
      }
      line.switches.insert(name);
      continue;
    }
    if (!Contains(known.valued, name)) return UsageError(absl::StrCat("unknown option --", name));
    if (equals != std::string::npos) {
      line.options[name].push_back(token.substr(equals + 1));
      continue;
    }
    // A value that looks like an option is more likely a forgotten value;
    // --name=--value still passes one on purpose.
    if (i + 1 >= argc || absl::StartsWith(argv[i + 1], "--")) {
      return UsageError(absl::StrCat("--", name, " needs a value"));
    }
    line.options[name].push_back(argv[++i]);
  }
  return line;
}

absl::StatusOr<GlobalOptions> TakeGlobalOptions(CommandLine& line) {
  GlobalOptions options;
  options.json = line.switches.erase("json") > 0;

  absl::StatusOr<std::string> address =
      TakeOption(line, "addr", EnvOr("VETRACK_TASKS_ADDR", kDefaultAddress));
  if (!address.ok()) return address.status();
  options.address = *address;
  absl::StatusOr<std::string> schools_address =
      TakeOption(line, "schools-addr", EnvOr("VETRACK_SCHOOLS_ADDR", kDefaultAddress));
  if (!schools_address.ok()) return schools_address.status();
  options.schools_address = *schools_address;
  absl::StatusOr<std::string> ledger_address =
      TakeOption(line, "ledger-addr", EnvOr("VETRACK_LEDGER_ADDR", kDefaultAddress));
  if (!ledger_address.ok()) return ledger_address.status();
  options.ledger_address = *ledger_address;
  absl::StatusOr<std::string> evaluation_address =
      TakeOption(line, "evaluation-addr", EnvOr("VETRACK_EVALUATION_ADDR", kDefaultAddress));
  if (!evaluation_address.ok()) return evaluation_address.status();
  options.evaluation_address = *evaluation_address;
  absl::StatusOr<std::string> gateway_address =
      TakeOption(line, "gateway-addr", EnvOr("VETRACK_GATEWAY_ADDR", kDefaultAddress));
  if (!gateway_address.ok()) return gateway_address.status();
  options.gateway_address = *gateway_address;

  const bool as_given = line.options.count("as") > 0;
  absl::StatusOr<std::string> caller = TakeOption(line, "as", EnvOr("VETRACK_AS", kDefaultCaller));
  if (!caller.ok()) return caller.status();
  if (absl::Status parsed = ParseCaller(*caller, &options); !parsed.ok()) return parsed;

  if (absl::Status token = TakeToken(line, as_given, &options); !token.ok()) return token;

  absl::StatusOr<std::string> plan = TakeOption(line, "plan", kDefaultPlanId);
  if (!plan.ok()) return plan.status();
  if (absl::Status parsed = ParsePlan(*plan, &options); !parsed.ok()) return parsed;

  absl::StatusOr<std::string> timeout = TakeOption(line, "timeout", kDefaultTimeoutSeconds);
  if (!timeout.ok()) return timeout.status();
  if (absl::Status parsed = ParseTimeout(*timeout, &options); !parsed.ok()) return parsed;

  if (absl::Status tls = TakeTls(line, &options); !tls.ok()) return tls;

  absl::StatusOr<std::string> request_id = TakeOption(line, "request-id", "");
  if (!request_id.ok()) return request_id.status();
  if (request_id->empty()) request_id = RandomRequestId();
  if (!request_id.ok()) return request_id.status();
  options.request_id = *request_id;
  return options;
}

absl::Status CheckOptions(const CommandLine& line, const OptionSpec& spec) {
  for (const auto& [name, values] : line.options) {
    if (!Contains(spec.valued, name)) {
      bool is_switch = Contains(spec.switches, name);
      return UsageError(is_switch ? absl::StrCat("--", name, " takes no value")
                                  : absl::StrCat("unknown option --", name));
    }
    if (values.size() > 1 && !Contains(spec.repeatable, name)) {
      return UsageError(absl::StrCat("--", name, " given more than once"));
    }
  }
  for (const std::string& name : line.switches) {
    if (!Contains(spec.switches, name)) {
      return UsageError(Contains(spec.valued, name) ? absl::StrCat("--", name, " needs a value")
                                                    : absl::StrCat("unknown option --", name));
    }
  }
  return absl::OkStatus();
}

std::string OptionValue(const CommandLine& line, const std::string& name) {
  auto it = line.options.find(name);
  return it == line.options.end() ? "" : it->second.back();
}

absl::StatusOr<std::string> RequiredOption(const CommandLine& line, const std::string& name) {
  std::string value = OptionValue(line, name);
  if (value.empty()) return UsageError(absl::StrCat("--", name, " is required"));
  return value;
}

std::vector<std::string> OptionValues(const CommandLine& line, const std::string& name) {
  auto it = line.options.find(name);
  return it == line.options.end() ? std::vector<std::string>{} : it->second;
}

bool HasSwitch(const CommandLine& line, const std::string& name) {
  return line.switches.count(name) > 0;
}

absl::StatusOr<int> ParseTaskNumber(const std::string& text) {
  int number = 0;
  // SimpleAtoi alone would also take "+7" and " 7"; a task number is digits.
  bool digits_only = !text.empty() && text.size() <= 9 &&
                     std::all_of(text.begin(), text.end(), absl::ascii_isdigit);
  if (!digits_only || !absl::SimpleAtoi(text, &number) || number <= 0) {
    return UsageError(absl::StrCat("'", text, "' is not a task number (a positive integer)"));
  }
  return number;
}

absl::StatusOr<std::string> RandomRequestId() {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  unsigned char bytes[16];
  if (!urandom.read(reinterpret_cast<char*>(bytes), sizeof(bytes))) {
    return absl::UnavailableError("cannot read /dev/urandom for a request id; pass --request-id");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 0x0F]);
  }
  return id;
}

}  // namespace vetrack::vetctl
