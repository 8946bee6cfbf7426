#ifndef VETRACK_SERVICES_TASK_REGISTRY_CACHED_TASK_STORE_H_
#define VETRACK_SERVICES_TASK_REGISTRY_CACHED_TASK_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clock/clock.h"
#include "task_store.h"

namespace vetrack::tasks {

// Keeps the catalog (plans, sections, units, tasks) in memory for a short
// time in front of another store; everything else passes through.
//
// Why: the catalog is read on every call and changes a few times a year, yet
// each read would cost a Redis round trip. Why it is safe: a copy is at most
// `ttl` old (another replica's change shows up within it; this replica's own
// writes drop the copy at once), and no decision rests on it alone — every
// write is still guarded by the versions in Redis, so an edit based on a stale
// etag fails with ABORTED there, and a filing or submission judged on a task
// the coordinator corrected meanwhile fails its guard and is decided again on
// a fresh copy. A refusal decided on the copy is checked against Redis's
// version of the task (DropCatalogIfStale) and decided again when they differ.
class CachedTaskStore : public TaskStore {
 public:
  CachedTaskStore(TaskStore& store, const Clock& clock, absl::Duration ttl);

  absl::Status Ping() override { return store_.Ping(); }
  bool HoldsFreshCatalog(const std::string& plan_id) override;
  // Reads the task and the units from the store behind and compares versions.
  absl::StatusOr<bool> DropCatalogIfStale(const TaskRef& ref, absl::Time decided_at) override;
  absl::StatusOr<std::optional<v1::Plan>> GetPlan(const std::string& plan_id) override;
  absl::StatusOr<std::vector<v1::Section>> ListSections(const std::string& plan_id) override;
  absl::StatusOr<std::optional<std::string>> TrackedSince(const std::string& plan_id) override {
    return store_.TrackedSince(plan_id);
  }
  absl::StatusOr<std::vector<Stored<v1::Unit>>> ListUnits() override;
  absl::StatusOr<std::optional<Stored<v1::Task>>> GetTask(const TaskRef& ref) override;
  absl::StatusOr<std::vector<Stored<v1::Task>>> ListTasks(const std::string& plan_id) override;

  absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> GetProgress(
      const TaskRef& ref, const std::string& period_id,
      const std::vector<std::string>& units) override {
    return store_.GetProgress(ref, period_id, units);
  }
  absl::StatusOr<std::optional<Stored<v1::TaskReport>>> GetReport(
      const TaskRef& ref, const std::string& period_id) override {
    return store_.GetReport(ref, period_id);
  }
  absl::StatusOr<std::vector<std::optional<v1::TaskReport>>> GetReportRevisions(
      const TaskRef& ref, const std::string& period_id,
      const std::vector<int>& revisions) override {
    return store_.GetReportRevisions(ref, period_id, revisions);
  }
  absl::StatusOr<std::vector<std::optional<v1::Progress>>> GetProgressRevisions(
      const TaskRef& ref, const std::string& period_id, const std::string& unit,
      const std::vector<int>& revisions) override {
    return store_.GetProgressRevisions(ref, period_id, unit, revisions);
  }
  // Remembers what it read for RecentFilingReads.
  absl::StatusOr<FilingReads> ReadForFiling(const std::string& request_key,
                                            const std::string& fingerprint, const TaskRef& ref,
                                            const std::string& period_id,
                                            const std::string& unit) override;
  std::optional<FilingReads> RecentFilingReads(const TaskRef& ref, const std::string& period_id,
                                               const std::string& unit) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::TaskReport>>>> GetReports(
      const std::vector<TaskRef>& refs, const std::string& period_id) override {
    return store_.GetReports(refs, period_id);
  }
  absl::StatusOr<std::vector<std::vector<std::string>>> FiledUnits(
      const std::vector<TaskRef>& refs, const std::string& period_id,
      const std::vector<std::vector<std::string>>& candidates) override {
    return store_.FiledUnits(refs, period_id, candidates);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::Notice>>>> GetNotices(
      const std::vector<NoticeRef>& refs) override {
    return store_.GetNotices(refs);
  }
  absl::StatusOr<std::vector<Stored<v1::Notice>>> ListNotices(const std::string& plan_id) override {
    return store_.ListNotices(plan_id);
  }
  absl::StatusOr<std::vector<NoticeRef>> ListNoticeRefs(const std::string& plan_id) override {
    return store_.ListNoticeRefs(plan_id);
  }
  absl::StatusOr<std::vector<v1::HistoryEntry>> ListHistory(const TaskRef& ref, int offset,
                                                            int limit, int* total) override {
    return store_.ListHistory(ref, offset, limit, total);
  }
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override {
    return store_.FindAnswer(request_key, fingerprint);
  }
  // Drops the cached catalog when the write touches it; remembers the reports
  // and filings it stored (forgets them when it fails).
  absl::StatusOr<WriteOutcome> Write(const RegistryWrite& write) override;
  void WriteAsync(const RegistryWrite& write, WriteCallback done) override;

 private:
  // One plan's catalog as read at `read_at`. Shared and never changed once
  // cached: a read takes a reference, not a copy of every task (copying the
  // whole catalog was most of what GetTask cost).
  struct PlanCopy {
    absl::Time read_at;
    std::optional<v1::Plan> plan;
    std::vector<v1::Section> sections;
    std::vector<Stored<v1::Task>> tasks;
    std::map<int, size_t> task_index_by_number;
  };
  struct UnitsCopy {
    absl::Time read_at;
    std::vector<Stored<v1::Unit>> units;
  };

  // What a write leaves this store to remember or forget, kept until its
  // outcome is known.
  struct WrittenFilings {
    std::vector<GuardedPut<v1::Progress>> progress;
    std::vector<GuardedPut<v1::TaskReport>> reports;
    std::vector<ReportGuard> unchanged_reports;
    bool catalog = false;
    // Decided on the catalog copy: when the write fails, the copy may be
    // what made it fail, and the retry must not decide on it again.
    bool decided_on_catalog = false;
  };
  static WrittenFilings WrittenBy(const RegistryWrite& write);
  void AfterWrite(const WrittenFilings& written, const absl::StatusOr<WriteOutcome>& outcome);

  // A copy "read" after now (the clock stepped back) is not fresh: it could
  // otherwise stay so for as long as the step.
  bool Fresh(absl::Time read_at) const {
    const absl::Duration age = clock_.Now() - read_at;
    return age >= absl::ZeroDuration() && age < ttl_;
  }
  // The plan's copy, read again from the store when missing or stale.
  absl::StatusOr<std::shared_ptr<const PlanCopy>> Plan(const std::string& plan_id);

  TaskStore& store_;
  const Clock& clock_;
  absl::Duration ttl_;
  std::mutex mu_;
  // Bumped by every catalog write: a copy read from the store while a write
  // went on may predate it, and is not kept.
  uint64_t generation_ = 0;
  std::map<std::string, std::shared_ptr<const PlanCopy>> plans_;
  std::optional<UnitsCopy> units_;

  // What this replica last read or wrote of reports and filings, so that a
  // filing can go straight to its guarded write: one Redis round trip instead
  // of two, each of which waits for an fsync. Keyed "plan/number/period" and
  // "plan/number/period/unit"; an absent value is "known not to exist".
  // Bounded: cleared when it grows past kMaxRemembered entries.
  void RememberReport(const std::string& key, std::optional<Stored<v1::TaskReport>> report);
  void RememberProgress(const std::string& key, std::optional<Stored<v1::Progress>> progress);
  static constexpr size_t kMaxRemembered = 20000;
  std::mutex filing_mu_;
  std::map<std::string, std::optional<Stored<v1::TaskReport>>> recent_reports_;
  std::map<std::string, std::optional<Stored<v1::Progress>>> recent_progress_;
};

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_CACHED_TASK_STORE_H_
