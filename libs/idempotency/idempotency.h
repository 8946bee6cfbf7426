#ifndef VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
#define VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
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

// Clears every field of `resource` but those named (its own fields, by
// name). An update carries its resource, and a client may send it back as
// it read it, with the fields the server writes (state, times, revision,
// etag); a retry of the same update then differs in those alone. Its
// fingerprint is taken of the request with the resource cut to what the
// update asks for.
void KeepOnlyFields(const std::vector<std::string>& names, google::protobuf::Message* resource);

// INVALID_ARGUMENT on request_id unless it is 1–64 printable ASCII characters.
absl::Status ValidateRequestId(const std::string& request_id);

// The answer to a request, stored with the change it made.
struct Answer {
  // RequestKey(caller, request_id).
  std::string request_key;
  std::string fingerprint;
  std::string response;
};

struct WriteOutcome {
  // The request had been answered before (a concurrent twin committed first);
  // `earlier_response` is that answer and nothing was written.
  bool replayed = false;
  std::string earlier_response;
};

// How a domain runs a mutation exactly once per (caller, request_id):
//   1. `find_answer` looks for an earlier answer; if there is one, it is
//      parsed into `response` and nothing else runs;
//   2. `prepare` checks the current state and builds the change, filling
//      `response` with the answer;
//   3. `commit` writes the change together with the answer, atomically.
// A replay of the same request gets the first answer; the same request_id
// with another payload fails with INVALID_ARGUMENT on request_id (found by
// the store in step 1 or 3).
absl::Status RunOnce(
    const Principal& caller, const google::protobuf::Message& request,
    const std::string& request_id, google::protobuf::Message* response,
    const std::function<absl::StatusOr<std::optional<std::string>>(
        const std::string& request_key, const std::string& fingerprint)>& find_answer,
    const std::function<absl::Status()>& prepare,
    const std::function<absl::StatusOr<WriteOutcome>(const Answer& answer)>& commit);

}  // namespace vetrack

#endif  // VETRACK_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
