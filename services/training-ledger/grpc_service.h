#ifndef VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SERVICE_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SERVICE_H_

#include "training_ledger.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"

namespace vetrack::ledger {

// The gRPC edge of the ledger: each method validates the request, calls the
// domain with the caller's principal, and maps the error.
class TrainingLedgerGrpcService final : public v1::TrainingLedgerService::Service {
 public:
  explicit TrainingLedgerGrpcService(TrainingLedger& ledger) : ledger_(ledger) {}

  grpc::Status CreateTrainingRecord(grpc::ServerContext* ctx,
                                    const v1::CreateTrainingRecordRequest* req,
                                    v1::TrainingRecord* resp) override;
  grpc::Status ImportTrainingRecords(grpc::ServerContext* ctx,
                                     grpc::ServerReader<v1::ImportTrainingRecordsRequest>* reader,
                                     v1::ImportTrainingRecordsResponse* resp) override;
  grpc::Status ReverseTrainingRecord(grpc::ServerContext* ctx,
                                     const v1::ReverseTrainingRecordRequest* req,
                                     v1::TrainingRecord* resp) override;
  grpc::Status GetTrainingRecord(grpc::ServerContext* ctx, const v1::GetTrainingRecordRequest* req,
                                 v1::TrainingRecord* resp) override;
  grpc::Status ListTrainingRecords(grpc::ServerContext* ctx,
                                   const v1::ListTrainingRecordsRequest* req,
                                   v1::ListTrainingRecordsResponse* resp) override;
  grpc::Status SetAccountingPolicy(grpc::ServerContext* ctx,
                                   const v1::SetAccountingPolicyRequest* req,
                                   v1::AccountingPolicy* resp) override;
  grpc::Status GetAccountingPolicy(grpc::ServerContext* ctx,
                                   const v1::GetAccountingPolicyRequest* req,
                                   v1::AccountingPolicy* resp) override;
  grpc::Status ListAccountingPolicyVersions(
      grpc::ServerContext* ctx, const v1::ListAccountingPolicyVersionsRequest* req,
      v1::ListAccountingPolicyVersionsResponse* resp) override;
  grpc::Status GetTrainingStatement(grpc::ServerContext* ctx,
                                    const v1::GetTrainingStatementRequest* req,
                                    v1::TrainingStatement* resp) override;
  grpc::Status GetDistrictTrainingStatement(grpc::ServerContext* ctx,
                                            const v1::GetDistrictTrainingStatementRequest* req,
                                            v1::DistrictTrainingStatement* resp) override;
  grpc::Status PublishTrainingStatement(grpc::ServerContext* ctx,
                                        const v1::PublishTrainingStatementRequest* req,
                                        v1::PublishTrainingStatementResponse* resp) override;
  grpc::Status GetPublishedTrainingStatement(grpc::ServerContext* ctx,
                                             const v1::GetPublishedTrainingStatementRequest* req,
                                             v1::PublishedTrainingStatement* resp) override;

 private:
  TrainingLedger& ledger_;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_GRPC_SERVICE_H_
