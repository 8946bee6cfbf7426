#include "reference_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "csv/csv.h"
#include "enum_labels.h"
#include "google/protobuf/util/json_util.h"
#include "status/errors.h"

namespace vetrack::vetctl {
namespace {

const std::map<std::string, std::string>& InstitutionAliases() {
  // clang-format off
  static const auto* aliases = new std::map<std::string, std::string>{
      {"院校代码", "code"},          {"institution_code", "code"},
      {"学校名称", "display_name"},  {"name", "display_name"},
      {"类型", "type"},              {"办学类型", "type"},
      {"学校标识码", "school_id_code"}, {"统一社会信用代码", "credit_code"},
      {"开办年份", "first_year"},    {"计入年份", "first_year"}};
  // clang-format on
  return *aliases;
}

const std::map<std::string, std::string>& MajorAliases() {
  static const auto* aliases = new std::map<std::string, std::string>{
      {"专业代码", "code"},     {"catalog_code", "code"}, {"专业名称", "display_name"},
      {"name", "display_name"}, {"层次", "level"},        {"专业大类", "category"},
      {"专业类", "subcategory"}};
  return *aliases;
}

const std::map<std::string, int>& TypeWords() {
  static const auto* words =
      new std::map<std::string, int>{{"高职", schools_v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL},
                                     {"中职", schools_v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL},
                                     {"技工", schools_v1::INSTITUTION_TYPE_TECHNICAL}};
  return *words;
}

const std::map<std::string, int>& LevelWords() {
  static const auto* words =
      new std::map<std::string, int>{{"中职", schools_v1::MAJOR_LEVEL_SECONDARY},
                                     {"高职专科", schools_v1::MAJOR_LEVEL_JUNIOR_COLLEGE},
                                     {"职业本科", schools_v1::MAJOR_LEVEL_UNDERGRADUATE}};
  return *words;
}

// The value `text` names: its label ("technical"), its full name
// (INSTITUTION_TYPE_TECHNICAL) or one of `words`; 0 for an empty text.
absl::StatusOr<int> EnumFromText(const google::protobuf::EnumDescriptor* type,
                                 const std::string& text, const std::map<std::string, int>& words) {
  if (text.empty()) return 0;
  if (auto word = words.find(text); word != words.end()) return word->second;
  std::vector<std::string> accepted;
  for (int i = 0; i < type->value_count(); ++i) {
    const int number = type->value(i)->number();
    if (number == 0) continue;
    const std::string label = EnumLabel(type, number);
    if (label == absl::AsciiStrToLower(text) || type->value(i)->name() == text) return number;
    accepted.push_back(label);
  }
  for (const auto& [word, number] : words) accepted.push_back(word);
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is none of ", absl::StrJoin(accepted, ", ")));
}

std::string LineField(int64_t line, const std::string& field) {
  return line > 0 ? absl::StrCat("line ", line, ": ", field) : field;
}

absl::Status Refused(absl::StatusCode code, const std::string& path, const std::set<int64_t>& lines,
                     const std::vector<FieldViolation>& violations) {
  std::string where =
      lines.empty() ? "" : absl::StrCat(" (lines ", absl::StrJoin(lines, ", "), ")");
  return WithFieldViolations(
      absl::Status(code, absl::StrCat(path, ": ", lines.size() == 1 ? "1 row" : "rows", where,
                                      " refused; nothing was imported")),
      violations);
}

bool LooksLikeJson(const std::string& text) {
  absl::string_view rest = text;
  absl::ConsumePrefix(&rest, kUtf8Bom);
  rest = absl::StripLeadingAsciiWhitespace(rest);
  return !rest.empty() && rest.front() == '{';
}

template <typename Catalog>
absl::StatusOr<ReferenceFile<Catalog>> ParseJson(const std::string& path, const std::string& text,
                                                 const std::string& collection) {
  absl::string_view json = text;
  absl::ConsumePrefix(&json, kUtf8Bom);
  ReferenceFile<Catalog> file;
  // Strict: a misspelt field would otherwise drop data without a word.
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(json), &file.catalog);
  if (!parsed.ok()) {
    // The parser's message quotes the text around the fault, which may cut a
    // character in two (found by tests/fuzz/reference_files_fuzzer).
    return absl::InvalidArgumentError(
        ToValidUtf8(absl::StrCat(path, " is not a ", Catalog::descriptor()->full_name(), ": ",
                                 parsed.message().as_string())));
  }
  file.lines = JsonArrayElementLines(std::string(json), collection);
  return file;
}

// The CSV's rows, each filled by `read` (which names the problems of a row
// by column); rows with problems refuse the whole file.
template <typename Catalog, typename Entry>
absl::StatusOr<ReferenceFile<Catalog>> ParseCsv(
    const std::string& path, const std::string& text, const std::string& collection,
    const std::map<std::string, std::string>& aliases, const std::vector<std::string>& required,
    Entry* (*add)(Catalog*),
    void (*read)(const CsvColumns&, const CsvRecord&, Entry*, Violations*)) {
  std::vector<CsvRecord> records = SplitCsv(text);
  if (records.empty()) return absl::InvalidArgumentError(path + " is empty: no header row");
  CsvColumns columns(records.front(), aliases);
  if (auto missing = columns.Missing(required); !missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": the header (line ",
                                                   records.front().line, ") lacks ",
                                                   absl::StrJoin(missing, ", ")));
  }
  ReferenceFile<Catalog> file;
  file.catalog.set_source(absl::StrCat("file ", path));
  std::vector<FieldViolation> problems;
  std::set<int64_t> bad_lines;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& record = records[r];
    const std::string row = absl::StrCat("catalog.", collection, "[", r - 1, "]");
    Violations row_problems;
    if (record.unterminated_quote) row_problems.Add("", "a quoted field is never closed");
    if (columns.Overflows(record)) {
      row_problems.Add("",
                       "more fields than the header has columns: quote a field that holds a comma");
    }
    read(columns, record, add(&file.catalog), &row_problems);
    file.lines.push_back(record.line);
    for (const FieldViolation& v : FieldViolationsOf(row_problems.ToStatus())) {
      problems.push_back(
          {LineField(record.line, v.field.empty() ? row : row + "." + v.field), v.description});
      bad_lines.insert(record.line);
    }
  }
  if (!problems.empty()) {
    return Refused(absl::StatusCode::kInvalidArgument, path, bad_lines, problems);
  }
  return file;
}

// The enum value the row's `column` names, or 0 with the problem noted.
int EnumColumn(const CsvColumns& columns, const CsvRecord& record, const std::string& column,
               const google::protobuf::EnumDescriptor* type,
               const std::map<std::string, int>& words, Violations* problems) {
  auto value = EnumFromText(type, columns.Text(record, column), words);
  if (value.ok()) return *value;
  problems->Add(column, std::string(value.status().message()));
  return 0;
}

void ReadInstitution(const CsvColumns& columns, const CsvRecord& record,
                     schools_v1::Institution* entry, Violations* problems) {
  entry->set_code(columns.Text(record, "code"));
  entry->set_display_name(columns.Text(record, "display_name"));
  entry->set_school_id_code(columns.Text(record, "school_id_code"));
  entry->set_credit_code(columns.Text(record, "credit_code"));
  // Empty: not known here (0), as for the codes.
  if (std::string year = columns.Text(record, "first_year"); !year.empty()) {
    int32_t parsed = 0;
    if (absl::SimpleAtoi(year, &parsed) && parsed > 0) {
      entry->set_first_year(parsed);
    } else {
      problems->Add("first_year", "a year, e.g. 2025, or empty");
    }
  }
  entry->set_type(static_cast<schools_v1::InstitutionType>(EnumColumn(
      columns, record, "type", schools_v1::InstitutionType_descriptor(), TypeWords(), problems)));
}

void ReadMajor(const CsvColumns& columns, const CsvRecord& record, schools_v1::CatalogMajor* entry,
               Violations* problems) {
  entry->set_code(columns.Text(record, "code"));
  entry->set_display_name(columns.Text(record, "display_name"));
  entry->set_category(columns.Text(record, "category"));
  entry->set_subcategory(columns.Text(record, "subcategory"));
  entry->set_level(static_cast<schools_v1::MajorLevel>(EnumColumn(
      columns, record, "level", schools_v1::MajorLevel_descriptor(), LevelWords(), problems)));
}

}  // namespace

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) return absl::DataLossError(absl::StrCat("error while reading ", path));
  std::string text = contents.str();
  // Notepad and Excel on Chinese Windows begin UTF-8 with a BOM.
  if (absl::StartsWith(text, kUtf8Bom)) text.erase(0, 3);
  if (size_t bad = FirstInvalidUtf8(text); bad != std::string::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n');
    return absl::InvalidArgumentError(
        absl::StrCat(path, " line ", line, ": not UTF-8 text (GBK?): save the file as UTF-8, ",
                     "e.g. in Excel as \"CSV UTF-8\""));
  }
  return text;
}

absl::StatusOr<InstitutionFile> ParseInstitutionFile(const std::string& path,
                                                     const std::string& text) {
  if (LooksLikeJson(text)) {
    return ParseJson<schools_v1::InstitutionCatalog>(path, text, "institutions");
  }
  return ParseCsv<schools_v1::InstitutionCatalog, schools_v1::Institution>(
      path, text, "institutions", InstitutionAliases(), {"code"},
      [](schools_v1::InstitutionCatalog* c) { return c->add_institutions(); }, &ReadInstitution);
}

absl::StatusOr<MajorFile> ParseMajorFile(const std::string& path, const std::string& text) {
  if (LooksLikeJson(text)) return ParseJson<schools_v1::MajorCatalog>(path, text, "majors");
  return ParseCsv<schools_v1::MajorCatalog, schools_v1::CatalogMajor>(
      path, text, "majors", MajorAliases(), {"code", "display_name", "level"},
      [](schools_v1::MajorCatalog* c) { return c->add_majors(); }, &ReadMajor);
}

absl::Status NameFileLines(const absl::Status& status, const std::string& path,
                           const std::string& collection, const std::vector<int64_t>& lines) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  const std::string prefix = absl::StrCat("catalog.", collection, "[");
  std::set<int64_t> refused;
  for (FieldViolation& v : violations) {
    absl::string_view rest = v.field;
    size_t index = 0;
    if (!absl::ConsumePrefix(&rest, prefix) ||
        !absl::SimpleAtoi(rest.substr(0, rest.find(']')), &index) || index >= lines.size() ||
        lines[index] <= 0) {
      continue;
    }
    refused.insert(lines[index]);
    v.field = LineField(lines[index], v.field);
  }
  if (refused.empty()) return status;
  absl::Status out = Refused(status.code(), path, refused, violations);
  status.ForEachPayload([&out](absl::string_view url, const absl::Cord& payload) {
    if (!out.GetPayload(url).has_value()) out.SetPayload(url, payload);
  });
  return out;
}

std::vector<int64_t> JsonArrayElementLines(const std::string& text, const std::string& key) {
  std::vector<int64_t> lines;
  int64_t line = 1;
  int depth = 0;
  int array_depth = -1;  // the depth inside the wanted array, once found
  bool in_string = false, escaped = false, key_matched = false;
  std::string token, last_key;
  for (char c : text) {
    if (c == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
        token += c;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
        if (depth == 1) last_key = token;
      } else {
        token += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        token.clear();
        break;
      case ':':
        key_matched = depth == 1 && last_key == key;
        break;
      case ',':
        if (depth == 1) key_matched = false;
        break;
      case '[':
        ++depth;
        if (key_matched && depth == 2) array_depth = depth;
        key_matched = false;
        break;
      case '{':
        if (depth == array_depth) lines.push_back(line);
        ++depth;
        break;
      case ']':
        if (depth == array_depth) array_depth = -1;
        --depth;
        break;
      case '}':
        --depth;
        break;
      default:
        break;
    }
  }
  return lines;
}

}  // namespace vetrack::vetctl
