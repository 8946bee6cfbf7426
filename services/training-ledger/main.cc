// training-ledger: wires config, Redis, school reporting, the domain and the
// gRPC edge together.
#include <iostream>

#include "clock/clock.h"
#include "grpc_school_sources.h"
#include "grpc_service.h"
#include "redis/durability.h"
#include "redis/redis_client.h"
#include "redis_ledger_store.h"
#include "rpc/service_channel.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "server/signals.h"
#include "training_ledger.h"

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
  vetrack::ledger::RedisLedgerStore store(redis, config->Get("redis-prefix", "vt:tl:"));
  vetrack::SystemClock clock;
  vetrack::ledger::GrpcSchoolReporting schools(
      vetrack::ServiceChannel(config->Get("schools", "127.0.0.1:50052")), clock);
  vetrack::ledger::LedgerOptions options;
  options.import_batch_size = config->GetInt("import-batch", options.import_batch_size);
  options.import_writers = config->GetInt("import-writers", options.import_writers);
  options.first_year = config->GetInt("first-year", options.first_year);
  if (absl::Status checked = vetrack::ledger::CheckLedgerOptions(options); !checked.ok()) {
    std::cerr << "--" << checked.message() << "\n";
    return 2;
  }
  vetrack::ledger::TrainingLedger ledger(store, schools, schools, clock, options);
  vetrack::ledger::TrainingLedgerGrpcService service(ledger);

  vetrack::ServerOptions server_options;
  server_options.name = "training-ledger";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50053");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9103");
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  if (!config->EveryFlagWasRead()) return 2;
  server_options.readiness = [&store] { return store.Ping(); };
  server_options.durability = [&redis] { return vetrack::redis::CheckDurable(redis); };
  vetrack::ServiceRunner runner(server_options);
  runner.AddService(&service);
  return runner.RunUntilSignalled();
}
