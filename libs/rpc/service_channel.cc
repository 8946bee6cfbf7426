#include "rpc/service_channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

namespace vetrack {

grpc::ChannelArguments ServiceChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Not GRPC_ARG_MIN_RECONNECT_BACKOFF_MS: gRPC takes it as the time a
  // connection attempt is given (20 s by default). At 100 ms, a service
  // slow to answer its handshake (busy, or paused) failed every call at once
  // instead of answering them a moment later (found by the view cache's
  // end-to-end tests).
  return args;
}

std::shared_ptr<grpc::Channel> ServiceChannel(const std::string& address) {
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   ServiceChannelArguments());
}

}  // namespace vetrack
