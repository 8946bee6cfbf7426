#include "status/errors.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/rpc/error_details.pb.h"

namespace vetrack {
namespace {

// "U+202E" for the UTF-8 sequence `text` starts with (well-formed: the
// validators check UTF-8 first).
std::string CodePointName(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (int n = 1; n < length && n < static_cast<int>(text.size()); ++n) {
    code = (code << 6) | (static_cast<unsigned char>(text[n]) & 0x3F);
  }
  return absl::StrFormat("U+%04X", code);
}

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kReasonUrl[] = "vetrack/reason";

// Length of the well-formed UTF-8 sequence (RFC 3629) at the start of `s`, or 0.
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    const size_t length = Utf8SequenceLength(text.substr(at));
    if (length == 0) return at;
    at += length;
  }
  return std::string::npos;
}

std::string ToValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, length));
      text.remove_prefix(length);
    }
  }
  return out;
}

absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const auto& v : violations) {
    auto* fv = bad_request.add_field_violations();
    // Proto strings must be UTF-8, or the details cannot be read back; a
    // description may quote input cut in the middle of a character.
    fv->set_field(ToValidUtf8(v.field));
    fv->set_description(ToValidUtf8(v.description));
  }
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  if (violations.empty()) return absl::OkStatus();
  std::vector<std::string> parts;
  for (const auto& v : violations) parts.push_back(v.field + ": " + v.description);
  return WithFieldViolations(absl::InvalidArgumentError(absl::StrJoin(parts, "; ")), violations);
}

absl::Status InvalidField(const std::string& field, const std::string& description) {
  return InvalidFields({{field, description}});
}

absl::Status NotFoundField(const std::string& field, const std::string& description) {
  return WithFieldViolations(absl::NotFoundError(field + ": " + description),
                             {{field, description}});
}

absl::Status StaleEtag(const std::string& field) {
  return WithReason(WithFieldViolations(absl::AbortedError(field + ": changed since it was read"),
                                        {{field, "stale: read the resource again and retry"}}),
                    "STALE_ETAG");
}

absl::Status WithReason(absl::Status status, const std::string& reason) {
  status.SetPayload(kReasonUrl, absl::Cord(reason));
  return status;
}

int Utf8Length(const std::string& text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

void Violations::AddFrom(const absl::Status& status) {
  for (const auto& fv : FieldViolationsOf(status)) Add(fv.field, fv.description);
}

bool IsBlank(const std::string& text) {
  // The full-width space (U+3000) is what a Chinese input method types.
  static constexpr absl::string_view kWideSpace = "\xE3\x80\x80";
  static constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";
  absl::string_view rest = text;
  while (!rest.empty()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(rest.front()))) {
      rest.remove_prefix(1);
    } else if (absl::ConsumePrefix(&rest, kWideSpace) ||
               absl::ConsumePrefix(&rest, kNoBreakSpace)) {
      continue;
    } else {
      return false;
    }
  }
  return true;
}

void Violations::CheckText(const std::string& field, const std::string& text, int max_chars,
                           bool required) {
  if (required && text.empty()) {
    Add(field, "required");
  } else if (required && IsBlank(text)) {
    Add(field, "required: only blank space says nothing");
  } else if (Utf8Length(text) > max_chars) {
    Add(field, absl::StrCat("at most ", max_chars, " characters"));
  } else if (size_t at = FirstControlCharacter(text); at != std::string_view::npos) {
    // Named, since most of them cannot be seen where the text was typed or
    // pasted (found in review: a bidirectional override).
    Add(field, absl::StrCat("no control characters (tabs and line breaks are fine): ",
                            CodePointName(std::string_view(text).substr(at)), " at character ",
                            Utf8Length(text.substr(0, at)) + 1));
  }
}

size_t FirstControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Tab and the line breaks, \v and \f among them (Word's soft break),
    // are text; the other C0 controls and DEL are not.
    if ((byte < 0x20 && (byte < '\t' || byte > '\r')) || byte == 0x7f) return i;
    // U+0080–U+009F, the C1 controls, are 0xC2 0x80–0x9F in UTF-8; U+0085
    // (next line) is a line break.
    if (byte == 0xc2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f && next != 0x85) return i;
    }
    // The bidirectional embeddings, overrides and isolates, U+202A–U+202E
    // (E2 80 AA–AE) and U+2066–U+2069 (E2 81 A6–A9), reorder what a reader
    // sees: "正常\u202etxt.exe" shows as "正常exe.txt" (found in review).
    if (byte == 0xe2 && i + 2 < text.size()) {
      const auto second = static_cast<unsigned char>(text[i + 1]);
      const auto third = static_cast<unsigned char>(text[i + 2]);
      if (second == 0x80 && third >= 0xaa && third <= 0xae) return i;
      if (second == 0x81 && third >= 0xa6 && third <= 0xa9) return i;
    }
  }
  return std::string_view::npos;
}

bool HasControlCharacters(std::string_view text) {
  return FirstControlCharacter(text) != std::string_view::npos;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestUrl);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& fv : bad_request.field_violations()) {
    out.push_back({fv.field(), fv.description()});
  }
  return out;
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonUrl);
  if (payload.has_value()) return std::string(*payload);
  return absl::AsciiStrToUpper(absl::StatusCodeToString(status.code()));
}

void Violations::CheckEtagShape(const std::string& field, const std::string& etag) {
  if (etag.empty()) return;
  const bool digits =
      std::all_of(etag.begin(), etag.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool leading_zero = etag.size() > 1 && etag[0] == '0';
  if (etag.size() > 20 || !digits || leading_zero) {
    Add(field, "not an etag this service issued (a revision number, as last read)");
  }
}

}  // namespace vetrack
