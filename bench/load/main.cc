// grpc_load: measures vetrack's calls as ratios to a bare echo service run in
// the same process and the same run (these machines are shared and noisy).
//   grpc_load --scenarios=echo,get-task,file-progress,overview --tasks=127.0.0.1:50051
//             --gateway=127.0.0.1:50050 --token=TOKEN
//             [--in-flight=16] [--channels=4] [--seconds=5] [--warmup=1]
#include <cstdio>
#include <iostream>
#include <map>

#include "absl/strings/str_split.h"
#include "scenarios.h"
#include "server/config.h"

int main(int argc, char** argv) {
  using namespace vetrack::bench;
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  LoadOptions options;
  options.in_flight = config->GetInt("in-flight", 16);
  options.duration = absl::Seconds(config->GetInt("seconds", 5));
  options.warmup = absl::Seconds(config->GetInt("warmup", 1));
  int channels = config->GetInt("channels", 4);
  std::string tasks_address = config->Get("tasks", "127.0.0.1:50051");

  EchoServer echo = StartEchoServer();
  std::map<std::string, CallStarter> scenarios;
  scenarios["echo"] = EchoCalls({"127.0.0.1:" + std::to_string(echo.port), channels},
                                options.in_flight);
  scenarios["get-task"] = GetTaskCalls({tasks_address, channels}, options.in_flight);
  scenarios["file-progress"] = FileProgressCalls({tasks_address, channels}, options.in_flight);
  scenarios["overview"] = OverviewCalls({config->Get("gateway", "127.0.0.1:50050"), channels},
                                        options.in_flight, config->Get("token", ""));

  std::printf("in flight %d over %d channels, %d s after %d s warm-up\n", options.in_flight,
              channels, static_cast<int>(absl::ToInt64Seconds(options.duration)),
              static_cast<int>(absl::ToInt64Seconds(options.warmup)));
  std::printf("%-16s %10s %9s %9s %8s %10s %8s\n", "scenario", "qps", "p50 ms", "p99 ms",
              "failed", "x echo qps", "x echo p99");
  LoadResult baseline;
  for (const auto& name : absl::StrSplit(config->Get("scenarios", "echo,get-task,file-progress,overview"), ',')) {
    auto it = scenarios.find(std::string(name));
    if (it == scenarios.end()) {
      std::cerr << "unknown scenario " << std::string(name) << "\n";
      return 2;
    }
    LoadResult r = RunLoad(options, it->second);
    if (it->first == "echo") baseline = r;
    double qps_ratio = baseline.qps > 0 ? r.qps / baseline.qps : 0;
    double p99_ratio = baseline.p99_ms > 0 ? r.p99_ms / baseline.p99_ms : 0;
    std::printf("%-16s %10.0f %9.3f %9.3f %8lld %10.2f %8.2f\n", it->first.c_str(), r.qps,
                r.p50_ms, r.p99_ms, static_cast<long long>(r.failed), qps_ratio, p99_ratio);
    for (const auto& [code, n] : r.failures) {
      std::printf("    %s: %lld\n", code.c_str(), static_cast<long long>(n));
    }
  }
  echo.server->Shutdown();
  return 0;
}
