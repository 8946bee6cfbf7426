#include "load_runner.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vetrack::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Shared by the slots; each slot writes only its own latency vector.
struct Run {
  Clock::time_point measure_from;
  Clock::time_point stop_at;
  std::vector<std::vector<int64_t>> latencies_us;
  std::vector<int64_t> failed;
  std::vector<std::map<std::string, int64_t>> failures;
  std::mutex mu;
  std::condition_variable all_done;
  int active = 0;
};

void StartNext(const std::shared_ptr<Run>& run, const CallStarter& start_call, int slot) {
  Clock::time_point started = Clock::now();
  start_call(slot, [run, &start_call, slot, started](const grpc::Status& status) {
    Clock::time_point finished = Clock::now();
    if (started >= run->measure_from && finished <= run->stop_at) {
      if (status.ok()) {
        run->latencies_us[slot].push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(finished - started).count());
      } else {
        ++run->failed[slot];
        std::string kind = absl::AsciiStrToUpper(
            absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())));
        if (status.error_code() == grpc::StatusCode::UNKNOWN) {
          kind = absl::StrCat(kind, " (", status.error_message(), ")");
        }
        ++run->failures[slot][kind];
      }
    }
    if (finished < run->stop_at) {
      StartNext(run, start_call, slot);
      return;
    }
    std::lock_guard<std::mutex> lock(run->mu);
    if (--run->active == 0) run->all_done.notify_all();
  });
}

double Percentile(std::vector<int64_t>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  size_t index = std::min(sorted_us.size() - 1, static_cast<size_t>(p * sorted_us.size()));
  return sorted_us[index] / 1000.0;
}

}  // namespace

LoadResult RunLoad(const LoadOptions& options, const CallStarter& start_call) {
  auto run = std::make_shared<Run>();
  Clock::time_point now = Clock::now();
  run->measure_from = now + absl::ToChronoMicroseconds(options.warmup);
  run->stop_at = run->measure_from + absl::ToChronoMicroseconds(options.duration);
  run->latencies_us.resize(options.in_flight);
  run->failed.resize(options.in_flight);
  run->failures.resize(options.in_flight);
  run->active = options.in_flight;
  for (int slot = 0; slot < options.in_flight; ++slot) StartNext(run, start_call, slot);
  {
    std::unique_lock<std::mutex> lock(run->mu);
    run->all_done.wait(lock, [&] { return run->active == 0; });
  }

  LoadResult result;
  std::vector<int64_t> all;
  for (int slot = 0; slot < options.in_flight; ++slot) {
    all.insert(all.end(), run->latencies_us[slot].begin(), run->latencies_us[slot].end());
    result.failed += run->failed[slot];
    for (const auto& [code, n] : run->failures[slot]) result.failures[code] += n;
  }
  std::sort(all.begin(), all.end());
  result.ok = static_cast<int64_t>(all.size());
  result.qps = result.ok / absl::ToDoubleSeconds(options.duration);
  result.p50_ms = Percentile(all, 0.50);
  result.p99_ms = Percentile(all, 0.99);
  return result;
}

}  // namespace vetrack::bench
