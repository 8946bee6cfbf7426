#include "server/handler.h"

#include "log/log.h"

namespace vetrack {

grpc::Status FinishWithError(const grpc::ServerContextBase& context, const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      LogError("request failed", {{"peer", context.peer()}, {"error", status.ToString()}});
      break;
    default:
      break;
  }
  return ToGrpcStatus(status);
}

}  // namespace vetrack
