// exchange: delivers the services' outboxes to the municipal endpoint, or
// with --redeliver-dead-letters=1 sends the parked batches once more and exits.
// The worker serves gRPC health (liveness: the delivery loop still moves),
// reflection and /metrics through ServiceRunner, like every other process.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "batch_sender.h"
#include "exchange_worker.h"
#include "heartbeat.h"
#include "leased_delivery.h"
#include "log/log.h"
#include "outbox_store.h"
#include "prometheus/registry.h"
#include "reference_import.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "server/signals.h"
#include "worker_lease.h"

namespace {

constexpr char kDefaultSources[] = "task-registry,school-reporting,training-ledger,evaluation";

std::atomic<bool> stopping{false};

void OnSignal(int) { stopping = true; }

// Waits in short slices, beating between them, so SIGTERM ends a backoff
// promptly and a long wait is not taken for a stall.
bool SleepUnlessStopping(vetrack::exchange::Heartbeat& heartbeat, absl::Duration wait) {
  absl::Time until = absl::Now() + wait;
  while (!stopping && absl::Now() < until) {
    heartbeat.Beat();
    absl::SleepFor(std::min(absl::Milliseconds(50), until - absl::Now()));
  }
  heartbeat.Beat();
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
  const bool redeliver = config->GetInt("redeliver-dead-letters", 0) != 0;
  if (redeliver) {
    // Run by hand: SIGTERM stops it between batches.
    std::signal(SIGTERM, OnSignal);
    std::signal(SIGINT, OnSignal);
  } else {
    // The worker leaves SIGTERM to ServiceRunner, which takes it with
    // sigwait: every thread started from here on must block it.
    vetrack::BlockShutdownSignals();
  }

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
  // A single replica: the lease (worker_lease.h) keeps a second worker
  // waiting. A redelivery run by hand beside the worker takes no lease.
  vetrack::exchange::WorkerLease lease(redis, vetrack::exchange::NewLeaseOwnerId(),
                                       absl::Milliseconds(config->GetInt("lease-ms", 30000, 1)));
  if (lease.ttl() <= absl::Milliseconds(config->GetInt("timeout-ms", 10000, 1))) {
    std::cerr << "--lease-ms must be longer than --timeout-ms: the lease is renewed between "
                 "requests, whose answers are cut at --timeout-ms\n";
    return 2;
  }
  vetrack::exchange::Heartbeat heartbeat;
  auto sleep_unless_stopping = [&heartbeat](absl::Duration wait) {
    return SleepUnlessStopping(heartbeat, wait);
  };
  // After SIGTERM the batch under way is finished, and no source after it
  // is begun: each could take up to --timeout-ms, past the pod's grace.
  options.may_continue = [&lease, &heartbeat, redeliver] {
    heartbeat.Beat();
    if (stopping) return false;
    if (redeliver) return true;
    auto held = lease.Hold();
    return held.ok() && *held;
  };
  vetrack::exchange::ExchangeWorker worker(sources, **sender, options, [&](absl::Duration wait) {
    if (redeliver) return sleep_unless_stopping(wait);
    return vetrack::exchange::SleepRenewingLease(lease, wait, sleep_unless_stopping);
  });

  const absl::Duration poll = absl::Milliseconds(config->GetInt("poll-ms", 1000, 1));
  // The loop beats between its steps. A request's answer is cut at
  // --timeout-ms, but setting up its connection is bounded only step by step
  // (a name lookup against a failing resolver, a connect to each of the
  // host's addresses: http_endpoint.h), so a slow platform can hold one step
  // for minutes. Silent for longer than this, the loop is stuck, not waiting,
  // and the liveness probe has kubelet restart the pod.
  const absl::Duration stall = absl::Milliseconds(config->GetInt("stall-ms", 300000, 1));
  if (stall <= 2 * absl::Milliseconds(config->GetInt("timeout-ms", 10000, 1)) || stall <= poll) {
    std::cerr << "--stall-ms must be longer than twice --timeout-ms and than --poll-ms: a "
                 "request, or a wait between polls, would otherwise read as a stall\n";
    return 2;
  }
  vetrack::ServerOptions server_options;
  server_options.name = "exchange";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50055");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9105");
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  if (!config->EveryFlagWasRead()) return 2;

  if (redeliver) {
    auto done = worker.RedeliverDeadLetters();
    if (!done.ok()) {
      std::cerr << done.status().message() << "\n";
      return 1;
    }
    std::cout << done->redelivered << " dead-letter batch(es) redelivered\n";
    if (done->still_parked == 0) return 0;
    // Exits 1 so that a script or a cron job sees the batches left.
    std::cerr << done->still_parked
              << " refused again and still parked (the last: " << done->last_refusal << ")\n";
    return 1;
  }

  // Dead letters and failures show on /metrics; the parked batches themselves
  // stay in Redis (vt:ex:dead:<source>) until redelivered.
  auto registry = std::make_shared<prometheus::Registry>();
  worker.ExportMetrics(*registry);
  vetrack::exchange::LeasedDelivery delivery(worker, lease, poll, sleep_unless_stopping);
  delivery.ExportMetrics(*registry);
  server_options.registry = registry;
  server_options.readiness = [&redis] { return redis.Ping(); };
  server_options.alive = [&heartbeat, stall] { return heartbeat.BeatWithin(stall); };
  const std::string source_names = config->Get("sources", kDefaultSources);
  std::thread loop;
  server_options.after_start = [&] {
    heartbeat.Beat();
    loop = std::thread([&] {
      vetrack::LogInfo("exchange worker started",
                       {{"sources", source_names}, {"owner", lease.owner()}});
      delivery.Run();
      vetrack::LogInfo("exchange worker stopped");
    });
    return absl::OkStatus();
  };
  // The batch under way is finished (within --timeout-ms), then the lease
  // released, before the process exits.
  server_options.before_stop = [] { stopping = true; };
  server_options.after_drain = [&loop] {
    if (loop.joinable()) loop.join();
  };
  vetrack::ServiceRunner runner(server_options);
  return runner.RunUntilSignalled();
}
