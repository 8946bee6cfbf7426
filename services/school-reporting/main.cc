// school-reporting: wires config, Redis, the domain and the gRPC edge together.
#include <iostream>

#include "clock/clock.h"
#include "grpc_service.h"
#include "log/log.h"
#include "redis/durability.h"
#include "redis/redis_client.h"
#include "redis_school_store.h"
#include "registry_departments.h"
#include "school_reporting.h"
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
  vetrack::schools::RedisSchoolStore store(redis, config->Get("redis-prefix", "vt:sr:"));
  vetrack::SystemClock clock;
  vetrack::schools::ReportingOptions options;
  options.periods.first_year = config->GetInt("first-year", 2021);
  options.periods.data_close_after = absl::Hours(24 * config->GetInt("data-close-days", 30));
  // Renamed in session 28 (days closed a leap year's report a day early): an
  // old setting must not be dropped unnoticed, by flag or by environment.
  if (!config->Get("quality-close-days", "").empty()) {
    std::cerr << "--quality-close-days is now --quality-close-months (whole months after the "
                 "year ends; 3 closes at the end of March)\n";
    return 2;
  }
  options.periods.quality_close_months = config->GetInt("quality-close-months", 3, 1);
  if (options.periods.quality_close_months > 12) {
    std::cerr << "--quality-close-months is at most 12\n";
    return 2;
  }
  options.warn_change_share = config->GetInt("warn-change-percent", 30) / 100.0;
  // The task registry, whose departments' codes no new institution may take.
  if (const std::string tasks = config->Get("tasks", ""); !tasks.empty()) {
    options.department_codes = vetrack::schools::RegistryDepartmentCodes(tasks);
  } else {
    vetrack::LogWarn(
        "no --tasks: new institutions' codes are not checked against the district's departments");
  }
  vetrack::schools::SchoolReporting reporting(store, clock, options);
  vetrack::schools::SchoolReportingGrpcService service(reporting);

  vetrack::ServerOptions server_options;
  server_options.name = "school-reporting";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50052");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9102");
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  if (!config->EveryFlagWasRead()) return 2;
  server_options.readiness = [&store] { return store.Ping(); };
  server_options.durability = [&redis] { return vetrack::redis::CheckDurable(redis); };
  vetrack::ServiceRunner runner(server_options);
  runner.AddService(&service);
  return runner.RunUntilSignalled();
}
