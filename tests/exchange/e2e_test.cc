// The real exchange binary, killed in the middle of a batch, loses nothing.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "outbox_store.h"
#include "test_receiver.h"
#include "testing/redis_server.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "exchange-e2e-secret-0123456789abcdef";

class ExchangeE2eTest : public ::testing::Test {
 protected:
  ExchangeE2eTest() : client_(redis_.options()), receiver_(kSecret) {
    char dir[] = "/tmp/vt-exchange-XXXXXX";
    dir_ = mkdtemp(dir);
    std::ofstream(dir_ + "/secret") << kSecret << "\n";
  }
  ~ExchangeE2eTest() override { std::system(("rm -rf " + dir_).c_str()); }

  void Accept(int from, int to, const std::string& source = "task-registry",
              redis::Client* client = nullptr) {
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(
          (client != nullptr ? *client : client_)
              .Command({"RPUSH", OutboxKey(source),
                        OutboxEntry(source, "task_report.accepted", absl::StrCat(source, "-c-", i),
                                    absl::FromUnixSeconds(i), google::protobuf::Struct())})
              .ok());
    }
  }

  void StartWorker(vetrack::testing::ChildProcess& worker,
                   const std::string& sources = "task-registry",
                   const std::vector<std::string>& more = {}) {
    std::vector<std::string> argv = {
        EXCHANGE_BINARY, "--redis=" + redis_.address(), "--endpoint=" + receiver_.endpoint(),
        "--secret-file=" + dir_ + "/secret", "--sources=" + sources, "--batch-size=5",
        "--poll-ms=20", "--initial-backoff-ms=10",
        // A killed worker's lease lapses soon: the next one waits for it.
        "--timeout-ms=3000", "--lease-ms=4000",
        absl::StrCat("--listen=127.0.0.1:", grpc_port_ = vetrack::testing::FreePort()),
        absl::StrCat("--metrics=127.0.0.1:", vetrack::testing::FreePort())};
    argv.insert(argv.end(), more.begin(), more.end());
    ASSERT_TRUE(worker.Start(argv, dir_ + "/worker.log"));
  }

  bool WaitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 500 && !done(); ++i) absl::SleepFor(absl::Milliseconds(20));
    return done();
  }

  // The last started worker's health, for `service` ("" overall, or
  // "liveness"); UNKNOWN when it does not answer.
  grpc::health::v1::HealthCheckResponse::ServingStatus Health(const std::string& service) {
    auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", grpc_port_), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    if (!health->Check(&context, request, &response).ok()) {
      return grpc::health::v1::HealthCheckResponse::UNKNOWN;
    }
    return response.status();
  }

  vetrack::testing::RedisServer redis_;
  redis::Client client_;
  testing::TestReceiver receiver_;
  std::string dir_;
  int grpc_port_ = 0;
};

TEST_F(ExchangeE2eTest, KilledMidBatchRedeliversAndTheReceiverAppliesOnce) {
  Accept(0, 12);
  // The first request is applied but never answered before the kill.
  receiver_.StallEvery(1, absl::Seconds(2));
  {
    vetrack::testing::ChildProcess worker;
    StartWorker(worker);
    ASSERT_TRUE(WaitFor([&] { return receiver_.requests() >= 1; }));
    worker.Signal(SIGKILL);
  }
  ASSERT_EQ(receiver_.applied().size(), 5u);
  const std::string interrupted = receiver_.batches_seen().begin()->first;

  Accept(12, 14);
  receiver_.StallEvery(0, absl::ZeroDuration());
  vetrack::testing::ChildProcess worker;
  StartWorker(worker);
  ASSERT_TRUE(WaitFor([&] { return receiver_.applied().size() == 14u; }));
  for (int i = 0; i < 14; ++i) {
    EXPECT_EQ(receiver_.applied()[absl::StrCat("task-registry-c-", i)], 1) << i;
  }
  EXPECT_EQ(receiver_.batches_seen()[interrupted], 2);

  int status = worker.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// DESIGN.md: a service may point at a Redis of its own, and its outbox and
// the worker's checkpoint of it are there (found in review: every outbox was
// read through the one --redis, so such a source looked empty).
TEST_F(ExchangeE2eTest, AnOutboxInASourcesOwnRedisIsDeliveredFromThere) {
  vetrack::testing::RedisServer schools_redis;
  redis::Client schools_client(schools_redis.options());
  Accept(0, 2, "task-registry");
  Accept(0, 3, "school-reporting", &schools_client);
  vetrack::testing::ChildProcess worker;
  StartWorker(worker, "task-registry,school-reporting",
              {"--redis-school-reporting=" + schools_redis.address()});
  ASSERT_TRUE(WaitFor([&] { return receiver_.applied().size() == 5u; })) << worker.LogTail();
  EXPECT_EQ(receiver_.applied()["school-reporting-c-2"], 1);
  // The checkpoint moves once the receiver has answered, after it applied.
  OutboxStore schools_outbox(schools_client, "school-reporting");
  EXPECT_TRUE(WaitFor([&] { return *schools_outbox.Checkpoint() == 3; }))
      << *schools_outbox.Checkpoint();
  EXPECT_EQ(client_.Command({"EXISTS", OutboxKey("school-reporting")})->integer, 0);
  int status = worker.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Found in review: after SIGTERM the pass went on to the sources after the
// one being sent, each a request of up to --timeout-ms past the drain.
TEST_F(ExchangeE2eTest, SigtermEndsThePassAfterTheBatchUnderWay) {
  Accept(0, 3, "task-registry");
  Accept(0, 3, "school-reporting");
  receiver_.StallEvery(1, absl::Seconds(1));
  vetrack::testing::ChildProcess worker;
  StartWorker(worker, "task-registry,school-reporting");
  ASSERT_TRUE(WaitFor([&] { return receiver_.requests() >= 1; }));
  int status = worker.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(receiver_.requests(), 1);
  EXPECT_EQ(receiver_.applied().size(), 3u);
  EXPECT_EQ(receiver_.applied().count("school-reporting-c-0"), 0u);
}

// Like every other process, the worker serves gRPC health: ready while its
// Redis answers, alive while its delivery loop moves. A Redis outage takes it
// out of readiness without having kubelet restart it, which could not help.
TEST_F(ExchangeE2eTest, ServesHealthReadyWithRedisAndAliveWhileItsLoopMoves) {
  using Status = grpc::health::v1::HealthCheckResponse;
  vetrack::testing::ChildProcess worker;
  // The shortest window allowed with --timeout-ms=3000.
  StartWorker(worker, "task-registry", {"--stall-ms=6001"});
  ASSERT_TRUE(WaitFor([&] { return Health("") == Status::SERVING; })) << worker.LogTail();
  EXPECT_EQ(Health("liveness"), Status::SERVING);

  redis_.Kill();
  ASSERT_TRUE(WaitFor([&] { return Health("") == Status::NOT_SERVING; })) << worker.LogTail();
  // Longer than the window: the loop waits for Redis, and says so.
  absl::SleepFor(absl::Milliseconds(7000));
  EXPECT_EQ(Health("liveness"), Status::SERVING) << worker.LogTail();
  redis_.Start();
  ASSERT_TRUE(WaitFor([&] { return Health("") == Status::SERVING; })) << worker.LogTail();

  // Still delivering after the outage.
  Accept(0, 2);
  ASSERT_TRUE(WaitFor([&] { return receiver_.applied().size() == 2u; })) << worker.LogTail();
  int status = worker.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// A flag that would let an ordinary request read as a stall stops the worker.
TEST_F(ExchangeE2eTest, AStallWindowShorterThanARequestIsRefused) {
  vetrack::testing::ChildProcess worker;
  StartWorker(worker, "task-registry", {"--stall-ms=4000"});  // --timeout-ms=3000
  const int status = worker.Wait(absl::Seconds(10));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
  EXPECT_NE(worker.LogTail().find("--stall-ms"), std::string::npos) << worker.LogTail();
}

}  // namespace
}  // namespace vetrack::exchange
