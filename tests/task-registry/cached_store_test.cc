// The catalog cache in front of the Redis store: fresh for its TTL, dropped
// at once by this replica's own writes, never trusted for a guarded write.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "cached_task_store.h"
#include "catalog.h"
#include "redis/atomic_write.h"
#include "redis_task_store.h"
#include "testing/redis_server.h"

namespace vetrack::tasks {
namespace {

class CachedStoreTest : public ::testing::Test {
 protected:
  CachedStoreTest()
      : client_(redis_.options()),
        redis_store_(client_),
        clock_(absl::FromUnixSeconds(1800000000)),
        cached_(redis_store_, clock_, absl::Seconds(1)) {}

  void SetUp() override {
    v1::Plan plan;
    plan.set_name("plans/p");
    RegistryWrite write;
    write.plan = plan;
    write.tasks.push_back({Task("原文"), 0});
    ASSERT_TRUE(redis_store_.Write(write).ok());
  }

  static v1::Task Task(const std::string& text, int number = 1) {
    v1::Task task;
    task.set_name("plans/p/tasks/" + std::to_string(number));
    task.set_number(number);
    task.set_text(text);
    task.set_lead_unit("edu");
    return task;
  }

  // Another replica's write: straight to Redis, past this cache.
  void WriteElsewhere(const std::string& text, int64_t expected_version) {
    RegistryWrite write;
    write.tasks.push_back({Task(text), expected_version});
    ASSERT_TRUE(redis_store_.Write(write).ok());
  }

  std::string CachedText() { return (*cached_.GetTask({"p", 1}))->value.text(); }

  testing::RedisServer redis_;
  redis::Client client_;
  RedisTaskStore redis_store_;
  FakeClock clock_;
  CachedTaskStore cached_;
};

TEST_F(CachedStoreTest, AnotherReplicasChangeShowsWithinTheTtl) {
  EXPECT_EQ(CachedText(), "原文");
  WriteElsewhere("别处修改", 1);
  clock_.Advance(absl::Milliseconds(500));
  EXPECT_EQ(CachedText(), "原文");  // still fresh
  clock_.Advance(absl::Milliseconds(600));
  EXPECT_EQ(CachedText(), "别处修改");
}

// A refusal decided on the copy asks whether that copy was stale. Found in
// review: the question was put to whatever copy was held by then, which
// another request may already have read afresh.
TEST_F(CachedStoreTest, AStaleCopyIsFoundWhateverHappenedToItSinceTheDecision) {
  EXPECT_EQ(CachedText(), "原文");
  const absl::Time decided_at = clock_.Now();
  EXPECT_FALSE(*cached_.DropCatalogIfStale({"p", 1}, decided_at));  // the copy is Redis's

  WriteElsewhere("别处修改", 1);
  clock_.Advance(absl::Milliseconds(100));
  const absl::Time first = clock_.Now(), second = clock_.Now() + absl::Milliseconds(50);
  // One request finds the copy stale, drops it, and reads it afresh…
  EXPECT_TRUE(*cached_.DropCatalogIfStale({"p", 1}, first));
  clock_.Advance(absl::Milliseconds(100));
  EXPECT_EQ(CachedText(), "别处修改");
  // …and a second one, refused on the old copy too, is still told to decide
  // again, though the copy held now agrees with Redis.
  EXPECT_TRUE(*cached_.DropCatalogIfStale({"p", 1}, second));
  // A decision on the fresh copy is not.
  EXPECT_FALSE(*cached_.DropCatalogIfStale({"p", 1}, clock_.Now()));
}

// Found in review: a unit added elsewhere (an import through another
// replica) leaves the task's version as it was, so a refusal of the new unit
// as unknown stood on the copy.
TEST_F(CachedStoreTest, AUnitAddedElsewhereMakesARefusalDecideAgain) {
  ASSERT_EQ(CachedText(), "原文");
  ASSERT_TRUE(cached_.ListUnits()->empty());
  const absl::Time decided_at = clock_.Now();
  EXPECT_FALSE(*cached_.DropCatalogIfStale({"p", 1}, decided_at));

  RegistryWrite add_unit;
  v1::Unit unit;
  unit.set_name("units/finance");
  unit.set_code("finance");
  add_unit.units.push_back({unit, 0});
  ASSERT_TRUE(redis_store_.Write(add_unit).ok());
  EXPECT_TRUE(*cached_.DropCatalogIfStale({"p", 1}, decided_at));
  auto units = cached_.ListUnits();
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(units->front().value.code(), "finance");
}

// A clock stepped back does not keep copies fresh for as long as the step.
TEST_F(CachedStoreTest, ACopyReadAfterNowIsNotFresh) {
  EXPECT_EQ(CachedText(), "原文");
  WriteElsewhere("别处修改", 1);
  clock_.Advance(absl::Minutes(-5));
  EXPECT_FALSE(cached_.HoldsFreshCatalog("p"));
  EXPECT_EQ(CachedText(), "别处修改");
  EXPECT_TRUE(cached_.HoldsFreshCatalog("p"));
}

// Found in review: the copy could expire between HoldsFreshCatalog and the
// decision's reads, which then waited for Redis on a gRPC callback thread.
TEST_F(CachedStoreTest, WhereOnlyMemoryMayBeReadAnExpiredCopyIsUnavailable) {
  ASSERT_EQ(CachedText(), "原文");
  ASSERT_TRUE(cached_.ListUnits().ok());
  WriteElsewhere("另一副本改写", 1);
  clock_.Advance(absl::Seconds(2));
  {
    MemoryOnlyReads on_a_callback_thread;
    EXPECT_EQ(cached_.GetTask({"p", 1}).status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(cached_.ListUnits().status().code(), absl::StatusCode::kUnavailable);
    { MemoryOnlyReads nested; }
    EXPECT_TRUE(MemoryOnlyReads::active());
  }
  EXPECT_FALSE(MemoryOnlyReads::active());
  EXPECT_EQ(CachedText(), "另一副本改写");  // read again here, where it may wait
  MemoryOnlyReads fresh_now;
  EXPECT_EQ(CachedText(), "另一副本改写");
}

TEST_F(CachedStoreTest, OwnWritesDropTheCopyAtOnce) {
  EXPECT_EQ(CachedText(), "原文");
  RegistryWrite write;
  write.tasks.push_back({Task("本处修改"), 1});
  ASSERT_TRUE(cached_.Write(write).ok());
  EXPECT_EQ(CachedText(), "本处修改");
}

TEST_F(CachedStoreTest, AWriteBasedOnAStaleCopyIsStillRefusedByRedis) {
  auto stale = *cached_.GetTask({"p", 1});
  WriteElsewhere("别处修改", 1);
  RegistryWrite write;
  write.tasks.push_back({Task("基于旧版本"), stale->version});
  EXPECT_EQ(cached_.Write(write).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ((*redis_store_.GetTask({"p", 1}))->value.text(), "别处修改");
}

TEST_F(CachedStoreTest, FindsEachTaskByItsNumberAndNoneForAnother) {
  RegistryWrite write;
  for (int number : {7, 33, 2})
    write.tasks.push_back({Task("任务" + std::to_string(number), number), 0});
  ASSERT_TRUE(redis_store_.Write(write).ok());
  for (int number : {1, 2, 7, 33}) {
    auto task = cached_.GetTask({"p", number});
    ASSERT_TRUE(task.ok() && task->has_value()) << number;
    EXPECT_EQ((*task)->value.number(), number);
  }
  EXPECT_EQ((*cached_.GetTask({"p", 33}))->value.text(), "任务33");
  EXPECT_FALSE(cached_.GetTask({"p", 3})->has_value());
  EXPECT_FALSE(cached_.GetTask({"other", 1})->has_value());
}

TEST_F(CachedStoreTest, WhatAReaderHoldsIsNotChangedByALaterWrite) {
  auto before = *cached_.ListTasks("p");
  RegistryWrite write;
  write.tasks.push_back({Task("本处修改"), 1});
  ASSERT_TRUE(cached_.Write(write).ok());
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].value.text(), "原文");
  EXPECT_EQ((*cached_.ListTasks("p"))[0].value.text(), "本处修改");
}

// The Redis store, with a ListTasks that can be held after it has read: a
// catalog read that overlaps another write of this replica.
class HeldRedisTaskStore : public RedisTaskStore {
 public:
  using RedisTaskStore::RedisTaskStore;
  absl::StatusOr<std::vector<Stored<v1::Task>>> ListTasks(const std::string& plan_id) override {
    auto tasks = RedisTaskStore::ListTasks(plan_id);
    if (hold_.exchange(false)) {
      read_.set_value();
      release_.get_future().wait();
    }
    return tasks;
  }
  void Hold() { hold_ = true; }
  std::promise<void> read_;
  std::promise<void> release_;

 private:
  std::atomic<bool> hold_{false};
};

TEST_F(CachedStoreTest, ACopyReadBeforeThisReplicasWriteIsNotKept) {
  HeldRedisTaskStore held(client_);
  CachedTaskStore cached(held, clock_, absl::Seconds(1));
  held.Hold();
  // A reader takes the catalog from Redis and is held before it can keep it…
  auto reader = std::async(std::launch::async, [&] { return cached.GetTask({"p", 1}); });
  held.read_.get_future().wait();
  // …while this replica changes the task.
  RegistryWrite write;
  write.tasks.push_back({Task("本处修改"), 1});
  ASSERT_TRUE(cached.Write(write).ok());
  held.release_.set_value();
  auto old = reader.get();
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_EQ((*old)->value.text(), "原文");  // what it read, for the call already under way
  // The next read must not be served the copy that predates the write.
  EXPECT_EQ((*cached.GetTask({"p", 1}))->value.text(), "本处修改");
}

}  // namespace
}  // namespace vetrack::tasks
