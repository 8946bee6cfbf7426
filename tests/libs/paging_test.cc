// Page sizes and tokens (AIP-158), including tokens nobody issued.
#include "paging/paging.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"

namespace vetrack {
namespace {

TEST(PagingTest, SizesDefaultAndAreCapped) {
  EXPECT_EQ(ParsePage(0, "")->size, 50);
  EXPECT_EQ(ParsePage(7, "")->size, 7);
  EXPECT_EQ(ParsePage(100000, "")->size, 500);
  EXPECT_EQ(ParsePage(-1, "").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PagingTest, TokensWalkThePagesAndStopAtTheEnd) {
  auto first = ParsePage(2, "");
  ASSERT_TRUE(first.ok());
  std::string token = NextPageToken(*first, 5);
  auto second = ParsePage(2, token);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->offset, 2);
  auto third = ParsePage(2, NextPageToken(*second, 5));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->offset, 4);
  EXPECT_EQ(NextPageToken(*third, 5), "");
}

TEST(PagingTest, ForgedTokensAreInvalidPageTokens) {
  for (const std::string text :
       {"offset:-1", "offset:2147483647", "offset:1000000001", "offset:x", "size:3", ""}) {
    std::string token = text.empty() ? "%%%" : absl::WebSafeBase64Escape(text);
    auto page = ParsePage(10, token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(page.status().ToString().find("page_token"), std::string::npos) << text;
  }
}

TEST(PagingTest, KeyTokensCarryTheLastKeyAndNoOtherToken) {
  auto first = ParseKeyPage(0, "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->after, "");
  EXPECT_EQ(first->size, 50);
  auto next = ParseKeyPage(3, KeyPageToken("cqjtzy"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->after, "cqjtzy");
  EXPECT_EQ(next->size, 3);
  for (const std::string text : {"after:", "offset:3", "cqjtzy"}) {
    EXPECT_EQ(ParseKeyPage(3, absl::WebSafeBase64Escape(text)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
  EXPECT_EQ(ParsePage(3, KeyPageToken("cqjtzy")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vetrack
