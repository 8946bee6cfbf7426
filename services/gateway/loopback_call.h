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
  // The x-request-id the gateway answered with (server/call_context.h).
  std::string request_id;
};

// A call of `method` ("/pkg.Service/Method") with serialized requests, sent
// as a stream (which unary calls are on the wire). The HTTP/JSON front end
// reaches the gateway's own gRPC server this way, so HTTP callers get exactly
// the same authentication, audit, views and errors as gRPC callers.
//
// Sending and waiting are apart so a caller can decide under its own lock
// whether a call may still start, and start it there (the in-process server
// must not see a call that begins once it shuts down).
class LoopbackCall {
 public:
  // `request_id`: the HTTP caller's X-Request-Id, passed on when well-formed.
  LoopbackCall(std::string method, const std::vector<std::string>& requests,
               std::string authorization, std::string request_id, absl::Duration timeout);
  // Waits for a started call's end (the reactor lives here until then).
  ~LoopbackCall();
  LoopbackCall(const LoopbackCall&) = delete;
  LoopbackCall& operator=(const LoopbackCall&) = delete;

  // Sends the call on `channel` and returns without waiting. At most once.
  // On the in-process channel the server may begin the call (its reactor's
  // creation) on this thread, inside Start: a caller holding a lock must not
  // have a handler that blocks or takes that lock.
  void Start(const std::shared_ptr<grpc::Channel>& channel);
  // The call's answer: waits for it when started, else says it was never
  // sent. Once only: the answer is moved out.
  LoopbackResult Wait();

 private:
  class Stream;
  std::unique_ptr<Stream> stream_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_LOOPBACK_CALL_H_
