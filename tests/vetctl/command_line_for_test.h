#ifndef VETRACK_TESTS_VETCTL_COMMAND_LINE_FOR_TEST_H_
#define VETRACK_TESTS_VETCTL_COMMAND_LINE_FOR_TEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "command_context.h"

namespace vetrack::vetctl {

// What a handler gets for `args` (the words after "vetctl"), as main builds
// it: the line parsed against every option, the global options taken, then
// the rest checked against the command's spec. The environment ($VETRACK_AS,
// $VETRACK_TOKEN, $VETRACK_TOKEN_KEY_FILE) is cleared first, so none of it
// leaks in. The context has no client.
absl::StatusOr<CommandContext> ContextFor(std::vector<std::string> args);

}  // namespace vetrack::vetctl

#endif  // VETRACK_TESTS_VETCTL_COMMAND_LINE_FOR_TEST_H_
