#include "server/call_context.h"

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
  return ParsePrincipal(MetadataValue(context, kRoleMetadataKey),
                        MetadataValue(context, kUnitMetadataKey));
}

}  // namespace vetrack
