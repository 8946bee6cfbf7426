#ifndef VETRACK_LIBS_RPC_SERVICE_CHANNEL_H_
#define VETRACK_LIBS_RPC_SERVICE_CHANNEL_H_

#include <grpcpp/channel.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>

namespace vetrack {

// The arguments of a channel from one vetrack service to another: a stopped
// service fails calls quickly and is tried again within a second of its
// return, not after gRPC's default back-off of up to two minutes (found in
// use: the evaluation named school reporting unavailable for 47 s after it
// was back, and a Redis outage takes every service's endpoints away at once).
grpc::ChannelArguments ServiceChannelArguments();

// An insecure channel to the service at `address` (host:port) with those
// arguments: inside the cluster the network policies are the boundary.
std::shared_ptr<grpc::Channel> ServiceChannel(const std::string& address);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_SERVICE_CHANNEL_H_
