#include "server/config.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace vetrack {

absl::StatusOr<Config> Config::FromArgs(int argc, char** argv) {
  Config config;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("expected --name=value, got '", arg, "'"));
    }
    config.flags_[arg.substr(2, eq - 2)] = arg.substr(eq + 1);
  }
  return config;
}

std::string Config::Get(const std::string& name, const std::string& fallback) const {
  read_.insert(name);
  auto it = flags_.find(name);
  if (it != flags_.end()) return it->second;
  std::string env_name =
      absl::StrCat("VETRACK_", absl::AsciiStrToUpper(absl::StrReplaceAll(name, {{"-", "_"}})));
  if (const char* value = std::getenv(env_name.c_str())) return value;
  return fallback;
}

int Config::GetInt(const std::string& name, int fallback, int minimum) const {
  const std::string text = Get(name, "");
  if (text.empty()) return fallback;
  int value;
  if (!absl::SimpleAtoi(text, &value) || value < minimum) {
    std::cerr << "--" << name << ": expected an integer of at least " << minimum << ", got '"
              << text << "'\n";
    std::exit(2);
  }
  return value;
}

redis::Options Config::RedisOptions(const std::string& name) const {
  redis::Options options;
  // host:port, or [v6 address]:port. A port that does not read stops the
  // service: falling back to 6379 could reach another Redis on that host.
  const std::string address = Get(name, "127.0.0.1:6379");
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port < 1 || port > 65535) {
    std::cerr << "--" << name << ": expected host:port, got '" << address << "'\n";
    std::exit(2);
  }
  options.host = address.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.port = port;
  options.pool_size = GetInt(name + "-pool-size", options.pool_size, 1);
  options.username = Get(name + "-username", "");
  if (const std::string file = Get(name + "-password-file", ""); !file.empty()) {
    std::ifstream in(file);
    std::getline(in, options.password);
    options.password = std::string(absl::StripAsciiWhitespace(options.password));
    if (options.password.empty()) {
      std::cerr << "--" << name << "-password-file: cannot read a password from '" << file << "'\n";
      std::exit(2);
    }
  }
  return options;
}

bool Config::EveryFlagWasRead() const {
  bool every = true;
  for (const auto& [name, value] : flags_) {
    if (read_.count(name) > 0) continue;
    every = false;
    std::cerr << "--" << name << ": not a setting of this program, or without effect here";
    const std::string dashed = absl::StrReplaceAll(name, {{"_", "-"}});
    if (dashed != name && read_.count(dashed) > 0)
      std::cerr << " (did you mean --" << dashed << "?)";
    std::cerr << "\n";
  }
  return every;
}

}  // namespace vetrack
