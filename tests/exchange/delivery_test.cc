// The worker against a real HTTP receiver on loopback and a real redis-server.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"
#include "exchange_worker.h"
#include "outbox_store.h"
#include "test_receiver.h"
#include "testing/redis_server.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "exchange-test-secret-0123456789abcdef";

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryTest()
      : client_(redis_.options()), store_(client_, "task-registry"), receiver_(kSecret) {}

  // Appends accepted changes as the services do (change ids c-<i>).
  void Accept(int from, int to) {
    for (int i = from; i < to; ++i) {
      google::protobuf::Struct data;
      (*data.mutable_fields())["summary"].set_string_value(absl::StrCat("第", i, "项"));
      auto pushed = client_.Command(
          {"RPUSH", OutboxKey("task-registry"),
           OutboxEntry("task-registry", "task_report.accepted", absl::StrCat("c-", i),
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

  void DrainWith(ExchangeWorker& worker) {
    for (int i = 0; i < 100; ++i) {
      auto moved = worker.DeliverOnce();
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

TEST_F(DeliveryTest, BadSignatureIsRejectedAndTheBatchParked) {
  Accept(0, 3);
  auto forged = Sender("not-the-shared-secret-0123456789abcdef");
  ExchangeWorker worker({&store_}, *forged, Options(10, 3), Sleep);
  DrainWith(worker);
  EXPECT_EQ(receiver_.rejected_signatures(), 3);
  EXPECT_TRUE(receiver_.applied().empty());
  // Parked, not lost: the checkpoint moved on and the dead letter is kept.
  EXPECT_EQ(*store_.Checkpoint(), 3);
  EXPECT_EQ(*store_.DeadLettersParked(), 1);
  ASSERT_EQ(store_.DeadLetters()->size(), 1u);

  // Once the key is fixed, the operator redelivers; same batch id, applied once.
  auto sender = Sender(kSecret);
  ExchangeWorker fixed({&store_}, *sender, Options(10, 3), Sleep);
  EXPECT_EQ(*fixed.RedeliverDeadLetters(), 1);
  EXPECT_EQ(*fixed.RedeliverDeadLetters(), 0);
  EXPECT_TRUE(store_.DeadLetters()->empty());
  ExpectEachAppliedOnce(3);
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
