#include "paging/paging.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "status/errors.h"

namespace vetrack {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr char kOffsetKind[] = "offset";
constexpr char kKeyKind[] = "after";
// No list holds a billion items; the bound keeps offset + size (and the
// LRANGE end callers compute from it) far from overflowing an int.
constexpr int kMaxOffset = 1'000'000'000;

struct PagingFields {
  int page_size = 0;
  std::string page_token;
  std::string query;
};

// FNV-1a: stable across processes and builds, unlike std::hash. The digest
// only tells queries apart; it guards nothing (a caller may ask for any page).
uint64_t Fnv1a(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::StatusOr<PagingFields> ReadPagingFields(const Message& request) {
  const auto* descriptor = request.GetDescriptor();
  const FieldDescriptor* size = descriptor->FindFieldByName("page_size");
  const FieldDescriptor* token = descriptor->FindFieldByName("page_token");
  if (size == nullptr || token == nullptr || size->cpp_type() != FieldDescriptor::CPPTYPE_INT32 ||
      token->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return absl::InternalError(
        absl::StrCat(descriptor->full_name(), " has no page_size and page_token to page with"));
  }
  PagingFields fields;
  fields.page_size = request.GetReflection()->GetInt32(request, size);
  fields.page_token = request.GetReflection()->GetString(request, token);
  std::unique_ptr<Message> query(request.New());
  query->CopyFrom(request);
  query->GetReflection()->ClearField(query.get(), size);
  query->GetReflection()->ClearField(query.get(), token);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    query->SerializeToCodedStream(&coded);
  }
  // The method's request type is part of the query: a token of one list is
  // not taken by another.
  fields.query =
      absl::StrFormat("%016x", Fnv1a(absl::StrCat(descriptor->full_name(), "\n", bytes)));
  return fields;
}

absl::StatusOr<int> ParsePageSize(int page_size, int default_size, int max_size) {
  if (page_size < 0) return InvalidField("page_size", "must not be negative");
  return page_size == 0 ? default_size : std::min(page_size, max_size);
}

// A token is base64url of "<kind>:<query digest>:<position>".
std::string MakeToken(absl::string_view kind, const std::string& query,
                      absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", query, ":", position));
}

// The position a token of `kind` issued for `query` holds.
absl::StatusOr<std::string> TokenPosition(const std::string& token, absl::string_view kind,
                                          const std::string& query) {
  std::string decoded;
  const std::string prefix = absl::StrCat(kind, ":");
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, prefix) || decoded.size() < prefix.size() + query.size() + 2 ||
      decoded[prefix.size() + query.size()] != ':') {
    return InvalidField("page_token", "not a token this service issued");
  }
  if (decoded.compare(prefix.size(), query.size(), query) != 0) {
    return InvalidField("page_token",
                        "issued for another query: the request's other fields must stay as they "
                        "were on the first page");
  }
  return decoded.substr(prefix.size() + query.size() + 1);
}

}  // namespace

absl::StatusOr<Page> ParsePage(const Message& request, int default_size, int max_size) {
  auto fields = ReadPagingFields(request);
  if (!fields.ok()) return fields.status();
  auto size = ParsePageSize(fields->page_size, default_size, max_size);
  if (!size.ok()) return size.status();
  Page page;
  page.size = *size;
  page.query = fields->query;
  if (fields->page_token.empty()) return page;
  auto position = TokenPosition(fields->page_token, kOffsetKind, page.query);
  if (!position.ok()) return position.status();
  if (!absl::SimpleAtoi(*position, &page.offset) || page.offset < 0 || page.offset > kMaxOffset) {
    return InvalidField("page_token", "not a token this service issued");
  }
  return page;
}

std::string NextPageToken(const Page& page, int total) {
  int next = page.offset + page.size;
  if (next >= total) return "";
  return MakeToken(kOffsetKind, page.query, absl::StrCat(next));
}

std::vector<int> PageNumbers(const Page& page, int total) {
  std::vector<int> numbers;
  for (int n = page.offset + 1; n <= total && n <= page.offset + page.size; ++n) {
    numbers.push_back(n);
  }
  return numbers;
}

absl::StatusOr<KeyPage> ParseKeyPage(const Message& request, int default_size, int max_size) {
  auto fields = ReadPagingFields(request);
  if (!fields.ok()) return fields.status();
  auto size = ParsePageSize(fields->page_size, default_size, max_size);
  if (!size.ok()) return size.status();
  KeyPage page;
  page.size = *size;
  page.query = fields->query;
  if (fields->page_token.empty()) return page;
  auto position = TokenPosition(fields->page_token, kKeyKind, page.query);
  if (!position.ok()) return position.status();
  if (position->empty()) return InvalidField("page_token", "not a token this service issued");
  page.after = *std::move(position);
  return page;
}

std::string KeyPageToken(const KeyPage& page, const std::string& last_key) {
  return MakeToken(kKeyKind, page.query, last_key);
}

}  // namespace vetrack
