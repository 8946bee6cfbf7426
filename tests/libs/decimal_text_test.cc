// How a judged figure prints: the ledger and the evaluation share it.
#include "numbers/decimal_text.h"

#include <gtest/gtest.h>

namespace vetrack {
namespace {

TEST(DecimalTextTest, RoundsTheDecimalAReaderSeesHalfAwayFromZero) {
  EXPECT_EQ(DecimalText(0.105, 2), "0.11");  // printf says 0.10: 0.10499… is stored
  EXPECT_EQ(DecimalText(0.125, 2), "0.13");  // printf says 0.12: a tie to even
  EXPECT_EQ(DecimalText(2.675, 2), "2.68");
  EXPECT_EQ(DecimalText(71.994, 2), "71.99");
  EXPECT_EQ(DecimalText(-1.125, 2), "-1.13");
  EXPECT_EQ(DecimalText(-0.001, 2), "0.00");  // not "-0.00"
  EXPECT_EQ(DecimalText(98000, 0), "98000");
  EXPECT_EQ(DecimalText(1.005, 2), "1.01");  // 1.005 * 100 is 100.49999…: scaling rounds down
  EXPECT_EQ(DecimalText(201.0 / 200.0, 2), "1.01");
  EXPECT_EQ(DecimalText(9.995, 2), "10.00");  // the carry crosses the point
  EXPECT_EQ(DecimalText(0.5, 0), "1");
  EXPECT_EQ(DecimalText(1234.5678, 0), "1235");
  EXPECT_EQ(DecimalText(2.0, 2), "2.00");
  EXPECT_EQ(DecimalText(1e-12, 2), "0.00");
  EXPECT_EQ(DecimalText(1e300, 2).substr(0, 2), "10");  // very large, still printed
  EXPECT_EQ(DecimalText(1e300, 2).substr(DecimalText(1e300, 2).size() - 3), ".00");
}

TEST(DecimalTextTest, TakesTheDigitsThatTellAValueFromItsBound) {
  EXPECT_EQ(DigitsToTellApart(1.996, {2.0}, 0.0), 3);
  EXPECT_EQ(DigitsToTellApart(1.99, {2.0}, 0.0), 2);
  EXPECT_EQ(DigitsToTellApart(2.0, {2.0}, 0.0), 2);              // equal: nothing to tell
  EXPECT_EQ(DigitsToTellApart(72.0000000001, {72.0}, 1e-9), 2);  // equal as judged
  EXPECT_EQ(DigitsToTellApart(0.9999, {0.0, 1.0}, 0.0), 4);      // each bound of a range
  EXPECT_EQ(DigitsToTellApart(1.99999999999, {2.0}, 0.0), 10);   // at most 10
}

}  // namespace
}  // namespace vetrack
