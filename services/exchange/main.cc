// exchange: delivers the services' outboxes to the municipal endpoint, or
// with --redeliver-dead-letters=1 sends the parked batches once more and exits.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "batch_sender.h"
#include "exchange_worker.h"
#include "leased_delivery.h"
#include "log/log.h"
#include "outbox_store.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "reference_import.h"
#include "server/config.h"
#include "worker_lease.h"

namespace {

constexpr char kDefaultSources[] =
    "task-registry,school-reporting,training-ledger,evaluation";

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

}  // namespace

int main(int argc, char** argv) {
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  // A peer closing its end while we write over TLS (OpenSSL writes without
  // MSG_NOSIGNAL) would otherwise end the process: a delivery or an import.
  std::signal(SIGPIPE, SIG_IGN);
  if (!config->Get("import-reference", "").empty()) {
    return vetrack::exchange::RunReferenceImport(*config);
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  vetrack::exchange::HttpEndpointOptions endpoint_options;
  endpoint_options.timeout = absl::Milliseconds(config->GetInt("timeout-ms", 10000, 1));
  endpoint_options.ca_file = config->Get("ca-file", "");
  auto sender = vetrack::exchange::HttpBatchSender::Create(
      config->Get("endpoint", "http://127.0.0.1:8090/vetrack/exchange"),
      vetrack::exchange::ReadFirstLine(config->Get("secret-file", "")), endpoint_options);
  if (!sender.ok()) {
    std::cerr << sender.status().message() << "\n";
    return 2;
  }
  // Every source's outbox lives in the Redis of the service that writes it:
  // --redis (which also holds the worker's lease) unless --redis-<source>
  // names another, as for a service that points at a Redis of its own.
  vetrack::redis::Client redis(config->RedisOptions());
  std::vector<std::unique_ptr<vetrack::redis::Client>> own_redis;
  std::vector<std::unique_ptr<vetrack::exchange::OutboxStore>> stores;
  std::vector<vetrack::exchange::OutboxStore*> sources;
  for (absl::string_view name :
       absl::StrSplit(config->Get("sources", kDefaultSources), ',', absl::SkipEmpty())) {
    const std::string source(name);
    vetrack::redis::Client* client = &redis;
    if (!config->Get("redis-" + source, "").empty()) {
      own_redis.push_back(
          std::make_unique<vetrack::redis::Client>(config->RedisOptions("redis-" + source)));
      client = own_redis.back().get();
    }
    stores.push_back(std::make_unique<vetrack::exchange::OutboxStore>(*client, source));
    sources.push_back(stores.back().get());
  }
  vetrack::exchange::WorkerOptions options;
  options.batch_size = config->GetInt("batch-size", options.batch_size, 1);
  options.max_attempts = config->GetInt("max-attempts", options.max_attempts, 1);
  options.initial_backoff = absl::Milliseconds(config->GetInt("initial-backoff-ms", 500));
  options.max_backoff = absl::Milliseconds(config->GetInt("max-backoff-ms", 60000));
  const bool redeliver = config->GetInt("redeliver-dead-letters", 0) != 0;
  // A single replica: the lease (worker_lease.h) keeps a second worker
  // waiting. A redelivery run by hand beside the worker takes no lease.
  vetrack::exchange::WorkerLease lease(redis, vetrack::exchange::NewLeaseOwnerId(),
                                       absl::Milliseconds(config->GetInt("lease-ms", 30000, 1)));
  if (lease.ttl() <= absl::Milliseconds(config->GetInt("timeout-ms", 10000, 1))) {
    std::cerr << "--lease-ms must be longer than --timeout-ms: the lease is renewed between "
                 "requests, whose answers are cut at --timeout-ms\n";
    return 2;
  }
  // After SIGTERM the batch under way is finished, and no source after it
  // is begun: each could take up to --timeout-ms, past the pod's grace.
  options.may_continue = [&lease, redeliver] {
    if (stopping) return false;
    if (redeliver) return true;
    auto held = lease.Hold();
    return held.ok() && *held;
  };
  vetrack::exchange::ExchangeWorker worker(
      sources, **sender, options, [&lease, redeliver](absl::Duration wait) {
        if (redeliver) return SleepUnlessStopping(wait);
        return vetrack::exchange::SleepRenewingLease(lease, wait, SleepUnlessStopping);
      });

  const std::string metrics_address = config->Get("metrics", "0.0.0.0:9105");
  const absl::Duration poll = absl::Milliseconds(config->GetInt("poll-ms", 1000, 1));
  if (!config->EveryFlagWasRead()) return 2;

  if (redeliver) {
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
  prometheus::Exposer exposer(metrics_address);
  exposer.RegisterCollectable(registry);

  vetrack::exchange::LeasedDelivery delivery(worker, lease, poll, SleepUnlessStopping);
  delivery.ExportMetrics(*registry);
  vetrack::LogInfo("exchange worker started",
                   {{"sources", config->Get("sources", kDefaultSources)},
                    {"owner", lease.owner()}});
  delivery.Run();
  vetrack::LogInfo("exchange worker stopped");
  return 0;
}
