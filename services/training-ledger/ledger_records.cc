// The records half of TrainingLedger: append, reverse, read.
#include "absl/strings/str_cat.h"
#include "paging/paging.h"
#include "permissions.h"
#include "redis/atomic_write.h"
#include "status/errors.h"
#include "training_ledger.h"

namespace vetrack::ledger {
namespace {

absl::Status IdTaken(const std::string& field, const RecordRef& ref) {
  return InvalidField(
      field,
      absl::StrCat("'", ref.record_id, "' is already used by a different record of ",
                   ref.institution_code,
                   "; records are never changed: reverse that one and record anew under a new id"));
}

// A reversal's identity: what it reverses and why.
std::string ReversalFingerprint(const v1::ReverseTrainingRecordRequest& req) {
  return redis::Fingerprint(absl::StrCat("reversal\n", req.name(), "\n", req.reason()));
}

// The first answer to a request, as it was given: marks added since (a
// later reversal) are not part of it.
v1::TrainingRecord AsFirstAnswered(v1::TrainingRecord record) {
  record.clear_reversed_by();
  return record;
}

}  // namespace

absl::StatusOr<v1::TrainingRecord> TrainingLedger::CreateTrainingRecord(
    const Principal& caller, const v1::CreateTrainingRecordRequest& req) {
  auto prepared =
      Prepare(caller, req.training_record(), "training_record.", ContextFor(caller), nullptr);
  if (!prepared.ok()) return prepared.status();
  auto outcomes = store_.AppendRecords({*prepared});
  if (!outcomes.ok()) return outcomes.status();
  switch (outcomes->front()) {
    case AppendOutcome::kCreated: {
      v1::TrainingRecord created;
      if (!created.ParseFromString(prepared->record_bytes)) {
        return absl::InternalError("a record just built does not parse");
      }
      created.set_name(RecordName(prepared->ref));
      return created;
    }
    case AppendOutcome::kUnchanged: {
      auto stored = store_.GetRecord(prepared->ref);
      if (!stored.ok()) return stored.status();
      if (!stored->has_value()) return absl::DataLossError("a stored record vanished");
      return AsFirstAnswered((*stored)->record);
    }
    case AppendOutcome::kConflict:
      break;
  }
  return IdTaken("training_record.record_id", prepared->ref);
}

absl::StatusOr<v1::TrainingRecord> TrainingLedger::ReverseTrainingRecord(
    const Principal& caller, const v1::ReverseTrainingRecordRequest& req) {
  auto ref = ParseRecordName(req.name(), "name");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanRecord(caller, ref->institution_code); !allowed.ok()) {
    return allowed;
  }
  const RecordRef reversal_ref{ref->institution_code, req.reversal_id()};
  const std::string fingerprint = ReversalFingerprint(req);
  // A replay is answered as the first time, although the original is by now reversed.
  auto earlier = store_.GetRecord(reversal_ref);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if ((*earlier)->fingerprint == fingerprint) return AsFirstAnswered((*earlier)->record);
    // Found in use: reversing a record again (another reason, the default
    // reversal id) was told to reverse the record the id names, its own
    // reversal. The id is the request's identity: another reason under it is
    // refused, saying what it already did.
    if ((*earlier)->record.reverses() == req.name()) {
      return InvalidField(
          "reversal_id", absl::StrCat("'", req.reversal_id(), "' already reversed ", req.name(),
                                      ", for another reason; a record is reversed once, for good"));
    }
    return IdTaken("reversal_id", reversal_ref);
  }
  auto original = store_.GetRecord(*ref);
  if (!original.ok()) return original.status();
  if (!original->has_value()) return NotFoundField("name", absl::StrCat("no record ", req.name()));
  const v1::TrainingRecord& entry = (*original)->record;
  if (!entry.reverses().empty()) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat(req.name(), " is itself a reversal (of ", entry.reverses(),
                                       "); record the training anew instead")),
                      "REVERSAL_NOT_REVERSIBLE");
  }
  if (!entry.reversed_by().empty()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          req.name(), " is already reversed by ", entry.reversed_by())),
                      "ALREADY_REVERSED");
  }

  v1::TrainingRecord reversal = ClientFields(entry);
  reversal.set_record_id(req.reversal_id());
  reversal.set_reverses(req.name());
  reversal.set_reversal_reason(req.reason());
  reversal.MergeFromString(ContextFor(caller).server_fields);
  auto date = ParseDate(entry.date(), "name");
  if (!date.ok()) return absl::DataLossError(absl::StrCat(req.name(), " has no valid date"));
  ReversalWrite write;
  write.original = *ref;
  write.original_fingerprint = (*original)->fingerprint;
  write.reversal.ref = reversal_ref;
  write.reversal.year = static_cast<int>(date->year());
  write.reversal.cell = CellOf(entry);
  write.reversal.amounts = AmountsOf(entry);
  write.reversal.fingerprint = fingerprint;
  write.reversal.record_bytes = reversal.SerializeAsString();

  auto result = store_.AppendReversal(write);
  if (!result.ok()) return result.status();
  using Outcome = ReversalResult::Outcome;
  switch (result->outcome) {
    case Outcome::kApplied:
      reversal.set_name(RecordName(reversal_ref));
      return reversal;
    case Outcome::kReplayed:
      return AsFirstAnswered(*result->earlier);
    case Outcome::kIdTaken:
      return IdTaken("reversal_id", reversal_ref);
    case Outcome::kOriginalMissing:
      return NotFoundField("name", absl::StrCat("no record ", req.name()));
    case Outcome::kAlreadyReversed:
      break;
  }
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat(req.name(), " is already reversed by ",
                                     RecordName({ref->institution_code, result->reversed_by}))),
                    "ALREADY_REVERSED");
}

absl::StatusOr<v1::TrainingRecord> TrainingLedger::GetTrainingRecord(
    const Principal& caller, const v1::GetTrainingRecordRequest& req) {
  auto ref = ParseRecordName(req.name(), "name");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanReadInstitution(caller, ref->institution_code);
      !allowed.ok()) {
    return allowed;
  }
  auto stored = store_.GetRecord(*ref);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return NotFoundField("name", absl::StrCat("no record ", req.name()));
  return (*stored)->record;
}

absl::StatusOr<v1::ListTrainingRecordsResponse> TrainingLedger::ListTrainingRecords(
    const Principal& caller, const v1::ListTrainingRecordsRequest& req) {
  auto code = ParseInstitutionName(req.parent(), "parent");
  if (!code.ok()) return code.status();
  if (absl::Status allowed = CheckCanReadInstitution(caller, *code); !allowed.ok()) {
    return allowed;
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  auto records = store_.ListRecords(*code, req.year(), page->offset, page->size, &total);
  if (!records.ok()) return records.status();
  v1::ListTrainingRecordsResponse response;
  for (auto& stored : *records) *response.add_training_records() = std::move(stored.record);
  response.set_next_page_token(NextPageToken(*page, total));
  response.set_total_size(total);
  return response;
}

}  // namespace vetrack::ledger
