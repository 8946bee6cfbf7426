#include "decimal.h"

#include <cmath>

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

bool ParseDecimal(const std::string& text, double* value) {
  // Digits, one point and an exponent, with signs: what strtod would take
  // beyond that (0x, inf, nan) is no figure anyone means to type.
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
      return false;
    }
  }
  double parsed = 0;
  if (!absl::SimpleAtod(text, &parsed) || !std::isfinite(parsed)) return false;
  const std::string mantissa = text.substr(0, text.find_first_of("eE"));
  if (parsed == 0 && mantissa.find_first_of("123456789") != std::string::npos) return false;
  *value = parsed;
  return true;
}

}  // namespace vetrack::vetctl
