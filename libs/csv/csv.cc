#include "csv/csv.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"

namespace vetrack {

std::vector<CsvRecord> SplitCsv(const std::string& text) {
  std::vector<CsvRecord> records;
  size_t i = text.compare(0, 3, kUtf8Bom) == 0 ? 3 : 0;
  int64_t line = 1;
  while (i < text.size()) {
    CsvRecord record;
    record.line = line;
    std::string field;
    bool quoted = false;
    // A quote opens a quoted field only as the field's first character
    // (RFC 4180); anywhere else it is the character itself, as in 12" 管件:
    // taken as an opening quote it would swallow the next rows whole.
    bool field_start = true;
    bool done = false;
    while (i < text.size() && !done) {
      char c = text[i++];
      if (quoted) {
        if (c == '"' && i < text.size() && text[i] == '"') {
          field += '"';
          ++i;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == '"' && field_start) {
        quoted = true;
      } else if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        field_start = true;
        continue;
      } else if (c == '\n') {
        ++line;
        done = true;
      } else if (c != '\r') {
        field += c;
      }
      field_start = false;
    }
    record.unterminated_quote = quoted;
    record.fields.push_back(std::move(field));
    bool blank = record.fields.size() == 1 && absl::StripAsciiWhitespace(record.fields[0]).empty();
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

CsvColumns::CsvColumns(const CsvRecord& header, const std::map<std::string, std::string>& aliases)
    : width_(header.fields.size()) {
  for (size_t i = 0; i < header.fields.size(); ++i) {
    std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header.fields[i]));
    auto alias = aliases.find(name);
    if (alias != aliases.end()) name = alias->second;
    index_.emplace(name, i);
  }
}

std::vector<std::string> CsvColumns::Missing(const std::vector<std::string>& required) const {
  std::vector<std::string> missing;
  for (const std::string& column : required) {
    if (!has(column)) missing.push_back(column);
  }
  return missing;
}

std::string CsvColumns::Text(const CsvRecord& record, const std::string& column) const {
  auto it = index_.find(column);
  if (it == index_.end() || it->second >= record.fields.size()) return "";
  return std::string(absl::StripAsciiWhitespace(record.fields[it->second]));
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
  return absl::StrJoin(
             fields, ",",
             [](std::string* out, const std::string& field) { out->append(CsvField(field)); }) +
         "\r\n";
}

}  // namespace vetrack
