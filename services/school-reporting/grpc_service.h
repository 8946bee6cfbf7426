#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_GRPC_SERVICE_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_GRPC_SERVICE_H_

#include "school_reporting.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace vetrack::schools {

// The gRPC edge of school reporting: each method validates the request, calls
// the domain with the caller's principal, and maps the error.
class SchoolReportingGrpcService final : public v1::SchoolReportingService::Service {
 public:
  explicit SchoolReportingGrpcService(SchoolReporting& reporting) : reporting_(reporting) {}

  grpc::Status ListInstitutions(grpc::ServerContext* ctx, const v1::ListInstitutionsRequest* req,
                                v1::ListInstitutionsResponse* resp) override;
  grpc::Status GetAcceptedFigures(grpc::ServerContext* ctx,
                                  const v1::GetAcceptedFiguresRequest* req,
                                  v1::AcceptedFigures* resp) override;
  grpc::Status BatchGetAcceptedFigures(grpc::ServerContext* ctx,
                                       const v1::BatchGetAcceptedFiguresRequest* req,
                                       v1::BatchGetAcceptedFiguresResponse* resp) override;
  grpc::Status GetInstitution(grpc::ServerContext* ctx, const v1::GetInstitutionRequest* req,
                              v1::Institution* resp) override;
  grpc::Status ImportInstitutions(grpc::ServerContext* ctx,
                                  const v1::ImportInstitutionsRequest* req,
                                  v1::ImportInstitutionsResponse* resp) override;
  grpc::Status ImportMajorCatalog(grpc::ServerContext* ctx,
                                  const v1::ImportMajorCatalogRequest* req,
                                  v1::ImportMajorCatalogResponse* resp) override;
  grpc::Status ListCatalogMajors(grpc::ServerContext* ctx, const v1::ListCatalogMajorsRequest* req,
                                 v1::ListCatalogMajorsResponse* resp) override;
  grpc::Status GetCatalogMajor(grpc::ServerContext* ctx, const v1::GetCatalogMajorRequest* req,
                               v1::CatalogMajor* resp) override;
  grpc::Status ListItems(grpc::ServerContext* ctx, const v1::ListItemsRequest* req,
                         v1::ListItemsResponse* resp) override;
  grpc::Status ListPeriods(grpc::ServerContext* ctx, const v1::ListPeriodsRequest* req,
                           v1::ListPeriodsResponse* resp) override;
  grpc::Status UpdatePeriod(grpc::ServerContext* ctx, const v1::UpdatePeriodRequest* req,
                            v1::Period* resp) override;
  grpc::Status GetDataReport(grpc::ServerContext* ctx, const v1::GetDataReportRequest* req,
                             v1::DataReport* resp) override;
  grpc::Status ListDataReports(grpc::ServerContext* ctx, const v1::ListDataReportsRequest* req,
                               v1::ListDataReportsResponse* resp) override;
  grpc::Status UpdateDataReport(grpc::ServerContext* ctx, const v1::UpdateDataReportRequest* req,
                                v1::DataReport* resp) override;
  grpc::Status SubmitDataReport(grpc::ServerContext* ctx, const v1::SubmitDataReportRequest* req,
                                v1::DataReport* resp) override;
  grpc::Status ReviewDataReport(grpc::ServerContext* ctx, const v1::ReviewDataReportRequest* req,
                                v1::DataReport* resp) override;
  grpc::Status ReopenDataReport(grpc::ServerContext* ctx, const v1::ReopenDataReportRequest* req,
                                v1::DataReport* resp) override;
  grpc::Status ListDataReportRevisions(grpc::ServerContext* ctx,
                                       const v1::ListDataReportRevisionsRequest* req,
                                       v1::ListDataReportRevisionsResponse* resp) override;
  grpc::Status ListQualityReportRevisions(grpc::ServerContext* ctx,
                                          const v1::ListQualityReportRevisionsRequest* req,
                                          v1::ListQualityReportRevisionsResponse* resp) override;
  grpc::Status DiffDataReportRevisions(grpc::ServerContext* ctx,
                                       const v1::DiffDataReportRevisionsRequest* req,
                                       v1::DataReportDiff* resp) override;
  grpc::Status DiffQualityReportRevisions(grpc::ServerContext* ctx,
                                          const v1::DiffQualityReportRevisionsRequest* req,
                                          v1::QualityReportDiff* resp) override;
  grpc::Status GetQualityReport(grpc::ServerContext* ctx, const v1::GetQualityReportRequest* req,
                                v1::QualityReport* resp) override;
  grpc::Status ListQualityReports(grpc::ServerContext* ctx,
                                  const v1::ListQualityReportsRequest* req,
                                  v1::ListQualityReportsResponse* resp) override;
  grpc::Status SubmitQualityReport(grpc::ServerContext* ctx,
                                   const v1::SubmitQualityReportRequest* req,
                                   v1::QualityReport* resp) override;
  grpc::Status ReviewQualityReport(grpc::ServerContext* ctx,
                                   const v1::ReviewQualityReportRequest* req,
                                   v1::QualityReport* resp) override;
  grpc::Status ReopenQualityReport(grpc::ServerContext* ctx,
                                   const v1::ReopenQualityReportRequest* req,
                                   v1::QualityReport* resp) override;
  grpc::Status ListReportHistory(grpc::ServerContext* ctx, const v1::ListReportHistoryRequest* req,
                                 v1::ListReportHistoryResponse* resp) override;
  grpc::Status ListReferenceHistory(grpc::ServerContext* ctx,
                                    const v1::ListReferenceHistoryRequest* req,
                                    v1::ListReferenceHistoryResponse* resp) override;
  grpc::Status DrawSpotCheck(grpc::ServerContext* ctx, const v1::DrawSpotCheckRequest* req,
                             v1::SpotCheck* resp) override;
  grpc::Status GetSpotCheck(grpc::ServerContext* ctx, const v1::GetSpotCheckRequest* req,
                            v1::SpotCheck* resp) override;
  grpc::Status ListSpotChecks(grpc::ServerContext* ctx, const v1::ListSpotChecksRequest* req,
                              v1::ListSpotChecksResponse* resp) override;
  grpc::Status RecordSpotCheckResult(grpc::ServerContext* ctx,
                                     const v1::RecordSpotCheckResultRequest* req,
                                     v1::SpotCheck* resp) override;
  grpc::Status ListCredibility(grpc::ServerContext* ctx, const v1::ListCredibilityRequest* req,
                               v1::ListCredibilityResponse* resp) override;

 private:
  SchoolReporting& reporting_;
};

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_GRPC_SERVICE_H_
