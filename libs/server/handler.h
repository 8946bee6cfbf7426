#ifndef VETRACK_LIBS_SERVER_HANDLER_H_
#define VETRACK_LIBS_SERVER_HANDLER_H_

#include <grpcpp/server_context.h>

#include <utility>

#include "absl/status/statusor.h"
#include "server/call_context.h"
#include "status/grpc_status.h"

namespace vetrack {

// Logs failures that are the server's fault (INTERNAL, UNAVAILABLE, DATA_LOSS…)
// and converts the status for the wire.
grpc::Status FinishWithError(const grpc::ServerContext& context, const absl::Status& status);

// The body every gRPC adapter method shares: identify the caller, reject a
// malformed request, call the domain, map its error. `call` takes the
// Principal and returns absl::StatusOr<Response>.
template <typename Response, typename Call>
grpc::Status Serve(const grpc::ServerContext& context, const absl::Status& validation,
                   Response* response, Call&& call) {
  auto caller = PrincipalFromContext(context);
  if (!caller.ok()) return FinishWithError(context, caller.status());
  if (!validation.ok()) return FinishWithError(context, validation);
  absl::StatusOr<Response> result = std::forward<Call>(call)(*caller);
  if (!result.ok()) return FinishWithError(context, result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_HANDLER_H_
