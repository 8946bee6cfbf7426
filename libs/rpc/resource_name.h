#ifndef VETRACK_LIBS_RPC_RESOURCE_NAME_H_
#define VETRACK_LIBS_RPC_RESOURCE_NAME_H_

#include <string>

#include "absl/strings/string_view.h"

namespace vetrack {

// A resource name's last segment, its ID (AIP-122): "units/edu" → "edu",
// "plans/p/tasks/21" → "21". A name without a slash is its own ID.
std::string ResourceIdOf(absl::string_view name);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_RESOURCE_NAME_H_
