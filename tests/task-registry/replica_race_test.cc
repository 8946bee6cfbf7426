// Filings and submissions that race each other, and replicas filing from their
// own in-memory copies: the registry's domain on its Redis store, against a
// real redis-server. Nothing a race lets through may be lost or let in late.
#include <gtest/gtest.h>

#include "cached_task_store.h"
#include "exchange/outbox.h"
#include "registry_fixture.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

// The coordinator's correction of task 8 (at version 1): sci no longer shares it.
v1::UpdateTaskRequest TakeSciOffTask8() {
  v1::UpdateTaskRequest drop_sci;
  drop_sci.mutable_task()->set_name(kTask8);
  drop_sci.mutable_task()->set_etag("1");
  drop_sci.mutable_task()->add_co_units("hrss");
  drop_sci.mutable_task()->add_co_units("ndrc");
  drop_sci.add_update_mask("co_units");
  drop_sci.set_request_id("u-1");
  return drop_sci;
}

// The coordinator's rewording of task 8 (at version 1).
v1::UpdateTaskRequest RewordTask8() {
  v1::UpdateTaskRequest reword;
  reword.mutable_task()->set_name(kTask8);
  reword.mutable_task()->set_etag("1");
  reword.mutable_task()->set_text("更正后的任务表述");
  reword.add_update_mask("text");
  reword.set_request_id("u-1");
  return reword;
}

TEST_F(RegistryTest, AFilingRacingTheLeadsSubmissionIsRefusedNotLetInLate) {
  for (const char* unit : {"edu", "hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(File(unit, std::string("v1 ") + unit, std::string("f-") + unit).ok());
  }
  InterleavingStore other_store(client_);
  TaskRegistry other_replica(other_store, clock_);
  other_store.after_read = [&] { ASSERT_TRUE(Submit("edu", "s-1").ok()); };
  v1::FileProgressRequest req = Filing("v2 after the report went in", "f-late");
  // The guard fails, and the filing, decided again on fresh reads, is told why.
  auto late = other_replica.FileProgress(Principal{Role::kDepartment, "hrss"}, req);
  EXPECT_EQ(ReasonOf(late.status()), "REPORT_LOCKED") << late.status();
  const v1::ListProgressResponse filed = Progress();
  ASSERT_EQ(filed.progress_size(), 4);
  for (const auto& p : filed.progress()) {
    EXPECT_EQ(p.revision(), 1) << p.unit() << " " << p.narrative();
  }
}

// The lead consolidates what it read; a co-unit refiling between that read
// and the submission's write would leave the report standing on a filing
// that is no longer there (and is locked from then on).
TEST_F(RegistryTest, ASubmissionRacingACoUnitsRefilingIsRefusedNotBuiltOnStaleFilings) {
  for (const char* unit : {"edu", "hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(File(unit, std::string("v1 ") + unit, std::string("f-") + unit).ok());
  }
  InterleavingStore lead_store(client_);
  TaskRegistry lead_replica(lead_store, clock_);
  lead_store.after_progress_read = [&] { ASSERT_TRUE(File("hrss", "v2 hrss", "f-hrss-2").ok()); };
  auto raced = SubmitThrough(lead_replica, "edu", "consolidated", "s-race");
  EXPECT_EQ(raced.status().code(), absl::StatusCode::kAborted) << raced.status();
  v1::GetReportRequest get;
  get.set_task(kTask8);
  get.set_period_id("2026-Q3");
  EXPECT_EQ(registry_.GetReport(coordinator_, get).status().code(), absl::StatusCode::kNotFound);
  // Submitted again, it stands on the refiled progress.
  auto submitted = SubmitThrough(lead_replica, "edu", "consolidated", "s-race-2");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(History().back().detail(), "revision 1: every co-unit had filed");
}

// A replica files straight from what it remembers of its own last filing;
// when another replica wrote in between, the guarded write refuses and the
// filing is decided again on fresh reads: nothing lost, nothing twice.
TEST_F(RegistryTest, TwoReplicasFilingFromMemoryLoseNothingAndLetNothingInLate) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);

  ASSERT_TRUE(FileThrough(a, "hrss", "v1", "a-1").ok());
  EXPECT_EQ(store_a.filing_reads, 1);
  auto second = FileThrough(a, "hrss", "v2", "a-2", "1");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(store_a.filing_reads, 1) << "the second filing should write from memory";
  // A retry of the same request gets its first answer, not a third revision
  // (its etag no longer matches what A remembers: decided on fresh reads,
  // which find the answer).
  auto retried = FileThrough(a, "hrss", "v2", "a-2", "1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->SerializeAsString(), second->SerializeAsString());
  EXPECT_EQ(store_a.filing_reads, 2);
  // Without an etag, the script answers the retry from the write itself.
  ASSERT_TRUE(FileThrough(a, "hrss", "v2b", "a-2b").ok());
  auto retried_without_etag = FileThrough(a, "hrss", "v2b", "a-2b");
  ASSERT_TRUE(retried_without_etag.ok()) << retried_without_etag.status();
  EXPECT_EQ(retried_without_etag->revision(), 3);
  EXPECT_EQ(store_a.filing_reads, 2);

  auto from_b = FileThrough(b, "hrss", "v3 from b", "b-1");
  ASSERT_TRUE(from_b.ok()) << from_b.status();
  EXPECT_EQ(from_b->revision(), 4);
  // A remembers revision 3: its write is refused in Redis, then redone.
  auto from_a = FileThrough(a, "hrss", "v4", "a-3");
  ASSERT_TRUE(from_a.ok()) << from_a.status();
  EXPECT_EQ(from_a->revision(), 5);
  EXPECT_EQ(store_a.filing_reads, 3);
  EXPECT_EQ(Progress().progress_size(), 1);
  EXPECT_EQ(Progress().progress(0).narrative(), "v4");
  int filings = 0;
  for (const auto& entry : History()) filings += entry.action() == "FILE_PROGRESS" ? 1 : 0;
  EXPECT_EQ(filings, 5);

  // The lead submits through B; A still remembers the report open.
  for (const char* unit : {"edu", "ndrc", "sci"}) {
    ASSERT_TRUE(FileThrough(b, unit, "v1", std::string("b-") + unit).ok());
  }
  ASSERT_TRUE(SubmitThrough(b, "edu", "汇总", "b-submit").ok());
  auto late = FileThrough(a, "hrss", "v5 after the report went in", "a-4");
  EXPECT_EQ(ReasonOf(late.status()), "REPORT_LOCKED") << late.status();
  const v1::ListProgressResponse filed = Progress();
  for (const auto& p : filed.progress()) {
    if (p.unit() == "hrss") {
      EXPECT_EQ(p.narrative(), "v4");
    }
  }
}

TEST_F(RegistryTest, AUnitTakenOffATaskCannotFileThroughAReplicaStillHoldingTheOldCopy) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);
  ASSERT_TRUE(FileThrough(a, "sci", "v1", "a-1").ok());  // A holds task 8 with sci on it

  ASSERT_TRUE(b.UpdateTask(coordinator_, TakeSciOffTask8()).ok());

  // Within A's copy's second: the copy says sci shares the task; Redis says not.
  auto refused = FileThrough(a, "sci", "v2", "a-2");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied) << refused.status();
  auto filings = [&] {
    int n = 0;
    for (const auto& entry : History()) n += entry.action() == "FILE_PROGRESS" ? 1 : 0;
    return n;
  };
  EXPECT_EQ(filings(), 1);
  // The units still on it file as before.
  EXPECT_TRUE(FileThrough(a, "ndrc", "n1", "a-3").ok());
  EXPECT_EQ(filings(), 2);
}

// The other way round: a correction through replica B lets in what A's copy,
// still within its second, would refuse. A refusal is never decided on the
// copy alone: A reads the task again, finds its copy stale and decides anew.
TEST_F(RegistryTest, WhatAnotherReplicasCorrectionLetsInIsNotRefusedOnAStaleCopy) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);
  ASSERT_TRUE(FileThrough(a, "sci", "v1", "a-1").ok());  // A holds task 8's copy

  v1::UpdateTaskRequest add_finance;
  add_finance.mutable_task()->set_name(kTask8);
  add_finance.mutable_task()->set_etag("1");
  for (const char* unit : {"hrss", "ndrc", "sci", "finance"}) {
    add_finance.mutable_task()->add_co_units(unit);
  }
  add_finance.add_update_mask("co_units");
  add_finance.set_request_id("u-1");
  auto added = b.UpdateTask(coordinator_, add_finance);
  ASSERT_TRUE(added.ok()) << added.status();

  auto filed = FileThrough(a, "finance", "f1", "a-2");
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->unit(), "finance");

  // B hands the lead to ndrc; within A's second ndrc consolidates through A.
  ASSERT_TRUE(FileThrough(b, "edu", "e1", "b-1").ok());
  ASSERT_TRUE(FileThrough(b, "hrss", "h1", "b-2").ok());
  v1::UpdateTaskRequest hand_over;
  hand_over.mutable_task()->set_name(kTask8);
  hand_over.mutable_task()->set_etag(added->etag());
  hand_over.mutable_task()->set_lead_unit("ndrc");
  for (const char* unit : {"edu", "hrss", "sci", "finance"}) {
    hand_over.mutable_task()->add_co_units(unit);
  }
  hand_over.add_update_mask("lead_unit");
  hand_over.add_update_mask("co_units");
  hand_over.set_request_id("u-2");
  auto handed = b.UpdateTask(coordinator_, hand_over);
  ASSERT_TRUE(handed.ok()) << handed.status();
  auto submitted = SubmitThrough(a, "ndrc", "consolidated by the new lead", "a-3");
  ASSERT_TRUE(submitted.ok()) << submitted.status();

  // The coordinator corrects through A with the etag B's correction gave it.
  v1::UpdateTaskRequest reword;
  reword.mutable_task()->set_name(kTask8);
  reword.mutable_task()->set_etag(handed->etag());
  reword.mutable_task()->set_text("B's wording");
  reword.add_update_mask("text");
  reword.set_request_id("u-3");
  auto reworded = b.UpdateTask(coordinator_, reword);
  ASSERT_TRUE(reworded.ok()) << reworded.status();
  reword.mutable_task()->set_etag(reworded->etag());
  reword.mutable_task()->set_text("A's wording");
  reword.set_request_id("u-4");
  auto through_a = a.UpdateTask(coordinator_, reword);
  ASSERT_TRUE(through_a.ok()) << through_a.status();
  EXPECT_EQ(through_a->text(), "A's wording");
}

// Found in review: a co-unit taken off through B still held A's lead to
// account for it. The lead's consolidation through A, within A's second, was
// refused CO_UNITS_MISSING on A's copy alone.
TEST_F(RegistryTest, ALeadIsNotHeldToACoUnitAnotherReplicaTookOff) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);
  for (const char* unit : {"edu", "hrss", "ndrc"}) {  // all but sci
    ASSERT_TRUE(FileThrough(a, unit, "filed", std::string("a-") + unit).ok());
  }
  ASSERT_TRUE(b.UpdateTask(coordinator_, TakeSciOffTask8()).ok());

  auto submitted = SubmitThrough(a, "edu", "consolidated without sci", "a-submit");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::REPORT_STATE_SUBMITTED);
}

// Found in review: an acceptance's outbox entry carries the task's text and
// units from the replica's copy, which nothing guarded: a correction through
// another replica within the copy's second went to the municipality as the
// old wording, for good.
TEST_F(RegistryTest, AnAcceptanceDoesNotSendTheMunicipalityATaskCorrectedElsewhere) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);
  for (const char* unit : {"edu", "hrss", "ndrc", "sci"}) {
    ASSERT_TRUE(FileThrough(a, unit, "filed", std::string("a-") + unit).ok());
  }
  ASSERT_TRUE(SubmitThrough(a, "edu", "consolidated", "a-submit").ok());

  ASSERT_TRUE(b.UpdateTask(coordinator_, RewordTask8()).ok());

  v1::ReviewReportRequest accept;
  accept.set_task(kTask8);
  accept.set_period_id("2026-Q3");
  accept.set_decision(v1::REVIEW_DECISION_ACCEPT);
  accept.set_request_id("a-accept");
  // Decided on A's copy, refused by the task's guard, and decided again on a
  // fresh copy: the caller, who sent no etag, is not told of the race.
  auto accepted = a.ReviewReport(coordinator_, accept);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  auto entries =
      client_.Command({"LRANGE", exchange::OutboxKey("task-registry"), "0", "-1"})->elements;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_NE(entries[0].str.find("更正后的任务表述"), std::string::npos) << entries[0].str;
}

// Another replica's correction reaches this one's catalog copy only after
// its second; a unit filing for the first time through this replica within it
// fails the task's guard, and is decided again on the fresh catalog rather
// than answered ABORTED.
TEST_F(RegistryTest, AFilingJustAfterAnotherReplicasCorrectionIsDecidedAgainNotAborted) {
  InterleavingStore store_a(client_), store_b(client_);
  CachedTaskStore cached_a(store_a, clock_, absl::Seconds(1));
  CachedTaskStore cached_b(store_b, clock_, absl::Seconds(1));
  TaskRegistry a(cached_a, clock_), b(cached_b, clock_);
  ASSERT_TRUE(FileThrough(a, "sci", "v1", "a-1").ok());  // A holds task 8's copy

  v1::UpdateTaskRequest reword = RewordTask8();
  ASSERT_TRUE(b.UpdateTask(coordinator_, reword).ok());

  auto filed = FileThrough(a, "ndrc", "n1", "a-2");
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->revision(), 1);

  // With an etag the caller asked to hear of a race itself: the guard's
  // ABORTED is the answer, and its own retry goes through.
  ASSERT_TRUE(FileThrough(b, "hrss", "h1", "b-1").ok());
  reword.mutable_task()->set_etag("2");
  reword.set_request_id("u-2");
  ASSERT_TRUE(b.UpdateTask(coordinator_, reword).ok());
  auto raced = FileThrough(a, "hrss", "h2", "a-3", "1");
  EXPECT_EQ(raced.status().code(), absl::StatusCode::kAborted) << raced.status();
  auto retried = FileThrough(a, "hrss", "h2", "a-4", "1");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->revision(), 2);
}

}  // namespace
}  // namespace vetrack::tasks
