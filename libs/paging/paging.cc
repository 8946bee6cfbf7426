#include "paging/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "status/errors.h"

namespace vetrack {
namespace {
constexpr char kTokenPrefix[] = "offset:";
}  // namespace

absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token, int default_size,
                               int max_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  Page page;
  page.size = page_size == 0 ? default_size : std::min(page_size, max_size);
  if (page_token.empty()) return page;
  std::string decoded;
  if (page_token.size() > 64 || !absl::WebSafeBase64Unescape(page_token, &decoded) ||
      !absl::StartsWith(decoded, kTokenPrefix) ||
      !absl::SimpleAtoi(decoded.substr(sizeof(kTokenPrefix) - 1), &page.offset) ||
      page.offset < 0) {
    return InvalidField("page_token", "not a token this service issued");
  }
  return page;
}

std::string NextPageToken(const Page& page, int total) {
  int next = page.offset + page.size;
  if (next >= total) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, next));
}

}  // namespace vetrack
