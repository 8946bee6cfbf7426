#include "grpc_service.h"

#include "server/call_context.h"
#include "server/handler.h"
#include "validation.h"

namespace vetrack::evaluation {
namespace {

// What the results take to compute once the sources have answered (or been
// given up on), at most: kept from the caller's deadline for it.
constexpr absl::Duration kTimeToCompute = absl::Milliseconds(250);

// When the sources must have answered for the call to be answered in time.
absl::Time AnswerByOf(const grpc::ServerContext& ctx) {
  return AnswerBy(ctx, absl::Now(), kTimeToCompute);
}

}  // namespace

grpc::Status EvaluationGrpcService::ImportIndicators(grpc::ServerContext* ctx,
                                                     const v1::ImportIndicatorsRequest* req,
                                                     v1::ImportIndicatorsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.ImportIndicators(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::GetIndicator(grpc::ServerContext* ctx,
                                                 const v1::GetIndicatorRequest* req,
                                                 v1::Indicator* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return evaluation_.GetIndicator(caller, *req); });
}

grpc::Status EvaluationGrpcService::ListIndicators(grpc::ServerContext* ctx,
                                                   const v1::ListIndicatorsRequest* req,
                                                   v1::ListIndicatorsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return evaluation_.ListIndicators(caller, *req); });
}

grpc::Status EvaluationGrpcService::RecordStatistic(grpc::ServerContext* ctx,
                                                    const v1::RecordStatisticRequest* req,
                                                    v1::Statistic* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return evaluation_.RecordStatistic(caller, *req); });
}

grpc::Status EvaluationGrpcService::ListStatistics(grpc::ServerContext* ctx,
                                                   const v1::ListStatisticsRequest* req,
                                                   v1::ListStatisticsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return evaluation_.ListStatistics(caller, *req); });
}

grpc::Status EvaluationGrpcService::ListStatisticRevisions(
    grpc::ServerContext* ctx, const v1::ListStatisticRevisionsRequest* req,
    v1::ListStatisticRevisionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.ListStatisticRevisions(caller, *req);
  });
}

grpc::Status EvaluationGrpcService::ListResults(grpc::ServerContext* ctx,
                                                const v1::ListResultsRequest* req,
                                                v1::ListResultsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.ListResults(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::GetFinalEvaluation(grpc::ServerContext* ctx,
                                                       const v1::GetFinalEvaluationRequest* req,
                                                       v1::FinalEvaluation* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.GetFinalEvaluation(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::CreateRound(grpc::ServerContext* ctx,
                                                const v1::CreateRoundRequest* req,
                                                v1::Round* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.CreateRound(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::GetRound(grpc::ServerContext* ctx,
                                             const v1::GetRoundRequest* req, v1::Round* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.GetRound(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::ListRounds(grpc::ServerContext* ctx,
                                               const v1::ListRoundsRequest* req,
                                               v1::ListRoundsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.ListRounds(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::RecordScores(grpc::ServerContext* ctx,
                                                 const v1::RecordScoresRequest* req,
                                                 v1::Round* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return evaluation_.RecordScores(caller, *req); });
}

grpc::Status EvaluationGrpcService::FinalizeRound(grpc::ServerContext* ctx,
                                                  const v1::FinalizeRoundRequest* req,
                                                  v1::Round* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.FinalizeRound(caller, *req, AnswerByOf(*ctx));
  });
}

grpc::Status EvaluationGrpcService::ExportRound(grpc::ServerContext* ctx,
                                                const v1::ExportRoundRequest* req,
                                                v1::ExportRoundResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return evaluation_.ExportRound(caller, *req, AnswerByOf(*ctx));
  });
}

}  // namespace vetrack::evaluation
