// The worker against a real HTTP receiver on loopback and a real redis-server.
#include <gtest/gtest.h>

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "exchange/outbox.h"
#include "exchange_worker.h"
#include "leased_delivery.h"
#include "outbox_store.h"
#include "prometheus/registry.h"
#include "test_receiver.h"
#include "testing/ports.h"
#include "testing/redis_server.h"
#include "worker_lease.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "exchange-test-secret-0123456789abcdef";

// `prefix`<from> .. `prefix`<to - 1>.
std::vector<std::string> Ids(const std::string& prefix, int from, int to) {
  std::vector<std::string> ids;
  for (int i = from; i < to; ++i) ids.push_back(absl::StrCat(prefix, i));
  return ids;
}

// The change ids among `ids` that start with `prefix`, in the same order.
std::vector<std::string> Only(const std::vector<std::string>& ids, const std::string& prefix) {
  std::vector<std::string> kept;
  for (const auto& id : ids) {
    if (absl::StartsWith(id, prefix)) kept.push_back(id);
  }
  return kept;
}

// How many log lines of the captured stderr carry `message`.
int LogLines(const std::string& captured, const std::string& message) {
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(captured, '\n')) {
    if (absl::StrContains(line, absl::StrCat("\"msg\":\"", message, "\""))) ++lines;
  }
  return lines;
}

// vetrack_exchange_batches_total{outcome}; -1 when it is not exported.
double Batches(prometheus::Registry& registry, const std::string& outcome) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "vetrack_exchange_batches_total") continue;
    for (const auto& metric : family.metric) {
      for (const auto& label : metric.label) {
        if (label.name == "outcome" && label.value == outcome) return metric.counter.value;
      }
    }
  }
  return -1;
}

// vetrack_exchange_outbox_pending{source}; -1 when it is not exported.
double Pending(prometheus::Registry& registry, const std::string& source) {
  for (const auto& family : registry.Collect()) {
    if (family.name != "vetrack_exchange_outbox_pending") continue;
    for (const auto& metric : family.metric) {
      if (metric.label.at(0).value == source) return metric.gauge.value;
    }
  }
  return -1;
}

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryTest()
      : client_(redis_.options()), store_(client_, "task-registry"), receiver_(kSecret) {}

  // Appends accepted changes as the services do (change ids <prefix><i>).
  void Accept(int from, int to, const std::string& source = "task-registry",
              const std::string& prefix = "c-") {
    for (int i = from; i < to; ++i) {
      google::protobuf::Struct data;
      (*data.mutable_fields())["summary"].set_string_value(absl::StrCat("第", i, "项"));
      auto pushed =
          client_.Command({"RPUSH", OutboxKey(source),
                           OutboxEntry(source, "task_report.accepted", absl::StrCat(prefix, i),
                                       absl::FromUnixSeconds(1790000000 + i), data)});
      ASSERT_TRUE(pushed.ok()) << pushed.status();
    }
  }

  std::unique_ptr<HttpBatchSender> Sender(const std::string& secret, int timeout_ms = 2000) {
    HttpEndpointOptions options;
    options.timeout = absl::Milliseconds(timeout_ms);
    auto sender = HttpBatchSender::Create(receiver_.endpoint(), secret, options);
    EXPECT_TRUE(sender.ok()) << sender.status();
    return *std::move(sender);
  }

  WorkerOptions Options(int batch_size, int max_attempts) {
    WorkerOptions options;
    options.batch_size = batch_size;
    options.max_attempts = max_attempts;
    options.initial_backoff = absl::Milliseconds(1);
    options.max_backoff = absl::Milliseconds(8);
    return options;
  }

  static bool Sleep(absl::Duration d) {
    absl::SleepFor(d);
    return true;
  }

  // Outbox entries 0–15 in batches of 5 (Options(5, 3)), each refused with
  // 422 and so parked as a dead letter by `worker`.
  void ParkThreeBatches(ExchangeWorker& worker) {
    Accept(0, 15);
    receiver_.AnswerNext(422, 3);
    DrainWith(worker);
  }

  void DrainWith(ExchangeWorker& worker) {
    for (int i = 0; i < 100; ++i) {
      auto moved = worker.DeliverOnce();
      if (absl::IsUnavailable(moved.status())) {
        absl::SleepFor(absl::Milliseconds(10));  // past a deferred batch's backoff (Options)
        continue;
      }
      ASSERT_TRUE(moved.ok()) << moved.status();
      if (*moved == 0) return;
    }
    FAIL() << "the outbox never drained";
  }

  void ExpectEachAppliedOnce(int count) {
    auto applied = receiver_.applied();
    EXPECT_EQ(applied.size(), static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) EXPECT_EQ(applied[absl::StrCat("c-", i)], 1) << i;
  }

  vetrack::testing::RedisServer redis_;
  redis::Client client_;
  OutboxStore store_;
  testing::TestReceiver receiver_;
};

TEST_F(DeliveryTest, FlakyAndSlowReceiverGetsEveryChangeAppliedOnce) {
  Accept(0, 47);
  receiver_.FailEvery(3);
  // A stalled answer outlives the client's timeout: the batch was applied but
  // the worker does not know, sends it again, and the receiver de-duplicates.
  receiver_.StallEvery(4, absl::Milliseconds(400));
  auto sender = Sender(kSecret, 150);
  ExchangeWorker worker({&store_}, *sender, Options(5, 20), Sleep);
  DrainWith(worker);

  EXPECT_EQ(*store_.Checkpoint(), 47);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);
  ExpectEachAppliedOnce(47);
  int redelivered = 0;
  for (const auto& [id, times] : receiver_.batches_seen()) redelivered += times > 1;
  EXPECT_GT(redelivered, 0);
  EXPECT_EQ(receiver_.batches_seen().size(), 10u);

  // Changes accepted later go in later batches; nothing is sent twice.
  receiver_.FailEvery(0);
  receiver_.StallEvery(0, absl::ZeroDuration());
  Accept(47, 50);
  DrainWith(worker);
  ExpectEachAppliedOnce(50);
}

TEST_F(DeliveryTest, AnUnavailableReceiverDefersTheBatchAndNothingIsParkedOrReordered) {
  OutboxStore schools(client_, "school-reporting");
  Accept(0, 12);
  Accept(0, 3, "school-reporting", "s-");
  // task-registry's first batch meets 503 on both its attempts; school-
  // reporting's first attempt meets the third 503.
  receiver_.AnswerNext(503, 3);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_, &schools}, *sender, Options(5, 2), Sleep);
  prometheus::Registry registry;
  worker.ExportMetrics(registry);

  auto moved = worker.DeliverOnce();
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);  // the other source went on
  EXPECT_EQ(*store_.Checkpoint(), 0);
  EXPECT_EQ(*schools.Checkpoint(), 3);
  EXPECT_EQ(Batches(registry, "deferred"), 1);
  // How far behind the platform is, per source (found in review: only the
  // counters said anything, and not that).
  EXPECT_EQ(Pending(registry, "task-registry"), 12);
  EXPECT_EQ(Pending(registry, "school-reporting"), 0);
  Accept(3, 5, "school-reporting", "s-");
  ASSERT_TRUE(worker.DeliverOnce().ok());
  EXPECT_EQ(Pending(registry, "school-reporting"), 0) << "the two new entries went";

  DrainWith(worker);
  EXPECT_EQ(Pending(registry, "task-registry"), 0);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);
  EXPECT_TRUE(store_.DeadLetters()->empty());
  EXPECT_EQ(*store_.Checkpoint(), 12);
  EXPECT_EQ(Batches(registry, "parked"), 0);
  EXPECT_EQ(Only(receiver_.applied_order(), "c-"), Ids("c-", 0, 12));
  EXPECT_EQ(Only(receiver_.applied_order(), "s-"), Ids("s-", 0, 5));
  // The deferred batch came back with the same id: five batches, none applied
  // twice.
  auto seen = receiver_.batches_seen();
  EXPECT_EQ(seen.size(), 5u);
  for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id;
}

// Found in use: the log said "POST /x: Connection", naming neither the
// platform nor what went wrong.
TEST_F(DeliveryTest, AFailedSendNamesThePlatformAndWhatWentWrong) {
  const std::string nobody =
      absl::StrCat("http://127.0.0.1:", vetrack::testing::FreePort(), "/intake");
  auto sender = HttpBatchSender::Create(nobody, kSecret, HttpEndpointOptions());
  ASSERT_TRUE(sender.ok()) << sender.status();
  absl::Status sent = (*sender)->Send("batch-1", "{}");
  EXPECT_TRUE(absl::IsUnavailable(sent)) << sent;
  EXPECT_EQ(sent.message(), absl::StrCat("POST ", nobody,
                                         ": could not connect (refused, "
                                         "unreachable, or the name does not resolve)"));
}

TEST_F(DeliveryTest, WhileEverySourceIsUnavailableTheLoopWaitsItsPollBetweenCycles) {
  Accept(0, 12);
  receiver_.AnswerNext(503, 1000);
  auto sender = Sender(kSecret);
  absl::Time now = absl::FromUnixSeconds(1790000000);
  WorkerOptions options = Options(5, 2);
  options.now = [&now] { return now; };
  ExchangeWorker worker({&store_}, *sender, options, Sleep);
  WorkerLease lease(client_, "worker-a", absl::Seconds(30));
  std::vector<absl::Duration> waits;
  LeasedDelivery delivery(worker, lease, absl::Milliseconds(250), [&](absl::Duration wait) {
    waits.push_back(wait);
    now += wait;
    return waits.size() < 3;
  });
  ::testing::internal::CaptureStderr();
  delivery.Run();
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(waits, std::vector<absl::Duration>(3, absl::Milliseconds(250)));
  // Two attempts in the batch's first cycle, one in each later one.
  EXPECT_EQ(receiver_.requests(), 4);
  // Each attempt logged once, where it failed; the loop does not repeat it.
  EXPECT_EQ(LogLines(logged, "exchange delivery failed"), 4) << logged;
  EXPECT_EQ(LogLines(logged, "exchange worker cycle failed"), 0) << logged;
  EXPECT_EQ(*store_.Checkpoint(), 0);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);
}

// Found in review: during a Redis outage the worker logged its failed lease
// check at every poll (at 1 s, 86 000 lines a day).
TEST_F(DeliveryTest, ARedisOutageIsLoggedWhenItBeginsNotAtEveryPoll) {
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(5, 2), Sleep);
  WorkerLease lease(client_, "worker-a", absl::Seconds(30));
  int cycles = 0;
  LeasedDelivery delivery(worker, lease, absl::Milliseconds(1), [&](absl::Duration) {
    ++cycles;
    if (cycles == 5) redis_.Start();  // back after five failed checks
    return cycles < 8;
  });
  redis_.Kill();
  ::testing::internal::CaptureStderr();
  delivery.Run();
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(LogLines(logged, "exchange lease check failed; delivery paused until Redis answers"), 1)
      << logged;
  EXPECT_EQ(LogLines(logged, "exchange lease acquired; delivering"), 1) << logged;
}

// Found in review: a standby worker (another holds the lease) showed no
// backlog, or its last one, however far behind the platform was.
TEST_F(DeliveryTest, AWorkerWaitingForTheLeaseStillSaysWhatIsPending) {
  Accept(0, 12);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(5, 2), Sleep);
  prometheus::Registry registry;
  worker.ExportMetrics(registry);
  WorkerLease holder(client_, "worker-b", absl::Seconds(30));
  ASSERT_TRUE(*holder.Hold());
  WorkerLease lease(client_, "worker-a", absl::Seconds(30));
  int cycles = 0;
  LeasedDelivery delivery(worker, lease, absl::Milliseconds(1),
                          [&](absl::Duration) { return ++cycles < 2; });
  ::testing::internal::CaptureStderr();
  delivery.Run();
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(receiver_.requests(), 0);  // the holder delivers, not this one
  EXPECT_EQ(Pending(registry, "task-registry"), 12);
}

// Found in review: a batch the receiver kept answering 503 had all its
// attempts, with their backoff, in every cycle, and every other source waited
// behind it (at the defaults, half a minute to a minute per cycle).
TEST_F(DeliveryTest, ABatchTheReceiverChokesOnDoesNotHoldUpTheOtherSources) {
  OutboxStore schools(client_, "school-reporting");
  Accept(0, 5);                             // task-registry: one batch, refused
  Accept(0, 30, "school-reporting", "s-");  // six batches
  receiver_.AnswerBodiesHolding("\"c-0\"", 503);
  auto sender = Sender(kSecret);
  absl::Time now = absl::FromUnixSeconds(1790000000);
  WorkerOptions options = Options(5, 8);
  options.now = [&now] { return now; };
  absl::Duration slept;
  ExchangeWorker worker({&store_, &schools}, *sender, options, [&slept](absl::Duration d) {
    slept += d;
    return true;
  });

  ASSERT_EQ(*worker.DeliverOnce(), 1);
  EXPECT_EQ(receiver_.requests(), 8 + 1);  // its first cycle: every attempt
  const absl::Duration first_cycle_sleep = slept;
  EXPECT_GT(first_cycle_sleep, absl::ZeroDuration());

  // Within its backoff it is not tried; the other source goes on.
  ASSERT_EQ(*worker.DeliverOnce(), 1);
  EXPECT_EQ(receiver_.requests(), 9 + 1);
  for (int cycle = 0; cycle < 4; ++cycle) {
    now += absl::Seconds(1);  // past the backoff: one attempt, without sleeping
    ASSERT_EQ(*worker.DeliverOnce(), 1);
  }
  EXPECT_EQ(receiver_.requests(), 10 + 4 * 2);
  EXPECT_EQ(slept, first_cycle_sleep);
  EXPECT_EQ(*schools.Checkpoint(), 30);
  EXPECT_EQ(*store_.Checkpoint(), 0);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);

  // The receiver takes it once it can; its backoff does not outlive it.
  receiver_.AnswerBodiesHolding("", 0);
  now += absl::Seconds(1);
  EXPECT_EQ(*worker.DeliverOnce(), 1);
  EXPECT_EQ(*store_.Checkpoint(), 5);
  EXPECT_EQ(Only(receiver_.applied_order(), "c-"), Ids("c-", 0, 5));
}

TEST_F(DeliveryTest, RefusedCredentialsDeferTheOutboxUntilTheSecretIsFixed) {
  Accept(0, 3);
  auto forged = Sender("not-the-shared-secret-0123456789abcdef");
  ExchangeWorker worker({&store_}, *forged, Options(10, 3), Sleep);
  prometheus::Registry registry;
  worker.ExportMetrics(registry);
  for (int cycle = 1; cycle <= 2; ++cycle) {
    auto moved = worker.DeliverOnce();
    EXPECT_TRUE(absl::IsUnauthenticated(moved.status())) << moved.status();
    // One attempt a cycle: retrying cannot fix a secret.
    EXPECT_EQ(receiver_.rejected_signatures(), cycle);
  }
  EXPECT_EQ(Batches(registry, "unauthorized"), 2);
  // Found in use: each poll logged the refusal twice. Now once when it
  // begins, then at doubling intervals (cycles 1, 2, 4, 8).
  ::testing::internal::CaptureStderr();
  for (int cycle = 3; cycle <= 9; ++cycle) (void)worker.DeliverOnce();
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(LogLines(logged,
                     "exchange receiver refused the credentials; check the signing "
                     "secret and access"),
            2)
      << logged;
  EXPECT_NE(logged.find("\"refused_cycles\":\"8\""), std::string::npos) << logged;
  EXPECT_EQ(LogLines(logged, "exchange delivery failed"), 0) << logged;
  EXPECT_EQ(Batches(registry, "unauthorized"), 9);
  EXPECT_TRUE(receiver_.applied().empty());
  // Not parked, not moved past: the outbox waits for the fix.
  EXPECT_EQ(*store_.Checkpoint(), 0);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);
  EXPECT_TRUE(store_.DeadLetters()->empty());

  // Once the key is fixed, the next cycle sends the same batch; applied once.
  auto sender = Sender(kSecret);
  ExchangeWorker fixed({&store_}, *sender, Options(10, 3), Sleep);
  DrainWith(fixed);
  EXPECT_EQ(*store_.Checkpoint(), 3);
  ExpectEachAppliedOnce(3);
  auto seen = receiver_.batches_seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen.begin()->first.rfind("task-registry-0-3-", 0), 0u);
}

TEST_F(DeliveryTest, AForbiddingReceiverIsTriedOnceAndNothingIsParked) {
  Accept(0, 3);
  receiver_.AnswerNext(403, 1);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(10, 3), Sleep);
  EXPECT_TRUE(absl::IsPermissionDenied(worker.DeliverOnce().status()));
  EXPECT_EQ(receiver_.requests(), 1);
  EXPECT_EQ(*store_.DeadLettersParked(), 0);
  ::testing::internal::CaptureStderr();
  DrainWith(worker);
  const std::string logged = ::testing::internal::GetCapturedStderr();
  ExpectEachAppliedOnce(3);
  // The operator who saw the refusal sees it end.
  EXPECT_EQ(LogLines(logged, "exchange delivery resumed"), 1) << logged;
}

// Found in review: the log counted every deferral of the batch, so a
// refusal after 503s was not logged when it began.
TEST_F(DeliveryTest, ARefusalAfterAnOutageIsLoggedWhenItBegins) {
  Accept(0, 3);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(10, 1), Sleep);
  receiver_.AnswerNext(503, 3);
  for (int cycle = 0; cycle < 3; ++cycle) {
    EXPECT_TRUE(absl::IsUnavailable(worker.DeliverOnce().status()));
    absl::SleepFor(absl::Milliseconds(20));  // past the backoff (Options)
  }
  receiver_.AnswerNext(403, 1);
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(absl::IsPermissionDenied(worker.DeliverOnce().status()));
  const std::string logged = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(LogLines(logged,
                     "exchange receiver refused the credentials; check the signing "
                     "secret and access"),
            1)
      << logged;
  EXPECT_NE(logged.find("\"refused_cycles\":\"1\""), std::string::npos) << logged;
}

TEST_F(DeliveryTest, ABatchTheReceiverRefusesIsParkedAfterOneAttemptAndTheNextGoes) {
  Accept(0, 8);
  receiver_.AnswerNext(400, 1);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(5, 5), Sleep);
  prometheus::Registry registry;
  worker.ExportMetrics(registry);
  EXPECT_EQ(*worker.DeliverOnce(), 1);
  EXPECT_EQ(receiver_.requests(), 1);
  EXPECT_EQ(*store_.DeadLettersParked(), 1);
  EXPECT_EQ(*store_.Checkpoint(), 5);
  EXPECT_EQ(Batches(registry, "parked"), 1);

  DrainWith(worker);
  EXPECT_EQ(receiver_.applied_order(), Ids("c-", 5, 8));
  // Parked, not lost: the operator redelivers it with its id.
  EXPECT_EQ(worker.RedeliverDeadLetters()->redelivered, 1);
  EXPECT_TRUE(store_.DeadLetters()->empty());
  ExpectEachAppliedOnce(8);
}

TEST_F(DeliveryTest, DeadLettersAreRedeliveredInOutboxOrder) {
  // Ids task-registry-0-5-…, -5-10-…, -10-15-…: as strings, 10-15 sorts
  // before 5-10.
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(5, 3), Sleep);
  ParkThreeBatches(worker);
  ASSERT_EQ(*store_.DeadLettersParked(), 3);
  std::vector<std::string> ranges;  // "<first>-<end>" of each id
  auto letters = store_.DeadLetters();
  ASSERT_TRUE(letters.ok()) << letters.status();
  for (const auto& [id, body] : *letters) {
    const size_t from = sizeof("task-registry-") - 1;
    ranges.push_back(id.substr(from, id.rfind('-') - from));
  }
  EXPECT_EQ(ranges, (std::vector<std::string>{"0-5", "5-10", "10-15"}));
  // The receiver refuses the first again: it stays parked, and the run says so.
  receiver_.AnswerNext(409, 1);
  auto first_try = worker.RedeliverDeadLetters();
  ASSERT_TRUE(first_try.ok()) << first_try.status();
  EXPECT_EQ(first_try->redelivered, 2);
  EXPECT_EQ(first_try->still_parked, 1);
  EXPECT_NE(first_try->last_refusal.find("409"), std::string::npos) << first_try->last_refusal;
  EXPECT_EQ(store_.DeadLetters()->size(), 1u);
  auto second_try = worker.RedeliverDeadLetters();
  EXPECT_EQ(second_try->redelivered, 1);
  EXPECT_EQ(second_try->still_parked, 0);
  std::vector<std::string> order = Ids("c-", 5, 15);
  for (const auto& id : Ids("c-", 0, 5)) order.push_back(id);
  EXPECT_EQ(receiver_.applied_order(), order);
}

// Found in review: a redelivery cut short by SIGTERM reported success.
TEST_F(DeliveryTest, ARedeliveryToldToStopSaysHowFarItGot) {
  auto sender = Sender(kSecret);
  ExchangeWorker parking({&store_}, *sender, Options(5, 3), Sleep);
  ParkThreeBatches(parking);
  ASSERT_EQ(store_.DeadLetters()->size(), 3u);

  int asked = 0;
  WorkerOptions options = Options(5, 3);
  options.may_continue = [&asked] { return ++asked <= 1; };  // SIGTERM after the first
  ExchangeWorker redelivering({&store_}, *sender, options, Sleep);
  auto cut = redelivering.RedeliverDeadLetters();
  EXPECT_TRUE(absl::IsCancelled(cut.status())) << cut.status();
  EXPECT_NE(cut.status().message().find("after 1 dead-letter"), std::string::npos) << cut.status();
  EXPECT_EQ(store_.DeadLetters()->size(), 2u);
}

// Found in review: a platform that does not answer counted each letter as
// "refused again"; the run stops at the first, as every other would fail alike.
TEST_F(DeliveryTest, ARedeliveryStopsWhenThePlatformDoesNotAnswer) {
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(5, 3), Sleep);
  ParkThreeBatches(worker);
  receiver_.AnswerNext(503, 3);  // every attempt of the first letter
  auto stopped = worker.RedeliverDeadLetters();
  EXPECT_TRUE(absl::IsUnavailable(stopped.status())) << stopped.status();
  EXPECT_NE(stopped.status().message().find("after 0 dead-letter"), std::string::npos)
      << stopped.status();
  EXPECT_EQ(store_.DeadLetters()->size(), 3u);
  EXPECT_EQ(worker.RedeliverDeadLetters()->redelivered, 3);
}

TEST_F(DeliveryTest, NoFewerThanOneAttemptIsMade) {
  Accept(0, 3);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&store_}, *sender, Options(0, 0), Sleep);
  DrainWith(worker);
  EXPECT_EQ(*store_.Checkpoint(), 3);
  ExpectEachAppliedOnce(3);
}

TEST_F(DeliveryTest, ASourceThatCannotBeReadDoesNotStopTheOthers) {
  // school-reporting's outbox key holds something that is not a list.
  ASSERT_TRUE(client_.Command({"SET", OutboxKey("school-reporting"), "not a list"}).ok());
  OutboxStore broken(client_, "school-reporting");
  Accept(0, 3);
  auto sender = Sender(kSecret);
  ExchangeWorker worker({&broken, &store_}, *sender, Options(10, 1), Sleep);
  auto moved = worker.DeliverOnce();
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);
  EXPECT_EQ(*store_.Checkpoint(), 3);
  ExpectEachAppliedOnce(3);

  // With nothing else to move, the failure is what the cycle reports.
  ExchangeWorker only_broken({&broken}, *sender, Options(10, 1), Sleep);
  EXPECT_FALSE(only_broken.DeliverOnce().ok());
}

TEST_F(DeliveryTest, AnInterruptedBatchIsResentWithTheSameIdEvenWhenMoreArrived) {
  Accept(0, 4);
  receiver_.FailEvery(1);
  auto sender = Sender(kSecret);
  ExchangeWorker first({&store_}, *sender, Options(10, 5),
                       [](absl::Duration) { return false; });  // stops after one try
  EXPECT_TRUE(absl::IsCancelled(first.DeliverOnce().status()));
  EXPECT_EQ(*store_.Checkpoint(), 0);

  Accept(4, 9);
  receiver_.FailEvery(0);
  ExchangeWorker second({&store_}, *sender, Options(10, 5), Sleep);
  DrainWith(second);
  ExpectEachAppliedOnce(9);
  auto seen = receiver_.batches_seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.begin()->first.rfind("task-registry-0-4-", 0), 0u);
}

TEST(AnswerStatusTest, OnlyARefusalOfTheBatchItselfIsPermanent) {
  for (int delivered : {200, 201, 204}) EXPECT_TRUE(AnswerStatus(delivered, "POST").ok());
  // A wrong path or method (404, 405) says nothing against the batch:
  // parking would empty the outbox.
  for (int later : {404, 405, 408, 415, 429, 500, 502, 503, 504, 301, 302, 100, 600}) {
    EXPECT_TRUE(absl::IsUnavailable(AnswerStatus(later, "POST"))) << later;
  }
  EXPECT_TRUE(absl::IsUnauthenticated(AnswerStatus(401, "POST")));
  EXPECT_TRUE(absl::IsPermissionDenied(AnswerStatus(403, "POST")));
  for (int refused : {400, 409, 413, 422}) {
    EXPECT_TRUE(absl::IsInvalidArgument(AnswerStatus(refused, "POST"))) << refused;
  }
}

TEST(BackoffTest, DoublesWithJitterUpToTheCap) {
  struct NoSender : BatchSender {
    absl::Status Send(const std::string&, const std::string&) override { return {}; }
  } sender;
  WorkerOptions options;
  options.initial_backoff = absl::Milliseconds(100);
  options.max_backoff = absl::Milliseconds(1000);
  ExchangeWorker worker({}, sender, options, [](absl::Duration) { return true; });
  for (int i = 0; i < 20; ++i) {
    absl::Duration first = worker.Backoff(1), third = worker.Backoff(3), tenth = worker.Backoff(10);
    EXPECT_GE(first, absl::Milliseconds(50));
    EXPECT_LE(first, absl::Milliseconds(100));
    EXPECT_GE(third, absl::Milliseconds(200));
    EXPECT_LE(third, absl::Milliseconds(400));
    EXPECT_GE(tenth, absl::Milliseconds(500));
    EXPECT_LE(tenth, absl::Milliseconds(1000));
  }
}

}  // namespace
}  // namespace vetrack::exchange
