#ifndef VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
#define VETRACK_LIBS_SERVER_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"

namespace vetrack {

// The caller's principal from the call's metadata (see auth/principal.h).
absl::StatusOr<Principal> PrincipalFromContext(const grpc::ServerContextBase& context);

// When the work behind a call must be done for its answer to reach the
// caller in time: the caller's deadline less a tenth of the time left (at
// most `max_reserve`) to finish it and send the answer; infinite when the
// caller set none.
// What the call waits on further (another service) is bounded by it, so a
// slow dependency yields a partial answer instead of the caller's
// DEADLINE_EXCEEDED.
absl::Time AnswerBy(const grpc::ServerContextBase& context, absl::Time now,
                    absl::Duration max_reserve = absl::Milliseconds(50));

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
