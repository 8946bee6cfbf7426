#ifndef VETRACK_SERVICES_VETCTL_SCHOOLS_CLIENT_H_
#define VETRACK_SERVICES_VETCTL_SCHOOLS_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "args.h"
#include "rpc_call.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

// School reporting as vetctl calls it (see rpc_call.h), at --schools-addr.
namespace vetrack::vetctl {

namespace schools_v1 = ::vetrack::schools::v1;

class SchoolsClient {
 public:
  using Stub = schools_v1::SchoolReportingService::Stub;

  explicit SchoolsClient(const GlobalOptions& options);

  // One call, e.g. client.Call(&Stub::GetDataReport, request).
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(UnaryMethod<Stub, Request, Response> method,
                                const Request& request) {
    return CallUnary(*stub_, method, options_, request);
  }

  // Every page in one response.
  template <typename Request, typename Response>
  absl::StatusOr<Response> CallAll(UnaryMethod<Stub, Request, Response> method,
                                   const Request& request) {
    return CallAllPages(*stub_, method, options_, request);
  }

 private:
  GlobalOptions options_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_SCHOOLS_CLIENT_H_
