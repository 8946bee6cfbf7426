#ifndef VETRACK_SERVICES_TRAINING_LEDGER_VALIDATION_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "vetrack/ledger/v1/ledger.pb.h"

// Shape checks of each request, before the domain sees it: required fields,
// formats, ranges. Each returns INVALID_ARGUMENT listing every offending field
// at once, or OK. What needs stored or remote state (is the institution
// known? is the date in the future?) is the domain's to check.
namespace vetrack::ledger {

inline constexpr int kMaxRowsPerImportMessage = 1000;
inline constexpr int kMaxNoteChars = 500;

// A record's client fields, field names under `prefix` ("training_record."
// for CreateTrainingRecord, "" for an imported row).
absl::Status ValidateRecord(const v1::TrainingRecord& record, const std::string& prefix);

absl::Status Validate(const v1::CreateTrainingRecordRequest& req);
// One message of the import stream (its rows are checked one by one later).
absl::Status Validate(const v1::ImportTrainingRecordsRequest& req);
absl::Status Validate(const v1::ReverseTrainingRecordRequest& req);
absl::Status Validate(const v1::GetTrainingRecordRequest& req);
absl::Status Validate(const v1::ListTrainingRecordsRequest& req);
absl::Status Validate(const v1::SetAccountingPolicyRequest& req);
absl::Status Validate(const v1::GetAccountingPolicyRequest& req);
absl::Status Validate(const v1::ListAccountingPolicyVersionsRequest& req);
absl::Status Validate(const v1::GetTrainingStatementRequest& req);
absl::Status Validate(const v1::GetDistrictTrainingStatementRequest& req);
absl::Status Validate(const v1::PublishTrainingStatementRequest& req);
absl::Status Validate(const v1::GetPublishedTrainingStatementRequest& req);

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_VALIDATION_H_
