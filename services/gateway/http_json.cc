#include "http_json.h"

#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
      std::string element(absl::StripAsciiWhitespace(json.substr(element_start, i - element_start)));
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
  if (!status.ok()) {
    return InvalidField("body", absl::StrCat("not a JSON ", type->full_name(), ": ",
                                             std::string(status.message())));
  }
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
      return InvalidField(
          name, absl::StrCat("'", value, "' is not a valid ", field->type_name(), " value"));
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
