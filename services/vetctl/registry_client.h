#ifndef VETRACK_SERVICES_VETCTL_REGISTRY_CLIENT_H_
#define VETRACK_SERVICES_VETCTL_REGISTRY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "args.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

// The task registry as vetctl calls it (see rpc_call.h).
namespace vetrack::vetctl {

namespace v1 = ::vetrack::tasks::v1;

class RegistryClient {
 public:
  explicit RegistryClient(const GlobalOptions& options);

  absl::StatusOr<v1::ImportCatalogResponse> ImportCatalog(const v1::ImportCatalogRequest& request);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const v1::ListUnitsRequest& request);
  absl::StatusOr<v1::ListSectionsResponse> ListSections(const v1::ListSectionsRequest& request);
  absl::StatusOr<v1::ListPeriodsResponse> ListPeriods(const v1::ListPeriodsRequest& request);
  absl::StatusOr<v1::Task> GetTask(const v1::GetTaskRequest& request);
  absl::StatusOr<v1::Task> UpdateTask(const v1::UpdateTaskRequest& request);
  absl::StatusOr<v1::Progress> FileProgress(const v1::FileProgressRequest& request);
  absl::StatusOr<v1::ListProgressResponse> ListProgress(const v1::ListProgressRequest& request);
  absl::StatusOr<v1::TaskReport> SubmitReport(const v1::SubmitReportRequest& request);
  absl::StatusOr<v1::TaskReport> GetReport(const v1::GetReportRequest& request);
  absl::StatusOr<v1::TaskReport> ReviewReport(const v1::ReviewReportRequest& request);
  absl::StatusOr<v1::Notice> IssueNotice(const v1::IssueNoticeRequest& request);
  absl::StatusOr<v1::Notice> AcknowledgeNotice(const v1::AcknowledgeNoticeRequest& request);

  // These follow next_page_token and return every page in one response,
  // with next_page_token cleared.
  absl::StatusOr<v1::ListTasksResponse> ListAllTasks(const v1::ListTasksRequest& request);
  absl::StatusOr<v1::ListTaskHistoryResponse> ListAllHistory(
      const v1::ListTaskHistoryRequest& request);
  absl::StatusOr<v1::ListEscalationsResponse> ListAllEscalations(
      const v1::ListEscalationsRequest& request);
  absl::StatusOr<v1::ListNoticesResponse> ListAllNotices(const v1::ListNoticesRequest& request);
  absl::StatusOr<v1::ListReportRevisionsResponse> ListAllReportRevisions(
      const v1::ListReportRevisionsRequest& request);
  absl::StatusOr<v1::ListProgressRevisionsResponse> ListAllProgressRevisions(
      const v1::ListProgressRevisionsRequest& request);

 private:
  GlobalOptions options_;
  std::unique_ptr<v1::TaskRegistryService::Stub> stub_;
};

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_REGISTRY_CLIENT_H_
