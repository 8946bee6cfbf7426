// Page sizes and tokens (AIP-158): tokens bound to their query, and tokens
// nobody issued.
#include "paging/paging.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack {
namespace {

using tasks::v1::ListTaskHistoryRequest;
using tasks::v1::ListTasksRequest;

ListTasksRequest Tasks(int page_size, const std::string& token = "",
                       const std::string& unit = "edu") {
  ListTasksRequest req;
  req.set_parent("plans/p");
  req.set_unit(unit);
  req.set_page_size(page_size);
  req.set_page_token(token);
  return req;
}

TEST(PagingTest, SizesDefaultAndAreCapped) {
  EXPECT_EQ(ParsePage(Tasks(0))->size, 50);
  EXPECT_EQ(ParsePage(Tasks(7))->size, 7);
  EXPECT_EQ(ParsePage(Tasks(100000))->size, 500);
  EXPECT_EQ(ParsePage(Tasks(0), 100, 200)->size, 100);
  EXPECT_EQ(ParsePage(Tasks(-1)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PagingTest, TokensWalkThePagesAndStopAtTheEnd) {
  auto first = ParsePage(Tasks(2));
  ASSERT_TRUE(first.ok());
  std::string token = NextPageToken(*first, 5);
  auto second = ParsePage(Tasks(2, token));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->offset, 2);
  // The page size may change between pages.
  auto third = ParsePage(Tasks(3, NextPageToken(*second, 5)));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->offset, 4);
  EXPECT_EQ(NextPageToken(*third, 5), "");
}

TEST(PagingTest, ATokenIsTakenOnlyWithTheQueryItWasIssuedFor) {
  std::string token = NextPageToken(*ParsePage(Tasks(2)), 5);
  auto other_filter = ParsePage(Tasks(2, token, "hrss"));
  EXPECT_EQ(other_filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(other_filter.status().ToString().find("page_token"), std::string::npos);
  // Another method's request with the same page fields is another query.
  ListTaskHistoryRequest history;
  history.set_page_size(2);
  history.set_page_token(token);
  EXPECT_EQ(ParsePage(history).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PagingTest, ForgedTokensAreInvalidPageTokens) {
  const std::string query = ParsePage(Tasks(10))->query;
  for (const std::string& text :
       std::vector<std::string>{"offset:" + query + ":-1", "offset:" + query + ":2147483647",
                                "offset:" + query + ":1000000001", "offset:" + query + ":x",
                                "offset:3", "size:" + query + ":3", ""}) {
    std::string token = text.empty() ? "%%%" : absl::WebSafeBase64Escape(text);
    auto page = ParsePage(Tasks(10, token));
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(page.status().ToString().find("page_token"), std::string::npos) << text;
  }
}

TEST(PagingTest, KeyTokensCarryTheLastKeyAndNoOtherToken) {
  auto first = ParseKeyPage(Tasks(0));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->after, "");
  EXPECT_EQ(first->size, 50);
  auto next = ParseKeyPage(Tasks(3, KeyPageToken(*first, "cqjtzy")));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->after, "cqjtzy");
  EXPECT_EQ(next->size, 3);
  // A key may hold the separator.
  auto odd = ParseKeyPage(Tasks(3, KeyPageToken(*first, "3|2026-Q1|a:b")));
  ASSERT_TRUE(odd.ok()) << odd.status();
  EXPECT_EQ(odd->after, "3|2026-Q1|a:b");
  for (const std::string& text :
       std::vector<std::string>{"after:" + first->query + ":", "offset:3", "cqjtzy"}) {
    EXPECT_EQ(ParseKeyPage(Tasks(3, absl::WebSafeBase64Escape(text))).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
  EXPECT_EQ(ParsePage(Tasks(3, KeyPageToken(*first, "cqjtzy"))).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseKeyPage(Tasks(3, KeyPageToken(*first, "cqjtzy"), "hrss")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PagingTest, ARequestWithoutPageFieldsIsAProgrammingError) {
  tasks::v1::GetTaskRequest get;
  EXPECT_EQ(ParsePage(get).status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace vetrack
