#include "reference_document.h"

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"
#include "auth/token.h"
#include "clock/timestamp.h"
#include "exchange/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "status/errors.h"

namespace vetrack::exchange {
namespace {

// Parses one part of the document into its catalog message.
template <typename Catalog>
absl::StatusOr<std::optional<Catalog>> Part(const google::protobuf::Struct& document,
                                            const std::string& key) {
  auto it = document.fields().find(key);
  if (it == document.fields().end()) return std::optional<Catalog>();
  std::string json;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto printed = google::protobuf::util::MessageToJsonString(it->second, &json);
  Catalog catalog;
  if (printed.ok()) printed = google::protobuf::util::JsonStringToMessage(json, &catalog, options);
  if (!printed.ok()) {
    return absl::InvalidArgumentError(ToValidUtf8(
        absl::StrCat("the reference document's \"", key, "\" is not a ",
                     Catalog::descriptor()->name(), ": ", printed.message().as_string())));
  }
  return std::optional<Catalog>(std::move(catalog));
}

std::string Text(const google::protobuf::Struct& document, const std::string& key) {
  auto it = document.fields().find(key);
  return it == document.fields().end() ? "" : it->second.string_value();
}

}  // namespace

absl::Status VerifyReferenceSignature(const std::string& body, const std::string& signature,
                                      const std::string& secret) {
  if (signature.empty()) {
    return absl::UnauthenticatedError("the reference document is unsigned: refused");
  }
  const std::string expected = HmacSha256Hex(secret, body);
  if (signature.size() != expected.size() ||
      CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) {
    return absl::UnauthenticatedError(
        "the reference document's signature does not match the shared secret: refused");
  }
  return absl::OkStatus();
}

absl::StatusOr<ReferenceDocument> ParseReferenceDocument(const std::string& body) {
  google::protobuf::Struct document;
  if (!google::protobuf::util::JsonStringToMessage(body, &document).ok()) {
    return absl::InvalidArgumentError("the reference document is not a JSON object");
  }
  if (Text(document, "schema") != kReferenceSchema) {
    return absl::InvalidArgumentError(ToValidUtf8(
        absl::StrCat("the reference document's schema is '", Text(document, "schema").substr(0, 64),
                     "', not ", kReferenceSchema)));
  }
  if (Text(document, "district_code") != kDistrictCode) {
    return absl::InvalidArgumentError(ToValidUtf8(
        absl::StrCat("the reference document is for district '",
                     Text(document, "district_code").substr(0, 16), "', not ", kDistrictCode)));
  }
  ReferenceDocument parsed;
  const std::string issued = Text(document, "issued_time");
  std::string error;
  if (issued.empty()) {
    return absl::InvalidArgumentError(
        "the reference document has no issued_time: refused (without it an old document could be "
        "replayed)");
  }
  if (!absl::ParseTime(absl::RFC3339_full, issued, &parsed.issued_time, &error)) {
    return absl::InvalidArgumentError(ToValidUtf8(absl::StrCat(
        "the reference document's issued_time '", issued.substr(0, 40), "' is not RFC 3339")));
  }
  auto institutions = Part<::vetrack::schools::v1::InstitutionCatalog>(document, "institutions");
  if (!institutions.ok()) return institutions.status();
  parsed.institutions = *std::move(institutions);
  auto majors = Part<::vetrack::schools::v1::MajorCatalog>(document, "majors");
  if (!majors.ok()) return majors.status();
  parsed.majors = *std::move(majors);
  const google::protobuf::Timestamp issue_time = TimeToProto(parsed.issued_time);
  if (parsed.institutions.has_value()) *parsed.institutions->mutable_issue_time() = issue_time;
  if (parsed.majors.has_value()) *parsed.majors->mutable_issue_time() = issue_time;
  return parsed;
}

absl::Status CheckIssuedTime(const ReferenceDocument& document, absl::Time now) {
  if (document.issued_time > now + kIssuedTimeSkew) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the reference document says it was issued at ", TimeText(document.issued_time),
        ", more than ", absl::FormatDuration(kIssuedTimeSkew),
        " after this clock's now: refused (check the clocks)"));
  }
  return absl::OkStatus();
}

}  // namespace vetrack::exchange
