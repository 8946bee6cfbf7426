// FileProgressAsync against a real redis-server: a replica that remembers the
// filing state writes without handing anything to a blocking thread, and
// every case it cannot decide from memory goes the careful way and gets the
// same answer FileProgress would give.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "cached_task_store.h"
#include "registry_fixture.h"
#include "server/work_queue.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

class FilingAsyncTest : public RegistryTest {
 protected:
  FilingAsyncTest() : memory_(replica_store_, clock_, absl::Seconds(1)) {
    RegistryOptions options;
    options.run_blocking = [this](std::function<void()> work) {
      ++handed_over_;
      work_.Post(std::move(work));
    };
    replica_.emplace(memory_, clock_, options);
  }

  struct Answer {
    absl::StatusOr<v1::Progress> progress;
  };
  Answer FileAsync(const std::string& unit, const v1::FileProgressRequest& req) {
    std::promise<Answer> answer;
    auto got = answer.get_future();
    replica_->FileProgressAsync(Principal{Role::kDepartment, unit}, req,
                                [&answer](absl::StatusOr<v1::Progress> progress) {
                                  answer.set_value({std::move(progress)});
                                });
    return got.get();
  }

  int FilingsInHistory() {
    int filings = 0;
    for (const auto& entry : History()) filings += entry.action() == "FILE_PROGRESS" ? 1 : 0;
    return filings;
  }

  InterleavingStore replica_store_{client_};
  CachedTaskStore memory_;
  WorkQueue work_{2};
  std::atomic<int> handed_over_{0};
  std::optional<TaskRegistry> replica_;
};

TEST_F(FilingAsyncTest, WritesFromMemoryWithoutABlockingThreadAndFallsBackWhenItMust) {
  // Nothing remembered yet: read first, on the pool.
  auto first = FileAsync("hrss", Filing("v1", "a-1"));
  ASSERT_TRUE(first.progress.ok()) << first.progress.status();
  EXPECT_EQ(first.progress->revision(), 1);
  EXPECT_EQ(handed_over_, 1);
  EXPECT_EQ(replica_store_.filing_reads, 1);

  // Remembered: no read, nothing handed over. (Who sends it to Redis — this
  // caller, or a sender still finishing the previous batch — is the
  // batcher's business and is tested with it.)
  auto second = FileAsync("hrss", Filing("v2", "a-2", "1"));
  ASSERT_TRUE(second.progress.ok()) << second.progress.status();
  EXPECT_EQ(second.progress->revision(), 2);
  EXPECT_EQ(handed_over_, 1);
  EXPECT_EQ(replica_store_.filing_reads, 1);

  // Another replica files in between: the remembered version fails its
  // guard in Redis and the filing is decided again on fresh reads.
  ASSERT_TRUE(File("hrss", "v3 elsewhere", "b-1").ok());
  const int handed_before = handed_over_;
  auto after_other = FileAsync("hrss", Filing("v4", "a-4"));
  ASSERT_TRUE(after_other.progress.ok()) << after_other.progress.status();
  EXPECT_EQ(after_other.progress->revision(), 4);
  EXPECT_EQ(handed_over_, handed_before + 1);

  // A retry of an answered request gets its first answer from the write's
  // script, still without a read.
  auto third = FileAsync("hrss", Filing("v5", "a-5"));
  ASSERT_TRUE(third.progress.ok()) << third.progress.status();
  auto retried = FileAsync("hrss", Filing("v5", "a-5"));
  ASSERT_TRUE(retried.progress.ok()) << retried.progress.status();
  EXPECT_EQ(retried.progress->SerializeAsString(), third.progress->SerializeAsString());
  EXPECT_EQ(third.progress->revision(), 5);
  EXPECT_EQ(replica_store_.filing_reads, 2);
  EXPECT_EQ(handed_over_, handed_before + 1);

  // The same request_id with another payload is refused, naming the field;
  // a stale etag is refused as FileProgress refuses it. Neither stores anything.
  auto reused = FileAsync("hrss", Filing("another payload", "a-5"));
  EXPECT_EQ(FieldViolationsOf(reused.progress.status()).at(0).field, "request_id")
      << reused.progress.status();
  auto stale = FileAsync("hrss", Filing("lost update", "a-6", "2"));
  EXPECT_EQ(stale.progress.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(FieldViolationsOf(stale.progress.status()).at(0).field, "etag");

  ASSERT_EQ(Progress().progress_size(), 1);
  EXPECT_EQ(Progress().progress(0).narrative(), "v5");
  EXPECT_EQ(FilingsInHistory(), 5);
}

// The catalog copy outlives its ttl while the filing state is still
// remembered: reading the catalog again waits for Redis, so the filing goes
// to a thread that may wait rather than doing that on a callback thread.
TEST_F(FilingAsyncTest, AStaleCatalogCopyIsReadAgainOffTheCallbackThread) {
  ASSERT_TRUE(FileAsync("hrss", Filing("v1", "s-1")).progress.ok());
  ASSERT_TRUE(FileAsync("hrss", Filing("v2", "s-2", "1")).progress.ok());
  const int handed_before = handed_over_;
  const int reads_before = replica_store_.filing_reads;

  clock_.Advance(absl::Seconds(2));
  auto after_ttl = FileAsync("hrss", Filing("v3", "s-3", "2"));
  ASSERT_TRUE(after_ttl.progress.ok()) << after_ttl.progress.status();
  EXPECT_EQ(after_ttl.progress->revision(), 3);
  EXPECT_EQ(handed_over_, handed_before + 1);
  EXPECT_EQ(replica_store_.filing_reads, reads_before + 1);

  // The careful path read the catalog again: from memory once more.
  auto next = FileAsync("hrss", Filing("v4", "s-4", "3"));
  ASSERT_TRUE(next.progress.ok()) << next.progress.status();
  EXPECT_EQ(handed_over_, handed_before + 1);
}

// A clock that, once ticking, is a step later each time it is read.
class TickingClock : public Clock {
 public:
  explicit TickingClock(absl::Time now) : now_ns_(absl::ToUnixNanos(now)) {}
  absl::Time Now() const override {
    return absl::FromUnixNanos(now_ns_.fetch_add(step_ns_.load()));
  }
  void Tick(absl::Duration step) { step_ns_ = absl::ToInt64Nanoseconds(step); }

 private:
  mutable std::atomic<int64_t> now_ns_;
  std::atomic<int64_t> step_ns_{0};
};

// Found in review: the copy could expire between HoldsFreshCatalog and the
// decision's own reads of it, which then waited for Redis in place, on what
// is one of gRPC's callback threads.
TEST_F(FilingAsyncTest, ACopyExpiringDuringTheDecisionSendsItToTheCarefulPath) {
  TickingClock ticking(clock_.Now());
  CachedTaskStore memory(replica_store_, ticking, absl::Seconds(1));
  RegistryOptions options;
  std::atomic<int> handed_over{0};
  options.run_blocking = [this, &handed_over](std::function<void()> work) {
    ++handed_over;
    work_.Post(std::move(work));
  };
  TaskRegistry replica(memory, clock_, options);
  auto file = [&](const v1::FileProgressRequest& req) {
    std::promise<absl::StatusOr<v1::Progress>> answer;
    replica.FileProgressAsync(Principal{Role::kDepartment, "hrss"}, req,
                              [&answer](absl::StatusOr<v1::Progress> progress) {
                                answer.set_value(std::move(progress));
                              });
    return answer.get_future().get();
  };
  ASSERT_TRUE(file(Filing("v1", "t-1")).ok());
  ASSERT_TRUE(file(Filing("v2", "t-2", "1")).ok());
  ASSERT_EQ(handed_over, 1);  // the second was decided from memory

  // The copy's clock now reads 0, 0.6 and 1.2 s after it was read: fresh for
  // HoldsFreshCatalog and the decision's GetTask, expired for its period's
  // read of the plan, still within the decision.
  ticking.Tick(absl::Milliseconds(600));
  auto third = file(Filing("v3", "t-3", "2"));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->revision(), 3);
  EXPECT_EQ(handed_over, 2);
}

// Without threads for blocking work, nothing may be finished on the store's
// thread (the careful path would wait there for itself): it is FileProgress.
TEST_F(FilingAsyncTest, WithoutThreadsForBlockingWorkItIsFileProgressAnsweredAtOnce) {
  ASSERT_TRUE(File("hrss", "v1", "r-1").ok());
  std::optional<absl::StatusOr<v1::Progress>> answer;
  std::thread::id answered_on;
  registry_.FileProgressAsync(Principal{Role::kDepartment, "hrss"}, Filing("v2", "r-2", "1"),
                              [&](absl::StatusOr<v1::Progress> progress) {
                                answer = std::move(progress);
                                answered_on = std::this_thread::get_id();
                              });
  ASSERT_TRUE(answer.has_value());
  ASSERT_TRUE(answer->ok()) << answer->status();
  EXPECT_EQ((*answer)->revision(), 2);
  EXPECT_EQ(answered_on, std::this_thread::get_id());
}

// The fast path remembers the report a late co-unit's filing rewrote: a
// second filing from memory is refused, and the report read from Redis no
// longer lists the unit as missing.
TEST_F(FilingAsyncTest, ACoUnitTheLeadWentWithoutFilesOnceFromMemoryToo) {
  for (const char* unit : {"edu", "hrss", "ndrc"}) {
    auto filed = FileAsync(unit, Filing(std::string("v1 ") + unit, std::string("a-") + unit));
    ASSERT_TRUE(filed.progress.ok()) << filed.progress.status();
  }
  clock_.Set(absl::FromCivil(absl::CivilDay(2026, 10, 20), kTz));  // past the deadline
  ASSERT_TRUE(Submit("edu", "b-submit").ok());                     // without sci
  auto late = FileAsync("sci", Filing("迟报", "a-sci"));
  ASSERT_TRUE(late.progress.ok()) << late.progress.status();
  auto again = FileAsync("sci", Filing("改", "a-sci-2", "1"));
  EXPECT_EQ(ReasonOf(again.progress.status()), "REPORT_LOCKED") << again.progress.status();
  v1::GetReportRequest get;
  get.set_task(kTask8);
  get.set_period_id("2026-Q3");
  auto report = registry_.GetReport(coordinator_, get);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->missing_units_size(), 0);
  EXPECT_EQ(report->state(), v1::REPORT_STATE_SUBMITTED);
}

TEST_F(FilingAsyncTest, AFilingFromMemoryAfterTheLeadSubmittedIsRefusedNotLetIn) {
  for (const char* unit : {"edu", "hrss", "ndrc", "sci"}) {
    auto filed = FileAsync(unit, Filing(std::string("v1 ") + unit, std::string("a-") + unit));
    ASSERT_TRUE(filed.progress.ok()) << filed.progress.status();
  }
  // Submitted through another replica; this one still remembers it open.
  ASSERT_TRUE(Submit("edu", "b-submit").ok());
  auto late = FileAsync("hrss", Filing("v2 after the report went in", "a-late"));
  EXPECT_EQ(ReasonOf(late.progress.status()), "REPORT_LOCKED") << late.progress.status();
  const v1::ListProgressResponse filed = Progress();
  ASSERT_EQ(filed.progress_size(), 4);
  for (const auto& p : filed.progress()) EXPECT_EQ(p.revision(), 1) << p.unit();
}

// GetTask on the callback threads: in place while the catalog copy is fresh,
// on the blocking pool when it must be read from Redis, never kept for a
// plan that does not exist.
TEST_F(FilingAsyncTest, GetTaskWaitsForRedisOnlyOffTheCallbackThread) {
  auto get = [&](const std::string& name) {
    v1::GetTaskRequest req;
    req.set_name(name);
    std::promise<absl::StatusOr<v1::Task>> answer;
    auto got = answer.get_future();
    replica_->GetTaskAsync(coordinator_, req, [&answer](absl::StatusOr<v1::Task> task) {
      answer.set_value(std::move(task));
    });
    return got.get();
  };
  auto first = get(kTask8);  // no copy yet: read on the pool
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->number(), 8);
  EXPECT_EQ(handed_over_, 1);
  EXPECT_TRUE(get(kTask8).ok());  // the copy is fresh: in place
  EXPECT_EQ(handed_over_, 1);
  clock_.Advance(absl::Seconds(2));  // stale: read again, on the pool
  EXPECT_TRUE(get(kTask8).ok());
  EXPECT_EQ(handed_over_, 2);

  for (int i = 0; i < 2; ++i) {
    auto absent = get("plans/no-such-plan/tasks/1");
    EXPECT_EQ(absent.status().code(), absl::StatusCode::kNotFound) << absent.status();
  }
  EXPECT_EQ(handed_over_, 4);  // an absent plan is not kept, so each is read
  EXPECT_FALSE(memory_.HoldsFreshCatalog("no-such-plan"));
  EXPECT_EQ(get("bad name").status().code(), absl::StatusCode::kInvalidArgument);
}

// Found in review: as with filings, the copy could expire between the check
// and GetTask's read, which then read the catalog from Redis in place.
TEST_F(FilingAsyncTest, ACopyExpiringBetweenTheCheckAndTheReadIsReadOnThePool) {
  TickingClock ticking(clock_.Now());
  CachedTaskStore memory(replica_store_, ticking, absl::Seconds(1));
  RegistryOptions options;
  std::atomic<int> handed_over{0};
  std::atomic<bool> waited_on_the_pool{false};
  options.run_blocking = [this, &handed_over, &waited_on_the_pool](std::function<void()> work) {
    ++handed_over;
    work_.Post([work = std::move(work), &waited_on_the_pool] {
      waited_on_the_pool = !MemoryOnlyReads::active();
      work();
    });
  };
  TaskRegistry replica(memory, clock_, options);
  auto get = [&] {
    v1::GetTaskRequest req;
    req.set_name(kTask8);
    std::promise<absl::StatusOr<v1::Task>> answer;
    replica.GetTaskAsync(coordinator_, req, [&answer](absl::StatusOr<v1::Task> task) {
      answer.set_value(std::move(task));
    });
    return answer.get_future().get();
  };
  ASSERT_TRUE(get().ok());  // no copy yet: read on the pool
  ASSERT_EQ(handed_over, 1);
  // The copy's clock reads the time of its read at the check (fresh) and
  // 1.1 s later at GetTask's read (expired).
  ticking.Tick(absl::Milliseconds(1100));
  auto task = get();
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->number(), 8);
  EXPECT_EQ(handed_over, 2);
  EXPECT_TRUE(waited_on_the_pool);
}

}  // namespace
}  // namespace vetrack::tasks
