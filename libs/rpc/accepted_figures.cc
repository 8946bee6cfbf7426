#include "rpc/accepted_figures.h"

#include "rpc/fan_out.h"
#include "status/grpc_status.h"

namespace vetrack {

std::vector<absl::StatusOr<schools::v1::AcceptedFigures>> GetAcceptedFiguresOf(
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

}  // namespace vetrack
