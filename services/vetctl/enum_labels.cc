#include "enum_labels.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "args.h"

namespace vetrack::vetctl {
namespace {

constexpr char kUnspecifiedSuffix[] = "UNSPECIFIED";

// "PROGRESS_STATUS_" for ProgressStatus; "" if the enum breaks the convention.
std::string ValuePrefix(const google::protobuf::EnumDescriptor* type) {
  const google::protobuf::EnumValueDescriptor* zero = type->FindValueByNumber(0);
  if (zero == nullptr || !absl::EndsWith(zero->name(), kUnspecifiedSuffix)) return "";
  return zero->name().substr(0, zero->name().size() - (sizeof(kUnspecifiedSuffix) - 1));
}

std::string Label(const google::protobuf::EnumValueDescriptor* value, const std::string& prefix) {
  std::string name = value->name();
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

}  // namespace

std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value) {
  if (value == 0) return "-";
  const google::protobuf::EnumValueDescriptor* descriptor = type->FindValueByNumber(value);
  if (descriptor == nullptr) return absl::StrCat(value);
  return Label(descriptor, ValuePrefix(type));
}

absl::StatusOr<int> ParseEnumLabel(const google::protobuf::EnumDescriptor* type,
                                   const std::string& label, const std::string& option) {
  const std::string prefix = ValuePrefix(type);
  std::vector<std::string> accepted;
  for (int i = 0; i < type->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = type->value(i);
    if (value->number() == 0) continue;
    std::string candidate = Label(value, prefix);
    if (candidate == absl::AsciiStrToLower(label)) return value->number();
    accepted.push_back(candidate);
  }
  return UsageError(
      absl::StrCat("--", option, " ", label, ": expected one of ", absl::StrJoin(accepted, ", ")));
}

}  // namespace vetrack::vetctl
