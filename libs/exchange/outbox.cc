#include "exchange/outbox.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace vetrack::exchange {

std::string OutboxKey(absl::string_view source) { return absl::StrCat("vt:ex:outbox:", source); }

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
  fields["accepted_time"].set_string_value(TimeText(accepted_time));
  *fields["data"].mutable_struct_value() = data;
  std::string json;
  // A Struct always converts; the status carries nothing to act on.
  (void)google::protobuf::util::MessageToJsonString(entry, &json);
  return json;
}

std::string TimeText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

google::protobuf::Value TextValue(absl::string_view text) {
  google::protobuf::Value value;
  value.set_string_value(std::string(text));
  return value;
}

google::protobuf::Value NumberValue(double number) {
  google::protobuf::Value value;
  value.set_number_value(number);
  return value;
}

std::string EnumWord(absl::string_view enum_name, absl::string_view prefix) {
  absl::string_view word = enum_name;
  absl::ConsumePrefix(&word, prefix);
  return std::string(word);
}

void SetInstitutionFields(absl::string_view code, absl::string_view name,
                          absl::string_view school_id_code, absl::string_view credit_code,
                          google::protobuf::Struct* data) {
  auto& fields = *data->mutable_fields();
  fields["institution_code"] = TextValue(code);
  fields["institution_name"] = TextValue(name);
  fields["school_id_code"] = TextValue(school_id_code);
  fields["credit_code"] = TextValue(credit_code);
}

}  // namespace vetrack::exchange
