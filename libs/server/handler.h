#ifndef VETRACK_LIBS_SERVER_HANDLER_H_
#define VETRACK_LIBS_SERVER_HANDLER_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <utility>

#include "absl/status/statusor.h"
#include "server/call_context.h"
#include "status/grpc_status.h"

namespace vetrack {

// The body every gRPC adapter method shares: identify the caller, reject a
// malformed request, call the domain, map its error. Failures that are the
// server's fault (INTERNAL, UNAVAILABLE, DATA_LOSS…) are logged, with their
// method, by the interceptor every server runs (server/metrics.h). `call` takes the
// Principal and returns absl::StatusOr<Response>.
template <typename Response, typename Call>
grpc::Status Serve(const grpc::ServerContextBase& context, const absl::Status& validation,
                   Response* response, Call&& call) {
  auto caller = PrincipalFromContext(context);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  if (!validation.ok()) return ToGrpcStatus(validation);
  absl::StatusOr<Response> result = std::forward<Call>(call)(*caller);
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// Serve for a method on gRPC's callback API, whose domain answers later,
// from whatever thread finishes the work: `start` takes the Principal and a
// completion taking absl::StatusOr<Response>, and must not block. No thread
// waits for the answer meanwhile.
template <typename Response, typename Start>
grpc::ServerUnaryReactor* ServeLater(grpc::CallbackServerContext* context,
                                     const absl::Status& validation, Response* response,
                                     Start&& start) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto caller = PrincipalFromContext(*context);
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
  } else if (!validation.ok()) {
    reactor->Finish(ToGrpcStatus(validation));
  } else {
    std::forward<Start>(start)(*caller, [reactor, response](absl::StatusOr<Response> result) {
      if (!result.ok()) return reactor->Finish(ToGrpcStatus(result.status()));
      *response = *std::move(result);
      reactor->Finish(grpc::Status::OK);
    });
  }
  return reactor;
}

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_HANDLER_H_
