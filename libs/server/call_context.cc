#include "server/call_context.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "status/disclosure.h"

namespace vetrack {
namespace {

std::string MetadataValue(const grpc::ServerContextBase& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context) {
  absl::StatusOr<Principal> principal = ParsePrincipal(MetadataValue(context, kRoleMetadataKey),
                                                       MetadataValue(context, kUnitMetadataKey));
  if (principal.ok()) return principal;
  // ParsePrincipal also reads tokens and command lines: where the identity
  // came from is said here.
  return absl::Status(principal.status().code(),
                      absl::StrCat(principal.status().message(), " (call metadata ",
                                   kRoleMetadataKey, ", ", kUnitMetadataKey, ")"));
}

absl::Time AnswerBy(const grpc::ServerContextBase& context, absl::Time now,
                    absl::Duration max_reserve) {
  if (context.deadline() == std::chrono::system_clock::time_point::max()) {
    return absl::InfiniteFuture();  // the caller set none
  }
  absl::Time deadline = absl::FromChrono(context.deadline());
  absl::Duration reserve = std::min((deadline - now) / 10, max_reserve);
  return deadline - std::max(reserve, absl::ZeroDuration());
}

bool IsWellFormedRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  std::string id = MetadataValue(context, kRequestIdMetadataKey);
  return IsWellFormedRequestId(id) ? id : "";
}

std::string RequestIdOrNew(const grpc::ServerContextBase& context) {
  std::string id = RequestIdOf(context);
  return id.empty() ? NewReferenceId() : id;
}

}  // namespace vetrack
