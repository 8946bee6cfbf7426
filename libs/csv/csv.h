#ifndef VETRACK_LIBS_CSV_CSV_H_
#define VETRACK_LIBS_CSV_CSV_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// CSV as spreadsheets write and read it (RFC 4180): commas, fields quoted
// with "" for a quote, CRLF or LF, line breaks inside quotes, and UTF-8 with
// or without the BOM that Excel on Chinese Windows needs to read UTF-8.
namespace vetrack {

inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// One record: its fields and the line of the file it starts on.
struct CsvRecord {
  int64_t line = 0;
  std::vector<std::string> fields;
  bool unterminated_quote = false;
};

// Every record of `text`, a leading BOM dropped; blank lines are skipped.
std::vector<CsvRecord> SplitCsv(const std::string& text);

// Where each column sits, from a header row: names are trimmed and
// lower-cased, and an alias stands for its column (e.g. "学校标识码" for
// "school_id_code").
class CsvColumns {
 public:
  CsvColumns(const CsvRecord& header, const std::map<std::string, std::string>& aliases);

  bool has(const std::string& column) const { return index_.count(column) > 0; }
  // Whether `record` has more fields than the header has columns: an
  // unquoted comma inside a field, which would shift or drop what follows.
  bool Overflows(const CsvRecord& record) const { return record.fields.size() > width_; }
  // Of `required`, those the header lacks.
  std::vector<std::string> Missing(const std::vector<std::string>& required) const;
  // The record's field in `column`, trimmed; "" when the column or the field
  // is absent.
  std::string Text(const CsvRecord& record, const std::string& column) const;

 private:
  std::map<std::string, size_t> index_;
  size_t width_ = 0;
};

// One field, quoted when it holds a comma, a quote or a line break.
std::string CsvField(const std::string& text);
// The fields of one record, comma-separated, ending in CRLF.
std::string CsvRow(const std::vector<std::string>& fields);

}  // namespace vetrack

#endif  // VETRACK_LIBS_CSV_CSV_H_
