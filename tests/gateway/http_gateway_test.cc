// The HTTP front end on its own, before an in-process gRPC server: the probe
// listener (/healthz and /livez answer while clients hold every worker of the
// API listener, or kubelet would restart a busy pod), and what it makes of
// the answers of calls.
#include "http_gateway.h"

#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "routes.h"
#include "server/service_runner.h"
#include "testing/ports.h"

namespace vetrack::gateway {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A TCP connection that sends the start of a request and never finishes it,
// so the server's worker waits on it until its read timeout.
class StalledClient {
 public:
  explicit StalledClient(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr = Loopback(port);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    const char partial[] = "GET /v1/overview HTTP/1.1\r\nHost: x\r\n";
    connected_ = connected_ && write(fd_, partial, sizeof(partial) - 1) > 0;
  }
  ~StalledClient() { close(fd_); }
  StalledClient(const StalledClient&) = delete;
  StalledClient& operator=(const StalledClient&) = delete;
  bool connected() const { return connected_; }

 private:
  int fd_;
  bool connected_ = false;
};

// Leaves a server-side connection of `port` in TIME_WAIT, as a Redis killed
// at the end of a test (or any server that closed first) does: a listener
// with SO_REUSEADDR accepts one connection and closes it before the client.
void LeaveTimeWait(int port) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  sockaddr_in addr = Loopback(port);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  int accepted = accept(listener, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  close(accepted);
  char byte;
  EXPECT_EQ(read(client, &byte, 1), 0);  // the server's FIN
  close(client);
  close(listener);
}

// Ends every call OK without a message: a unary call's answer lost on the way
// (once seen in CI as a 200 with an empty body, while a gateway shut down).
class WordlessService final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { Finish(grpc::Status::OK); }
      void OnDone() override { delete this; }
    };
    return new Reactor;
  }
};

class HttpGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    // A server needs a service of its own beside health to start.
    builder.RegisterCallbackGenericService(&wordless_);
    grpc_server_ = builder.BuildAndStart();
    ASSERT_NE(grpc_server_, nullptr);
    grpc_server_->GetHealthCheckService()->SetServingStatus("", true);
    grpc_server_->GetHealthCheckService()->SetServingStatus(kLivenessHealthService, true);
    api_port_ = testing::FreePort();
    probe_port_ = testing::FreePort();
  }
  void TearDown() override {
    stalled_.clear();  // the held workers see the end of their connection
    if (http_ != nullptr) http_->Stop();
    grpc_server_->Shutdown();
  }

  void StartHttp(bool with_probe_listener) {
    HttpOptions options;
    options.listen = absl::StrCat("127.0.0.1:", api_port_);
    if (with_probe_listener) options.probe_listen = absl::StrCat("127.0.0.1:", probe_port_);
    options.threads = 2;
    // Long enough that the stalled clients hold the workers for the whole test.
    options.read_timeout = absl::Seconds(60);
    http_ = std::make_unique<HttpGateway>(routes_, grpc_server_->InProcessChannel({}), options);
    ASSERT_TRUE(http_->Start().ok());
  }

  // Holds both API workers; checks that the API listener no longer answers.
  void HoldEveryApiWorker() {
    for (int i = 0; i < 2; ++i) {
      stalled_.push_back(std::make_unique<StalledClient>(api_port_));
      ASSERT_TRUE(stalled_.back()->connected());
    }
    httplib::Client api("127.0.0.1", api_port_);
    api.set_read_timeout(1, 0);
    EXPECT_FALSE(api.Get("/livez")) << "the API listener should have no worker free";
  }

  httplib::Result ProbeGet(const char* path) {
    httplib::Client probe("127.0.0.1", probe_port_);
    probe.set_read_timeout(20, 0);
    return probe.Get(path);
  }

  RouteTable routes_ = RouteTable::Build();
  WordlessService wordless_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<HttpGateway> http_;
  std::vector<std::unique_ptr<StalledClient>> stalled_;
  int api_port_ = 0;
  int probe_port_ = 0;
};

TEST_F(HttpGatewayTest, ProbesAnswerWhileClientsHoldEveryApiWorker) {
  StartHttp(/*with_probe_listener=*/true);
  HoldEveryApiWorker();

  auto live = ProbeGet("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
  EXPECT_EQ(live->body, "SERVING\n");
  auto ready = ProbeGet("/healthz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);

  // The probe listener serves probes only, and takes no body past 4 KiB.
  auto api = ProbeGet("/v1/overview");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 404);
  httplib::Client probe("127.0.0.1", probe_port_);
  auto posted = probe.Post("/livez", std::string(8192, 'x'), "text/plain");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 413);
}

TEST_F(HttpGatewayTest, ReadinessFollowsTheGrpcHealthOnTheProbeListener) {
  StartHttp(/*with_probe_listener=*/true);
  grpc_server_->GetHealthCheckService()->SetServingStatus("", false);
  auto ready = ProbeGet("/healthz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  auto live = ProbeGet("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
}

TEST_F(HttpGatewayTest, WithoutAProbeListenerProbesShareTheApiListener) {
  StartHttp(/*with_probe_listener=*/false);
  httplib::Client api("127.0.0.1", api_port_);
  api.set_read_timeout(20, 0);
  auto live = api.Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200);
}

// cpp-httplib's own socket options (SO_REUSEPORT alone on Linux) would fail
// the first and let the second through.
TEST_F(HttpGatewayTest, APortLeftInTimeWaitIsTakenAndAPortInUseIsRefused) {
  LeaveTimeWait(api_port_);
  StartHttp(false);
  HttpOptions options;
  options.listen = absl::StrCat("127.0.0.1:", api_port_);
  HttpGateway second(routes_, grpc_server_->InProcessChannel({}), options);
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);
}

TEST_F(HttpGatewayTest, AUnaryCallEndedOkWithoutItsAnswerIsAnError) {
  StartHttp(/*with_probe_listener=*/false);
  httplib::Client api("127.0.0.1", api_port_);
  api.set_read_timeout(20, 0);
  auto answered = api.Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask",
                           R"({"name": "plans/jiangjin-vet-2021/tasks/6"})", "application/json");
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 500) << answered->body;
  EXPECT_NE(answered->body.find("answered 0 messages, not 1"), std::string::npos) << answered->body;
}

TEST_F(HttpGatewayTest, ABadProbeAddressIsRefusedByName) {
  HttpOptions options;
  options.listen = absl::StrCat("127.0.0.1:", api_port_);
  options.probe_listen = "127.0.0.1";
  HttpGateway http(routes_, grpc_server_->InProcessChannel({}), options);
  absl::Status started = http.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(started.message().find("http-probe-listen"), std::string::npos) << started;
}

}  // namespace
}  // namespace vetrack::gateway
