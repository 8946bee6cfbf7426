#ifndef VETRACK_LIBS_STATUS_GRPC_STATUS_H_
#define VETRACK_LIBS_STATUS_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace vetrack {

// The domain of every ErrorInfo vetrack sends.
inline constexpr char kErrorDomain[] = "vetrack.gov";
// The ErrorInfo metadata key of a message WrittenForTheCaller
// (status/disclosure.h).
inline constexpr char kDisclosedKey[] = "disclosed";

// The edge conversion: code and message, plus google.rpc.Status details
// (ErrorInfo with the reason, BadRequest with the field violations) in the
// grpc-status-details-bin trailer.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The way back, for clients of vetrack services (details preserved).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace vetrack

#endif  // VETRACK_LIBS_STATUS_GRPC_STATUS_H_
