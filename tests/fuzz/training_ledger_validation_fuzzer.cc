// Every request validator of training-ledger (validation.h), fuzzed.
#include "accounting.h"
#include "fuzz_support.h"
#include "records.h"
#include "validation.h"

namespace vetrack::ledger {
namespace {

using fuzz::Case;
using fuzz::Require;

// What the aggregates rely on: every sum of accepted records stays exact.
void RequireRecordFits(const v1::TrainingRecord& record) {
  Require(ParseDate(record.date(), "date").ok(), "a real date");
  Require(record.programme() != v1::PROGRAMME_TYPE_UNSPECIFIED &&
              v1::ProgrammeType_IsValid(record.programme()),
          "a known programme");
  Require(record.target_group() != v1::TARGET_GROUP_UNSPECIFIED &&
              v1::TargetGroup_IsValid(record.target_group()),
          "a known target group");
  const Amounts amounts = AmountsOf(record);
  Require(amounts.person_times >= 1 && amounts.person_times <= kMaxTrainees,
          "person-times within limits");
  Require(amounts.trainee_hours >= 1 && amounts.trainee_hours <= kMaxTrainees * kMaxHoursPerTrainee,
          "trainee-hours within limits");
  Require(amounts.income_fen >= 0 && amounts.income_fen <= kMaxIncomeFen, "income within limits");
  Require(amounts.certificates >= 0 && amounts.certificates <= kMaxCertificates,
          "certificates within limits");
}

const std::vector<fuzz::RequestCase>& Cases() {
  static const auto* cases = new std::vector<fuzz::RequestCase>{
      Case<v1::CreateTrainingRecordRequest>(
          Validate,
          [](const v1::CreateTrainingRecordRequest& r) { RequireRecordFits(r.training_record()); }),
      Case<v1::ImportTrainingRecordsRequest>(
          Validate,
          [](const v1::ImportTrainingRecordsRequest& r) {
            Require(r.rows_size() <= kMaxRowsPerImportMessage, "rows within the limit");
            // Rows are checked one by one later; the check must hold up on any row.
            for (const auto& row : r.rows()) {
              if (ValidateRecord(row.training_record(), "").ok()) {
                RequireRecordFits(row.training_record());
              }
            }
          }),
      Case<v1::ReverseTrainingRecordRequest>(
          Validate,
          [](const v1::ReverseTrainingRecordRequest& r) {
            Require(ParseRecordName(r.name(), "name").ok(), "a record name");
            Require(IsValidRecordId(r.reversal_id()), "a reversal id");
          }),
      Case<v1::GetTrainingRecordRequest>(Validate),
      Case<v1::ListTrainingRecordsRequest>(Validate),
      Case<v1::SetAccountingPolicyRequest>(Validate,
                                           [](const v1::SetAccountingPolicyRequest& r) {
                                             Require(ParsePolicyRates(r.policy(), "policy.").ok(),
                                                     "usable policy rates");
                                           }),
      Case<v1::GetAccountingPolicyRequest>(Validate),
      Case<v1::ListAccountingPolicyVersionsRequest>(Validate),
      Case<v1::GetTrainingStatementRequest>(Validate),
      Case<v1::GetDistrictTrainingStatementRequest>(Validate),
      Case<v1::PublishTrainingStatementRequest>(Validate),
      Case<v1::GetPublishedTrainingStatementRequest>(Validate),
  };
  return *cases;
}

}  // namespace
}  // namespace vetrack::ledger

VETRACK_VALIDATOR_FUZZER(vetrack::ledger::Cases)
