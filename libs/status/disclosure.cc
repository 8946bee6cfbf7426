#include "status/disclosure.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "log/log.h"

namespace vetrack {
namespace {
constexpr char kErrorDomain[] = "vetrack.gov";  // as ToGrpcStatus's
constexpr char kReferenceKey[] = "reference";
}  // namespace

bool IsServerFault(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

std::string NewReferenceId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return absl::StrFormat("%016x", random());
}

namespace {
std::string LoggedUnder(std::string_view reference) {
  return absl::StrCat("the cause is logged under reference ", std::string(reference));
}
}  // namespace

std::string WithheldCauseText(absl::StatusCode code, std::string_view reference) {
  return absl::StrCat(absl::StatusCodeToString(code), ": ", LoggedUnder(reference));
}

std::string DisclosedMessage(const absl::Status& status, std::string_view source) {
  if (!IsServerFault(status.code())) return std::string(status.message());
  const std::string reference = NewReferenceId();
  LogWarn("cause withheld from an answer", {{"reference", reference},
                                            {"source", std::string(source)},
                                            {"code", absl::StatusCodeToString(status.code())},
                                            {"error", std::string(status.message())}});
  return WithheldCauseText(status.code(), reference);
}

grpc::Status WithheldCause(const grpc::Status& status, std::string_view reference) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  if (!IsServerFault(code)) return status;
  google::rpc::Status before;
  google::rpc::ErrorInfo info;
  if (!status.error_details().empty() && before.ParseFromString(status.error_details())) {
    for (const auto& any : before.details()) {
      if (any.UnpackTo(&info)) break;
    }
  }
  // A transport failure (no details) or another domain's: the code is the reason.
  if (info.domain() != kErrorDomain) {
    info.Clear();
    info.set_domain(kErrorDomain);
    info.set_reason(absl::StatusCodeToString(code));
  }
  (*info.mutable_metadata())[kReferenceKey] = std::string(reference);
  google::rpc::Status after;
  after.set_code(static_cast<int>(code));
  after.set_message(LoggedUnder(reference));
  after.add_details()->PackFrom(info);
  return grpc::Status(status.error_code(), after.message(), after.SerializeAsString());
}

}  // namespace vetrack
