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

}  // namespace vetrack

#endif  // VETRACK_LIBS_PAGING_PAGING_H_
