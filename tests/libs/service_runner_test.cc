// The server bootstrap's listening port: one process per port.
#include "server/service_runner.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "prometheus/registry.h"
#include "redis/command_batcher.h"
#include "server/work_queue.h"
#include "status/disclosure.h"
#include "status/grpc_status.h"
#include "testing/ports.h"

namespace vetrack {
namespace {

ServerOptions OnPort(int port) {
  ServerOptions options;
  options.name = "test";
  options.grpc_address = absl::StrCat("127.0.0.1:", port);
  options.metrics_address = "";
  return options;
}

// Answers every call UNAVAILABLE, as a service whose Redis is down; a call
// of .../Advise with words written for the caller.
class FailingService : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    struct Failing : grpc::ServerGenericBidiReactor {
      explicit Failing(grpc::Status status) { Finish(status); }
      void OnDone() override { delete this; }
    };
    if (absl::EndsWith(context->method(), "/Advise")) {
      return new Failing(ToGrpcStatus(
          WrittenForTheCaller(absl::UnavailableError("the catalog is not loaded: retry shortly"))));
    }
    return new Failing(grpc::Status(grpc::StatusCode::UNAVAILABLE, "redis: cannot connect"));
  }
};

// `request_id`: the x-request-id sent, when not empty; `answered_id` gets the
// one the answer carried.
grpc::Status CallGeneric(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                         const std::string& request_id = "", std::string* answered_id = nullptr) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.AddMetadata("x-vetrack-role", "department");  // as the gateway forwards
  context.AddMetadata("x-vetrack-unit", "hrss");
  if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice empty("");  // a ByteBuffer without a slice is not a message
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  grpc::Status status = done.get_future().get();
  if (answered_id != nullptr) {
    auto id = context.GetServerInitialMetadata().find("x-request-id");
    answered_id->clear();
    if (id != context.GetServerInitialMetadata().end()) {
      answered_id->assign(id->second.data(), id->second.size());
    }
  }
  return status;
}

// Found in review: "request failed" named neither the method nor the code,
// and a call the gateway forwarded left no line at all. Every server logs a
// failure of its own, with its method, where every call passes.
TEST(ServiceRunnerTest, ACallFailedByTheServerIsLoggedWithItsMethodAndCode) {
  FailingService service;
  ServiceRunner runner(OnPort(testing::FreePort()));
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  ::testing::internal::CaptureStderr();
  grpc::Status failed =
      CallGeneric(runner.InProcessChannel(), "/vetrack.test.v1.Probe/Write", "gw-1f2e");
  runner.Stop();  // the interceptor has run once the call is drained
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(failed.error_message(), "redis: cannot connect");  // inside the suite, as it is
  EXPECT_NE(log.find(R"("msg":"call failed","method":"/vetrack.test.v1.Probe/Write",)"
                     R"("code":"UNAVAILABLE","error":"redis: cannot connect",)"
                     R"("caller":"department:hrss",)"),
            std::string::npos)
      << log;
  // The id the gateway forwarded, which its own line of the call carries.
  EXPECT_NE(log.find(R"("x_request_id":"gw-1f2e")"), std::string::npos) << log;
}

// Found in review: the gateway passed a service's "redis: cannot connect to
// 127.0.0.1:6380" to other departments' systems. For outside callers the
// cause is logged and the answer carries its reference, unless its words
// were written for the caller.
TEST(ServiceRunnerTest, OutsideCallersGetAReferenceToTheLoggedCauseOfAFault) {
  FailingService service;
  ServerOptions options = OnPort(testing::FreePort());
  options.outside_callers = true;
  ServiceRunner runner(options);
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  ::testing::internal::CaptureStderr();
  std::string answered_id;
  grpc::Status failed =
      CallGeneric(runner.InProcessChannel(), "/vetrack.test.v1.Probe/Write", "", &answered_id);
  // The caller's own id is the reference, when it sent one.
  std::string named_id;
  grpc::Status named = CallGeneric(runner.InProcessChannel(), "/vetrack.test.v1.Probe/Write",
                                   "dept-app:991", &named_id);
  grpc::Status advice = CallGeneric(runner.InProcessChannel(), "/vetrack.test.v1.Probe/Advise");
  runner.Stop();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(failed.error_message().find("redis"), std::string::npos) << failed.error_message();
  const std::string prefix = "the cause is logged under reference ";
  ASSERT_EQ(failed.error_message().rfind(prefix, 0), 0u) << failed.error_message();
  const std::string reference = failed.error_message().substr(prefix.size());
  EXPECT_EQ(answered_id.size(), 16u) << "the answer names its call";
  EXPECT_NE(log.find(R"("error":"redis: cannot connect","peer":)"), std::string::npos) << log;
  EXPECT_NE(log.find(R"("x_request_id":")" + answered_id + R"(","reference":")" + reference + "\""),
            std::string::npos)
      << log;
  // A caller's own id comes back, and is logged beside a reference of the
  // server's: one the caller could choose would be no reference.
  EXPECT_EQ(named_id, "dept-app:991");
  ASSERT_EQ(named.error_message().rfind(prefix, 0), 0u) << named.error_message();
  const std::string named_reference = named.error_message().substr(prefix.size());
  EXPECT_NE(named_reference, "dept-app:991");
  EXPECT_NE(log.find(R"("x_request_id":"dept-app:991","reference":")" + named_reference + "\""),
            std::string::npos)
      << log;
  EXPECT_EQ(advice.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(advice.error_message(), "the catalog is not loaded: retry shortly");
  // Whom an outside caller's metadata names is not logged: anyone can be named.
  EXPECT_EQ(log.find("department:hrss"), std::string::npos) << log;
}

// gRPC's default SO_REUSEPORT would let the second share the port and take
// some of the first one's calls.
TEST(ServiceRunnerTest, ASecondServerOnATakenPortDoesNotStart) {
  const int port = testing::FreePort();
  grpc::CallbackGenericService first_service, second_service;
  ServiceRunner first(OnPort(port));
  first.AddGenericService(&first_service);
  ASSERT_TRUE(first.Start().ok());
  ServiceRunner second(OnPort(port));
  second.AddGenericService(&second_service);
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);
  first.Stop();
}

// A peer closing its end while a service writes (an HTTPS client under
// OpenSSL, Redis under hiredis) must not end the process with SIGPIPE.
TEST(ServiceRunnerTest, AStartedServiceIgnoresSigpipe) {
  signal(SIGPIPE, SIG_DFL);
  grpc::CallbackGenericService service;
  ServiceRunner runner(OnPort(testing::FreePort()));
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  struct sigaction current {};
  sigaction(SIGPIPE, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_IGN);
  runner.Stop();
}

// Found in review: gRPC's health service starts SERVING, and a service said
// so from the moment it listened until its first probe of the store (seconds,
// when Redis does not answer): a probe then took an unready pod for ready.
TEST(ServiceRunnerTest, HealthIsNotServingUntilTheStoreFirstAnswers) {
  grpc::CallbackGenericService service;
  ServerOptions options = OnPort(testing::FreePort());
  ServiceRunner* runner_seen = nullptr;
  grpc::health::v1::HealthCheckResponse::ServingStatus during_first_probe =
      grpc::health::v1::HealthCheckResponse::UNKNOWN;
  options.readiness = [&]() -> absl::Status {
    if (during_first_probe == grpc::health::v1::HealthCheckResponse::UNKNOWN) {
      auto health = grpc::health::v1::Health::NewStub(runner_seen->InProcessChannel());
      grpc::ClientContext context;
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      EXPECT_TRUE(health->Check(&context, request, &response).ok());
      during_first_probe = response.status();
    }
    return absl::OkStatus();
  };
  ServiceRunner runner(options);
  runner_seen = &runner;
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(during_first_probe, grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  auto health = grpc::health::v1::Health::NewStub(runner.InProcessChannel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  runner.Stop();
}

grpc::health::v1::HealthCheckResponse::ServingStatus HealthOf(ServiceRunner& runner,
                                                              const std::string& service) {
  auto health = grpc::health::v1::Health::NewStub(runner.InProcessChannel());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_TRUE(health->Check(&context, request, &response).ok());
  return response.status();
}

// A process whose work is a loop of its own (the exchange) says when the loop
// has stalled: liveness follows `alive`, readiness stays the store's.
TEST(ServiceRunnerTest, LivenessFollowsAliveAndReadinessTheStore) {
  using Status = grpc::health::v1::HealthCheckResponse;
  grpc::CallbackGenericService service;
  ServerOptions options = OnPort(testing::FreePort());
  options.probe_interval = absl::Milliseconds(20);
  std::atomic<bool> alive{true};
  options.alive = [&] { return alive.load(); };
  ServiceRunner runner(options);
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(HealthOf(runner, kLivenessHealthService), Status::SERVING);
  EXPECT_EQ(HealthOf(runner, ""), Status::SERVING);

  alive = false;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (HealthOf(runner, kLivenessHealthService) != Status::NOT_SERVING && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(HealthOf(runner, kLivenessHealthService), Status::NOT_SERVING);
  EXPECT_EQ(HealthOf(runner, ""), Status::SERVING);

  alive = true;
  while (HealthOf(runner, kLivenessHealthService) != Status::SERVING && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(HealthOf(runner, kLivenessHealthService), Status::SERVING);
  runner.Stop();
}

// on_probe runs on the probe thread after health is set: work that takes
// its time (the gateway's units read from hung backends) holds up neither
// the health answer nor, once stopping, the drain.
TEST(ServiceRunnerTest, OnProbeRunsAfterHealthIsSetAndNotOnceStopping) {
  using Status = grpc::health::v1::HealthCheckResponse;
  grpc::CallbackGenericService service;
  ServerOptions options = OnPort(testing::FreePort());
  options.probe_interval = absl::Milliseconds(20);
  std::atomic<bool> ready{false};
  std::atomic<int> probes{0};
  std::promise<void> first_probe;
  options.readiness = [&]() -> absl::Status {
    return ready ? absl::OkStatus() : absl::UnavailableError("not yet");
  };
  options.on_probe = [&] {
    if (probes++ == 0) first_probe.set_value();
  };
  ServiceRunner runner(options);
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  ASSERT_EQ(first_probe.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ready = true;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (HealthOf(runner, "") != Status::SERVING && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(HealthOf(runner, ""), Status::SERVING);
  runner.Stop();
  const int after_stop = probes.load();
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(probes.load(), after_stop);
}

// Clients that keep one connection through a Kubernetes ClusterIP are asked
// to reconnect after max_connection_age, so replicas added later get calls.
// Checked in review: the in-process channel (the gateway's HTTP front end and
// probes call through it) is not closed by the age.
TEST(ServiceRunnerTest, ConnectionsAreRenewedAtTheirAgeAndTheInProcessChannelLives) {
  grpc::CallbackGenericService service;
  const int port = testing::FreePort();
  ServerOptions options = OnPort(port);
  options.max_connection_age = absl::Seconds(1);
  options.max_connection_age_grace = absl::Milliseconds(100);
  ServiceRunner runner(options);
  runner.AddGenericService(&service);
  ASSERT_TRUE(runner.Start().ok());
  auto check = [](const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    return grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response);
  };
  auto tcp =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
  auto in_process = runner.InProcessChannel();
  ASSERT_TRUE(check(tcp).ok());
  ASSERT_TRUE(check(in_process).ok());
  EXPECT_EQ(tcp->GetState(false), GRPC_CHANNEL_READY);
  // The age (jittered by up to a tenth) and its grace, with room.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_NE(tcp->GetState(false), GRPC_CHANNEL_READY) << "the connection was not renewed";
  EXPECT_TRUE(check(tcp).ok());  // reconnected
  grpc::Status later = check(in_process);
  EXPECT_TRUE(later.ok()) << later.error_message();
  runner.Stop();
}

double GaugeNamed(prometheus::Registry& registry, const std::string& name) {
  for (const auto& family : registry.Collect()) {
    if (family.name == name) return family.metric.at(0).gauge.value;
  }
  return -100;
}

bool WaitUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) absl::SleepFor(absl::Milliseconds(10));
  return done();
}

// Found in review: nothing checked that Redis keeps what it acknowledges; a
// restore into a managed instance can bring appendfsync everysec.
class StoreDurabilityTest : public ::testing::Test {
 protected:
  StoreDurabilityTest() : options_(OnPort(testing::FreePort())) {
    options_.registry = std::make_shared<prometheus::Registry>();
    options_.probe_interval = absl::Milliseconds(5);
    options_.readiness = [this] {
      if (ready_) return absl::OkStatus();
      ++probed_while_down_;
      return absl::UnavailableError("store down");
    };
    options_.durability = [this] {
      ++asked_;
      return durable_ ? absl::OkStatus() : absl::FailedPreconditionError("appendfsync everysec");
    };
  }
  double Gauge() { return GaugeNamed(*options_.registry, "vetrack_store_durable"); }
  double Ready() { return GaugeNamed(*options_.registry, "vetrack_ready"); }

  ServerOptions options_;
  grpc::CallbackGenericService service_;
  std::atomic<bool> ready_{true};
  std::atomic<bool> durable_{false};
  std::atomic<int> asked_{0};
  std::atomic<int> probed_while_down_{0};
};

TEST_F(StoreDurabilityTest, AskedWhenReadinessTurnsOkAndExported) {
  options_.durability_interval = absl::Hours(1);
  ServiceRunner runner(options_);
  runner.AddGenericService(&service_);
  EXPECT_EQ(Gauge(), -1);  // not asked yet
  EXPECT_EQ(Ready(), 0);   // not serving before it starts
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(asked_, 1);
  EXPECT_EQ(Gauge(), 0);
  EXPECT_EQ(Ready(), 1);
  absl::SleepFor(absl::Milliseconds(50));  // about ten probes, all ready
  EXPECT_EQ(asked_, 1);

  // An outage, then the store is back (restored, say, with its settings
  // mended): asked again. While it is down the service says so in its
  // metrics, which are still scraped when no call reaches it.
  ready_ = false;
  ASSERT_TRUE(WaitUntil([&] { return probed_while_down_ > 0; }));
  EXPECT_TRUE(WaitUntil([&] { return Ready() == 0; }));
  durable_ = true;
  ready_ = true;
  EXPECT_TRUE(WaitUntil([&] { return asked_ == 2; })) << asked_;
  EXPECT_TRUE(WaitUntil([&] { return Gauge() == 1; }));
  EXPECT_TRUE(WaitUntil([&] { return Ready() == 1; }));
  runner.Stop();
  EXPECT_EQ(Ready(), 0);
}

TEST_F(StoreDurabilityTest, AskedAgainWhileReadyEveryInterval) {
  options_.durability_interval = absl::Milliseconds(20);
  ServiceRunner runner(options_);
  runner.AddGenericService(&service_);
  ASSERT_TRUE(runner.Start().ok());
  EXPECT_EQ(Gauge(), 0);
  durable_ = true;  // a parameter mended in the console, no outage
  EXPECT_TRUE(WaitUntil([&] { return Gauge() == 1; }));
  EXPECT_EQ(probed_while_down_, 0);
  runner.Stop();
}

bool ShutdownSignalsBlockedHere() {
  sigset_t current;
  pthread_sigmask(SIG_BLOCK, nullptr, &current);
  return sigismember(&current, SIGTERM) == 1 && sigismember(&current, SIGINT) == 1;
}

// Found in review: a Redis client's batcher and a work queue start in main,
// before RunUntilSignalled blocks SIGTERM; the kernel could hand SIGTERM to
// one of them, whose default action ends the process mid-drain.
TEST(ServiceRunnerTest, ThreadsTheLibrariesStartLeaveShutdownSignalsToTheRunner) {
  ASSERT_FALSE(ShutdownSignalsBlockedHere());  // gtest's main thread: as a service's main

  WorkQueue queue(1);
  std::promise<bool> on_queue;
  queue.Post([&on_queue] { on_queue.set_value(ShutdownSignalsBlockedHere()); });
  EXPECT_TRUE(on_queue.get_future().get());

  redis::Options nowhere;
  nowhere.port = testing::FreePort();  // nobody listens: the reply is a failure
  redis::CommandBatcher batcher(nowhere);
  std::promise<bool> on_batcher;
  batcher.RunAsync({"PING"}, [&on_batcher](absl::StatusOr<redis::Reply>) {
    on_batcher.set_value(ShutdownSignalsBlockedHere());
  });
  EXPECT_TRUE(on_batcher.get_future().get());
  EXPECT_FALSE(ShutdownSignalsBlockedHere());
}

}  // namespace
}  // namespace vetrack
