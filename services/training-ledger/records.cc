#include "records.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::ledger {
namespace {

constexpr char kInstitutionsPrefix[] = "institutions/";
constexpr char kRecordsSegment[] = "trainingRecords";
constexpr char kStatementsPrefix[] = "trainingStatements/";

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return !s.empty();
}

}  // namespace

bool IsValidRecordId(const std::string& id) {
  if (id.empty() || id.size() > kMaxRecordIdChars) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

std::string RecordName(const RecordRef& ref) {
  return absl::StrCat(kInstitutionsPrefix, ref.institution_code, "/", kRecordsSegment, "/",
                      ref.record_id);
}

absl::StatusOr<RecordRef> ParseRecordName(const std::string& name, const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != kRecordsSegment ||
      !IsValidResourceId(parts[1]) || !IsValidRecordId(parts[3])) {
    return InvalidField(field,
                        "must be institutions/{institution_code}/trainingRecords/{record_id}");
  }
  return RecordRef{parts[1], parts[3]};
}

std::string InstitutionName(const std::string& code) {
  return absl::StrCat(kInstitutionsPrefix, code);
}

absl::StatusOr<std::string> ParseInstitutionName(const std::string& name,
                                                 const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "institutions" || !IsValidResourceId(parts[1])) {
    return InvalidField(field, "must be institutions/{institution_code}");
  }
  return parts[1];
}

std::string StatementName(int year) { return absl::StrCat(kStatementsPrefix, year); }

absl::StatusOr<int> ParseStatementName(const std::string& name, const std::string& field) {
  absl::string_view year_text = name;
  int year = 0;
  if (!absl::ConsumePrefix(&year_text, kStatementsPrefix) || year_text.size() != 4 ||
      !AllDigits(year_text) || !absl::SimpleAtoi(year_text, &year) || year < kMinYear ||
      year > kMaxYear) {
    return InvalidField(field, absl::StrCat("must be ", kStatementsPrefix, "{year}, a year ",
                                            kMinYear, "–", kMaxYear));
  }
  return year;
}

absl::StatusOr<absl::CivilDay> ParseDate(const std::string& text, const std::string& field) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  int year, month, day;
  if (text.size() != 10 || parts.size() != 3 || parts[0].size() != 4 || parts[1].size() != 2 ||
      parts[2].size() != 2 || !AllDigits(parts[0]) || !AllDigits(parts[1]) ||
      !AllDigits(parts[2]) || !absl::SimpleAtoi(parts[0], &year) ||
      !absl::SimpleAtoi(parts[1], &month) || !absl::SimpleAtoi(parts[2], &day)) {
    return InvalidField(field, "a date as YYYY-MM-DD");
  }
  absl::CivilDay civil(year, month, day);
  // CivilDay normalizes 02-30 to 03-02: a date that moved was not a date.
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return InvalidField(field, "no such day");
  }
  if (year < kMinYear || year > kMaxYear) {
    return InvalidField(field, absl::StrCat("the year must be ", kMinYear, "–", kMaxYear));
  }
  return civil;
}

v1::TrainingRecord ClientFields(const v1::TrainingRecord& record) {
  v1::TrainingRecord client = record;
  client.clear_name();
  client.clear_recorded_by();
  client.clear_record_time();
  client.clear_reverses();
  client.clear_reversal_reason();
  client.clear_reversed_by();
  return client;
}

std::string ClientBytes(const v1::TrainingRecord& record) {
  v1::TrainingRecord client = ClientFields(record);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    client.SerializeToCodedStream(&coded);
  }
  return bytes;
}

bool Cell::operator<(const Cell& o) const {
  return std::tie(programme, target_group, subsidised) <
         std::tie(o.programme, o.target_group, o.subsidised);
}

bool Cell::operator==(const Cell& o) const {
  return programme == o.programme && target_group == o.target_group && subsidised == o.subsidised;
}

Cell CellOf(const v1::TrainingRecord& record) {
  return Cell{record.programme(), record.target_group(), record.subsidised()};
}

Amounts& Amounts::operator+=(const Amounts& o) {
  records += o.records;
  person_times += o.person_times;
  trainee_hours += o.trainee_hours;
  income_fen += o.income_fen;
  certificates += o.certificates;
  return *this;
}

bool Amounts::operator==(const Amounts& o) const {
  return records == o.records && person_times == o.person_times &&
         trainee_hours == o.trainee_hours && income_fen == o.income_fen &&
         certificates == o.certificates;
}

Amounts AmountsOf(const v1::TrainingRecord& record) {
  return Amounts{1, record.trainees(), record.trainees() * record.hours_per_trainee(),
                 record.income_fen(), record.certificates()};
}

v1::TrainingTotals ToTotals(const Amounts& amounts) {
  v1::TrainingTotals totals;
  totals.set_records(amounts.records);
  totals.set_person_times(amounts.person_times);
  totals.set_trainee_hours(amounts.trainee_hours);
  totals.set_income_fen(amounts.income_fen);
  totals.set_certificates(amounts.certificates);
  return totals;
}

static_assert(v1::ProgrammeType_MAX < kProgrammeSlots, "more programme types than counter slots");
static_assert(v1::TargetGroup_MAX < kGroupSlots, "more target groups than counter slots");

int64_t CounterIndex(const Cell& cell, int metric) {
  const int64_t cell_index =
      (int64_t{cell.programme} * kGroupSlots + cell.target_group) * 2 + (cell.subsidised ? 1 : 0);
  return cell_index * kMetrics + metric;
}

Cell CellOfCounter(int64_t counter) {
  const int64_t cell_index = counter / kMetrics;
  return Cell{static_cast<int>(cell_index / 2 / kGroupSlots),
              static_cast<int>(cell_index / 2 % kGroupSlots), cell_index % 2 == 1};
}

int64_t* MetricOf(Amounts& amounts, int metric) {
  switch (metric) {
    case 0:
      return &amounts.records;
    case 1:
      return &amounts.person_times;
    case 2:
      return &amounts.trainee_hours;
    case 3:
      return &amounts.income_fen;
    case 4:
      return &amounts.certificates;
    default:
      return nullptr;
  }
}

int64_t MetricOf(const Amounts& amounts, int metric) {
  switch (metric) {
    case 0:
      return amounts.records;
    case 1:
      return amounts.person_times;
    case 2:
      return amounts.trainee_hours;
    case 3:
      return amounts.income_fen;
    case 4:
      return amounts.certificates;
    default:
      return 0;
  }
}

}  // namespace vetrack::ledger
