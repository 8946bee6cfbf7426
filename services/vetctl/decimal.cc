#include "decimal.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace vetrack::vetctl {

absl::StatusOr<int64_t> ParseHundredths(const std::string& text) {
  const size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string decimals = dot == std::string::npos ? "" : text.substr(dot + 1);
  const absl::Status refused = absl::InvalidArgumentError(
      absl::StrCat("'", text, "': a number with at most two decimals, such as 33.33"));
  if (whole.empty() || whole.size() > 15 || decimals.size() > 2 ||
      (dot != std::string::npos && decimals.empty())) {
    return refused;
  }
  for (char c : whole + decimals) {
    if (!absl::ascii_isdigit(c)) return refused;
  }
  int64_t units = 0;
  if (!absl::SimpleAtoi(whole, &units)) return refused;
  int64_t hundredths = 0;
  if (!decimals.empty()) hundredths = std::stoll(decimals) * (decimals.size() == 1 ? 10 : 1);
  return units * 100 + hundredths;
}

}  // namespace vetrack::vetctl
