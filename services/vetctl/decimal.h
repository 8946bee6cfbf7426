#ifndef VETRACK_SERVICES_VETCTL_DECIMAL_H_
#define VETRACK_SERVICES_VETCTL_DECIMAL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

// Decimal numbers as people type them, kept exact in whole hundredths
// (yuan in fen, percents in basis points).
namespace vetrack::vetctl {

// A decimal with at most two places, such as 1234.50 or 33.33, in
// hundredths (123450, 3333); INVALID_ARGUMENT for a sign, a third place or
// anything but digits and one point.
absl::StatusOr<int64_t> ParseHundredths(const std::string& text);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_DECIMAL_H_
