#include "grpc_service.h"

#include "server/handler.h"
#include "validation.h"

namespace vetrack::tasks {

grpc::Status TaskRegistryGrpcService::ImportCatalog(grpc::ServerContext* ctx,
                                                    const v1::ImportCatalogRequest* req,
                                                    v1::ImportCatalogResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ImportCatalog(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::GetPlan(grpc::ServerContext* ctx,
                                              const v1::GetPlanRequest* req, v1::Plan* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.GetPlan(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListUnits(grpc::ServerContext* ctx,
                                                const v1::ListUnitsRequest* req,
                                                v1::ListUnitsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListUnits(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListSections(grpc::ServerContext* ctx,
                                                   const v1::ListSectionsRequest* req,
                                                   v1::ListSectionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListSections(caller, *req); });
}

grpc::ServerUnaryReactor* TaskRegistryGrpcService::GetTask(grpc::CallbackServerContext* ctx,
                                                           const v1::GetTaskRequest* req,
                                                           v1::Task* resp) {
  return ServeLater(ctx, Validate(*req), resp, [&](const Principal& caller, auto done) {
    registry_.GetTaskAsync(caller, *req, std::move(done));
  });
}

grpc::Status TaskRegistryGrpcService::ListTasks(grpc::ServerContext* ctx,
                                                const v1::ListTasksRequest* req,
                                                v1::ListTasksResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListTasks(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::UpdateTask(grpc::ServerContext* ctx,
                                                 const v1::UpdateTaskRequest* req, v1::Task* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.UpdateTask(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListPeriods(grpc::ServerContext* ctx,
                                                  const v1::ListPeriodsRequest* req,
                                                  v1::ListPeriodsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListPeriods(caller, *req); });
}

grpc::ServerUnaryReactor* TaskRegistryGrpcService::FileProgress(grpc::CallbackServerContext* ctx,
                                                                const v1::FileProgressRequest* req,
                                                                v1::Progress* resp) {
  return ServeLater(ctx, Validate(*req), resp, [&](const Principal& caller, auto done) {
    registry_.FileProgressAsync(caller, *req, std::move(done));
  });
}

grpc::Status TaskRegistryGrpcService::ListProgress(grpc::ServerContext* ctx,
                                                   const v1::ListProgressRequest* req,
                                                   v1::ListProgressResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListProgress(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::SubmitReport(grpc::ServerContext* ctx,
                                                   const v1::SubmitReportRequest* req,
                                                   v1::TaskReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.SubmitReport(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::GetReport(grpc::ServerContext* ctx,
                                                const v1::GetReportRequest* req,
                                                v1::TaskReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.GetReport(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ReviewReport(grpc::ServerContext* ctx,
                                                   const v1::ReviewReportRequest* req,
                                                   v1::TaskReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ReviewReport(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListTaskHistory(grpc::ServerContext* ctx,
                                                      const v1::ListTaskHistoryRequest* req,
                                                      v1::ListTaskHistoryResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListTaskHistory(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListReportRevisions(grpc::ServerContext* ctx,
                                                          const v1::ListReportRevisionsRequest* req,
                                                          v1::ListReportRevisionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return registry_.ListReportRevisions(caller, *req);
  });
}

grpc::Status TaskRegistryGrpcService::ListProgressRevisions(
    grpc::ServerContext* ctx, const v1::ListProgressRevisionsRequest* req,
    v1::ListProgressRevisionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return registry_.ListProgressRevisions(caller, *req);
  });
}

grpc::Status TaskRegistryGrpcService::ListEscalations(grpc::ServerContext* ctx,
                                                      const v1::ListEscalationsRequest* req,
                                                      v1::ListEscalationsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListEscalations(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::IssueNotice(grpc::ServerContext* ctx,
                                                  const v1::IssueNoticeRequest* req,
                                                  v1::Notice* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.IssueNotice(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::GetNotice(grpc::ServerContext* ctx,
                                                const v1::GetNoticeRequest* req, v1::Notice* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.GetNotice(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::AcknowledgeNotice(grpc::ServerContext* ctx,
                                                        const v1::AcknowledgeNoticeRequest* req,
                                                        v1::Notice* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.AcknowledgeNotice(caller, *req); });
}

grpc::Status TaskRegistryGrpcService::ListNotices(grpc::ServerContext* ctx,
                                                  const v1::ListNoticesRequest* req,
                                                  v1::ListNoticesResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return registry_.ListNotices(caller, *req); });
}

}  // namespace vetrack::tasks
