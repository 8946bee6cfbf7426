#include "server/metrics.h"

#include <grpcpp/server_context.h>

#include <chrono>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "auth/principal.h"
#include "log/log.h"
#include "server/call_context.h"
#include "status/disclosure.h"

namespace vetrack {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The series key of every method without its own (not a method name: those
// start with '/').
const std::string& OtherKey() {
  static const auto* key = new std::string("other");
  return *key;
}

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return *buckets;
}

// The gRPC spec's name of `code`, e.g. "NOT_FOUND": the metrics' label and
// the log's field.
std::string CodeName(grpc::StatusCode code) {
  return absl::AsciiStrToUpper(absl::StatusCodeToString(static_cast<absl::StatusCode>(code)));
}

// Counts and times every call, and logs the calls that failed by the
// server's fault with their method: here, because only the interceptor knows
// the method of every call, a forwarded one (the gateway's) included. For
// callers outside the suite, such a failure's cause is withheld here too, the
// one place every answer passes (disclosure.h says why).
class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(grpc::experimental::ServerRpcInfo* info, GrpcServerMetrics* metrics,
                     bool outside_callers)
      : info_(info),
        metrics_(metrics),
        outside_callers_(outside_callers),
        start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (outside_callers_ &&
        methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      request_id_ = EnsureRequestId(methods->GetSendInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      const grpc::Status status = methods->GetSendStatus();
      metrics_->Record(info_->method(), status.error_code(), elapsed.count());
      if (IsServerFault(static_cast<absl::StatusCode>(status.error_code()))) {
        LogFields fields = {{"method", info_->method()},
                            {"code", CodeName(status.error_code())},
                            {"error", status.error_message()}};
        const grpc::ServerContextBase& context = *info_->server_context();
        // An outside caller's metadata could name anyone: the gateway reads
        // its token instead.
        if (!outside_callers_) fields.push_back({"caller", CallerOf(context)});
        fields.push_back({"peer", context.peer()});
        std::string id = outside_callers_ ? request_id_ : RequestIdOf(context);
        if (!id.empty()) fields.push_back({"x_request_id", std::move(id)});
        if (outside_callers_) {
          // Not the call's id, which the caller may choose or reuse: a
          // reference of the gateway's own, logged beside it.
          const std::string reference = NewReferenceId();
          grpc::Status shown = WithheldCause(status, reference);
          if (shown.error_message() != status.error_message()) {
            fields.push_back({"reference", reference});
            methods->ModifySendStatus(shown);
          }
        }
        LogError("call failed", fields);
      }
    }
    methods->Proceed();
  }

 private:
  // Who the gateway said calls: with the method and the time, what ties a
  // service's line to the gateway's for the same call.
  static std::string CallerOf(const grpc::ServerContextBase& context) {
    const auto& metadata = context.client_metadata();
    auto role = metadata.find(kRoleMetadataKey);
    if (role == metadata.end()) return "";
    std::string caller(role->second.data(), role->second.size());
    auto unit = metadata.find(kUnitMetadataKey);
    if (unit != metadata.end())
      caller += ":" + std::string(unit->second.data(), unit->second.size());
    return caller;
  }

  // The x-request-id an answer to an outside caller carries: the handler's
  // (the gateway's forwarding sets the one it forwarded), else the caller's
  // well-formed one, else a new one.
  std::string EnsureRequestId(std::multimap<std::string, std::string>* sent) {
    auto set = sent->find(kRequestIdMetadataKey);
    if (set != sent->end()) return set->second;
    std::string id = RequestIdOrNew(*info_->server_context());
    sent->emplace(kRequestIdMetadataKey, id);
    return id;
  }

  grpc::experimental::ServerRpcInfo* info_;
  GrpcServerMetrics* metrics_;
  const bool outside_callers_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_;
};

class MetricsInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  MetricsInterceptorFactory(GrpcServerMetrics* metrics, bool outside_callers)
      : metrics_(metrics), outside_callers_(outside_callers) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_, outside_callers_);
  }

 private:
  GrpcServerMetrics* metrics_;
  const bool outside_callers_;
};

}  // namespace

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry)
    : handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("RPCs completed on the server, by status code.")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Time from receiving an RPC to sending its status.")
                            .Register(registry)) {}

void GrpcServerMetrics::Record(const std::string& full_method, grpc::StatusCode code,
                               double seconds) {
  prometheus::Counter* handled = nullptr;
  prometheus::Histogram* handling = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool own_series = code != grpc::StatusCode::UNIMPLEMENTED &&
                            (series_.size() < kMaxMethods || series_.count(full_method) > 0);
    const std::string& key = own_series ? full_method : OtherKey();
    MethodSeries& series = series_[key];
    // "/pkg.Service/Method" → service "pkg.Service", method "Method".
    auto method_labels = [&key] {
      if (key == OtherKey())
        return prometheus::Labels{{"grpc_service", "other"}, {"grpc_method", "other"}};
      size_t slash = key.find('/', 1);
      if (slash == std::string::npos) {
        return prometheus::Labels{{"grpc_service", key}, {"grpc_method", ""}};
      }
      return prometheus::Labels{{"grpc_service", key.substr(1, slash - 1)},
                                {"grpc_method", key.substr(slash + 1)}};
    };
    if (series.handling_seconds == nullptr) {
      series.handling_seconds = &handling_seconds_.Add(method_labels(), LatencyBuckets());
    }
    size_t index = static_cast<size_t>(code);
    if (index >= series.handled_by_code.size()) index = grpc::StatusCode::UNKNOWN;
    prometheus::Counter*& counter = series.handled_by_code[index];
    if (counter == nullptr) {
      // Prometheus convention (as grpc-go's): codes in CamelCase would differ
      // from the gRPC spec names; keep the spec names, e.g. "OK", "NOT_FOUND".
      prometheus::Labels labels = method_labels();
      labels["grpc_code"] = CodeName(static_cast<grpc::StatusCode>(index));
      counter = &handled_.Add(labels);
    }
    handled = counter;
    handling = series.handling_seconds;
  }
  handled->Increment();
  handling->Observe(seconds);
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeMetricsInterceptorFactory(GrpcServerMetrics* metrics, bool outside_callers) {
  return std::make_unique<MetricsInterceptorFactory>(metrics, outside_callers);
}

}  // namespace vetrack
