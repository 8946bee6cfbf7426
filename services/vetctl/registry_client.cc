#include "registry_client.h"

#include <chrono>
#include <set>

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "auth/principal.h"
#include "status/grpc_status.h"

namespace vetrack::vetctl {
namespace {

// Large pages: listing everything is the point, and the server caps the size.
constexpr int kPageSize = 200;

}  // namespace

RegistryClient::RegistryClient(const GlobalOptions& options)
    : options_(options),
      stub_(v1::TaskRegistryService::NewStub(
          grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials()))) {}

template <typename Request, typename Response>
absl::StatusOr<Response> RegistryClient::Call(Method<Request, Response> method,
                                              const Request& request) {
  grpc::ClientContext context;
  context.AddMetadata(kRoleMetadataKey, options_.role);
  if (!options_.unit.empty()) context.AddMetadata(kUnitMetadataKey, options_.unit);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(absl::ToInt64Microseconds(options_.timeout)));
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

template <typename Request, typename Response>
absl::StatusOr<Response> RegistryClient::CallAllPages(Method<Request, Response> method,
                                                      Request request) {
  request.set_page_size(kPageSize);
  Response all;
  // A server handing out a token twice would otherwise keep vetctl busy forever.
  std::set<std::string> tokens_seen;
  for (;;) {
    absl::StatusOr<Response> page = Call(method, request);
    if (!page.ok()) return page.status();
    all.MergeFrom(*page);  // appends the repeated items, keeps the latest totals
    if (page->next_page_token().empty()) break;
    if (!tokens_seen.insert(page->next_page_token()).second) {
      return absl::InternalError("the server returned the same page token twice");
    }
    request.set_page_token(page->next_page_token());
  }
  all.clear_next_page_token();
  return all;
}

absl::StatusOr<v1::ImportCatalogResponse> RegistryClient::ImportCatalog(
    const v1::ImportCatalogRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ImportCatalog, request);
}

absl::StatusOr<v1::ListUnitsResponse> RegistryClient::ListUnits(
    const v1::ListUnitsRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ListUnits, request);
}

absl::StatusOr<v1::ListSectionsResponse> RegistryClient::ListSections(
    const v1::ListSectionsRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ListSections, request);
}

absl::StatusOr<v1::ListPeriodsResponse> RegistryClient::ListPeriods(
    const v1::ListPeriodsRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ListPeriods, request);
}

absl::StatusOr<v1::Task> RegistryClient::GetTask(const v1::GetTaskRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::GetTask, request);
}

absl::StatusOr<v1::Progress> RegistryClient::FileProgress(const v1::FileProgressRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::FileProgress, request);
}

absl::StatusOr<v1::ListProgressResponse> RegistryClient::ListProgress(
    const v1::ListProgressRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ListProgress, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::SubmitReport(
    const v1::SubmitReportRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::SubmitReport, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::GetReport(const v1::GetReportRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::GetReport, request);
}

absl::StatusOr<v1::TaskReport> RegistryClient::ReviewReport(
    const v1::ReviewReportRequest& request) {
  return Call(&v1::TaskRegistryService::Stub::ReviewReport, request);
}

absl::StatusOr<v1::ListTasksResponse> RegistryClient::ListAllTasks(
    const v1::ListTasksRequest& request) {
  return CallAllPages(&v1::TaskRegistryService::Stub::ListTasks, request);
}

absl::StatusOr<v1::ListTaskHistoryResponse> RegistryClient::ListAllHistory(
    const v1::ListTaskHistoryRequest& request) {
  return CallAllPages(&v1::TaskRegistryService::Stub::ListTaskHistory, request);
}

absl::StatusOr<v1::ListEscalationsResponse> RegistryClient::ListAllEscalations(
    const v1::ListEscalationsRequest& request) {
  return CallAllPages(&v1::TaskRegistryService::Stub::ListEscalations, request);
}

}  // namespace vetrack::vetctl
