#include "grpc_service.h"

#include "absl/time/clock.h"
#include "server/call_context.h"
#include "server/handler.h"
#include "validation.h"

namespace vetrack::schools {

grpc::Status SchoolReportingGrpcService::ListInstitutions(grpc::ServerContext* ctx,
                                                          const v1::ListInstitutionsRequest* req,
                                                          v1::ListInstitutionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListInstitutions(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::GetAcceptedFigures(
    grpc::ServerContext* ctx, const v1::GetAcceptedFiguresRequest* req, v1::AcceptedFigures* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.GetAcceptedFigures(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::BatchGetAcceptedFigures(
    grpc::ServerContext* ctx, const v1::BatchGetAcceptedFiguresRequest* req,
    v1::BatchGetAcceptedFiguresResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.BatchGetAcceptedFigures(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::GetInstitution(grpc::ServerContext* ctx,
                                                        const v1::GetInstitutionRequest* req,
                                                        v1::Institution* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.GetInstitution(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ImportInstitutions(
    grpc::ServerContext* ctx, const v1::ImportInstitutionsRequest* req,
    v1::ImportInstitutionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ImportInstitutions(caller, *req, AnswerBy(*ctx, absl::Now()));
  });
}

grpc::Status SchoolReportingGrpcService::ImportMajorCatalog(
    grpc::ServerContext* ctx, const v1::ImportMajorCatalogRequest* req,
    v1::ImportMajorCatalogResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ImportMajorCatalog(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ListCatalogMajors(grpc::ServerContext* ctx,
                                                           const v1::ListCatalogMajorsRequest* req,
                                                           v1::ListCatalogMajorsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListCatalogMajors(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::GetCatalogMajor(grpc::ServerContext* ctx,
                                                         const v1::GetCatalogMajorRequest* req,
                                                         v1::CatalogMajor* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.GetCatalogMajor(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListItems(grpc::ServerContext* ctx,
                                                   const v1::ListItemsRequest* req,
                                                   v1::ListItemsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListItems(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListPeriods(grpc::ServerContext* ctx,
                                                     const v1::ListPeriodsRequest* req,
                                                     v1::ListPeriodsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListPeriods(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::UpdatePeriod(grpc::ServerContext* ctx,
                                                      const v1::UpdatePeriodRequest* req,
                                                      v1::Period* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.UpdatePeriod(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::GetDataReport(grpc::ServerContext* ctx,
                                                       const v1::GetDataReportRequest* req,
                                                       v1::DataReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.GetDataReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListDataReports(grpc::ServerContext* ctx,
                                                         const v1::ListDataReportsRequest* req,
                                                         v1::ListDataReportsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListDataReports(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::UpdateDataReport(grpc::ServerContext* ctx,
                                                          const v1::UpdateDataReportRequest* req,
                                                          v1::DataReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.UpdateDataReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::SubmitDataReport(grpc::ServerContext* ctx,
                                                          const v1::SubmitDataReportRequest* req,
                                                          v1::DataReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.SubmitDataReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ReviewDataReport(grpc::ServerContext* ctx,
                                                          const v1::ReviewDataReportRequest* req,
                                                          v1::DataReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ReviewDataReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ReopenDataReport(grpc::ServerContext* ctx,
                                                          const v1::ReopenDataReportRequest* req,
                                                          v1::DataReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ReopenDataReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListDataReportRevisions(
    grpc::ServerContext* ctx, const v1::ListDataReportRevisionsRequest* req,
    v1::ListDataReportRevisionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ListDataReportRevisions(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::DiffDataReportRevisions(
    grpc::ServerContext* ctx, const v1::DiffDataReportRevisionsRequest* req,
    v1::DataReportDiff* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.DiffDataReportRevisions(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::GetQualityReport(grpc::ServerContext* ctx,
                                                          const v1::GetQualityReportRequest* req,
                                                          v1::QualityReport* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.GetQualityReport(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListQualityReports(
    grpc::ServerContext* ctx, const v1::ListQualityReportsRequest* req,
    v1::ListQualityReportsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ListQualityReports(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::SubmitQualityReport(
    grpc::ServerContext* ctx, const v1::SubmitQualityReportRequest* req, v1::QualityReport* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.SubmitQualityReport(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ReviewQualityReport(
    grpc::ServerContext* ctx, const v1::ReviewQualityReportRequest* req, v1::QualityReport* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ReviewQualityReport(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ReopenQualityReport(
    grpc::ServerContext* ctx, const v1::ReopenQualityReportRequest* req, v1::QualityReport* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ReopenQualityReport(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ListQualityReportRevisions(
    grpc::ServerContext* ctx, const v1::ListQualityReportRevisionsRequest* req,
    v1::ListQualityReportRevisionsResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ListQualityReportRevisions(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::DiffQualityReportRevisions(
    grpc::ServerContext* ctx, const v1::DiffQualityReportRevisionsRequest* req,
    v1::QualityReportDiff* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.DiffQualityReportRevisions(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ListReportHistory(grpc::ServerContext* ctx,
                                                           const v1::ListReportHistoryRequest* req,
                                                           v1::ListReportHistoryResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListReportHistory(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListReferenceHistory(
    grpc::ServerContext* ctx, const v1::ListReferenceHistoryRequest* req,
    v1::ListReferenceHistoryResponse* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.ListReferenceHistory(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::DrawSpotCheck(grpc::ServerContext* ctx,
                                                       const v1::DrawSpotCheckRequest* req,
                                                       v1::SpotCheck* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.DrawSpotCheck(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::GetSpotCheck(grpc::ServerContext* ctx,
                                                      const v1::GetSpotCheckRequest* req,
                                                      v1::SpotCheck* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.GetSpotCheck(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::ListSpotChecks(grpc::ServerContext* ctx,
                                                        const v1::ListSpotChecksRequest* req,
                                                        v1::ListSpotChecksResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListSpotChecks(caller, *req); });
}

grpc::Status SchoolReportingGrpcService::RecordSpotCheckResult(
    grpc::ServerContext* ctx, const v1::RecordSpotCheckResultRequest* req, v1::SpotCheck* resp) {
  return Serve(*ctx, Validate(*req), resp, [&](const Principal& caller) {
    return reporting_.RecordSpotCheckResult(caller, *req);
  });
}

grpc::Status SchoolReportingGrpcService::ListCredibility(grpc::ServerContext* ctx,
                                                         const v1::ListCredibilityRequest* req,
                                                         v1::ListCredibilityResponse* resp) {
  return Serve(*ctx, Validate(*req), resp,
               [&](const Principal& caller) { return reporting_.ListCredibility(caller, *req); });
}

}  // namespace vetrack::schools
