#include "rpc/accepted_figures.h"

#include <algorithm>

#include "rpc/fan_out.h"
#include "status/grpc_status.h"

namespace vetrack {

namespace {

// As many institutions as school reporting answers in one batch.
constexpr size_t kInstitutionsPerBatch = 100;

// One call per institution: what a school reporting from before
// BatchGetAcceptedFigures answers.
std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> OneByOne(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::vector<std::string>& institution_codes, const std::string& period_id,
    const std::function<void(grpc::ClientContext*)>& prepare) {
  struct Call {
    grpc::ClientContext context;
    schools::v1::GetAcceptedFiguresRequest request;
    schools::v1::AcceptedFigures figures;
  };
  std::vector<Call> calls(institution_codes.size());
  std::vector<grpc::Status> statuses =
      FanOut(calls.size(), kCallsAtOncePerRequest, [&](size_t i, CallDone done) {
        Call& call = calls[i];
        call.request.set_institution("institutions/" + institution_codes[i]);
        call.request.set_period_id(period_id);
        prepare(&call.context);
        stub.async()->GetAcceptedFigures(&call.context, &call.request, &call.figures,
                                         std::move(done));
      });
  std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> out;
  for (size_t i = 0; i < calls.size(); ++i) {
    if (statuses[i].ok()) {
      out.push_back(std::move(calls[i].figures));
    } else {
      out.push_back(FromGrpcStatus(statuses[i]));
    }
  }
  return out;
}

}  // namespace

std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> GetAcceptedFiguresOf(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::vector<std::string>& institution_codes, const std::string& period_id,
    const std::function<void(grpc::ClientContext*)>& prepare) {
  std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> out;
  for (size_t first = 0; first < institution_codes.size(); first += kInstitutionsPerBatch) {
    const size_t end = std::min(institution_codes.size(), first + kInstitutionsPerBatch);
    schools::v1::BatchGetAcceptedFiguresRequest request;
    for (size_t i = first; i < end; ++i) {
      request.add_institutions("institutions/" + institution_codes[i]);
    }
    request.set_period_id(period_id);
    grpc::ClientContext context;
    prepare(&context);
    schools::v1::BatchGetAcceptedFiguresResponse response;
    grpc::Status status = stub.BatchGetAcceptedFigures(&context, request, &response);
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      return OneByOne(stub, institution_codes, period_id, prepare);
    }
    // A batch is all or nothing, but NOT_FOUND belongs to one of its
    // institutions: the others are answered one at a time, so that they do not
    // share its fate. (PERMISSION_DENIED is about the caller, and every entry
    // would be refused again.) RESOURCE_EXHAUSTED is an answer larger than a
    // gRPC message may be (4 MiB: a hundred institutions with hundreds of
    // majors each); one institution's fits.
    if (status.error_code() == grpc::StatusCode::NOT_FOUND ||
        status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      std::vector<std::string> chunk(institution_codes.begin() + first,
                                     institution_codes.begin() + end);
      for (auto& figures : OneByOne(stub, chunk, period_id, prepare)) {
        out.push_back(std::move(figures));
      }
      continue;
    }
    if (status.ok() && static_cast<size_t>(response.figures_size()) != end - first) {
      status = grpc::Status(grpc::StatusCode::INTERNAL,
                            "school reporting answered a batch with the wrong number of figures");
    }
    for (size_t i = first; i < end; ++i) {
      if (status.ok()) {
        out.push_back(std::move(*response.mutable_figures(static_cast<int>(i - first))));
      } else {
        out.push_back(FromGrpcStatus(status));
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<schools::v1::Institution>> ListAllInstitutions(
    schools::v1::SchoolReportingService::StubInterface& stub,
    const std::function<void(grpc::ClientContext*)>& prepare) {
  std::vector<schools::v1::Institution> out;
  schools::v1::ListInstitutionsRequest request;
  request.set_page_size(500);
  for (int page = 0;; ++page) {
    if (page == kMaxInstitutionPages) {
      return absl::InternalError("school reporting keeps paging its institution list");
    }
    grpc::ClientContext context;
    prepare(&context);
    schools::v1::ListInstitutionsResponse response;
    grpc::Status status = stub.ListInstitutions(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (auto& institution : *response.mutable_institutions())
      out.push_back(std::move(institution));
    if (response.next_page_token().empty()) return out;
    request.set_page_token(response.next_page_token());
  }
}

}  // namespace vetrack
