// evaluation: wires config, Redis, the sources, the domain and the gRPC edge.
#include <iostream>

#include "clock/clock.h"
#include "evaluation.h"
#include "grpc_service.h"
#include "grpc_sources.h"
#include "redis/durability.h"
#include "redis/redis_client.h"
#include "redis_evaluation_store.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "server/signals.h"

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
  vetrack::evaluation::RedisEvaluationStore store(redis, config->Get("redis-prefix", "vt:ev:"));
  vetrack::evaluation::GrpcEvaluationSources sources(
      config->Get("schools", "127.0.0.1:50052"), config->Get("ledger", "127.0.0.1:50053"),
      config->Get("tasks", "127.0.0.1:50051"), config->Get("plan", "jiangjin-vet-2021"));
  vetrack::SystemClock clock;
  vetrack::evaluation::EvaluationOptions options;
  options.plan_start_year = config->GetInt("plan-start-year", options.plan_start_year);
  options.horizon_end_year = config->GetInt("horizon-end-year", options.horizon_end_year);
  vetrack::evaluation::Evaluation evaluation(store, sources, clock, options);
  vetrack::evaluation::EvaluationGrpcService service(evaluation);

  vetrack::ServerOptions server_options;
  server_options.name = "evaluation";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50054");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9104");
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  if (!config->EveryFlagWasRead()) return 2;
  server_options.readiness = [&store] { return store.Ping(); };
  server_options.durability = [&redis] { return vetrack::redis::CheckDurable(redis); };
  vetrack::ServiceRunner runner(server_options);
  runner.AddService(&service);
  return runner.RunUntilSignalled();
}
