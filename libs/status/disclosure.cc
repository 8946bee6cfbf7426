#include "status/disclosure.h"

#include <random>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "log/log.h"
#include "status/grpc_status.h"

namespace vetrack {
namespace {
constexpr char kReferenceKey[] = "reference";
constexpr char kWrittenForTheCallerUrl[] = "vetrack/written-for-the-caller";

std::string LoggedUnder(std::string_view reference) {
  return absl::StrCat("the cause is logged under reference ", std::string(reference));
}
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
  // Seeded with more than one word: one 32-bit seed could repeat across
  // threads, and with it every reference they make.
  thread_local std::mt19937_64 random = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return absl::StrFormat("%016x", random());
}

std::string WithheldCauseText(absl::StatusCode code, std::string_view reference) {
  return absl::StrCat(absl::StatusCodeToString(code), ": ", LoggedUnder(reference));
}

std::string DisclosedMessage(const absl::Status& status, std::string_view source) {
  if (!IsServerFault(status.code()) || IsWrittenForTheCaller(status)) {
    return std::string(status.message());
  }
  const std::string reference = NewReferenceId();
  LogWarn("cause withheld from an answer", {{"reference", reference},
                                            {"source", std::string(source)},
                                            {"code", absl::StatusCodeToString(status.code())},
                                            {"error", std::string(status.message())}});
  return WithheldCauseText(status.code(), reference);
}

absl::Status WrittenForTheCaller(absl::Status status) {
  if (!status.ok()) status.SetPayload(kWrittenForTheCallerUrl, absl::Cord("1"));
  return status;
}

bool IsWrittenForTheCaller(const absl::Status& status) {
  return status.GetPayload(kWrittenForTheCallerUrl).has_value();
}

grpc::Status WithheldCause(const grpc::Status& status, std::string_view reference) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  if (!IsServerFault(code) || IsWrittenForTheCaller(FromGrpcStatus(status))) return status;
  google::rpc::Status before;
  google::rpc::ErrorInfo info;
  if (!status.error_details().empty() && before.ParseFromString(status.error_details())) {
    for (const auto& any : before.details()) {
      if (any.UnpackTo(&info) && info.domain() == kErrorDomain) break;
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
