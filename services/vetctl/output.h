#ifndef VETRACK_SERVICES_VETCTL_OUTPUT_H_
#define VETRACK_SERVICES_VETCTL_OUTPUT_H_

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

// How vetctl shows things: aligned tables and labelled blocks for people,
// JSON for scripts, errors on stderr.
namespace vetrack::vetctl {

// Columns aligned by display width (CJK counts 2), two spaces apart.
class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  // Cells are made single-line; an empty cell shows as "-".
  void AddRow(std::vector<std::string> cells);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;  // the header row first
};

// One "label: value" line of a block, labels padded to line up.
void PrintField(std::ostream& out, const std::string& label, const std::string& value);
// Multi-line text under a label, indented.
void PrintText(std::ostream& out, const std::string& label, const std::string& text);

// The message as one JSON document with proto field names.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);
absl::Status PrintJson(std::ostream& out, const google::protobuf::Message& message);
// {"key": <json>, …} from members that are already JSON text.
void PrintJsonObject(std::ostream& out,
                     const std::vector<std::pair<std::string, std::string>>& members);

// Dates and times in the district's time zone (UTC+8); "-" when unset.
std::string FormatDate(const google::protobuf::Timestamp& timestamp);
std::string FormatDateTime(const google::protobuf::Timestamp& timestamp);
// The last day before an exclusive end: a quarter ending at 10-01 00:00
// ends, as people count, on 09-30.
std::string FormatLastDayBefore(const google::protobuf::Timestamp& timestamp);

std::string YesNo(bool value);
// A figure as the shortest text that reads back as the same double: whole
// numbers without an exponent or decimals (1234567, not %g's 1.23457e+06),
// and two figures that differ never print alike.
std::string FormatNumber(double value);

// "error: CODE: message", then the field violations and the reason, if any.
void PrintError(std::ostream& out, const absl::Status& status);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_OUTPUT_H_
