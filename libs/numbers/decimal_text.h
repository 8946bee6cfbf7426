#ifndef VETRACK_LIBS_NUMBERS_DECIMAL_TEXT_H_
#define VETRACK_LIBS_NUMBERS_DECIMAL_TEXT_H_

#include <string>
#include <vector>

namespace vetrack {

// How a figure judged against a bound is printed, in one place: the ledger's
// 2 × ratio and the evaluation's results must print one figure alike (found
// in use: the ledger rounded down to 0.10 where the evaluation said 0.11).

// `value` with `digits` decimals, rounded half away from zero as a reader
// rounds the decimal they see (0.105 → "0.11", 1.005 → "1.01"), not as
// printf rounds the binary value just below it ("0.10", "1.00"). The decimal
// is the shortest that reads back as `value`. `digits` is 0–10.
std::string DecimalText(double value, int digits);

// Two decimals, or as many more (up to 10) as it takes for `value` to
// differ in print from each bound it differs from by more than `tolerance`:
// "2.00 against ≥ 2.00: not met" (1.996) would read as a wrong judgement,
// so it prints as 1.996.
int DigitsToTellApart(double value, const std::vector<double>& bounds, double tolerance);

}  // namespace vetrack

#endif  // VETRACK_LIBS_NUMBERS_DECIMAL_TEXT_H_
