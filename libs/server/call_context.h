#ifndef VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
#define VETRACK_LIBS_SERVER_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "auth/principal.h"

namespace vetrack {

// The caller's principal from the call's metadata (see auth/principal.h).
absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context);

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
