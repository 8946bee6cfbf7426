#ifndef VETRACK_LIBS_RPC_RESOURCE_NAME_H_
#define VETRACK_LIBS_RPC_RESOURCE_NAME_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vetrack {

// A resource name's last segment, its ID (AIP-122): "units/edu" → "edu",
// "plans/p/tasks/21" → "21". A name without a slash is its own ID.
std::string ResourceIdOf(absl::string_view name);

// An ID every service accepts for what it names (units, institutions, plans,
// indicators): lower-case ASCII letters, digits and dashes, 1–63 characters
// (AIP-122), so one institution's code is valid in every service.
bool IsValidResourceId(absl::string_view id);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_RESOURCE_NAME_H_
