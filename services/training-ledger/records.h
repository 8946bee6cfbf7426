#ifndef VETRACK_SERVICES_TRAINING_LEDGER_RECORDS_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_RECORDS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "vetrack/ledger/v1/ledger.pb.h"

// What a training record is, apart from where it is kept: its name, its
// identity for idempotency, the aggregate cell it counts in and the amounts
// it adds there.
namespace vetrack::ledger {

// Per-record limits. They keep every yearly sum far inside int64 and every
// batch sum inside the exact range of the Lua script's doubles (2^53).
inline constexpr int64_t kMaxTrainees = 100000;
inline constexpr int32_t kMaxHoursPerTrainee = 2000;
inline constexpr int64_t kMaxIncomeFen = 100000000000;  // 10亿元
inline constexpr int64_t kMaxCertificates = 100000;
inline constexpr int kMaxRecordIdChars = 64;
inline constexpr int kMaxDescriptionChars = 200;
inline constexpr int kMaxReasonChars = 500;
inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2100;

// Which record: the institution and the client's id.
struct RecordRef {
  std::string institution_code;
  std::string record_id;
};

// 1–64 characters of [A-Za-z0-9._-].
bool IsValidRecordId(const std::string& id);

// institutions/{code}/trainingRecords/{id}
std::string RecordName(const RecordRef& ref);
// INVALID_ARGUMENT on `field` unless `name` is a well-formed record name.
absl::StatusOr<RecordRef> ParseRecordName(const std::string& name, const std::string& field);
// institutions/{code}
std::string InstitutionName(const std::string& code);
absl::StatusOr<std::string> ParseInstitutionName(const std::string& name, const std::string& field);

// trainingStatements/{year}: a year's published district statement.
std::string StatementName(int year);
// The year, kMinYear … kMaxYear; INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<int> ParseStatementName(const std::string& name, const std::string& field);

// A strict YYYY-MM-DD date; INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDate(const std::string& text, const std::string& field);

// The record as the client sent it: output-only fields cleared.
v1::TrainingRecord ClientFields(const v1::TrainingRecord& record);
// Deterministic bytes of ClientFields(record): what the fingerprint covers.
std::string ClientBytes(const v1::TrainingRecord& record);

// The aggregate cell a record counts in, within its institution and year.
struct Cell {
  int programme = 0;
  int target_group = 0;
  bool subsidised = false;

  bool operator<(const Cell& o) const;
  bool operator==(const Cell& o) const;
};
Cell CellOf(const v1::TrainingRecord& record);

// What a record adds to its cell (a reversal subtracts the same).
struct Amounts {
  int64_t records = 0;
  int64_t person_times = 0;
  int64_t trainee_hours = 0;
  int64_t income_fen = 0;
  int64_t certificates = 0;

  Amounts& operator+=(const Amounts& o);
  bool operator==(const Amounts& o) const;
};
Amounts AmountsOf(const v1::TrainingRecord& record);
v1::TrainingTotals ToTotals(const Amounts& amounts);

// Aggregates are 64-bit counters in one string per institution and year
// (Redis BITFIELD), five per cell in a fixed layout, so a batch adds to all
// its cells in one call and a statement reads one bounded value.
inline constexpr int kMetrics = 5;  // records, person-times, trainee hours, income, certificates
inline constexpr int kProgrammeSlots = 32;
inline constexpr int kGroupSlots = 16;
inline constexpr int64_t kCounters = int64_t{kProgrammeSlots} * kGroupSlots * 2 * kMetrics;
// The counter of `metric` (0 … kMetrics-1, in Amounts order) of `cell`.
int64_t CounterIndex(const Cell& cell, int metric);
Cell CellOfCounter(int64_t counter);
inline int MetricOfCounter(int64_t counter) { return static_cast<int>(counter % kMetrics); }
// The amount `metric` names, for reading and writing aggregates.
int64_t* MetricOf(Amounts& amounts, int metric);
int64_t MetricOf(const Amounts& amounts, int metric);

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_RECORDS_H_
