// The worker lease on a real redis-server: one holder at a time, renewal
// only by the holder, takeover once it expires; and the checkpoint that only
// the worker whose batch is in flight may move.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"
#include "leased_delivery.h"
#include "outbox_store.h"
#include "testing/redis_server.h"
#include "worker_lease.h"

namespace vetrack::exchange {
namespace {

class LeaseTest : public ::testing::Test {
 protected:
  LeaseTest() : client_(redis_.options()) {}

  // Waits (without asserting how long) until nobody holds the lease.
  bool WaitUntilExpired() {
    for (int i = 0; i < 500; ++i) {
      if (client_.Command({"GET", kLeaseKey})->is_nil()) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  vetrack::testing::RedisServer redis_;
  redis::Client client_;
};

TEST_F(LeaseTest, OneHolderAtATimeAndOnlyTheHolderRenewsOrReleases) {
  WorkerLease a(client_, "worker-a", absl::Seconds(30));
  WorkerLease b(client_, "worker-b", absl::Seconds(30));
  EXPECT_TRUE(*a.Hold());
  EXPECT_FALSE(*b.Hold());
  EXPECT_EQ(*b.Holder(), "worker-a");
  EXPECT_TRUE(*a.Hold());  // renewed
  ASSERT_TRUE(b.Release().ok());
  EXPECT_EQ(*a.Holder(), "worker-a");  // b cannot release a's lease
  ASSERT_TRUE(a.Release().ok());
  EXPECT_EQ(*a.Holder(), "");
  EXPECT_TRUE(*b.Hold());
  EXPECT_FALSE(*a.Hold());
}

TEST_F(LeaseTest, AnExpiredLeaseIsTakenOverAndTheOldHolderKnowsIt) {
  WorkerLease a(client_, "worker-a", absl::Milliseconds(200));
  WorkerLease b(client_, "worker-b", absl::Seconds(30));
  ASSERT_TRUE(*a.Hold());
  ASSERT_TRUE(WaitUntilExpired());  // a stopped renewing, as a killed worker does
  EXPECT_TRUE(*b.Hold());
  EXPECT_FALSE(*a.Hold());
  // A retry wait notices the lease is gone and gives the batch up.
  auto sleep = [](absl::Duration) { return true; };
  EXPECT_FALSE(SleepRenewingLease(a, absl::Seconds(1), sleep));
  EXPECT_TRUE(SleepRenewingLease(b, absl::Seconds(1), sleep));
}

TEST_F(LeaseTest, OnlyTheBatchInFlightMovesTheCheckpoint) {
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(
        client_
            .Command({"RPUSH", OutboxKey("evaluation"),
                      OutboxEntry("evaluation", "evaluation_round.finalized", absl::StrCat("c-", i),
                                  absl::FromUnixSeconds(i), google::protobuf::Struct())})
            .ok());
  }
  OutboxStore stale(client_, "evaluation");
  OutboxStore current(client_, "evaluation");
  auto batch = stale.NextBatch(3);
  ASSERT_TRUE(batch.ok() && batch->has_value());
  auto same = current.NextBatch(3);
  ASSERT_TRUE(same.ok() && same->has_value());
  EXPECT_EQ((*same)->id, (*batch)->id);  // the batch in flight, whoever asks
  ASSERT_TRUE(current.MarkDelivered(**same).ok());
  // The worker that lost its lease mid-batch finds the checkpoint moved on.
  EXPECT_TRUE(absl::IsAborted(stale.MarkDelivered(**batch)));
  EXPECT_TRUE(absl::IsAborted(stale.ParkDeadLetter(**batch)));
  EXPECT_EQ(*current.Checkpoint(), 3);
  EXPECT_EQ(*current.DeadLettersParked(), 0);
  EXPECT_TRUE(current.DeadLetters()->empty());

  // A parked-letters count that is not a number (a corrupted store) refuses
  // the move before the letter is written: Redis would not undo it.
  auto last = current.NextBatch(3);
  ASSERT_TRUE(last.ok() && last->has_value());
  ASSERT_TRUE(client_.Command({"HSET", "vt:ex:state:evaluation", "dead_letters_parked", "x"}).ok());
  EXPECT_FALSE(current.ParkDeadLetter(**last).ok());
  EXPECT_TRUE(current.DeadLetters()->empty());
  EXPECT_EQ(*current.Checkpoint(), 3);
}

}  // namespace
}  // namespace vetrack::exchange
