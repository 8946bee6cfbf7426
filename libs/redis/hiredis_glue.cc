#include "redis/hiredis_glue.h"

#include <hiredis/hiredis.h>
#include <poll.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vetrack::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = ms.count() / 1000;
  tv.tv_usec = (ms.count() % 1000) * 1000;
  return tv;
}

// hiredis wants parallel arrays of pointers and lengths.
struct ArgvView {
  explicit ArgvView(const std::vector<std::string>& argv) {
    parts.reserve(argv.size());
    lengths.reserve(argv.size());
    for (const auto& a : argv) {
      parts.push_back(a.data());
      lengths.push_back(a.size());
    }
  }
  int count() const { return static_cast<int>(parts.size()); }
  std::vector<const char*> parts;
  std::vector<size_t> lengths;
};

}  // namespace

absl::StatusOr<redisContext*> Connect(const Options& options) {
  redisContext* c = redisConnectWithTimeout(options.host.c_str(), options.port,
                                            ToTimeval(options.connect_timeout));
  if (c == nullptr || c->err) {
    std::string why = c ? c->errstr : "out of memory";
    if (c) redisFree(c);
    return absl::UnavailableError(
        absl::StrCat("redis: cannot connect to ", options.host, ":", options.port, ": ", why));
  }
  redisSetTimeout(c, ToTimeval(options.command_timeout));
  if (!options.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!options.username.empty()) auth.push_back(options.username);
    auth.push_back(options.password);
    ArgvView view(auth);
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(c, view.count(), view.parts.data(), view.lengths.data()));
    // The reply names the failure; the password is never part of a message.
    std::string refused = reply == nullptr                   ? c->errstr
                          : reply->type == REDIS_REPLY_ERROR ? std::string(reply->str, reply->len)
                                                             : "";
    if (reply != nullptr) freeReplyObject(reply);
    if (reply == nullptr || !refused.empty()) {
      redisFree(c);
      return absl::UnavailableError(absl::StrCat("redis: ", options.host, ":", options.port,
                                                 " refused the credentials: ", refused));
    }
  }
  return c;
}

bool ClosedByPeer(const redisContext* connection) {
  if (connection->err != 0) return true;
  pollfd watched{connection->fd, POLLIN | POLLRDHUP, 0};
  return poll(&watched, 1, 0) != 0;
}

absl::Status ErrorReplyStatus(absl::string_view error) {
  std::string message = absl::StrCat("redis: ", error);
  // Redis's error replies start with a code word; a script's error keeps the
  // code of the command that raised it.
  absl::string_view code = error.substr(0, error.find(' '));
  // A key holding another type than the code reads or writes it as: the
  // store is not what vetrack wrote (the scripts refuse such writes before
  // making any, so nothing was half-written).
  if (code == "WRONGTYPE") return absl::DataLossError(message);
  // Redis refused the command for a while and applied nothing: it is loading
  // its data after a restart, busy with a script, a replica since a failover,
  // cut off from its primary, or out of memory (until an operator makes
  // room). Callers retry UNAVAILABLE with the same request_id, as after a
  // lost connection, and it is logged and alerted on as Redis trouble.
  if (code == "LOADING" || code == "BUSY" || code == "READONLY" || code == "MASTERDOWN" ||
      code == "NOREPLICAS" || code == "TRYAGAIN" || code == "CLUSTERDOWN" || code == "OOM") {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

bool RefusedAsReplica(const absl::Status& status) {
  return absl::IsUnavailable(status) && (absl::StartsWith(status.message(), "redis: READONLY") ||
                                         absl::StartsWith(status.message(), "redis: MASTERDOWN"));
}

absl::StatusOr<Reply> ConvertReply(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_NIL:
      out.type = Reply::Type::kNil;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      return ErrorReplyStatus(absl::string_view(r->str, r->len));
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) {
        auto element = ConvertReply(r->element[i]);
        if (!element.ok()) return element.status();
        out.elements.push_back(*std::move(element));
      }
      break;
    default:
      return absl::InternalError("redis: unexpected reply type");
  }
  return out;
}

void AppendCommand(redisContext* c, const std::vector<std::string>& argv) {
  ArgvView view(argv);
  redisAppendCommandArgv(c, view.count(), view.parts.data(), view.lengths.data());
}

std::string FormatCommand(const std::vector<std::string>& argv) {
  // RESP: "*<count>\r\n", then "$<length>\r\n<bytes>\r\n" per argument.
  // Written here in one buffer: hiredis's formatter sprintf()s each header
  // and hands back a copy to free, on every script of the busiest writes.
  size_t size = 16;
  for (const auto& arg : argv) size += arg.size() + 24;
  std::string out;
  out.reserve(size);
  absl::StrAppend(&out, "*", argv.size(), "\r\n");
  for (const auto& arg : argv) {
    absl::StrAppend(&out, "$", arg.size(), "\r\n");
    out.append(arg);
    out.append("\r\n");
  }
  return out;
}

}  // namespace vetrack::redis
