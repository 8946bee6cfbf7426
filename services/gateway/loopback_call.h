#ifndef VETRACK_SERVICES_GATEWAY_LOOPBACK_CALL_H_
#define VETRACK_SERVICES_GATEWAY_LOOPBACK_CALL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace vetrack::gateway {

struct LoopbackResult {
  grpc::Status status;
  // Serialized responses, in order (one for a unary method).
  std::vector<std::string> responses;
};

// Calls `method` ("/pkg.Service/Method") on `channel` with serialized
// requests, as a stream (which unary calls are on the wire), and waits for
// the answer. The HTTP/JSON front end reaches the gateway's own gRPC server
// this way, so HTTP callers get exactly the same authentication, audit,
// views and errors as gRPC callers.
LoopbackResult CallLoopback(const std::shared_ptr<grpc::Channel>& channel,
                            const std::string& method, const std::vector<std::string>& requests,
                            const std::string& authorization, absl::Duration timeout);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_LOOPBACK_CALL_H_
