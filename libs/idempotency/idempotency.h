#ifndef VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
#define VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_

#include <string>

#include "auth/principal.h"
#include "google/protobuf/message.h"

// Every mutating RPC carries a request_id. The first answer is stored under the
// caller and that id; a replay gets it back, and a replay whose payload
// differs (another fingerprint) is refused.
namespace vetrack {

// Scopes a request_id to its caller, so two callers cannot collide.
std::string RequestKey(const Principal& caller, const std::string& request_id);

// A stable fingerprint of the request (deterministic serialization).
std::string RequestFingerprint(const google::protobuf::Message& request);

// INVALID_ARGUMENT on request_id unless it is 1–64 printable ASCII characters.
absl::Status ValidateRequestId(const std::string& request_id);

}  // namespace vetrack

#endif  // VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
