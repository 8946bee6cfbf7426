#include "exchange/outbox.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace vetrack::exchange {

std::string OutboxKey(absl::string_view source) {
  return absl::StrCat("vt:ex:outbox:", source);
}

std::string OutboxEntry(absl::string_view source, absl::string_view kind,
                        absl::string_view change_id, absl::Time accepted_time,
                        const google::protobuf::Struct& data) {
  google::protobuf::Struct entry;
  auto& fields = *entry.mutable_fields();
  fields["schema"].set_string_value(kSchemaVersion);
  fields["district_code"].set_string_value(kDistrictCode);
  fields["source"].set_string_value(std::string(source));
  fields["kind"].set_string_value(std::string(kind));
  fields["change_id"].set_string_value(std::string(change_id));
  fields["accepted_time"].set_string_value(
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", accepted_time, absl::UTCTimeZone()));
  *fields["data"].mutable_struct_value() = data;
  std::string json;
  // A Struct always converts; the status carries nothing to act on.
  (void)google::protobuf::util::MessageToJsonString(entry, &json);
  return json;
}

}  // namespace vetrack::exchange
