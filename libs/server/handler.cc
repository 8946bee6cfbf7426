#include "server/handler.h"

namespace vetrack {

grpc::Status FinishWithError(const grpc::ServerContextBase&, const absl::Status& status) {
  return ToGrpcStatus(status);
}

}  // namespace vetrack
