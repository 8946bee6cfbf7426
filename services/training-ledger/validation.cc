#include "validation.h"

#include "absl/strings/str_cat.h"
#include "accounting.h"
#include "idempotency/idempotency.h"
#include "records.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::ledger {
namespace {

void CheckRange(Violations& v, const std::string& field, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    // One message whichever side is crossed: "must not be negative" for -1
    // read as if 0 were allowed where the least is 1.
    v.Add(field, absl::StrCat("must be ", min, "–", max, " (got ", value, ")"));
  }
}

void CheckYear(Violations& v, const std::string& field, int year) {
  if (year < kMinYear || year > kMaxYear) {
    v.Add(field, absl::StrCat("a calendar year ", kMinYear, "–", kMaxYear));
  }
}

void CheckInstitutionCode(Violations& v, const std::string& field, const std::string& code) {
  if (code.empty()) {
    v.Add(field, "required");
  } else if (!IsValidResourceId(code)) {
    v.Add(field, "an institution code: lower-case [a-z0-9-]");
  }
}

void CheckRecordId(Violations& v, const std::string& field, const std::string& id) {
  if (id.empty()) {
    v.Add(field, "required: the client's id for the record");
  } else if (!IsValidRecordId(id)) {
    v.Add(field, "1–64 characters of [A-Za-z0-9._-]");
  }
}

void CheckPageSize(Violations& v, int page_size) {
  if (page_size < 0) v.Add("page_size", "must not be negative");
}

}  // namespace

absl::Status ValidateRecord(const v1::TrainingRecord& record, const std::string& prefix) {
  Violations v;
  CheckInstitutionCode(v, prefix + "institution_code", record.institution_code());
  CheckRecordId(v, prefix + "record_id", record.record_id());
  v.AddFrom(ParseDate(record.date(), prefix + "date").status());
  if (record.programme() == v1::PROGRAMME_TYPE_UNSPECIFIED) {
    v.Add(prefix + "programme", "required");
  } else if (!v1::ProgrammeType_IsValid(record.programme())) {
    v.Add(prefix + "programme", absl::StrCat("unknown programme type ", record.programme()));
  }
  if (record.target_group() == v1::TARGET_GROUP_UNSPECIFIED) {
    v.Add(prefix + "target_group", "required (TARGET_GROUP_GENERAL for anyone else)");
  } else if (!v1::TargetGroup_IsValid(record.target_group())) {
    v.Add(prefix + "target_group", absl::StrCat("unknown target group ", record.target_group()));
  }
  CheckRange(v, prefix + "trainees", record.trainees(), 1, kMaxTrainees);
  CheckRange(v, prefix + "hours_per_trainee", record.hours_per_trainee(), 1, kMaxHoursPerTrainee);
  CheckRange(v, prefix + "income_fen", record.income_fen(), 0, kMaxIncomeFen);
  CheckRange(v, prefix + "certificates", record.certificates(), 0, kMaxCertificates);
  // Compared only when both are in range, so one bad figure is named once.
  if (record.trainees() >= 1 && record.trainees() <= kMaxTrainees &&
      record.certificates() > record.trainees() && record.certificates() <= kMaxCertificates) {
    v.Add(prefix + "certificates", absl::StrCat("at most one per trainee: ", record.certificates(),
                                                " for ", record.trainees(), " trainees"));
  }
  v.CheckText(prefix + "description", record.description(), kMaxDescriptionChars, false);
  return v.ToStatus();
}

absl::Status Validate(const v1::CreateTrainingRecordRequest& req) {
  if (!req.has_training_record()) return InvalidField("training_record", "required");
  return ValidateRecord(req.training_record(), "training_record.");
}

absl::Status Validate(const v1::ImportTrainingRecordsRequest& req) {
  if (req.rows_size() > kMaxRowsPerImportMessage) {
    return InvalidField("rows", absl::StrCat("at most ", kMaxRowsPerImportMessage,
                                             " rows per message; send more messages"));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::ReverseTrainingRecordRequest& req) {
  Violations v;
  v.AddFrom(ParseRecordName(req.name(), "name").status());
  CheckRecordId(v, "reversal_id", req.reversal_id());
  v.CheckText("reason", req.reason(), kMaxReasonChars, true);
  return v.ToStatus();
}

absl::Status Validate(const v1::GetTrainingRecordRequest& req) {
  return ParseRecordName(req.name(), "name").status();
}

absl::Status Validate(const v1::ListTrainingRecordsRequest& req) {
  Violations v;
  v.AddFrom(ParseInstitutionName(req.parent(), "parent").status());
  CheckYear(v, "year", req.year());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::SetAccountingPolicyRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  if (!req.has_policy()) {
    v.Add("policy", "required");
    return v.ToStatus();
  }
  CheckYear(v, "policy.year", req.policy().year());
  v.AddFrom(ParsePolicyRates(req.policy(), "policy.").status());
  v.CheckText("policy.note", req.policy().note(), kMaxNoteChars, false);
  v.CheckEtagShape("policy.etag", req.policy().etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetAccountingPolicyRequest& req) {
  Violations v;
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListAccountingPolicyVersionsRequest& req) {
  Violations v;
  CheckYear(v, "year", req.year());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetTrainingStatementRequest& req) {
  Violations v;
  CheckInstitutionCode(v, "institution_code", req.institution_code());
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetDistrictTrainingStatementRequest& req) {
  Violations v;
  CheckYear(v, "year", req.year());
  if (!v1::StatementView_IsValid(req.view())) v.Add("view", "unknown view");
  return v.ToStatus();
}

absl::Status Validate(const v1::PublishTrainingStatementRequest& req) {
  Violations v;
  v.AddFrom(ParseStatementName(req.name(), "name").status());
  v.AddFrom(ValidateRequestId(req.request_id()));
  return v.ToStatus();
}

absl::Status Validate(const v1::GetPublishedTrainingStatementRequest& req) {
  Violations v;
  v.AddFrom(ParseStatementName(req.name(), "name").status());
  if (req.revision() < 0) v.Add("revision", "must not be negative (0: the latest)");
  return v.ToStatus();
}

}  // namespace vetrack::ledger
