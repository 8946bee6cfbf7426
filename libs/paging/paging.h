#ifndef VETRACK_LIBS_PAGING_PAGING_H_
#define VETRACK_LIBS_PAGING_PAGING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

// AIP-158 pagination. A page token is opaque and URL-safe; it holds where the
// next page starts and a digest of the query it was issued for: the request
// with its page_token and page_size left out. A token used with other
// filters, another parent or another method's request is INVALID_ARGUMENT on
// page_token, as is a token no service issued. page_size may change between
// pages.
namespace vetrack {

// Pages over a list by position: where the next page starts.
struct Page {
  int offset = 0;
  int size = 0;
  std::string query;  // the request's digest, carried into the next token
};

// Reads `request`'s page_size (0 means `default_size`; more than `max_size`
// is capped; negative is INVALID_ARGUMENT) and page_token. `request` must
// have both fields (INTERNAL otherwise: a programming error).
absl::StatusOr<Page> ParsePage(const google::protobuf::Message& request, int default_size = 50,
                               int max_size = 500);

// The token for the page after `page`, or "" when `total` is reached.
std::string NextPageToken(const Page& page, int total);

// The numbers on `page` of a list numbered 1 … `total` (an entity's
// revisions): at most page.size of them, from page.offset + 1.
std::vector<int> PageNumbers(const Page& page, int total);

// Pages over a list in the order of a unique key, for lists whose members can
// leave the filter between two pages (a review queue listed by state: an
// accepted report is no longer SUBMITTED). An offset would then skip the
// members that moved up; the token here holds the last key returned, and the
// next page starts after it whatever left meanwhile.
struct KeyPage {
  std::string after;  // empty on the first page
  int size = 0;
  std::string query;
};
// As ParsePage, for a token made by KeyPageToken.
absl::StatusOr<KeyPage> ParseKeyPage(const google::protobuf::Message& request,
                                     int default_size = 50, int max_size = 500);
// The token for the page after the one that ended with `last_key`.
std::string KeyPageToken(const KeyPage& page, const std::string& last_key);

}  // namespace vetrack

#endif  // VETRACK_LIBS_PAGING_PAGING_H_
