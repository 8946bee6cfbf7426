#ifndef VETRACK_SERVICES_EVALUATION_GRPC_SERVICE_H_
#define VETRACK_SERVICES_EVALUATION_GRPC_SERVICE_H_

#include "evaluation.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"

namespace vetrack::evaluation {

// The gRPC edge of the evaluation: validate, call the domain with the
// caller's principal, map the error.
class EvaluationGrpcService final : public v1::EvaluationService::Service {
 public:
  explicit EvaluationGrpcService(Evaluation& evaluation) : evaluation_(evaluation) {}
  grpc::Status ImportIndicators(grpc::ServerContext* ctx, const v1::ImportIndicatorsRequest* req,
                                v1::ImportIndicatorsResponse* resp) override;
  grpc::Status GetIndicator(grpc::ServerContext* ctx, const v1::GetIndicatorRequest* req,
                            v1::Indicator* resp) override;
  grpc::Status ListIndicators(grpc::ServerContext* ctx, const v1::ListIndicatorsRequest* req,
                              v1::ListIndicatorsResponse* resp) override;
  grpc::Status RecordStatistic(grpc::ServerContext* ctx, const v1::RecordStatisticRequest* req,
                               v1::Statistic* resp) override;
  grpc::Status ListStatistics(grpc::ServerContext* ctx, const v1::ListStatisticsRequest* req,
                              v1::ListStatisticsResponse* resp) override;
  grpc::Status ListStatisticRevisions(grpc::ServerContext* ctx,
                                      const v1::ListStatisticRevisionsRequest* req,
                                      v1::ListStatisticRevisionsResponse* resp) override;
  grpc::Status ListResults(grpc::ServerContext* ctx, const v1::ListResultsRequest* req,
                           v1::ListResultsResponse* resp) override;
  grpc::Status GetFinalEvaluation(grpc::ServerContext* ctx,
                                  const v1::GetFinalEvaluationRequest* req,
                                  v1::FinalEvaluation* resp) override;
  grpc::Status CreateRound(grpc::ServerContext* ctx, const v1::CreateRoundRequest* req,
                           v1::Round* resp) override;
  grpc::Status GetRound(grpc::ServerContext* ctx, const v1::GetRoundRequest* req,
                        v1::Round* resp) override;
  grpc::Status ListRounds(grpc::ServerContext* ctx, const v1::ListRoundsRequest* req,
                          v1::ListRoundsResponse* resp) override;
  grpc::Status RecordScores(grpc::ServerContext* ctx, const v1::RecordScoresRequest* req,
                            v1::Round* resp) override;
  grpc::Status FinalizeRound(grpc::ServerContext* ctx, const v1::FinalizeRoundRequest* req,
                             v1::Round* resp) override;
  grpc::Status ExportRound(grpc::ServerContext* ctx, const v1::ExportRoundRequest* req,
                           v1::ExportRoundResponse* resp) override;

 private:
  Evaluation& evaluation_;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_GRPC_SERVICE_H_
