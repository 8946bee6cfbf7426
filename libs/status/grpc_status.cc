#include "status/grpc_status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "status/disclosure.h"
#include "status/errors.h"

namespace vetrack {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  // Not UTF-8, the message would make every detail unreadable to the caller.
  rpc_status.set_message(ToValidUtf8(std::string(status.message())));

  google::rpc::ErrorInfo info;
  info.set_reason(ReasonOf(status));
  info.set_domain(kErrorDomain);
  if (IsWrittenForTheCaller(status)) (*info.mutable_metadata())[kDisclosedKey] = "true";
  rpc_status.add_details()->PackFrom(info);

  auto violations = FieldViolationsOf(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const auto& v : violations) {
      auto* fv = bad_request.add_field_violations();
      fv->set_field(v.field);
      fv->set_description(v.description);
    }
    rpc_status.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc_status;
  if (status.error_details().empty() || !rpc_status.ParseFromString(status.error_details())) {
    return out;
  }
  std::vector<FieldViolation> violations;
  std::string reason;
  bool disclosed = false;
  for (const auto& any : rpc_status.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& fv : bad_request.field_violations()) {
        violations.push_back({fv.field(), fv.description()});
      }
    } else if (any.UnpackTo(&info)) {
      reason = info.reason();
      if (info.domain() != kErrorDomain) continue;
      auto mark = info.metadata().find(kDisclosedKey);
      disclosed = disclosed || (mark != info.metadata().end() && mark->second == "true");
    }
  }
  if (!violations.empty()) out = WithFieldViolations(out, violations);
  if (!reason.empty()) out = WithReason(out, reason);
  if (disclosed) out = WrittenForTheCaller(out);
  return out;
}

}  // namespace vetrack
