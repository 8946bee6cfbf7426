#ifndef VETRACK_LIBS_PAGING_PAGING_H_
#define VETRACK_LIBS_PAGING_PAGING_H_

#include <string>

#include "absl/status/statusor.h"

// AIP-158 pagination over ordered results: the page token is an opaque,
// URL-safe encoding of the offset where the next page starts.
namespace vetrack {

struct Page {
  int offset = 0;
  int size = 0;
};

// Checks page_size (0 means `default_size`; more than `max_size` is capped;
// negative is INVALID_ARGUMENT) and decodes page_token (INVALID_ARGUMENT on
// page_token when it was not made by NextPageToken).
absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token,
                               int default_size = 50, int max_size = 500);

// The token for the page after `page`, or "" when `total` is reached.
std::string NextPageToken(const Page& page, int total);

// Pages over a list in the order of a unique key, for lists whose members can
// leave the filter between two pages (a review queue listed by state: an
// accepted report is no longer SUBMITTED). An offset would then skip the
// members that moved up; the token here holds the last key returned, and the
// next page starts after it whatever left meanwhile.
struct KeyPage {
  std::string after;  // empty on the first page
  int size = 0;
};
// As ParsePage, for a token made by KeyPageToken.
absl::StatusOr<KeyPage> ParseKeyPage(int page_size, const std::string& page_token,
                                     int default_size = 50, int max_size = 500);
// The token for the page after the one that ended with `last_key`.
std::string KeyPageToken(const std::string& last_key);

}  // namespace vetrack

#endif  // VETRACK_LIBS_PAGING_PAGING_H_
