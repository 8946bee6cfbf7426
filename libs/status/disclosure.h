#ifndef VETRACK_LIBS_STATUS_DISCLOSURE_H_
#define VETRACK_LIBS_STATUS_DISCLOSURE_H_

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"

// What the suite tells its callers of its own failures.
//
// A failure by the server's fault comes with words that can name what is
// inside the suite: a Redis host and port, a peer's address, a store's key.
// Inside the suite they are what an operator needs. What leaves it (the
// gateway's answers, and the notes and source lists a response carries)
// holds a reference to a logged line with them instead: the caller can quote
// it, the operator can find it.
namespace vetrack {

// Failures that are the server's (or its store's), not the caller's:
// INTERNAL, UNAVAILABLE, DATA_LOSS, UNKNOWN.
bool IsServerFault(absl::StatusCode code);

// A fresh id of 16 hex digits: a withheld cause's reference, a call's
// x-request-id (server/call_context.h).
std::string NewReferenceId();

// What stands in for a withheld cause: "UNAVAILABLE: the cause is logged
// under reference <reference>".
std::string WithheldCauseText(absl::StatusCode code, std::string_view reference);

// What a response may carry of `status`: its message, or, for a server
// fault not WrittenForTheCaller, WithheldCauseText after the cause is logged
// (with `source`, whose failure it is) under a new reference.
std::string DisclosedMessage(const absl::Status& status, std::string_view source);

// A server fault whose message was written for the caller: every cause it
// embeds went through DisclosedMessage, and the rest says what to do or what
// was stored. It crosses the suite marked (ErrorInfo metadata "disclosed"),
// and nothing withholds it.
absl::Status WrittenForTheCaller(absl::Status status);
bool IsWrittenForTheCaller(const absl::Status& status);

// `status` as the gateway answers it: a server fault's message, unless
// written for the caller, is replaced by "the cause is logged under
// reference <reference>" (the status carries the code), and its ErrorInfo
// (reason kept) carries the reference in its metadata; any other status as
// it is.
grpc::Status WithheldCause(const grpc::Status& status, std::string_view reference);

}  // namespace vetrack

#endif  // VETRACK_LIBS_STATUS_DISCLOSURE_H_
