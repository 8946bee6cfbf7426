#include "paging/paging.h"

#include <algorithm>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "status/errors.h"

namespace vetrack {
namespace {
constexpr char kTokenPrefix[] = "offset:";
// No list holds a billion items; the bound keeps offset + size (and the
// LRANGE end callers compute from it) far from overflowing an int.
constexpr int kMaxOffset = 1'000'000'000;
constexpr char kKeyTokenPrefix[] = "after:";

absl::StatusOr<int> ParsePageSize(int page_size, int default_size, int max_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  return page_size == 0 ? default_size : std::min(page_size, max_size);
}

// What follows `prefix` in a token this service issued; nullopt if it is not
// one (or says nothing after the prefix).
std::optional<std::string> TokenPayload(const std::string& token, absl::string_view prefix) {
  std::string decoded;
  if (token.size() > 256 || !absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, prefix) || decoded.size() == prefix.size()) {
    return std::nullopt;
  }
  return decoded.substr(prefix.size());
}

absl::Status ForeignToken() {
  return InvalidField("page_token", "not a token this service issued");
}

}  // namespace

absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token, int default_size,
                               int max_size) {
  auto size = ParsePageSize(page_size, default_size, max_size);
  if (!size.ok()) return size.status();
  Page page;
  page.size = *size;
  if (page_token.empty()) return page;
  auto offset = TokenPayload(page_token, kTokenPrefix);
  if (!offset.has_value() || !absl::SimpleAtoi(*offset, &page.offset) || page.offset < 0 ||
      page.offset > kMaxOffset) {
    return ForeignToken();
  }
  return page;
}

std::string NextPageToken(const Page& page, int total) {
  int next = page.offset + page.size;
  if (next >= total) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, next));
}

absl::StatusOr<KeyPage> ParseKeyPage(int page_size, const std::string& page_token, int default_size,
                                     int max_size) {
  auto size = ParsePageSize(page_size, default_size, max_size);
  if (!size.ok()) return size.status();
  KeyPage page;
  page.size = *size;
  if (page_token.empty()) return page;
  auto after = TokenPayload(page_token, kKeyTokenPrefix);
  if (!after.has_value()) return ForeignToken();
  page.after = *std::move(after);
  return page;
}

std::string KeyPageToken(const std::string& last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kKeyTokenPrefix, last_key));
}

}  // namespace vetrack
