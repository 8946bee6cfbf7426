#ifndef VETRACK_LIBS_STATUS_ERRORS_H_
#define VETRACK_LIBS_STATUS_ERRORS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

// Errors inside vetrack are absl::Status. These helpers attach the details a
// caller needs (which field is wrong, a machine-readable reason) as payloads,
// so domain code stays free of gRPC; grpc_status.h turns them into
// google.rpc.Status details at the edge.
namespace vetrack {

struct FieldViolation {
  std::string field;
  std::string description;
};

// INVALID_ARGUMENT naming one field.
absl::Status InvalidField(const std::string& field, const std::string& description);
// INVALID_ARGUMENT naming every field that is wrong; OK when the list is empty.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);
// NOT_FOUND naming the request field that referred to the missing thing.
absl::Status NotFoundField(const std::string& field, const std::string& description);
// ABORTED (reason STALE_ETAG) naming the etag field that no longer matches.
absl::Status StaleEtag(const std::string& field);
// Attaches field violations to any status (used to carry them across an RPC).
absl::Status WithFieldViolations(absl::Status status,
                                 const std::vector<FieldViolation>& violations);
// Attaches a machine-readable reason (UPPER_SNAKE_CASE) for ErrorInfo.
absl::Status WithReason(absl::Status status, const std::string& reason);

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);
// The attached reason, or the code's name (e.g. "NOT_FOUND") if none.
std::string ReasonOf(const absl::Status& status);

// Length in characters (UTF-8 code points), so limits treat Chinese text fairly.
int Utf8Length(const std::string& text);
// `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);
// Where `text` stops being well-formed UTF-8 (the offset of the first byte
// that is not), or std::string::npos. A spreadsheet saved as GBK, or a row
// pasted from one, reads as text but is not what protobuf strings may hold.
size_t FirstInvalidUtf8(std::string_view text);
// Whether `text` holds nothing but spaces, tabs, line breaks and the
// full-width (U+3000) or no-break (U+00A0) space; true for "".
bool IsBlank(const std::string& text);

// Whether `text` holds a control character other than tab and the line
// breaks (\n \v \f \r, U+0085): C0, DEL, C1, and the bidirectional
// overrides and isolates. Stored, an escape sequence would act on the
// terminal of whoever reads it later, a NUL cuts the text short in other
// systems, and an override shows the reader other text than is stored.
bool HasControlCharacters(std::string_view text);
// Where the first of them starts (a byte offset), or std::string_view::npos.
size_t FirstControlCharacter(std::string_view text);

// Collects violations while a request is validated, to report them all at once.
class Violations {
 public:
  void Add(const std::string& field, const std::string& description) {
    list_.push_back({field, description});
  }
  // Adds the field violations `status` carries, if any.
  void AddFrom(const absl::Status& status);
  // "required" when blank (IsBlank) and required; "at most N characters"
  // when too long; refused with control characters (HasControlCharacters).
  // A required reason of " " would be a reason in name only.
  void CheckText(const std::string& field, const std::string& text, int max_chars, bool required);
  // An etag, when given, as the services issue them: a revision number
  // ("0", "1", "42"; no leading zero, which no comparison would match).
  // A stale one is ABORTED when it is compared; one no service could have
  // issued ("zz", a pasted name) is the caller's mistake, named here (found
  // in use: it was ABORTED, "read the resource again", which cannot help).
  void CheckEtagShape(const std::string& field, const std::string& etag);
  bool empty() const { return list_.empty(); }
  absl::Status ToStatus() const { return InvalidFields(list_); }

 private:
  std::vector<FieldViolation> list_;
};

}  // namespace vetrack

#endif  // VETRACK_LIBS_STATUS_ERRORS_H_
