#ifndef VETRACK_LIBS_SERVER_SERVICE_RUNNER_H_
#define VETRACK_LIBS_SERVER_SERVICE_RUNNER_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace prometheus {
class Exposer;
class Gauge;
class Registry;
}  // namespace prometheus

namespace vetrack {

class GrpcServerMetrics;

// Debian's Abseil checks for deadlocks on every absl::Mutex (gRPC takes many
// per call) by keeping a lock graph: a debugging aid too costly under load.
// ServiceRunner turns it off; so must any other process that runs gRPC under
// load (the bench tools), or it measures the graph.
void DisableMutexDeadlockDetection();

struct ServerOptions {
  // For logs, e.g. "task-registry".
  std::string name;
  // host:port for gRPC; port 0 picks a free one.
  std::string grpc_address = "0.0.0.0:50051";
  // host:port for Prometheus /metrics; empty disables it.
  std::string metrics_address = "0.0.0.0:9101";
  // Whether the callers are outside the suite (the gateway's: other
  // departments' systems). Their metadata names no caller worth logging (it
  // could name anyone), and a failure by the server's fault reaches them with
  // a reference to its logged cause, not the cause (status/disclosure.h).
  bool outside_callers = false;
  // How long in-flight calls get to finish after SIGTERM.
  absl::Duration drain_timeout = absl::Seconds(10);
  // Checked every probe_interval; health is SERVING only while it is OK
  // (e.g. the store answers a PING).
  std::function<absl::Status()> readiness;
  // Checked every probe_interval beside readiness: kLivenessHealthService is
  // NOT_SERVING while it answers false, so kubelet restarts the process. For a
  // process whose work is a loop of its own (the exchange's deliveries),
  // which could stall while the server still answers. Null: alive until
  // shutdown.
  std::function<bool()> alive;
  absl::Duration probe_interval = absl::Seconds(1);
  // Run on the probe thread every probe_interval, from the first interval
  // after start, after the health status is set and not once stopping: what
  // a process reads ahead of its callers, so that none of them waits for it
  // or is refused while it is missing (the gateway reads the units tokens may
  // name). It delays the next probe and the drain by as long as it takes, so
  // it should be bounded by a deadline. Null: nothing.
  std::function<void()> on_probe;
  // Whether the store keeps what it acknowledges. Asked whenever readiness
  // turns OK (at start, and after an outage that may have been a restore
  // bringing other settings), and every durability_interval while it stays
  // OK (a parameter changed in a console, a failover). An error is logged as
  // a warning and exported as vetrack_store_durable 0 (FAILED_PRECONDITION:
  // it does not) or -1 (it could not be asked), 1 when OK, for an alert;
  // serving goes on. Not asked once shutdown has begun (an ask under way
  // then is waited for, within its Redis timeouts).
  std::function<absl::Status()> durability;
  absl::Duration durability_interval = absl::Minutes(10);
  // Poller threads of the synchronous server kept alive between calls.
  int min_pollers = 4;
  int max_pollers = 64;
  // A client connection is asked to reconnect (GOAWAY) after this long, and
  // its calls get the grace to finish: clients that reach the service through
  // a Kubernetes ClusterIP keep one connection, to one pod, and without this
  // replicas added later would get none of their calls.
  absl::Duration max_connection_age = absl::Minutes(5);
  absl::Duration max_connection_age_grace = absl::Minutes(10);
  // Transport security of the gRPC port; null: plaintext (local use).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Run once the gRPC server listens (e.g. to start a companion HTTP server
  // on InProcessChannel()); an error stops the start. before_stop runs first
  // thing on shutdown (before a probe under way is waited for), before the drain (e.g. to stop that
  // server accepting); after_drain once every call has ended or been cancelled at the drain's
  // deadline, while the server still exists (to wait for that server's last
  // requests, whose calls the drain ended).
  std::function<absl::Status()> after_start;
  std::function<void()> before_stop;
  std::function<void()> after_drain;
  // Where a service's own series go, exported beside grpc_server_*; null:
  // the runner makes a registry of its own.
  std::shared_ptr<prometheus::Registry> registry;
};

// The gRPC health service name that answers whether the process itself is
// alive, whatever its store does: a liveness probe asks this one, so an
// outage of Redis takes pods out of load balancing (the overall status, "")
// without kubelet restarting them in a loop, which could not bring Redis back.
inline constexpr char kLivenessHealthService[] = "liveness";

// What every vetrack process does around its services: gRPC health (overall:
// tracking readiness; kLivenessHealthService: SERVING until shutdown), server
// reflection, Prometheus metrics, JSON logs, and on SIGTERM or SIGINT:
// NOT_SERVING, drain, Shutdown(deadline).
class ServiceRunner {
 public:
  explicit ServiceRunner(ServerOptions options);
  ~ServiceRunner();

  void AddService(grpc::Service* service);
  // Receives every method no registered service implements (a proxy).
  void AddGenericService(grpc::CallbackGenericService* service);
  // A channel to this server that skips the network and its credentials;
  // valid between Start and Stop.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Starts serving; blocks until SIGTERM/SIGINT, then drains. Returns the
  // process exit code. Threads started before it must block those signals
  // (BlockShutdownSignals: the libraries' own threads do).
  int RunUntilSignalled();

  // For tests that host a service in-process.
  absl::Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  void ProbeLoop();
  // Asks readiness, and durability when it is due; the readiness answer.
  bool Probe();
  bool stopping();
  void SetServing(bool serving);
  void SetAlive(bool alive);

  ServerOptions options_;
  std::vector<grpc::Service*> services_;
  grpc::CallbackGenericService* generic_service_ = nullptr;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<GrpcServerMetrics> metrics_;
  prometheus::Gauge* store_durable_ = nullptr;
  // 1 while the overall health is SERVING: when the store is down every pod
  // leaves its endpoints, no call arrives, and an alert on failed calls stays
  // quiet (found in review), but the metrics are still scraped.
  prometheus::Gauge* ready_ = nullptr;
  // The last readiness answer and when durability was last asked; only the
  // thread that probes touches them (Start's first probe comes before it).
  bool was_ready_ = false;
  // Steady: a wall clock set back would hold the next ask off.
  std::chrono::steady_clock::time_point durability_asked_{};
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  std::mutex mu_;
  std::condition_variable stop_probe_;
  bool stopping_ = false;
  bool serving_ = false;
  bool alive_ = true;
  std::thread probe_thread_;
};

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_SERVICE_RUNNER_H_
