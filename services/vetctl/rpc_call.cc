#include "rpc_call.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>

#include "auth/principal.h"
#include "auth/token.h"

namespace vetrack::vetctl {

std::shared_ptr<grpc::Channel> ChannelTo(const GlobalOptions& options, const std::string& address) {
  return grpc::CreateCustomChannel(
      address, options.credentials ? options.credentials : grpc::InsecureChannelCredentials(),
      TlsChannelArguments(options.tls_server_name));
}

void PrepareCall(const GlobalOptions& options, grpc::ClientContext* context) {
  context->AddMetadata(kRoleMetadataKey, options.role);
  if (!options.unit.empty()) context->AddMetadata(kUnitMetadataKey, options.unit);
  // The gateway goes by the token alone; the two lines above are for calling
  // a service directly.
  if (!options.token.empty()) {
    context->AddMetadata(kAuthorizationMetadataKey, kBearerPrefix + options.token);
  }
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::microseconds(absl::ToInt64Microseconds(options.timeout)));
}

}  // namespace vetrack::vetctl
