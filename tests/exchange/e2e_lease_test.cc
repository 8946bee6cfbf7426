// Two real exchange workers on one Redis and one receiver: only the lease
// holder delivers, and when it is killed the other takes over once the lease
// expires. Each change arrives once.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdlib>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "exchange/outbox.h"
#include "test_receiver.h"
#include "testing/redis_server.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "exchange-lease-e2e-secret-0123456789ab";

// What one worker process exposes.
struct Worker {
  vetrack::testing::ChildProcess process;
  int metrics_port = 0;
};

class ExchangeLeaseE2eTest : public ::testing::Test {
 protected:
  ExchangeLeaseE2eTest() : client_(redis_.options()), receiver_(kSecret) {
    char dir[] = "/tmp/vt-exchange-lease-XXXXXX";
    dir_ = mkdtemp(dir);
    std::ofstream(dir_ + "/secret") << kSecret << "\n";
  }
  ~ExchangeLeaseE2eTest() override { (void)std::system(("rm -rf " + dir_).c_str()); }

  void Accept(int from, int to) {
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(client_
                      .Command({"RPUSH", OutboxKey("training-ledger"),
                                OutboxEntry("training-ledger", "training_statement.published",
                                            absl::StrCat("c-", i), absl::FromUnixSeconds(i),
                                            google::protobuf::Struct())})
                      .ok());
    }
  }

  void Start(Worker& worker, const std::string& name) {
    worker.metrics_port = vetrack::testing::FreePort();
    ASSERT_TRUE(worker.process.Start(
        {EXCHANGE_BINARY, "--redis=" + redis_.address(), "--endpoint=" + receiver_.endpoint(),
         "--secret-file=" + dir_ + "/secret", "--sources=training-ledger", "--batch-size=3",
         "--poll-ms=20", "--initial-backoff-ms=10", "--timeout-ms=500", "--lease-ms=1500",
         absl::StrCat("--listen=127.0.0.1:", vetrack::testing::FreePort()),
         absl::StrCat("--metrics=127.0.0.1:", worker.metrics_port)},
        dir_ + "/" + name + ".log"));
  }

  bool WaitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 1000 && !done(); ++i) absl::SleepFor(absl::Milliseconds(20));
    return done();
  }

  // The pid in the lease holder's id (host/pid/random); 0 when nobody holds it.
  pid_t Holder() {
    auto holder = client_.Command({"GET", "vt:ex:lease"});
    if (!holder.ok() || holder->is_nil()) return 0;
    std::vector<std::string> parts = absl::StrSplit(holder->str, '/');
    int pid = 0;
    if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &pid)) return 0;
    return pid;
  }

  // A counter or gauge of a worker's /metrics; -1 when it cannot be read.
  double Metric(const Worker& worker, const std::string& name) {
    httplib::Client http("127.0.0.1", worker.metrics_port);
    auto result = http.Get("/metrics");
    if (!result || result->status != 200) return -1;
    for (absl::string_view line : absl::StrSplit(result->body, '\n')) {
      if (!absl::ConsumePrefix(&line, name + " ")) continue;
      double value = 0;
      if (absl::SimpleAtod(line, &value)) return value;
    }
    return -1;
  }

  bool EachAppliedOnce(int count) {
    auto applied = receiver_.applied();
    if (static_cast<int>(applied.size()) != count) return false;
    for (const auto& [change, times] : applied) {
      if (times != 1) return false;
    }
    return true;
  }

  vetrack::testing::RedisServer redis_;
  redis::Client client_;
  testing::TestReceiver receiver_;
  std::string dir_;
};

TEST_F(ExchangeLeaseE2eTest, OnlyTheHolderDeliversAndTheOtherTakesOverWhenItDies) {
  Accept(0, 12);
  Worker one, two;
  Start(one, "one");
  Start(two, "two");
  ASSERT_TRUE(WaitFor([&] { return receiver_.applied().size() == 12u; }));
  ASSERT_TRUE(WaitFor([&] {
    return Metric(one, "vetrack_exchange_lease_waits_total") > 0 ||
           Metric(two, "vetrack_exchange_lease_waits_total") > 0;
  }));
  EXPECT_TRUE(EachAppliedOnce(12));
  for (const auto& [batch, times] : receiver_.batches_seen()) EXPECT_EQ(times, 1) << batch;

  const pid_t holder = Holder();
  ASSERT_TRUE(holder == one.process.pid() || holder == two.process.pid()) << holder;
  Worker& active = holder == one.process.pid() ? one : two;
  Worker& waiting = holder == one.process.pid() ? two : one;
  EXPECT_EQ(Metric(active, "vetrack_exchange_lease_held"), 1);
  EXPECT_EQ(Metric(waiting, "vetrack_exchange_lease_held"), 0);
  EXPECT_GT(Metric(waiting, "vetrack_exchange_lease_waits_total"), 0);

  // The holder dies without a word; its lease expires and the other worker
  // delivers what is accepted after.
  active.process.Signal(SIGKILL);
  Accept(12, 20);
  ASSERT_TRUE(WaitFor([&] { return receiver_.applied().size() == 20u; }));
  EXPECT_TRUE(EachAppliedOnce(20));
  EXPECT_EQ(Holder(), waiting.process.pid());
  EXPECT_EQ(Metric(waiting, "vetrack_exchange_lease_held"), 1);

  // Stopping releases the lease at once.
  int status = waiting.process.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Holder(), 0);
}

}  // namespace
}  // namespace vetrack::exchange
