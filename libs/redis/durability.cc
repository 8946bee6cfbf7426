#include "redis/durability.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"

namespace vetrack::redis {

absl::Status CheckDurable(Client& client) {
  auto reply =
      client.Command({"CONFIG", "GET", "appendonly", "appendfsync", "no-appendfsync-on-rewrite"});
  if (!reply.ok()) return reply.status();
  // A flat list: name, value, name, value, ...
  std::map<std::string, std::string> settings;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    settings[reply->elements[i].str] = reply->elements[i + 1].str;
  }
  auto said = [](const std::string& value) { return value.empty() ? "(not said)" : value; };
  const std::string appendonly = settings["appendonly"];
  const std::string appendfsync = settings["appendfsync"];
  if (appendonly != "yes" || appendfsync != "always") {
    return absl::FailedPreconditionError(absl::StrCat(
        "Redis has appendonly ", said(appendonly), " and appendfsync ", said(appendfsync),
        ": acknowledged writes can be lost in a crash; set appendonly yes and "
        "appendfsync always"));
  }
  // With it, Redis skips the fsync, `always` or not, while a child process
  // runs: an AOF rewrite, or the RDB snapshot a backup asks for.
  const std::string skip_on_rewrite = settings["no-appendfsync-on-rewrite"];
  if (skip_on_rewrite != "no") {
    return absl::FailedPreconditionError(absl::StrCat(
        "Redis has no-appendfsync-on-rewrite ", said(skip_on_rewrite),
        ": writes acknowledged during an AOF rewrite or a snapshot can be lost in a crash; set "
        "no-appendfsync-on-rewrite no"));
  }
  return absl::OkStatus();
}

}  // namespace vetrack::redis
