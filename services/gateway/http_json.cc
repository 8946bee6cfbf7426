#include "http_json.h"

#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "log/log.h"
#include "status/errors.h"
#include "status/grpc_status.h"

namespace vetrack::gateway {
namespace {

using google::protobuf::FieldDescriptor;

std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

std::string Quoted(const std::string& text) { return absl::StrCat("\"", JsonEscape(text), "\""); }

// What a field takes, in the words of the JSON a caller writes; `whole`:
// the field itself, not one element of a list or map.
std::string Expected(const FieldDescriptor& field, bool whole) {
  if (whole && field.is_map()) {
    return absl::StrCat("an object whose values are ",
                        Expected(*field.message_type()->FindFieldByName("value"), false));
  }
  if (whole && field.is_repeated()) return absl::StrCat("a list of ", Expected(field, false));
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      std::vector<std::string> names;
      const google::protobuf::EnumDescriptor* type = field.enum_type();
      for (int i = 0; i < type->value_count(); ++i) {
        if (type->value(i)->number() != 0) names.push_back(type->value(i)->name());
      }
      return absl::StrCat("one of ", absl::StrJoin(names, ", "));
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const std::string& name = field.message_type()->full_name();
      if (name == "google.protobuf.Timestamp") {
        return "an RFC 3339 time such as \"2026-12-02T00:00:00Z\" or \"2026-12-02T08:00:00+08:00\"";
      }
      if (name == "google.protobuf.Duration") return "a duration such as \"1.5s\"";
      return absl::StrCat("an object (", name, ")");
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      return "true or false";
    case FieldDescriptor::CPPTYPE_STRING:
      return field.type() == FieldDescriptor::TYPE_BYTES ? "base64 text" : "a string";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return "a number";
    case FieldDescriptor::CPPTYPE_INT32:
      return "a whole number from -2147483648 to 2147483647";
    case FieldDescriptor::CPPTYPE_UINT32:
      return "a whole number from 0 to 4294967295";
    case FieldDescriptor::CPPTYPE_UINT64:
      return "a whole number from 0";
    default:
      return "a whole number";
  }
}

// What a query parameter takes: a message (but a time or a duration) cannot
// be written in a query string at all.
std::string QueryExpected(const FieldDescriptor& field) {
  const bool writable = field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE ||
                        field.message_type()->full_name() == "google.protobuf.Timestamp" ||
                        field.message_type()->full_name() == "google.protobuf.Duration";
  if (writable) return Expected(field, true);
  return "a value a query string cannot carry: send the request as a JSON body (POST)";
}

// The field protobuf's path ("data_report.counts[0].value") stops at, and
// that path as a caller names fields ("data_report.counts"); nullptr when a
// segment is not a field of `type`. `*element`: the path ends in one
// element of a list or a map, not in the whole field.
const FieldDescriptor* FieldAt(const google::protobuf::Descriptor* type, const std::string& path,
                               std::string* field_path, bool* element) {
  const FieldDescriptor* field = nullptr;
  std::vector<std::string> named;
  std::vector<std::string> segments = absl::StrSplit(path, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string segment = segments[i];
    std::string index;
    if (size_t bracket = segment.find('['); bracket != std::string::npos) {
      index = segment.substr(bracket);
      segment.resize(bracket);
    }
    if (type == nullptr) return nullptr;
    field = type->FindFieldByName(segment);
    if (field == nullptr) field = type->FindFieldByCamelcaseName(segment);
    if (field == nullptr) return nullptr;
    *element = !index.empty();
    if (field->is_map()) {
      // "counts[0].value": protobuf numbers a map's entries; the entry's key
      // is not in the path, so the map is what is named.
      named.push_back(field->name());
      const FieldDescriptor* part = i + 1 < segments.size()
                                        ? field->message_type()->FindFieldByName(segments[i + 1])
                                        : nullptr;
      if (part != nullptr) {
        field = part;
        ++i;
      }
    } else {
      named.push_back(field->name() + index);
    }
    type = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ? field->message_type() : nullptr;
  }
  *field_path = absl::StrJoin(named, ".");
  return field;
}

// protobuf's JSON parser says where it stopped first, "(a.b[0].c): what".
// That place names the violation (found in use: every mistake in a body was
// blamed on "body"), and a value the field cannot take is told what it
// takes; any other complaint (an unknown name) keeps protobuf's words.
absl::Status BodyError(const google::protobuf::Descriptor* type, absl::string_view message) {
  const std::string whole(message);
  std::string path;
  std::string what = whole;
  if (absl::ConsumePrefix(&message, "(")) {
    if (size_t close = message.find("): "); close != absl::string_view::npos) {
      path = std::string(message.substr(0, close));
      what = std::string(message.substr(close + 3));
    }
  }
  std::string field_path;
  bool element = false;
  const FieldDescriptor* field =
      path.empty() ? nullptr : FieldAt(type, path, &field_path, &element);
  if (field == nullptr) {
    return InvalidField("body", absl::StrCat("not a JSON ", type->full_name(), ": ", whole));
  }
  // "invalid value "abc" for type TYPE_INT64" → "abc" is not valid: expected …
  absl::string_view value = what;
  if (absl::ConsumePrefix(&value, "invalid value ")) {
    if (size_t for_type = value.rfind(" for type "); for_type != absl::string_view::npos) {
      what = absl::StrCat(value.substr(0, for_type), " is not valid: expected ",
                          Expected(*field, !element));
    }
  }
  return InvalidField(field_path, what);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> SplitJsonArray(const std::string& json, bool* is_array) {
  std::vector<std::string> out;
  size_t start = json.find_first_not_of(" \t\r\n");
  *is_array = start != std::string::npos && json[start] == '[';
  if (!*is_array) return out;
  std::string closers;  // what closes each bracket open, innermost last
  bool in_string = false;
  size_t element_start = start + 1;
  for (size_t i = start; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      closers.push_back(c == '[' ? ']' : '}');
    } else if (c == ']' || c == '}') {
      if (closers.empty() || closers.back() != c) break;  // "[}", "[{}}"
      closers.pop_back();
      if (closers.empty()) {
        std::string last(absl::StripAsciiWhitespace(json.substr(element_start, i - element_start)));
        if (last.empty() && !out.empty()) break;  // "[{},]"
        if (!last.empty()) out.push_back(last);
        if (!absl::StripAsciiWhitespace(json.substr(i + 1)).empty()) break;
        return out;
      }
    } else if (c == ',' && closers.size() == 1) {
      std::string element(
          absl::StripAsciiWhitespace(json.substr(element_start, i - element_start)));
      if (element.empty()) break;  // "[,{}]", "[{},,{}]": no element is empty
      out.push_back(std::move(element));
      element_start = i + 1;
    }
  }
  return InvalidField("body", "not a well-formed JSON array");
}

absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor* type,
                                         const std::string& json) {
  auto message = NewMessage(type);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json.empty() ? "{}" : json,
                                                            message.get(), options);
  if (!status.ok()) return BodyError(type, std::string(status.message()));
  // The typed parser lets a key given twice pass (the last one wins); a body
  // that says two things is refused instead, as the generic parser does.
  google::protobuf::Value generic;
  if (!json.empty()) {
    auto well_formed = google::protobuf::util::JsonStringToMessage(json, &generic);
    if (!well_formed.ok()) {
      return InvalidField("body", absl::StrCat("not well-formed JSON (a key given twice?): ",
                                               std::string(well_formed.message())));
    }
  }
  return message->SerializeAsString();
}

absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor* type,
                                         const std::string& bytes) {
  auto message = NewMessage(type);
  if (!message->ParseFromString(bytes)) return absl::InternalError("unreadable response");
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(*message, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return json;
}

absl::StatusOr<std::string> QueryToJson(const google::protobuf::Descriptor* type,
                                        const std::multimap<std::string, std::string>& params,
                                        const std::map<std::string, std::string>& fixed) {
  std::vector<std::string> members;
  std::set<const FieldDescriptor*> given;
  auto add = [&](const std::string& name, const std::string& value) -> absl::Status {
    const FieldDescriptor* field = type->FindFieldByName(name);
    if (field == nullptr) field = type->FindFieldByCamelcaseName(name);
    if (field == nullptr || field->is_repeated()) {
      return InvalidField(name, "is not a parameter of this request");
    }
    if (!given.insert(field).second) return InvalidField(name, "is given more than once");
    // Quoted whatever the field's type: protobuf's JSON mapping reads numbers
    // and booleans from strings too, and the text stays JSON whatever it holds.
    std::string member = absl::StrCat(Quoted(field->json_name()), ":", Quoted(value));
    // Parsed alone, so a bad value (year=abc) is blamed on its parameter,
    // not on a body the request does not have.
    auto alone = NewMessage(type);
    auto parsed =
        google::protobuf::util::JsonStringToMessage(absl::StrCat("{", member, "}"), alone.get());
    if (!parsed.ok()) {
      return InvalidField(name, absl::StrCat("'", value, "': expected ", QueryExpected(*field)));
    }
    members.push_back(std::move(member));
    return absl::OkStatus();
  };
  for (const auto& [name, value] : fixed) {
    if (absl::Status s = add(name, value); !s.ok()) return s;
  }
  for (const auto& [name, value] : params) {
    if (fixed.count(name) > 0) continue;
    if (absl::Status s = add(name, value); !s.ok()) return s;
  }
  return absl::StrCat("{", absl::StrJoin(members, ","), "}");
}

std::string ErrorJson(const grpc::Status& status) {
  absl::Status details = FromGrpcStatus(status);
  std::vector<std::string> violations;
  for (const auto& v : FieldViolationsOf(details)) {
    violations.push_back(absl::StrCat("{\"field\":", Quoted(v.field),
                                      ",\"description\":", Quoted(v.description), "}"));
  }
  std::string code = absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
  return absl::StrCat("{\"code\":", Quoted(code), ",\"message\":", Quoted(status.error_message()),
                      ",\"details\":{\"reason\":", Quoted(ReasonOf(details)),
                      ",\"fieldViolations\":[", absl::StrJoin(violations, ","), "]}}");
}

}  // namespace vetrack::gateway
