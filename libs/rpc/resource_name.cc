#include "rpc/resource_name.h"

namespace vetrack {

std::string ResourceIdOf(absl::string_view name) {
  size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

}  // namespace vetrack
