#include "ledger_csv.h"

#include <array>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "csv/csv.h"
#include "decimal.h"
#include "enum_labels.h"

namespace vetrack::vetctl {
namespace {

constexpr std::array<std::pair<ledger_v1::ProgrammeType, const char*>, 10> kProgrammeWords = {{
    {ledger_v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS, "就业技能培训"},
    {ledger_v1::PROGRAMME_TYPE_JOB_SKILLS_UPGRADE, "岗位技能提升培训"},
    {ledger_v1::PROGRAMME_TYPE_ENTREPRENEURSHIP, "创业创新培训"},
    {ledger_v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION, "社区教育"},
    {ledger_v1::PROGRAMME_TYPE_ELDERLY_EDUCATION, "老年教育"},
    {ledger_v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS, "农业技能培训"},
    {ledger_v1::PROGRAMME_TYPE_RURAL_ENTREPRENEURSHIP, "返乡创业就业培训"},
    {ledger_v1::PROGRAMME_TYPE_RURAL_ECOMMERCE, "农村电商人才培训"},
    {ledger_v1::PROGRAMME_TYPE_CRAFT_HERITAGE, "传统技艺传承人教育"},
    {ledger_v1::PROGRAMME_TYPE_CAREER_EXPERIENCE, "职业体验活动"},
}};

constexpr std::array<std::pair<ledger_v1::TargetGroup, const char*>, 8> kGroupWords = {{
    {ledger_v1::TARGET_GROUP_NEW_GENERATION_MIGRANT_WORKERS, "新生代农民工"},
    {ledger_v1::TARGET_GROUP_LAID_OFF_UNEMPLOYED, "下岗失业人员"},
    {ledger_v1::TARGET_GROUP_VOCATIONAL_GRADUATES, "职校毕业生"},
    {ledger_v1::TARGET_GROUP_ELDERLY, "老年人"},
    {ledger_v1::TARGET_GROUP_DISABLED, "残疾人"},
    {ledger_v1::TARGET_GROUP_VETERANS, "退役军人"},
    {ledger_v1::TARGET_GROUP_RURAL_TRANSFER_LABOUR, "农村转移就业劳动力"},
    {ledger_v1::TARGET_GROUP_GENERAL, "其他社会人员"},
}};

const std::map<std::string, std::string>& ColumnAliases() {
  static const auto* aliases =
      new std::map<std::string, std::string>{{"institution", "institution_code"},
                                             {"id", "record_id"},
                                             {"group", "target_group"},
                                             {"hours", "hours_per_trainee"}};
  return *aliases;
}

absl::StatusOr<CsvColumns> ReadHeader(const CsvRecord& header) {
  CsvColumns columns(header, ColumnAliases());
  std::vector<std::string> missing =
      columns.Missing({"institution_code", "record_id", "date", "programme", "target_group",
                       "subsidised", "trainees", "hours_per_trainee", "certificates"});
  if (!columns.has("income_fen") && !columns.has("income_yuan")) {
    missing.push_back("income_fen (or income_yuan)");
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header (line ", header.line, ") lacks ", absl::StrJoin(missing, ", ")));
  }
  return columns;
}

// Reads one row; problems are collected per column.
class RowReader {
 public:
  RowReader(const CsvColumns& columns, const CsvRecord& record)
      : columns_(columns), record_(record) {}

  std::string Text(const std::string& column) const { return columns_.Text(record_, column); }

  // A whole number that fits the field; its range is the ledger's to judge.
  int64_t Integer(const std::string& column, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) {
    int64_t value = 0;
    const std::string text = Text(column);
    if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
      Problem(column,
              text.empty() ? "required" : absl::StrCat("'", text, "' is not a whole number"));
    }
    return value;
  }

  void Problem(const std::string& column, const std::string& description) {
    auto* problem = error_.add_problems();
    problem->set_field(column);
    problem->set_description(description);
  }

  ledger_v1::RowError* error() { return &error_; }
  bool failed() const { return error_.problems_size() > 0; }

 private:
  const CsvColumns& columns_;
  const CsvRecord& record_;
  ledger_v1::RowError error_;
};

absl::StatusOr<bool> ParseYesNo(const std::string& text) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t == "yes" || t == "true" || t == "1" || t == "y" || t == "是") return true;
  if (t == "no" || t == "false" || t == "0" || t == "n" || t == "否" || t.empty()) return false;
  return absl::InvalidArgumentError(absl::StrCat("'", text, "': expected yes or no"));
}

template <typename Enum, size_t N>
absl::StatusOr<Enum> ParseNamed(const std::string& text,
                                const google::protobuf::EnumDescriptor* descriptor,
                                const std::array<std::pair<Enum, const char*>, N>& words) {
  for (const auto& [value, word] : words) {
    if (text == word) return value;
  }
  auto label = ParseEnumLabel(descriptor, text, "");
  if (label.ok()) return static_cast<Enum>(*label);
  std::vector<std::string> choices;
  for (const auto& [value, word] : words) {
    choices.push_back(absl::StrCat(EnumLabel(descriptor, value), " (", word, ")"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", text, "' is none of ", absl::StrJoin(choices, ", ")));
}

std::optional<ledger_v1::ImportRow> ReadRow(const CsvColumns& columns, const CsvRecord& record,
                                            TrainingCsv* csv) {
  RowReader row(columns, record);
  ledger_v1::ImportRow out;
  out.set_line(record.line);
  ledger_v1::TrainingRecord* r = out.mutable_training_record();
  r->set_institution_code(row.Text("institution_code"));
  r->set_record_id(row.Text("record_id"));
  r->set_date(row.Text("date"));
  r->set_description(row.Text("description"));
  if (record.unterminated_quote) row.Problem("line", "a quoted field is never closed");
  if (columns.Overflows(record)) {
    row.Problem("line",
                "more fields than the header has columns: quote a field that holds a comma");
  }
  if (auto programme = ParseProgramme(row.Text("programme")); programme.ok()) {
    r->set_programme(*programme);
  } else {
    row.Problem("programme", std::string(programme.status().message()));
  }
  if (auto group = ParseTargetGroup(row.Text("target_group")); group.ok()) {
    r->set_target_group(*group);
  } else {
    row.Problem("target_group", std::string(group.status().message()));
  }
  if (auto subsidised = ParseYesNo(row.Text("subsidised")); subsidised.ok()) {
    r->set_subsidised(*subsidised);
  } else {
    row.Problem("subsidised", std::string(subsidised.status().message()));
  }
  r->set_trainees(row.Integer("trainees"));
  r->set_hours_per_trainee(
      static_cast<int32_t>(row.Integer("hours_per_trainee", std::numeric_limits<int32_t>::min(),
                                       std::numeric_limits<int32_t>::max())));
  r->set_certificates(row.Integer("certificates"));
  if (columns.has("income_fen")) {
    r->set_income_fen(row.Integer("income_fen"));
  } else if (auto fen = ParseYuan(row.Text("income_yuan")); fen.ok()) {
    r->set_income_fen(*fen);
  } else {
    row.Problem("income_yuan", std::string(fen.status().message()));
  }
  if (!row.failed()) return out;
  row.error()->set_line(record.line);
  row.error()->set_record_id(r->record_id());
  row.error()->set_code("INVALID_ARGUMENT");
  row.error()->set_message("the row cannot be read");
  csv->errors.push_back(std::move(*row.error()));
  return std::nullopt;
}

}  // namespace

absl::StatusOr<TrainingCsv> ParseTrainingCsv(const std::string& text) {
  std::vector<CsvRecord> records = SplitCsv(text);
  if (records.empty()) return absl::InvalidArgumentError("the file is empty: no header row");
  absl::StatusOr<CsvColumns> columns = ReadHeader(records.front());
  if (!columns.ok()) return columns.status();
  TrainingCsv csv;
  for (size_t i = 1; i < records.size(); ++i) {
    if (auto row = ReadRow(*columns, records[i], &csv); row.has_value()) {
      csv.rows.push_back(*std::move(row));
    }
  }
  return csv;
}

absl::StatusOr<ledger_v1::ProgrammeType> ParseProgramme(const std::string& text) {
  return ParseNamed(text, ledger_v1::ProgrammeType_descriptor(), kProgrammeWords);
}

absl::StatusOr<ledger_v1::TargetGroup> ParseTargetGroup(const std::string& text) {
  if (text == "其他") return ledger_v1::TARGET_GROUP_GENERAL;
  return ParseNamed(text, ledger_v1::TargetGroup_descriptor(), kGroupWords);
}

std::string ProgrammeWords(ledger_v1::ProgrammeType programme) {
  for (const auto& [value, word] : kProgrammeWords) {
    if (value == programme) return word;
  }
  return "-";
}

std::string TargetGroupWords(ledger_v1::TargetGroup group) {
  for (const auto& [value, word] : kGroupWords) {
    if (value == group) return word;
  }
  return "-";
}

absl::StatusOr<int64_t> ParseYuan(const std::string& text) {
  absl::StatusOr<int64_t> fen = ParseHundredths(text);
  if (!fen.ok())
    return absl::InvalidArgumentError(absl::StrCat("'", text, "': expected yuan such as 1234.50"));
  return fen;
}

std::string FormatYuan(int64_t fen) {
  const bool negative = fen < 0;
  const uint64_t magnitude = negative ? -static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return absl::StrCat(negative ? "-" : "", magnitude / 100, ".", cents);
}

}  // namespace vetrack::vetctl
