#include "grpc_service.h"

#include "server/handler.h"
#include "validation.h"

namespace vetrack::ledger {

grpc::Status TrainingLedgerGrpcService::CreateTrainingRecord(
    grpc::ServerContext* ctx, const v1::CreateTrainingRecordRequest* req,
    v1::TrainingRecord* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.CreateTrainingRecord(caller, *req); });
}

// Rows are checked one by one in the domain (a bad row is reported, not
// fatal), so there is no request to validate up front.
grpc::Status TrainingLedgerGrpcService::ImportTrainingRecords(
    grpc::ServerContext* ctx, grpc::ServerReader<v1::ImportTrainingRecordsRequest>* reader,
    v1::ImportTrainingRecordsResponse* resp) {
  return Serve(*ctx, absl::OkStatus(), resp, [&](const Principal& caller) {
    return ledger_.ImportTrainingRecords(
        caller,
        [reader](v1::ImportTrainingRecordsRequest* message) { return reader->Read(message); });
  });
}

grpc::Status TrainingLedgerGrpcService::ReverseTrainingRecord(
    grpc::ServerContext* ctx, const v1::ReverseTrainingRecordRequest* req,
    v1::TrainingRecord* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return ledger_.ReverseTrainingRecord(caller, *req);
  });
}

grpc::Status TrainingLedgerGrpcService::GetTrainingRecord(grpc::ServerContext* ctx,
                                                          const v1::GetTrainingRecordRequest* req,
                                                          v1::TrainingRecord* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.GetTrainingRecord(caller, *req); });
}

grpc::Status TrainingLedgerGrpcService::ListTrainingRecords(
    grpc::ServerContext* ctx, const v1::ListTrainingRecordsRequest* req,
    v1::ListTrainingRecordsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.ListTrainingRecords(caller, *req); });
}

grpc::Status TrainingLedgerGrpcService::SetAccountingPolicy(
    grpc::ServerContext* ctx, const v1::SetAccountingPolicyRequest* req,
    v1::AccountingPolicy* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.SetAccountingPolicy(caller, *req); });
}

grpc::Status TrainingLedgerGrpcService::GetAccountingPolicy(
    grpc::ServerContext* ctx, const v1::GetAccountingPolicyRequest* req,
    v1::AccountingPolicy* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.GetAccountingPolicy(caller, *req); });
}

grpc::Status TrainingLedgerGrpcService::ListAccountingPolicyVersions(
    grpc::ServerContext* ctx, const v1::ListAccountingPolicyVersionsRequest* req,
    v1::ListAccountingPolicyVersionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return ledger_.ListAccountingPolicyVersions(caller, *req);
  });
}

grpc::Status TrainingLedgerGrpcService::GetTrainingStatement(
    grpc::ServerContext* ctx, const v1::GetTrainingStatementRequest* req,
    v1::TrainingStatement* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return ledger_.GetTrainingStatement(caller, *req); });
}

grpc::Status TrainingLedgerGrpcService::GetDistrictTrainingStatement(
    grpc::ServerContext* ctx, const v1::GetDistrictTrainingStatementRequest* req,
    v1::DistrictTrainingStatement* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return ledger_.GetDistrictTrainingStatement(caller, *req);
  });
}

grpc::Status TrainingLedgerGrpcService::PublishTrainingStatement(
    grpc::ServerContext* ctx, const v1::PublishTrainingStatementRequest* req,
    v1::PublishTrainingStatementResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return ledger_.PublishTrainingStatement(caller, *req);
  });
}

grpc::Status TrainingLedgerGrpcService::GetPublishedTrainingStatement(
    grpc::ServerContext* ctx, const v1::GetPublishedTrainingStatementRequest* req,
    v1::PublishedTrainingStatement* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return ledger_.GetPublishedTrainingStatement(caller, *req);
  });
}

}  // namespace vetrack::ledger
