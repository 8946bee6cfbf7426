// exchange: delivers the services' outboxes to the municipal endpoint, or
// with --redeliver-dead-letters=1 sends the parked batches once more and exits.
#include <csignal>

#include <atomic>
#include <fstream>
#include <iostream>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "batch_sender.h"
#include "exchange_worker.h"
#include "log/log.h"
#include "outbox_store.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "reference_import.h"
#include "server/config.h"

namespace {

constexpr char kDefaultSources[] = "task-registry,school-reporting";

std::atomic<bool> stopping{false};

void OnSignal(int) { stopping = true; }

// Waits in short slices so SIGTERM ends a backoff promptly.
bool SleepUnlessStopping(absl::Duration wait) {
  absl::Time until = absl::Now() + wait;
  while (!stopping && absl::Now() < until) {
    absl::SleepFor(std::min(absl::Milliseconds(50), until - absl::Now()));
  }
  return !stopping;
}

std::string FirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return std::string(absl::StripAsciiWhitespace(line));
}

}  // namespace

int main(int argc, char** argv) {
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  if (!config->Get("import-reference", "").empty()) {
    return vetrack::exchange::RunReferenceImport(*config);
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  auto sender = vetrack::exchange::HttpBatchSender::Create(
      config->Get("endpoint", "http://127.0.0.1:8090/vetrack/exchange"),
      FirstLine(config->Get("secret-file", "")),
      absl::Milliseconds(config->GetInt("timeout-ms", 10000)));
  if (!sender.ok()) {
    std::cerr << sender.status().message() << "\n";
    return 2;
  }
  // Every source's outbox lives in the Redis of the service that writes it;
  // on one shared Redis (the local setup) one --redis serves them all.
  vetrack::redis::Client redis(config->RedisOptions());
  std::vector<std::unique_ptr<vetrack::exchange::OutboxStore>> stores;
  std::vector<vetrack::exchange::OutboxStore*> sources;
  for (absl::string_view source :
       absl::StrSplit(config->Get("sources", kDefaultSources), ',', absl::SkipEmpty())) {
    stores.push_back(std::make_unique<vetrack::exchange::OutboxStore>(redis, std::string(source)));
    sources.push_back(stores.back().get());
  }
  vetrack::exchange::WorkerOptions options;
  options.batch_size = config->GetInt("batch-size", options.batch_size);
  options.max_attempts = config->GetInt("max-attempts", options.max_attempts);
  options.initial_backoff = absl::Milliseconds(config->GetInt("initial-backoff-ms", 500));
  options.max_backoff = absl::Milliseconds(config->GetInt("max-backoff-ms", 60000));
  vetrack::exchange::ExchangeWorker worker(sources, **sender, options, SleepUnlessStopping);

  if (config->GetInt("redeliver-dead-letters", 0) != 0) {
    auto taken = worker.RedeliverDeadLetters();
    if (!taken.ok()) {
      std::cerr << taken.status().message() << "\n";
      return 1;
    }
    std::cout << *taken << " dead-letter batch(es) redelivered\n";
    return 0;
  }

  // Dead letters and failures show on /metrics; the parked batches themselves
  // stay in Redis (vt:ex:dead:<source>) until redelivered.
  auto registry = std::make_shared<prometheus::Registry>();
  worker.ExportMetrics(*registry);
  prometheus::Exposer exposer(config->Get("metrics", "0.0.0.0:9105"));
  exposer.RegisterCollectable(registry);

  const absl::Duration poll = absl::Milliseconds(config->GetInt("poll-ms", 1000));
  vetrack::LogInfo("exchange worker started",
                   {{"sources", config->Get("sources", kDefaultSources)}});
  while (!stopping) {
    auto moved = worker.DeliverOnce();
    if (!moved.ok() && !absl::IsCancelled(moved.status())) {
      vetrack::LogError("exchange worker cycle failed",
                        {{"error", std::string(moved.status().message())}});
    }
    if (!moved.ok() || *moved == 0) SleepUnlessStopping(poll);
  }
  vetrack::LogInfo("exchange worker stopped");
  return 0;
}
