#include "ledger_client.h"

#include "rpc_call.h"

namespace vetrack::vetctl {
namespace {

using Stub = ledger_v1::TrainingLedgerService::Stub;

// An import may take a while: the --timeout allowance plus a millisecond a row.
constexpr absl::Duration kImportTimePerRow = absl::Milliseconds(1);

}  // namespace

LedgerClient::LedgerClient(const GlobalOptions& options)
    : options_(options),
      stub_(ledger_v1::TrainingLedgerService::NewStub(ChannelTo(options, options.ledger_address))) {
}

absl::StatusOr<ledger_v1::TrainingRecord> LedgerClient::CreateRecord(
    const ledger_v1::CreateTrainingRecordRequest& request) {
  return CallUnary(*stub_, &Stub::CreateTrainingRecord, options_, request);
}

absl::StatusOr<ledger_v1::TrainingRecord> LedgerClient::ReverseRecord(
    const ledger_v1::ReverseTrainingRecordRequest& request) {
  return CallUnary(*stub_, &Stub::ReverseTrainingRecord, options_, request);
}

absl::StatusOr<ledger_v1::TrainingRecord> LedgerClient::GetRecord(
    const ledger_v1::GetTrainingRecordRequest& request) {
  return CallUnary(*stub_, &Stub::GetTrainingRecord, options_, request);
}

absl::StatusOr<ledger_v1::ListTrainingRecordsResponse> LedgerClient::ListAllRecords(
    const ledger_v1::ListTrainingRecordsRequest& request) {
  return CallAllPages(*stub_, &Stub::ListTrainingRecords, options_, request);
}

absl::StatusOr<ledger_v1::AccountingPolicy> LedgerClient::SetPolicy(
    const ledger_v1::SetAccountingPolicyRequest& request) {
  return CallUnary(*stub_, &Stub::SetAccountingPolicy, options_, request);
}

absl::StatusOr<ledger_v1::AccountingPolicy> LedgerClient::GetPolicy(
    const ledger_v1::GetAccountingPolicyRequest& request) {
  return CallUnary(*stub_, &Stub::GetAccountingPolicy, options_, request);
}

absl::StatusOr<ledger_v1::ListAccountingPolicyVersionsResponse> LedgerClient::ListAllPolicyVersions(
    const ledger_v1::ListAccountingPolicyVersionsRequest& request) {
  return CallAllPages(*stub_, &Stub::ListAccountingPolicyVersions, options_, request);
}

absl::StatusOr<ledger_v1::TrainingStatement> LedgerClient::GetStatement(
    const ledger_v1::GetTrainingStatementRequest& request) {
  return CallUnary(*stub_, &Stub::GetTrainingStatement, options_, request);
}

absl::StatusOr<ledger_v1::DistrictTrainingStatement> LedgerClient::GetDistrictStatement(
    const ledger_v1::GetDistrictTrainingStatementRequest& request) {
  return CallUnary(*stub_, &Stub::GetDistrictTrainingStatement, options_, request);
}

absl::StatusOr<ledger_v1::PublishTrainingStatementResponse> LedgerClient::PublishStatement(
    const ledger_v1::PublishTrainingStatementRequest& request) {
  return CallUnary(*stub_, &Stub::PublishTrainingStatement, options_, request);
}

absl::StatusOr<ledger_v1::PublishedTrainingStatement> LedgerClient::GetPublishedStatement(
    const ledger_v1::GetPublishedTrainingStatementRequest& request) {
  return CallUnary(*stub_, &Stub::GetPublishedTrainingStatement, options_, request);
}

absl::StatusOr<ledger_v1::ImportTrainingRecordsResponse> LedgerClient::Import(
    const std::vector<ledger_v1::ImportRow>& rows, int rows_per_message,
    const std::function<void(size_t sent)>& progress) {
  GlobalOptions options = options_;
  options.timeout += kImportTimePerRow * static_cast<int64_t>(rows.size());
  grpc::ClientContext context;
  PrepareCall(options, &context);
  ledger_v1::ImportTrainingRecordsResponse response;
  auto writer = stub_->ImportTrainingRecords(&context, &response);
  size_t sent = 0;
  while (sent < rows.size()) {
    ledger_v1::ImportTrainingRecordsRequest message;
    for (int n = 0; n < rows_per_message && sent < rows.size(); ++n) {
      *message.add_rows() = rows[sent++];
    }
    // A failed write means the server ended the call; Finish says why.
    if (!writer->Write(message)) break;
    progress(sent);
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  // gRPC's reader takes a message it cannot parse for the end of the stream:
  // the ledger would answer OK for the rows before it. Counted, that is
  // never taken for a whole import.
  if (response.rows_received() != static_cast<int64_t>(rows.size())) {
    return absl::DataLossError(absl::StrCat(
        "the ledger read ", response.rows_received(), " of the ", rows.size(),
        " rows sent; the rest were not recorded. Import the file again: recorded rows are not "
        "added twice"));
  }
  return response;
}

}  // namespace vetrack::vetctl
