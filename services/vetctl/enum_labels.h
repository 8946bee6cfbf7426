#ifndef VETRACK_SERVICES_VETCTL_ENUM_LABELS_H_
#define VETRACK_SERVICES_VETCTL_ENUM_LABELS_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

// Proto enum values as people type and read them: PROGRESS_STATUS_ON_TRACK is
// "on_track". The prefix is taken from the enum's UNSPECIFIED value, so every
// enum of the API works without a table.
namespace vetrack::vetctl {

// "-" for the UNSPECIFIED value, the number for a value this build does not know.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value);

// Usage error naming `option` and the accepted labels when `label` is not one.
absl::StatusOr<int> ParseEnumLabel(const google::protobuf::EnumDescriptor* type,
                                   const std::string& label, const std::string& option);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_ENUM_LABELS_H_
