// task-registry: wires config, Redis, the domain and the gRPC edge together.
#include <iostream>

#include "cached_task_store.h"
#include "clock/clock.h"
#include "grpc_service.h"
#include "redis/durability.h"
#include "redis/redis_client.h"
#include "redis_task_store.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "server/signals.h"
#include "server/work_queue.h"
#include "task_registry.h"

int main(int argc, char** argv) {
  // First: the threads started below (Redis, channels, queues) inherit it,
  // and SIGTERM is left to ServiceRunner::RunUntilSignalled.
  vetrack::BlockShutdownSignals();
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  vetrack::redis::Client redis(config->RedisOptions());
  vetrack::tasks::RedisTaskStore redis_store(redis, config->Get("redis-prefix", "vt:tr:"));
  vetrack::SystemClock clock;
  vetrack::tasks::CachedTaskStore store(
      redis_store, clock, absl::Milliseconds(config->GetInt("catalog-cache-ms", 1000)));
  vetrack::tasks::RegistryOptions options;
  options.grace_after_quarter = absl::Hours(24 * config->GetInt("grace-days", 10));
  options.escalation.remind_before = absl::Hours(24 * config->GetInt("remind-days", 7));
  options.escalation.red_after = absl::Hours(24 * config->GetInt("red-after-days", 30));
  options.escalation.red_after_returns = config->GetInt("red-after-returns", 2);
  // FileProgressAsync's careful path reads before it writes: it runs here,
  // not on gRPC's callback threads. Every piece of work answers a call, and
  // the server has answered them all when RunUntilSignalled returns.
  vetrack::WorkQueue blocking_work(config->GetInt("blocking-threads", 8, 1));
  options.run_blocking = [&blocking_work](std::function<void()> work) {
    blocking_work.Post(std::move(work));
  };
  vetrack::tasks::TaskRegistry registry(store, clock, options);
  vetrack::tasks::TaskRegistryGrpcService service(registry);

  vetrack::ServerOptions server_options;
  server_options.name = "task-registry";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50051");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9101");
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  if (!config->EveryFlagWasRead()) return 2;
  server_options.readiness = [&store] { return store.Ping(); };
  server_options.durability = [&redis] { return vetrack::redis::CheckDurable(redis); };
  vetrack::ServiceRunner runner(server_options);
  runner.AddService(&service);
  return runner.RunUntilSignalled();
}
