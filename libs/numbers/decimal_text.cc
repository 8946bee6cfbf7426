#include "numbers/decimal_text.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace vetrack {

std::string DecimalText(double value, int digits) {
  digits = std::clamp(digits, 0, 10);
  const double scale = std::pow(10.0, digits);
  // value * scale lands on the nearest double, which for a decimal tie such
  // as 0.105 (stored as 0.10499…) is the tie itself (10.5): std::round then
  // rounds it away from zero.
  const double scaled = value * scale;
  if (!std::isfinite(scaled) || std::fabs(scaled) >= 9e15) {
    return absl::StrFormat("%.*f", digits, value);
  }
  double rounded = std::round(scaled) / scale;
  if (rounded == 0) rounded = 0;  // no "-0.00"
  return absl::StrFormat("%.*f", digits, rounded);
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
