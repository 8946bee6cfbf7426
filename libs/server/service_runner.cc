#include "server/service_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "log/log.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "server/metrics.h"
#include "server/signals.h"

namespace vetrack {
void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

ServiceRunner::ServiceRunner(ServerOptions options)
    : options_((DisableMutexDeadlockDetection(), std::move(options))),
      registry_(options_.registry ? options_.registry : std::make_shared<prometheus::Registry>()),
      metrics_(std::make_unique<GrpcServerMetrics>(*registry_)),
      ready_(&prometheus::BuildGauge()
                  .Name("vetrack_ready")
                  .Help("1: the service reports SERVING (its store answers); 0: NOT_SERVING")
                  .Register(*registry_)
                  .Add({})) {
  if (options_.durability) {
    store_durable_ = &prometheus::BuildGauge()
                          .Name("vetrack_store_durable")
                          .Help(
                              "1: the store keeps what it acknowledges through a crash; 0: it "
                              "does not; -1: it could not be asked")
                          .Register(*registry_)
                          .Add({});
    store_durable_->Set(-1);
  }
}

ServiceRunner::~ServiceRunner() { Stop(); }

void ServiceRunner::AddService(grpc::Service* service) { services_.push_back(service); }

void ServiceRunner::AddGenericService(grpc::CallbackGenericService* service) {
  generic_service_ = service;
}

std::shared_ptr<grpc::Channel> ServiceRunner::InProcessChannel() {
  grpc::ChannelArguments args;
  return server_->InProcessChannel(args);
}

absl::Status ServiceRunner::Start() {
  // A peer that closes its end while we write (an HTTPS client, OpenSSL
  // writing without MSG_NOSIGNAL; Redis going away under hiredis's write())
  // must cost that connection an error, not end the process.
  signal(SIGPIPE, SIG_IGN);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      options_.grpc_address,
      options_.credentials ? options_.credentials : grpc::InsecureServerCredentials(), &port_);
  // The synchronous server handles each call on a poller thread. With the
  // default (at most 2 idle pollers) it creates and destroys a thread for
  // nearly every call under concurrent load; keep enough threads alive.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS,
                              options_.min_pollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options_.max_pollers);
  // gRPC binds with SO_REUSEPORT by default: a second process on the same
  // port (a stale copy, another checkout's `make run`) would share it and take
  // some of its calls instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.max_connection_age)));
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
      static_cast<int>(absl::ToInt64Milliseconds(options_.max_connection_age_grace)));
  for (grpc::Service* service : services_) builder.RegisterService(service);
  if (generic_service_ != nullptr) builder.RegisterCallbackGenericService(generic_service_);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(MakeMetricsInterceptorFactory(metrics_.get(), options_.outside_callers));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.grpc_address));
  }
  // gRPC's health service starts SERVING; the store has not been asked yet,
  // and the first probe can take seconds when it is unreachable.
  server_->GetHealthCheckService()->SetServingStatus("", false);
  if (!options_.metrics_address.empty()) {
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(options_.metrics_address);
      exposer_->RegisterCollectable(registry_);
    } catch (const std::exception& e) {
      server_->Shutdown();
      server_.reset();
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", options_.metrics_address, ": ", e.what()));
    }
  }
  if (options_.after_start) {
    if (absl::Status started = options_.after_start(); !started.ok()) {
      server_->Shutdown();
      server_.reset();
      exposer_.reset();
      return started;
    }
  }
  SetAlive(!options_.alive || options_.alive());
  SetServing(Probe());
  probe_thread_ = std::thread([this] { ProbeLoop(); });
  LogInfo("serving", {{"service", options_.name},
                      {"grpc_port", std::to_string(port_)},
                      {"metrics", options_.metrics_address}});
  return absl::OkStatus();
}

void ServiceRunner::SetServing(bool serving) {
  if (server_ == nullptr) return;
  // Going down takes every name down; readiness moves only the overall one.
  if (stopping_) {
    server_->GetHealthCheckService()->SetServingStatus(false);
  } else {
    server_->GetHealthCheckService()->SetServingStatus("", serving);
  }
  ready_->Set(serving && !stopping_ ? 1 : 0);
  if (serving != serving_) {
    LogInfo(serving ? "health: SERVING" : "health: NOT_SERVING", {{"service", options_.name}});
    serving_ = serving;
  }
}

void ServiceRunner::SetAlive(bool alive) {
  if (server_ == nullptr || stopping_) return;
  server_->GetHealthCheckService()->SetServingStatus(kLivenessHealthService, alive);
  if (alive != alive_) {
    if (alive) {
      LogInfo("liveness: SERVING", {{"service", options_.name}});
    } else {
      LogError("liveness: NOT_SERVING (the process's own work has stalled)",
               {{"service", options_.name}});
    }
    alive_ = alive;
  }
}

bool ServiceRunner::stopping() {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

bool ServiceRunner::Probe() {
  const bool ready = !options_.readiness || options_.readiness().ok();
  const auto now = std::chrono::steady_clock::now();
  const bool due = !was_ready_ || now - durability_asked_ >=
                                      absl::ToChronoNanoseconds(options_.durability_interval);
  // Each ask can wait for Redis; the drain waits for this thread.
  if (ready && due && options_.durability && !stopping()) {
    durability_asked_ = now;
    absl::Status durable = options_.durability();
    store_durable_->Set(durable.ok() ? 1 : absl::IsFailedPrecondition(durable) ? 0 : -1);
    if (!durable.ok()) {
      LogWarn(
          absl::IsFailedPrecondition(durable) ? "store not durable" : "store durability not known",
          {{"service", options_.name}, {"error", std::string(durable.message())}});
    }
  }
  was_ready_ = ready;
  return ready;
}

void ServiceRunner::ProbeLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    stop_probe_.wait_for(lock, absl::ToChronoMilliseconds(options_.probe_interval),
                         [&] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    bool ready = Probe();
    const bool alive = !options_.alive || options_.alive();
    lock.lock();
    if (!stopping_) {
      SetAlive(alive);
      SetServing(ready);
    }
    // After the health answer, which it must not hold up; not once stopping.
    if (options_.on_probe && !stopping_) {
      lock.unlock();
      options_.on_probe();
      lock.lock();
    }
  }
}

void ServiceRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && server_ == nullptr) return;
    stopping_ = true;
    // Health first, so load balancers stop sending before the drain begins.
    SetServing(false);
  }
  // Before waiting for a probe under way (a Redis call, up to its timeout):
  // what it stops (an HTTP server accepting, a work loop's next step) stops
  // at once.
  if (server_ != nullptr && options_.before_stop) options_.before_stop();
  stop_probe_.notify_all();
  if (probe_thread_.joinable()) probe_thread_.join();
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(options_.drain_timeout));
    server_->Wait();
    if (options_.after_drain) options_.after_drain();
    server_.reset();
    LogInfo("drained", {{"service", options_.name}});
  }
  exposer_.reset();
}

int ServiceRunner::RunUntilSignalled() {
  // Block the signals (the threads started from here on inherit the mask;
  // main blocked them before it started any), then take them synchronously
  // here: no async-signal-safety puzzles.
  BlockShutdownSignals();
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);

  absl::Status started = Start();
  if (!started.ok()) {
    LogError("cannot start", {{"service", options_.name}, {"error", started.ToString()}});
    return 1;
  }
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  LogInfo("shutting down", {{"service", options_.name},
                            {"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Stop();
  LogInfo("stopped", {{"service", options_.name}});
  return 0;
}

}  // namespace vetrack
