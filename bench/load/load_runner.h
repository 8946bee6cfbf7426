#ifndef VETRACK_BENCH_LOAD_LOAD_RUNNER_H_
#define VETRACK_BENCH_LOAD_LOAD_RUNNER_H_

#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/time/time.h"

namespace vetrack::bench {

struct LoadOptions {
  int in_flight = 16;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
};

struct LoadResult {
  double qps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int64_t ok = 0;
  int64_t failed = 0;
  // Failures by gRPC code name, to tell overload from bugs.
  std::map<std::string, int64_t> failures;
};

// Starts one call for in-flight slot `slot` (0 … in_flight-1) and calls
// `done` from gRPC's callback thread when it completes. Each slot has at most
// one call in flight, so per-slot state needs no lock. A call that succeeded
// with an answer the scenario finds incomplete is reported to `done` as
// UNKNOWN with a message that says what was missing.
using CallStarter = std::function<void(int slot, std::function<void(const grpc::Status&)> done)>;

// Keeps `in_flight` calls going for warmup + duration and measures the
// calls that complete after the warm-up: throughput and latency percentiles.
LoadResult RunLoad(const LoadOptions& options, const CallStarter& start_call);

}  // namespace vetrack::bench

#endif  // VETRACK_BENCH_LOAD_LOAD_RUNNER_H_
