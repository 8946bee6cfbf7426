#include "registry_client.h"

#include "rpc_call.h"

namespace vetrack::vetctl {

RegistryClient::RegistryClient(const GlobalOptions& options)
    : options_(options),
      stub_(v1::TaskRegistryService::NewStub(ChannelTo(options, options.address))) {}

absl::StatusOr<v1::ImportCatalogResponse> RegistryClient::ImportCatalog(
    const v1::ImportCatalogRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ImportCatalog, options_, request);
}

absl::StatusOr<v1::ListUnitsResponse> RegistryClient::ListUnits(
    const v1::ListUnitsRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ListUnits, options_, request);
}

absl::StatusOr<v1::ListSectionsResponse> RegistryClient::ListSections(
    const v1::ListSectionsRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ListSections, options_, request);
}

absl::StatusOr<v1::ListPeriodsResponse> RegistryClient::ListPeriods(
    const v1::ListPeriodsRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ListPeriods, options_, request);
}

absl::StatusOr<v1::Task> RegistryClient::GetTask(const v1::GetTaskRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::GetTask, options_, request);
}

absl::StatusOr<v1::Task> RegistryClient::UpdateTask(const v1::UpdateTaskRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::UpdateTask, options_, request);
}

absl::StatusOr<v1::Progress> RegistryClient::FileProgress(const v1::FileProgressRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::FileProgress, options_, request);
}

absl::StatusOr<v1::ListProgressResponse> RegistryClient::ListProgress(
    const v1::ListProgressRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ListProgress, options_, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::SubmitReport(
    const v1::SubmitReportRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::SubmitReport, options_, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::GetReport(const v1::GetReportRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::GetReport, options_, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::ReviewReport(
    const v1::ReviewReportRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::ReviewReport, options_, request);
}

absl::StatusOr<v1::ListTasksResponse> RegistryClient::ListAllTasks(
    const v1::ListTasksRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListTasks, options_, request);
}

absl::StatusOr<v1::ListTaskHistoryResponse> RegistryClient::ListAllHistory(
    const v1::ListTaskHistoryRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListTaskHistory, options_, request);
}

absl::StatusOr<v1::ListEscalationsResponse> RegistryClient::ListAllEscalations(
    const v1::ListEscalationsRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListEscalations, options_, request);
}

absl::StatusOr<v1::Notice> RegistryClient::IssueNotice(const v1::IssueNoticeRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::IssueNotice, options_, request);
}

absl::StatusOr<v1::Notice> RegistryClient::AcknowledgeNotice(
    const v1::AcknowledgeNoticeRequest& request) {
  return CallUnary(*stub_, &v1::TaskRegistryService::Stub::AcknowledgeNotice, options_, request);
}

absl::StatusOr<v1::ListReportRevisionsResponse> RegistryClient::ListAllReportRevisions(
    const v1::ListReportRevisionsRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListReportRevisions, options_,
                      request);
}

absl::StatusOr<v1::ListProgressRevisionsResponse> RegistryClient::ListAllProgressRevisions(
    const v1::ListProgressRevisionsRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListProgressRevisions, options_,
                      request);
}

absl::StatusOr<v1::ListNoticesResponse> RegistryClient::ListAllNotices(
    const v1::ListNoticesRequest& request) {
  return CallAllPages(*stub_, &v1::TaskRegistryService::Stub::ListNotices, options_, request);
}

}  // namespace vetrack::vetctl
