#include "idempotency/idempotency.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "redis/atomic_write.h"
#include "status/errors.h"

namespace vetrack {

std::string RequestKey(const Principal& caller, const std::string& request_id) {
  return absl::StrCat(caller.ToString(), "/", request_id);
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return redis::Fingerprint(bytes);
}

void KeepOnlyFields(const std::vector<std::string>& names, google::protobuf::Message* resource) {
  const google::protobuf::Reflection* reflection = resource->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> set;
  reflection->ListFields(*resource, &set);
  for (const google::protobuf::FieldDescriptor* field : set) {
    if (std::find(names.begin(), names.end(), field->name()) == names.end()) {
      reflection->ClearField(resource, field);
    }
  }
}

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.empty()) {
    return InvalidField("request_id", "required: a client-chosen id (e.g. a UUID) for retries");
  }
  if (request_id.size() > 64) return InvalidField("request_id", "at most 64 characters");
  for (unsigned char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidField("request_id", "printable ASCII without spaces only");
    }
  }
  return absl::OkStatus();
}

absl::Status RunOnce(
    const Principal& caller, const google::protobuf::Message& request,
    const std::string& request_id, google::protobuf::Message* response,
    const std::function<absl::StatusOr<std::optional<std::string>>(
        const std::string& request_key, const std::string& fingerprint)>& find_answer,
    const std::function<absl::Status()>& prepare,
    const std::function<absl::StatusOr<WriteOutcome>(const Answer& answer)>& commit) {
  const std::string key = RequestKey(caller, request_id);
  const std::string fingerprint = RequestFingerprint(request);
  auto earlier = find_answer(key, fingerprint);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if (!response->ParseFromString(**earlier))
      return absl::DataLossError("stored answer is corrupt");
    return absl::OkStatus();
  }
  if (absl::Status prepared = prepare(); !prepared.ok()) return prepared;
  auto outcome = commit(Answer{key, fingerprint, response->SerializeAsString()});
  if (!outcome.ok()) return outcome.status();
  if (outcome->replayed && !response->ParseFromString(outcome->earlier_response)) {
    return absl::DataLossError("stored answer is corrupt");
  }
  return absl::OkStatus();
}

}  // namespace vetrack
