// CommandBatcher (scripts of concurrent callers sent together) against a
// real redis-server, and WorkQueue.
#include "redis/command_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>

#include "server/work_queue.h"
#include "testing/redis_server.h"

namespace vetrack::redis {
namespace {

class CommandBatcherTest : public ::testing::Test {
 protected:
  vetrack::testing::RedisServer server_;
  CommandBatcher batcher_{server_.options()};
};

// What the callbacks of RunAsync received, in the order they ran, and on
// which threads.
struct Replies {
  std::mutex mu;
  std::vector<absl::StatusOr<Reply>> got;
  std::vector<std::thread::id> threads;
  std::promise<void> all_in;
  size_t expected = 0;

  ReplyCallback Collect() {
    return [this](absl::StatusOr<Reply> reply) {
      std::lock_guard<std::mutex> lock(mu);
      got.push_back(std::move(reply));
      threads.push_back(std::this_thread::get_id());
      if (got.size() == expected) all_in.set_value();
    };
  }
};

void WaitForFirstBatch(const CommandBatcher& batcher) {
  while (batcher.counts().batches == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TEST_F(CommandBatcherTest, CommandsQueuedWhileABatchIsAtRedisGoOutTogetherInOrder) {
  Replies replies;
  replies.expected = 11;
  // BLPOP holds the connection for 300 ms; everything queued meanwhile must
  // wait for it and then leave as one batch.
  batcher_.RunAsync({"BLPOP", "nothing", "0.3"}, replies.Collect());
  for (int i = 0; i < 10; ++i) batcher_.RunAsync({"INCR", "n"}, replies.Collect());
  replies.all_in.get_future().wait();
  ASSERT_EQ(replies.got.size(), 11u);
  EXPECT_TRUE(replies.got[0].ok() && replies.got[0]->is_nil());
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(replies.got[i].ok()) << replies.got[i].status();
    EXPECT_EQ(replies.got[i]->integer, i);
  }
  EXPECT_EQ(batcher_.counts().commands, 11);
  EXPECT_LE(batcher_.counts().batches, 2);
}

TEST_F(CommandBatcherTest, ACallerThatFindsNoBatchAtRedisSendsAndAnswersItItself) {
  Replies replies;
  replies.expected = 1;
  batcher_.RunAsync({"INCR", "n"}, replies.Collect(), BatchSender::kCaller);
  // Answered before RunAsync returned, on this thread.
  ASSERT_EQ(replies.got.size(), 1u);
  ASSERT_TRUE(replies.got[0].ok()) << replies.got[0].status();
  EXPECT_EQ(replies.got[0]->integer, 1);
  EXPECT_EQ(replies.threads[0], std::this_thread::get_id());
}

TEST_F(CommandBatcherTest, ByDefaultTheBatchersThreadSendsAndAnswers) {
  Replies replies;
  replies.expected = 1;
  batcher_.RunAsync({"INCR", "n"}, replies.Collect());
  replies.all_in.get_future().wait();
  EXPECT_NE(replies.threads[0], std::this_thread::get_id());
}

TEST_F(CommandBatcherTest, CallersArrivingWhileACallerSendsGoWithItsNextBatch) {
  Replies replies;
  replies.expected = 11;
  std::thread::id sending_thread;
  // This thread sends the BLPOP and waits 300 ms for it at Redis.
  std::thread sender([&] {
    sending_thread = std::this_thread::get_id();
    batcher_.RunAsync({"BLPOP", "nothing", "0.3"}, replies.Collect(), BatchSender::kCaller);
  });
  WaitForFirstBatch(batcher_);
  for (int i = 0; i < 10; ++i) {
    batcher_.RunAsync({"INCR", "n"}, replies.Collect(), BatchSender::kCaller);
  }
  sender.join();
  replies.all_in.get_future().wait();
  ASSERT_EQ(replies.got.size(), 11u);
  for (int i = 1; i <= 10; ++i) {
    ASSERT_TRUE(replies.got[i].ok()) << replies.got[i].status();
    EXPECT_EQ(replies.got[i]->integer, i);
    EXPECT_EQ(replies.threads[i], sending_thread) << "sent and answered by the sending caller";
  }
  EXPECT_EQ(batcher_.counts().batches, 2);
}

// Half the callers wait (Run), half send batches themselves when none is at
// Redis (and are then answered on whichever thread sent their batch).
TEST_F(CommandBatcherTest, EveryCallerGetsItsOwnRepliesInItsOwnOrder) {
  constexpr int kThreads = 8, kEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string key = "counter:" + std::to_string(t);
      for (int i = 1; i <= kEach; ++i) {
        absl::StatusOr<Reply> reply;
        if (t % 2 == 0) {
          reply = batcher_.Run({"INCR", key});
        } else {
          std::promise<absl::StatusOr<Reply>> answer;
          batcher_.RunAsync(
              {"INCR", key}, [&answer](absl::StatusOr<Reply> got) { answer.set_value(got); },
              BatchSender::kCaller);
          reply = answer.get_future().get();
        }
        if (!reply.ok() || reply->integer != i) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(batcher_.counts().commands, kThreads * kEach);
}

TEST_F(CommandBatcherTest, AnErrorReplyIsOnlyItsCallers) {
  ASSERT_TRUE(batcher_.Run({"SET", "s", "text"}).ok());
  Replies replies;
  replies.expected = 3;
  batcher_.RunAsync({"BLPOP", "nothing", "0.1"}, replies.Collect());
  batcher_.RunAsync({"INCR", "s"}, replies.Collect());
  batcher_.RunAsync({"GET", "s"}, replies.Collect());
  replies.all_in.get_future().wait();
  EXPECT_EQ(replies.got[1].status().code(), absl::StatusCode::kInternal);
  ASSERT_TRUE(replies.got[2].ok());
  EXPECT_EQ(replies.got[2]->str, "text");
}

TEST_F(CommandBatcherTest, ALostConnectionFailsItsBatchAndTheNextReconnects) {
  ASSERT_TRUE(batcher_.Run({"SET", "durable", "1"}).ok());
  server_.Kill();
  EXPECT_EQ(batcher_.Run({"GET", "durable"}).status().code(), absl::StatusCode::kUnavailable);
  server_.Start();
  auto got = batcher_.Run({"GET", "durable"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, "1");
}

TEST_F(CommandBatcherTest, ClosingAnswersEveryCommandOnce) {
  auto closing = std::make_unique<CommandBatcher>(server_.options());
  std::atomic<int> answered{0}, in_flight_ok{0};
  closing->RunAsync({"BLPOP", "nothing", "0.3"}, [&](absl::StatusOr<Reply> reply) {
    ++answered;
    if (reply.ok()) ++in_flight_ok;
  });
  // Once the BLPOP has left, what follows waits behind it.
  WaitForFirstBatch(*closing);
  for (int i = 0; i < 3; ++i) {
    closing->RunAsync({"INCR", "n"}, [&](absl::StatusOr<Reply>) { ++answered; });
  }
  closing.reset();
  EXPECT_EQ(answered, 4);
  EXPECT_EQ(in_flight_ok, 1) << "the command at Redis is answered, not dropped";
}

TEST_F(CommandBatcherTest, ClosingWaitsForACallerThatIsSending) {
  auto closing = std::make_unique<CommandBatcher>(server_.options());
  std::atomic<int> answered{0}, in_flight_ok{0};
  std::thread sender([&] {
    closing->RunAsync(
        {"BLPOP", "nothing", "0.3"},
        [&](absl::StatusOr<Reply> reply) {
          ++answered;
          if (reply.ok()) ++in_flight_ok;
        },
        BatchSender::kCaller);
  });
  WaitForFirstBatch(*closing);
  for (int i = 0; i < 3; ++i) {
    closing->RunAsync({"INCR", "n"}, [&](absl::StatusOr<Reply>) { ++answered; });
  }
  closing.reset();  // while the sender waits for its BLPOP
  EXPECT_EQ(answered, 4);
  EXPECT_EQ(in_flight_ok, 1) << "the command at Redis is answered, not dropped";
  sender.join();
}

TEST(WorkQueueTest, RunsEverythingHandedOverEvenWhileClosing) {
  std::atomic<int> ran{0};
  std::promise<void> release;
  auto released = release.get_future().share();
  {
    WorkQueue queue(1);
    queue.Post([&, released] {
      released.wait();
      ++ran;
    });
    for (int i = 0; i < 5; ++i) queue.Post([&] { ++ran; });
    release.set_value();
  }
  EXPECT_EQ(ran, 6);
}

}  // namespace
}  // namespace vetrack::redis
