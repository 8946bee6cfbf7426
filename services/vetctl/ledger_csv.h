#ifndef VETRACK_SERVICES_VETCTL_LEDGER_CSV_H_
#define VETRACK_SERVICES_VETCTL_LEDGER_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vetrack/ledger/v1/ledger.pb.h"

// Training records as schools keep them in spreadsheets: a CSV file with a
// header row naming the columns (any order):
//   institution_code, record_id, date, programme, target_group, subsidised,
//   trainees, hours_per_trainee, income_fen or income_yuan, certificates,
//   description (optional)
// Programmes and groups are given by label (employment_skills) or by the
// plan's words (就业技能培训); subsidised as yes/no, true/false, 1/0 or 是/否.
// Rows that cannot be read are reported with their line; the ledger checks
// the rest (ranges, dates, institutions) and reports its own rejections.
namespace vetrack::vetctl {

namespace ledger_v1 = ::vetrack::ledger::v1;

struct TrainingCsv {
  std::vector<ledger_v1::ImportRow> rows;
  // Rows that could not be read, as the ledger reports rejected rows.
  std::vector<ledger_v1::RowError> errors;
};

// INVALID_ARGUMENT when the header lacks a column (the file is unusable);
// bad rows otherwise end up in `errors`.
absl::StatusOr<TrainingCsv> ParseTrainingCsv(const std::string& text);

// The label or the plan's words; INVALID_ARGUMENT listing the choices.
absl::StatusOr<ledger_v1::ProgrammeType> ParseProgramme(const std::string& text);
absl::StatusOr<ledger_v1::TargetGroup> ParseTargetGroup(const std::string& text);
// The plan's words for a programme or group, "-" for none.
std::string ProgrammeWords(ledger_v1::ProgrammeType programme);
std::string TargetGroupWords(ledger_v1::TargetGroup group);

// "1234.5" yuan -> 123450 fen, exactly; at most two decimals.
absl::StatusOr<int64_t> ParseYuan(const std::string& text);
// 123450 fen -> "1234.50".
std::string FormatYuan(int64_t fen);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_LEDGER_CSV_H_
