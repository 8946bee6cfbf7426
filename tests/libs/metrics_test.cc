// GrpcServerMetrics: each call counted once under its method and code, and
// timed under its method.
#include "server/metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "prometheus/registry.h"

namespace vetrack {
namespace {

// "name{label=value,...}" → the series' count (counters) or sample count.
std::map<std::string, double> Series(prometheus::Registry& registry) {
  std::map<std::string, double> out;
  for (const auto& family : registry.Collect()) {
    for (const auto& metric : family.metric) {
      std::string key = family.name + "{";
      for (const auto& label : metric.label) key += label.name + "=" + label.value + ",";
      key += "}";
      out[key] = family.type == prometheus::MetricType::Histogram
                     ? static_cast<double>(metric.histogram.sample_count)
                     : metric.counter.value;
    }
  }
  return out;
}

TEST(GrpcServerMetricsTest, EachCallIsCountedUnderItsMethodAndCode) {
  prometheus::Registry registry;
  GrpcServerMetrics metrics(registry);
  const std::string file = "/vetrack.tasks.v1.TaskRegistryService/FileProgress";
  const std::string get = "/vetrack.tasks.v1.TaskRegistryService/GetTask";
  for (int i = 0; i < 3; ++i) metrics.Record(file, grpc::StatusCode::OK, 0.001);
  metrics.Record(file, grpc::StatusCode::ABORTED, 0.002);
  metrics.Record(get, grpc::StatusCode::NOT_FOUND, 0.003);

  auto series = Series(registry);
  const std::string service = "grpc_service=vetrack.tasks.v1.TaskRegistryService,";
  const std::string handled = "grpc_server_handled_total{grpc_code=";
  EXPECT_EQ(series[handled + "OK," + "grpc_method=FileProgress," + service + "}"], 3);
  EXPECT_EQ(series[handled + "ABORTED," + "grpc_method=FileProgress," + service + "}"], 1);
  EXPECT_EQ(series[handled + "NOT_FOUND," + "grpc_method=GetTask," + service + "}"], 1);
  EXPECT_EQ(series["grpc_server_handling_seconds{grpc_method=FileProgress," + service + "}"], 4);
  EXPECT_EQ(series["grpc_server_handling_seconds{grpc_method=GetTask," + service + "}"], 1);
  int handled_series = 0;
  for (const auto& [key, value] : series) handled_series += key.rfind(handled, 0) == 0 ? 1 : 0;
  EXPECT_EQ(handled_series, 3);
}

TEST(GrpcServerMetricsTest, MethodsCallersMakeUpDoNotGrowTheSeries) {
  prometheus::Registry registry;
  GrpcServerMetrics metrics(registry);
  const std::string get = "/vetrack.tasks.v1.TaskRegistryService/GetTask";
  metrics.Record(get, grpc::StatusCode::OK, 0.001);
  for (size_t i = 0; i < 2 * GrpcServerMetrics::kMaxMethods; ++i) {
    metrics.Record("/x.Y/m" + std::to_string(i), grpc::StatusCode::UNIMPLEMENTED, 0.001);
    metrics.Record("/x.Y/n" + std::to_string(i), grpc::StatusCode::UNAUTHENTICATED, 0.001);
  }
  metrics.Record(get, grpc::StatusCode::OK, 0.001);

  auto series = Series(registry);
  // Per method: one histogram series and one counter per code seen.
  EXPECT_LE(series.size(), 2 * GrpcServerMetrics::kMaxMethods + 4);
  EXPECT_EQ(series["grpc_server_handled_total{grpc_code=OK,grpc_method=GetTask,"
                   "grpc_service=vetrack.tasks.v1.TaskRegistryService,}"],
            2);
  EXPECT_EQ(series["grpc_server_handled_total{grpc_code=UNIMPLEMENTED,grpc_method=other,"
                   "grpc_service=other,}"],
            2 * GrpcServerMetrics::kMaxMethods);
}

}  // namespace
}  // namespace vetrack
