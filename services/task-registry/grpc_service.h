#ifndef VETRACK_SERVICES_TASK_REGISTRY_GRPC_SERVICE_H_
#define VETRACK_SERVICES_TASK_REGISTRY_GRPC_SERVICE_H_

#include "task_registry.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::tasks {

// The gRPC edge of the registry: each method validates the request, calls
// the domain with the caller's principal, and maps the error.
// FileProgress, the busiest write, is served on gRPC's callback API so that
// no thread waits for Redis per call: concurrent filings share one batch, and
// the thread that carries it finishes them all (TaskRegistry::FileProgressAsync).
// GetTask, the busiest read, is answered in place on the callback API too
// when the catalog copy in memory is fresh (TaskRegistry::GetTaskAsync): the
// synchronous server's hand-off to a poller thread cost it half its rate
// (bench/README.md, session 11).
class TaskRegistryGrpcService final
    : public v1::TaskRegistryService::WithCallbackMethod_FileProgress<
          v1::TaskRegistryService::WithCallbackMethod_GetTask<v1::TaskRegistryService::Service>> {
 public:
  explicit TaskRegistryGrpcService(TaskRegistry& registry) : registry_(registry) {}

  grpc::Status ImportCatalog(grpc::ServerContext* ctx, const v1::ImportCatalogRequest* req,
                             v1::ImportCatalogResponse* resp) override;
  grpc::Status GetPlan(grpc::ServerContext* ctx, const v1::GetPlanRequest* req,
                       v1::Plan* resp) override;
  grpc::Status ListUnits(grpc::ServerContext* ctx, const v1::ListUnitsRequest* req,
                         v1::ListUnitsResponse* resp) override;
  grpc::Status ListSections(grpc::ServerContext* ctx, const v1::ListSectionsRequest* req,
                            v1::ListSectionsResponse* resp) override;
  grpc::ServerUnaryReactor* GetTask(grpc::CallbackServerContext* ctx, const v1::GetTaskRequest* req,
                                    v1::Task* resp) override;
  grpc::Status ListTasks(grpc::ServerContext* ctx, const v1::ListTasksRequest* req,
                         v1::ListTasksResponse* resp) override;
  grpc::Status UpdateTask(grpc::ServerContext* ctx, const v1::UpdateTaskRequest* req,
                          v1::Task* resp) override;
  grpc::Status ListPeriods(grpc::ServerContext* ctx, const v1::ListPeriodsRequest* req,
                           v1::ListPeriodsResponse* resp) override;
  grpc::ServerUnaryReactor* FileProgress(grpc::CallbackServerContext* ctx,
                                         const v1::FileProgressRequest* req,
                                         v1::Progress* resp) override;
  grpc::Status ListProgress(grpc::ServerContext* ctx, const v1::ListProgressRequest* req,
                            v1::ListProgressResponse* resp) override;
  grpc::Status SubmitReport(grpc::ServerContext* ctx, const v1::SubmitReportRequest* req,
                            v1::TaskReport* resp) override;
  grpc::Status GetReport(grpc::ServerContext* ctx, const v1::GetReportRequest* req,
                         v1::TaskReport* resp) override;
  grpc::Status ReviewReport(grpc::ServerContext* ctx, const v1::ReviewReportRequest* req,
                            v1::TaskReport* resp) override;
  grpc::Status ListTaskHistory(grpc::ServerContext* ctx, const v1::ListTaskHistoryRequest* req,
                               v1::ListTaskHistoryResponse* resp) override;
  grpc::Status ListReportRevisions(grpc::ServerContext* ctx,
                                   const v1::ListReportRevisionsRequest* req,
                                   v1::ListReportRevisionsResponse* resp) override;
  grpc::Status ListProgressRevisions(grpc::ServerContext* ctx,
                                     const v1::ListProgressRevisionsRequest* req,
                                     v1::ListProgressRevisionsResponse* resp) override;
  grpc::Status ListEscalations(grpc::ServerContext* ctx, const v1::ListEscalationsRequest* req,
                               v1::ListEscalationsResponse* resp) override;
  grpc::Status IssueNotice(grpc::ServerContext* ctx, const v1::IssueNoticeRequest* req,
                           v1::Notice* resp) override;
  grpc::Status GetNotice(grpc::ServerContext* ctx, const v1::GetNoticeRequest* req,
                         v1::Notice* resp) override;
  grpc::Status AcknowledgeNotice(grpc::ServerContext* ctx, const v1::AcknowledgeNoticeRequest* req,
                                 v1::Notice* resp) override;
  grpc::Status ListNotices(grpc::ServerContext* ctx, const v1::ListNoticesRequest* req,
                           v1::ListNoticesResponse* resp) override;

 private:
  TaskRegistry& registry_;
};

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_GRPC_SERVICE_H_
