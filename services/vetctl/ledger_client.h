#ifndef VETRACK_SERVICES_VETCTL_LEDGER_CLIENT_H_
#define VETRACK_SERVICES_VETCTL_LEDGER_CLIENT_H_

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "args.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"

// The training ledger as vetctl calls it (see rpc_call.h), at
// --ledger-addr.
namespace vetrack::vetctl {

namespace ledger_v1 = ::vetrack::ledger::v1;

class LedgerClient {
 public:
  explicit LedgerClient(const GlobalOptions& options);

  absl::StatusOr<ledger_v1::TrainingRecord> CreateRecord(
      const ledger_v1::CreateTrainingRecordRequest& request);
  absl::StatusOr<ledger_v1::TrainingRecord> ReverseRecord(
      const ledger_v1::ReverseTrainingRecordRequest& request);
  absl::StatusOr<ledger_v1::TrainingRecord> GetRecord(
      const ledger_v1::GetTrainingRecordRequest& request);
  // Every page in one response.
  absl::StatusOr<ledger_v1::ListTrainingRecordsResponse> ListAllRecords(
      const ledger_v1::ListTrainingRecordsRequest& request);
  absl::StatusOr<ledger_v1::AccountingPolicy> SetPolicy(
      const ledger_v1::SetAccountingPolicyRequest& request);
  absl::StatusOr<ledger_v1::AccountingPolicy> GetPolicy(
      const ledger_v1::GetAccountingPolicyRequest& request);
  absl::StatusOr<ledger_v1::ListAccountingPolicyVersionsResponse> ListAllPolicyVersions(
      const ledger_v1::ListAccountingPolicyVersionsRequest& request);
  absl::StatusOr<ledger_v1::TrainingStatement> GetStatement(
      const ledger_v1::GetTrainingStatementRequest& request);
  absl::StatusOr<ledger_v1::DistrictTrainingStatement> GetDistrictStatement(
      const ledger_v1::GetDistrictTrainingStatementRequest& request);
  absl::StatusOr<ledger_v1::PublishTrainingStatementResponse> PublishStatement(
      const ledger_v1::PublishTrainingStatementRequest& request);
  absl::StatusOr<ledger_v1::PublishedTrainingStatement> GetPublishedStatement(
      const ledger_v1::GetPublishedTrainingStatementRequest& request);

  // Streams `rows`, `rows_per_message` at a time, telling `progress` how many
  // rows have been sent so far. The deadline grows with the number of rows.
  absl::StatusOr<ledger_v1::ImportTrainingRecordsResponse> Import(
      const std::vector<ledger_v1::ImportRow>& rows, int rows_per_message,
      const std::function<void(size_t sent)>& progress);

 private:
  GlobalOptions options_;
  std::unique_ptr<ledger_v1::TrainingLedgerService::Stub> stub_;
};

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_LEDGER_CLIENT_H_
