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

// A number written in decimal, such as 96.5, -3 or 1.2e5, into `value`;
// false for anything else: hexadecimal (0x50 read as 80), inf and nan, or a
// value too large or too small to hold (1e-400 read as 0) — typing
// mistakes that were recorded as figures (found in use).
bool ParseDecimal(const std::string& text, double* value);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_DECIMAL_H_
