#include "numbers/decimal_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <system_error>

#include "absl/strings/str_format.h"

namespace vetrack {

std::string DecimalText(double value, int digits) {
  digits = std::clamp(digits, 0, 10);
  if (!std::isfinite(value)) return absl::StrFormat("%.*f", digits, value);
  // The shortest decimal that reads back as `value` is the decimal its writer
  // meant (1.005, stored as 1.00499…), and that decimal is rounded: scaling
  // the binary value instead rounds 1.005 down.
  char buffer[400];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof(buffer), std::fabs(value), std::chars_format::fixed);
  if (error != std::errc()) return absl::StrFormat("%.*f", digits, value);
  std::string text(buffer, end);
  size_t point = text.find('.');
  if (point == std::string::npos) {
    point = text.size();
    text += '.';
  }
  text.append(digits + 1, '0');  // room for the digit that decides
  const bool up = text[point + 1 + digits] >= '5';
  text.resize(point + 1 + digits);
  if (up) {
    // Carry from the last kept digit leftwards, past the point.
    int i = static_cast<int>(text.size()) - 1;
    for (; i >= 0; --i) {
      if (text[i] == '.') continue;
      if (text[i] != '9') {
        ++text[i];
        break;
      }
      text[i] = '0';
    }
    if (i < 0) text.insert(text.begin(), '1');
  }
  if (digits == 0) text.pop_back();  // the point
  const bool zero = text.find_first_not_of("0.") == std::string::npos;
  return value < 0 && !zero ? "-" + text : text;  // no "-0.00"
}

int DigitsToTellApart(double value, const std::vector<double>& bounds, double tolerance) {
  int digits = 2;
  for (double bound : bounds) {
    if (std::fabs(value - bound) <= tolerance) continue;  // equal, as judged
    while (digits < 10 && DecimalText(value, digits) == DecimalText(bound, digits)) ++digits;
  }
  return digits;
}

}  // namespace vetrack
