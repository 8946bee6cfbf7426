#ifndef VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
#define VETRACK_LIBS_SERVER_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

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

// What ties together the log lines one call leaves across the suite: the
// gateway's and those of the service it forwards the call to (logged as
// x_request_id). The gateway takes the caller's own when well-formed (the
// header most HTTP clients and proxies set), else makes one, and returns it
// in the answer's initial metadata (HTTP: the X-Request-Id header). Not the
// requests' request_id field, which makes a change idempotent.
inline constexpr char kRequestIdMetadataKey[] = "x-request-id";
// Whether `id` may serve as one: 1 to 64 of A-Z a-z 0-9 . _ : - (it is
// logged, and sent back as a header).
bool IsWellFormedRequestId(std::string_view id);
// The call's x-request-id when well-formed, else "".
std::string RequestIdOf(const grpc::ServerContextBase& context);
// RequestIdOf, or a new one where the caller sent none (the gateway's).
std::string RequestIdOrNew(const grpc::ServerContextBase& context);

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_CALL_CONTEXT_H_
