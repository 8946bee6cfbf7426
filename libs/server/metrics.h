#ifndef VETRACK_LIBS_SERVER_METRICS_H_
#define VETRACK_LIBS_SERVER_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace vetrack {

// grpc_server_handled_total{grpc_service,grpc_method,grpc_code} and the
// grpc_server_handling_seconds histogram, as go-grpc-prometheus names them,
// so the usual dashboards work unchanged.
//
// Method names come from the caller (a generic service, as the gateway's,
// takes any path), so they cannot be labels as they are: calls answered
// UNIMPLEMENTED, and any method beyond the first kMaxMethods seen, are counted
// under grpc_service="other", grpc_method="other".
class GrpcServerMetrics {
 public:
  static constexpr size_t kMaxMethods = 256;

  explicit GrpcServerMetrics(prometheus::Registry& registry);
  // `full_method` is "/package.Service/Method".
  void Record(const std::string& full_method, grpc::StatusCode code, double seconds);

 private:
  // A method's series, found in the families once: building the labels and
  // looking them up there costs allocations and a lock on every call.
  struct MethodSeries {
    prometheus::Histogram* handling_seconds = nullptr;
    // One per code, OK (0) to UNAUTHENTICATED (16), made on first use.
    std::array<prometheus::Counter*, grpc::StatusCode::UNAUTHENTICATED + 1> handled_by_code{};
  };

  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  std::mutex mu_;
  std::unordered_map<std::string, MethodSeries> series_;  // guarded by mu_
};

// Installs GrpcServerMetrics on every call of a server, and logs each call
// that failed by the server's fault (IsServerFault) as "call failed" with its
// method, code, message and peer. With `outside_callers` (the gateway) the
// caller gets WithheldCause and the line its reference; without, the line
// names the caller the metadata does (the gateway's forwarded one).
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory(GrpcServerMetrics* metrics, bool outside_callers = false);

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_METRICS_H_
