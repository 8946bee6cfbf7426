#include "grpc_sources.h"

#include <grpcpp/grpcpp.h>

#include "auth/principal.h"
#include "status/grpc_status.h"

namespace vetrack::evaluation {
namespace {

namespace schools = ::vetrack::schools::v1;
namespace ledger = ::vetrack::ledger::v1;

v1::InstitutionType TypeOf(schools::InstitutionType type) {
  switch (type) {
    case schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL: return v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL;
    case schools::INSTITUTION_TYPE_SECONDARY_VOCATIONAL:
      return v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
    case schools::INSTITUTION_TYPE_TECHNICAL: return v1::INSTITUTION_TYPE_TECHNICAL;
    default: return v1::INSTITUTION_TYPE_UNSPECIFIED;
  }
}

}  // namespace

GrpcEvaluationSources::GrpcEvaluationSources(const std::string& schools_address,
                                             const std::string& ledger_address,
                                             absl::Duration timeout)
    : schools_(schools::SchoolReportingService::NewStub(
          grpc::CreateChannel(schools_address, grpc::InsecureChannelCredentials()))),
      ledger_(ledger::TrainingLedgerService::NewStub(
          grpc::CreateChannel(ledger_address, grpc::InsecureChannelCredentials()))),
      timeout_(timeout) {}

std::unique_ptr<grpc::ClientContext> GrpcEvaluationSources::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata(kRoleMetadataKey, RoleName(Role::kEvaluator));
  context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout_));
  return context;
}

absl::StatusOr<std::vector<Institution>> GrpcEvaluationSources::Institutions() {
  std::vector<Institution> out;
  schools::ListInstitutionsRequest request;
  request.set_page_size(500);
  for (;;) {
    schools::ListInstitutionsResponse response;
    auto context = Context();
    grpc::Status status = schools_->ListInstitutions(context.get(), request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const auto& i : response.institutions()) out.push_back({i.code(), TypeOf(i.type())});
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return out;
}

absl::StatusOr<std::map<std::string, AcceptedReport>> GrpcEvaluationSources::AcceptedReports(
    const std::vector<Institution>& institutions, const std::string& period_id) {
  std::map<std::string, AcceptedReport> out;
  for (const auto& institution : institutions) {
    schools::GetAcceptedFiguresRequest request;
    request.set_institution("institutions/" + institution.code);
    request.set_period_id(period_id);
    schools::AcceptedFigures figures;
    auto context = Context();
    grpc::Status status = schools_->GetAcceptedFigures(context.get(), request, &figures);
    if (!status.ok()) return FromGrpcStatus(status);
    if (!figures.accepted()) continue;
    AcceptedReport report{period_id, figures.revision(), {}};
    for (const auto& [item, value] : figures.counts()) report.counts[item] = value;
    out.emplace(institution.code, std::move(report));
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> GrpcEvaluationSources::PersonTimes(int year) {
  ledger::GetDistrictTrainingStatementRequest request;
  request.set_year(year);
  ledger::DistrictTrainingStatement statement;
  auto context = Context();
  grpc::Status status = ledger_->GetDistrictTrainingStatement(context.get(), request, &statement);
  if (!status.ok()) return FromGrpcStatus(status);
  std::map<std::string, int64_t> out;
  for (const auto& s : statement.institutions()) out[s.institution_code()] = s.totals().person_times();
  return out;
}

}  // namespace vetrack::evaluation
