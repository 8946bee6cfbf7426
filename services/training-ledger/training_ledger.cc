#include "training_ledger.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "permissions.h"
#include "redis/atomic_write.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::ledger {

absl::Status CheckLedgerOptions(const LedgerOptions& options) {
  if (options.import_batch_size < 1 || options.import_batch_size > kMaxImportBatch) {
    return InvalidField("import-batch", absl::StrCat("from 1 to ", kMaxImportBatch));
  }
  if (options.import_writers < 1 || options.import_writers > 64) {
    return InvalidField("import-writers", "from 1 to 64");
  }
  if (options.first_year < kMinYear || options.first_year > kMaxYear) {
    return InvalidField("first-year", absl::StrCat("from ", kMinYear, " to ", kMaxYear));
  }
  return absl::OkStatus();
}

TrainingLedger::TrainingLedger(LedgerStore& store, InstitutionDirectory& directory,
                               EnrolmentSource& enrolment, const Clock& clock,
                               LedgerOptions options)
    : store_(store),
      directory_(directory),
      enrolment_(enrolment),
      clock_(clock),
      options_(options) {}

TrainingLedger::AppendContext TrainingLedger::ContextFor(const Principal& caller) const {
  const absl::Time now = clock_.Now();
  v1::TrainingRecord fields;
  fields.set_recorded_by(caller.ToString());
  *fields.mutable_record_time() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
  return AppendContext{fields.SerializeAsString(), absl::ToCivilDay(now, DistrictTimeZone())};
}

absl::Status TrainingLedger::CheckInstitution(const Principal& caller, const std::string& code,
                                              const std::string& field, KnownCodes* known) {
  std::optional<bool> is_known;
  if (known != nullptr) {
    if (auto memo = known->find(code); memo != known->end()) is_known = memo->second;
  }
  if (!is_known.has_value()) {
    auto looked_up = directory_.IsKnown(caller, code);
    if (!looked_up.ok()) return looked_up.status();
    is_known = *looked_up;
    if (known != nullptr) known->emplace(code, *is_known);
  }
  if (!*is_known) {
    return NotFoundField(field, absl::StrCat("no institution '", code, "' in school reporting"));
  }
  return absl::OkStatus();
}

absl::Status TrainingLedger::CheckPlanYear(const std::string& field, int year) const {
  if (year >= options_.first_year) return absl::OkStatus();
  return InvalidField(field,
                      absl::StrCat(year, " is before the plan's first year ", options_.first_year));
}

absl::StatusOr<PreparedRecord> TrainingLedger::Prepare(const Principal& caller,
                                                       const v1::TrainingRecord& record,
                                                       const std::string& prefix,
                                                       const AppendContext& context,
                                                       KnownCodes* known) {
  if (absl::Status shape = ValidateRecord(record, prefix); !shape.ok()) return shape;
  if (absl::Status allowed = CheckCanRecord(caller, record.institution_code()); !allowed.ok()) {
    return allowed;
  }
  if (absl::Status exists =
          CheckInstitution(caller, record.institution_code(), prefix + "institution_code", known);
      !exists.ok()) {
    return exists;
  }
  auto date = ParseDate(record.date(), prefix + "date");
  if (!date.ok()) return date.status();
  if (absl::Status planned = CheckPlanYear(prefix + "date", static_cast<int>(date->year()));
      !planned.ok()) {
    return planned;
  }
  if (*date > context.today) {
    return InvalidField(prefix + "date", absl::StrCat("in the future: today is ",
                                                      absl::FormatCivilTime(context.today)));
  }
  PreparedRecord prepared;
  prepared.ref = {record.institution_code(), record.record_id()};
  prepared.year = static_cast<int>(date->year());
  prepared.cell = CellOf(record);
  prepared.amounts = AmountsOf(record);
  // The stored bytes are the client's bytes followed by the output-only
  // fields: parsing concatenated messages merges them.
  prepared.record_bytes = ClientBytes(record);
  prepared.fingerprint = redis::Fingerprint(prepared.record_bytes);
  prepared.record_bytes += context.server_fields;
  return prepared;
}

}  // namespace vetrack::ledger
