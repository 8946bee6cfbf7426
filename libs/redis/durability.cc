#include "redis/durability.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"

namespace vetrack::redis {

absl::Status CheckDurable(Client& client) {
  auto reply = client.Command({"CONFIG", "GET", "append*"});
  if (!reply.ok()) return reply.status();
  // A flat list: name, value, name, value, ...
  std::map<std::string, std::string> settings;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    settings[reply->elements[i].str] = reply->elements[i + 1].str;
  }
  const std::string appendonly = settings["appendonly"];
  const std::string appendfsync = settings["appendfsync"];
  if (appendonly == "yes" && appendfsync == "always") return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("Redis has appendonly ", appendonly.empty() ? "(not said)" : appendonly,
                   " and appendfsync ", appendfsync.empty() ? "(not said)" : appendfsync,
                   ": acknowledged writes can be lost in a crash; set appendonly yes and "
                   "appendfsync always"));
}

}  // namespace vetrack::redis
