#include "output.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clock/clock.h"
#include "display_width.h"
#include "google/protobuf/util/json_util.h"
#include "status/errors.h"

namespace vetrack::vetctl {
namespace {

constexpr int kFieldLabelWidth = 14;
constexpr char kColumnGap[] = "  ";

bool IsUnset(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() == 0 && timestamp.nanos() == 0;
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

std::string Format(const char* format, absl::Time time) {
  return absl::FormatTime(format, time, DistrictTimeZone());
}

}  // namespace

Table::Table(std::vector<std::string> headers) { rows_.push_back(std::move(headers)); }

void Table::AddRow(std::vector<std::string> cells) {
  for (std::string& cell : cells) cell = cell.empty() ? "-" : SingleLine(cell);
  rows_.push_back(std::move(cells));
}

void Table::Print(std::ostream& out) const {
  std::vector<int> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      // No padding after the last cell: trailing blanks only get in the way.
      if (i + 1 < row.size()) {
        line.append(widths[i] - DisplayWidth(row[i]), ' ');
        line += kColumnGap;
      }
    }
    out << line << "\n";
  }
}

// Fields and texts come from other users (a school's report title, a return
// reason): control characters, escape sequences among them, are blanked so
// that they cannot drive the reader's terminal.
void PrintField(std::ostream& out, const std::string& label, const std::string& value) {
  std::string padded = label + ":";
  padded.append(std::max<int>(1, kFieldLabelWidth - DisplayWidth(padded)), ' ');
  out << padded << (value.empty() ? "-" : SingleLine(value)) << "\n";
}

void PrintText(std::ostream& out, const std::string& label, const std::string& text) {
  out << label << ":\n";
  if (text.empty()) out << "  -\n";
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    out << "  " << SingleLine(std::string(line)) << "\n";
  }
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  // Scripts should find every field, also the zero ones (tasks_created: 0).
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print as JSON: ", status.message().ToString()));
  }
  return json;
}

absl::Status PrintJson(std::ostream& out, const google::protobuf::Message& message) {
  absl::StatusOr<std::string> json = ToJson(message);
  if (!json.ok()) return json.status();
  out << *json;
  if (json->empty() || json->back() != '\n') out << "\n";
  return absl::OkStatus();
}

void PrintJsonObject(std::ostream& out,
                     const std::vector<std::pair<std::string, std::string>>& members) {
  out << "{\n";
  for (size_t i = 0; i < members.size(); ++i) {
    std::string value(absl::StripTrailingAsciiWhitespace(members[i].second));
    // Keys are fixed names chosen by vetctl, so they need no escaping.
    out << " \"" << members[i].first << "\": " << value << (i + 1 < members.size() ? ",\n" : "\n");
  }
  out << "}\n";
}

std::string FormatDate(const google::protobuf::Timestamp& timestamp) {
  return IsUnset(timestamp) ? "-" : Format("%Y-%m-%d", ToAbslTime(timestamp));
}

std::string FormatDateTime(const google::protobuf::Timestamp& timestamp) {
  return IsUnset(timestamp) ? "-" : Format("%Y-%m-%d %H:%M", ToAbslTime(timestamp));
}

std::string FormatLastDayBefore(const google::protobuf::Timestamp& timestamp) {
  if (IsUnset(timestamp)) return "-";
  return Format("%Y-%m-%d", ToAbslTime(timestamp) - absl::Nanoseconds(1));
}

std::string YesNo(bool value) { return value ? "yes" : "no"; }

std::string FormatNumber(double value) {
  char text[64];
  // Fixed below 10^15 (400000, not the shorter 4e+05, which people misread);
  // the shortest form that reads back to the same value either way.
  const auto format =
      std::fabs(value) < 1e15 ? std::chars_format::fixed : std::chars_format::general;
  auto [end, error] = std::to_chars(text, text + sizeof(text), value, format);
  return error == std::errc() ? std::string(text, end) : absl::StrFormat("%.17g", value);
}

void PrintError(std::ostream& out, const absl::Status& status) {
  const std::string code = absl::AsciiStrToUpper(absl::StatusCodeToString(status.code()));
  out << "error: " << code << ": " << status.message() << "\n";
  for (const FieldViolation& violation : FieldViolationsOf(status)) {
    out << "  " << violation.field << ": " << violation.description << "\n";
  }
  // ReasonOf falls back to the code's name, which would only repeat the first line.
  const std::string reason = ReasonOf(status);
  if (reason != code) out << "  reason: " << reason << "\n";
}

}  // namespace vetrack::vetctl
