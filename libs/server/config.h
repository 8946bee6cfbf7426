#ifndef VETRACK_LIBS_SERVER_CONFIG_H_
#define VETRACK_LIBS_SERVER_CONFIG_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "redis/redis_client.h"

namespace vetrack {

// Settings from `--name=value` flags, falling back to the environment variable
// VETRACK_NAME (upper case, dashes as underscores), then to the default.
// Flags win so that a command line can override a container's environment.
// Each lookup is recorded (EveryFlagWasRead), so a Config is read by one
// thread, the one that wires the program.
class Config {
 public:
  // INVALID_ARGUMENT for an argument that is not --name=value.
  static absl::StatusOr<Config> FromArgs(int argc, char** argv);

  std::string Get(const std::string& name, const std::string& fallback) const;
  // An integer setting, at least `minimum`. A value that is not one, or is
  // below it, ends the process with status 2 and says why: a service must not
  // start on a setting it misread (a retry count of 0, a pool of -1).
  int GetInt(const std::string& name, int fallback, int minimum = 0) const;
  // From --redis=host:port (default 127.0.0.1:6379), --redis-pool-size, and
  // for a Redis that wants a password --redis-password-file (its first line;
  // a file, so the password comes from a mounted Secret and never shows in a
  // process list) and --redis-username (an ACL user). A password file that
  // cannot be read, or is empty, ends the process with status 2. With another
  // `name` ("redis-school-reporting"), the same four settings under it.
  redis::Options RedisOptions(const std::string& name = "redis") const;

  // False, naming each on stderr, when flags were given that no setting read:
  // a misspelt `--drain_seconds=30` would otherwise leave the default in force
  // without a word. Call once wiring has read every setting, and exit with 2.
  // The environment is not checked: one ConfigMap may serve every service.
  bool EveryFlagWasRead() const;

 private:
  std::map<std::string, std::string> flags_;
  // Names looked up so far. Config is read while wiring, on one thread.
  mutable std::set<std::string> read_;
};

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_CONFIG_H_
