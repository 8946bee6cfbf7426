// grpc_load: measures vetrack's calls as ratios to a bare echo service run in
// the same process and the same run (these machines are shared and noisy).
//   grpc_load --scenarios=echo,get-task,file-progress,overview --tasks=127.0.0.1:50051
//             --gateway=127.0.0.1:50050 --token=TOKEN
//             [--gateway-uncached=ADDR] [--ledger=ADDR] [--institution=cqvie] [--year=2025]
//             [--in-flight=16] [--channels=4] [--seconds=5] [--warmup=1] [--rounds=1]
// With --rounds=N the scenarios run N times in turn (so a burst of load from
// elsewhere hits every scenario alike) and each figure's median over the
// rounds is printed last, on lines starting "median " (the ratios are the
// medians of each round's ratio to the echo measured just before it).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <vector>

#include "absl/strings/str_split.h"
#include "scenarios.h"
#include "server/config.h"
#include "server/service_runner.h"

namespace {

using vetrack::bench::LoadResult;

void PrintHeader(const char* label) {
  std::printf("%-8s %-20s %10s %9s %9s %8s %10s %8s\n", label, "scenario", "qps", "p50 ms",
              "p99 ms", "failed", "x echo qps", "x echo p99");
}

// The ratios of a result to the echo baseline measured just before it.
struct Ratios {
  double qps = 0;
  double p99 = 0;
};

Ratios RatiosTo(const LoadResult& r, const LoadResult& baseline) {
  return {baseline.qps > 0 ? r.qps / baseline.qps : 0,
          baseline.p99_ms > 0 ? r.p99_ms / baseline.p99_ms : 0};
}

void PrintRow(const char* label, const std::string& name, const LoadResult& r, Ratios ratios) {
  const double qps_ratio = ratios.qps, p99_ratio = ratios.p99;
  std::printf("%-8s %-20s %10.0f %9.3f %9.3f %8lld %10.2f %8.2f\n", label, name.c_str(), r.qps,
              r.p50_ms, r.p99_ms, static_cast<long long>(r.failed), qps_ratio, p99_ratio);
  for (const auto& [kind, n] : r.failures) {
    std::printf("    %s: %lld\n", kind.c_str(), static_cast<long long>(n));
  }
}

// What a scenario measured in one round, with its ratios to that round's echo.
struct Round {
  LoadResult result;
  Ratios ratios;
};

template <typename Field>
double MedianOf(const std::vector<Round>& rounds, Field field) {
  std::vector<double> values;
  for (const auto& r : rounds) values.push_back(field(r));
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// Each figure's own median over the rounds, the ratios included: a round's
// ratio compares with the echo measured moments before it.
void PrintMedian(const std::string& name, const std::vector<Round>& rounds) {
  LoadResult m;
  m.qps = MedianOf(rounds, [](const Round& r) { return r.result.qps; });
  m.p50_ms = MedianOf(rounds, [](const Round& r) { return r.result.p50_ms; });
  m.p99_ms = MedianOf(rounds, [](const Round& r) { return r.result.p99_ms; });
  for (const auto& r : rounds) m.failed += r.result.failed;
  Ratios ratios{MedianOf(rounds, [](const Round& r) { return r.ratios.qps; }),
                MedianOf(rounds, [](const Round& r) { return r.ratios.p99; })};
  PrintRow("median", name, m, ratios);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vetrack::bench;
  // The echo baseline and the client run gRPC as the services do.
  vetrack::DisableMutexDeadlockDetection();
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  LoadOptions options;
  options.in_flight = config->GetInt("in-flight", 16);
  options.duration = absl::Seconds(config->GetInt("seconds", 5));
  options.warmup = absl::Seconds(config->GetInt("warmup", 1));
  const int channels = config->GetInt("channels", 4);
  const int rounds = std::max(1, config->GetInt("rounds", 1));
  const std::string tasks_address = config->Get("tasks", "127.0.0.1:50051");
  const std::string ledger_address = config->Get("ledger", "127.0.0.1:50053");
  const std::string token = config->Get("token", "");
  const int year = config->GetInt("year", 2025);

  EchoServer echo = StartEchoServer();
  std::map<std::string, CallStarter> scenarios;
  scenarios["echo"] =
      EchoCalls({"127.0.0.1:" + std::to_string(echo.port), channels}, options.in_flight);
  scenarios["get-task"] = GetTaskCalls({tasks_address, channels}, options.in_flight);
  scenarios["file-progress"] = FileProgressCalls({tasks_address, channels}, options.in_flight);
  scenarios["overview"] = OverviewCalls({config->Get("gateway", "127.0.0.1:50050"), channels},
                                        options.in_flight, token);
  scenarios["overview-uncached"] = OverviewCalls(
      {config->Get("gateway-uncached", "127.0.0.1:50050"), channels}, options.in_flight, token);
  scenarios["statement"] = StatementCalls({ledger_address, channels}, options.in_flight,
                                          config->Get("institution", "cqvie"), year);
  scenarios["district-statement"] =
      DistrictStatementCalls({ledger_address, channels}, options.in_flight, year);

  std::vector<std::string> names =
      absl::StrSplit(config->Get("scenarios", "echo,get-task,file-progress,overview"), ',');
  for (const auto& name : names) {
    if (scenarios.count(name) == 0) {
      std::cerr << "unknown scenario " << name << "\n";
      return 2;
    }
  }
  std::printf("in flight %d over %d channels, %d s after %d s warm-up, %d round(s)\n",
              options.in_flight, channels, static_cast<int>(absl::ToInt64Seconds(options.duration)),
              static_cast<int>(absl::ToInt64Seconds(options.warmup)), rounds);
  PrintHeader("round");
  std::map<std::string, std::vector<Round>> results;
  for (int round = 1; round <= rounds; ++round) {
    LoadResult baseline;
    for (const auto& name : names) {
      LoadResult r = RunLoad(options, scenarios[name]);
      if (name == "echo") baseline = r;
      results[name].push_back({r, RatiosTo(r, baseline)});
      PrintRow(std::to_string(round).c_str(), name, r, RatiosTo(r, baseline));
    }
  }
  if (rounds > 1) {
    PrintHeader("");
    for (const auto& name : names) PrintMedian(name, results[name]);
  }
  echo.server->Shutdown();
  return 0;
}
