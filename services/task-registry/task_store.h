#ifndef VETRACK_SERVICES_TASK_REGISTRY_TASK_STORE_H_
#define VETRACK_SERVICES_TASK_REGISTRY_TASK_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "idempotency/idempotency.h"
#include "names.h"
#include "notices.h"
#include "redis/stored_entity.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::tasks {

using redis::GuardedPut;
using redis::Stored;
using redis::ValueOf;

// A task report that must still be at `version` (0: not yet submitted) for a
// write to apply.
struct ReportGuard {
  TaskRef ref;
  std::string period_id;
  int64_t version = 0;
};

// A task as read when a change was decided on it.
struct TaskGuard {
  TaskRef ref;
  int64_t version = 0;
};

// A unit's filing as read when a report was consolidated from it (0: none
// filed yet).
struct ProgressGuard {
  TaskRef ref;
  std::string period_id;
  std::string unit;
  int64_t version = 0;
};

// A 督办 notice as read when another was decided on it (0: none issued).
struct NoticeGuard {
  NoticeRef ref;
  int64_t version = 0;
};

// One change to the registry. The store applies it all or nothing.
struct RegistryWrite {
  std::optional<v1::Plan> plan;
  std::optional<std::vector<v1::Section>> sections;
  std::vector<GuardedPut<v1::Unit>> units;
  std::vector<GuardedPut<v1::Task>> tasks;
  std::vector<GuardedPut<v1::Progress>> progress;
  std::vector<GuardedPut<v1::TaskReport>> reports;
  // 督办 notices, stored without their computed fields.
  std::vector<GuardedPut<v1::Notice>> notices;
  // Reports whose state the change was decided on (a filing is allowed only
  // while the period's report is open): ABORTED if one moved meanwhile.
  std::vector<ReportGuard> unchanged_reports;
  // Tasks whose responsible units the change was decided on (the catalog copy
  // may be a second old): ABORTED if a coordinator corrected one meanwhile.
  std::vector<TaskGuard> unchanged_tasks;
  // Filings a submission consolidated: ABORTED if a unit filed or refiled
  // meanwhile, so a report never stands on filings that are no longer there.
  std::vector<ProgressGuard> unchanged_progress;
  // Notices a new one's level was decided on (one per level for each thing
  // owed, never a yellow after a red): ABORTED if one was issued meanwhile.
  std::vector<NoticeGuard> unchanged_notices;
  // Appended to the history of the task named in each pair.
  std::vector<std::pair<TaskRef, v1::HistoryEntry>> history;
  // Exchange entries (JSON) appended to the registry's outbox, so an accepted
  // report is delivered to the municipality if and only if it is stored.
  std::vector<std::string> outbox;
  // The quarter a catalog load of `plan` happened in: escalations are listed
  // from the first such quarter on (TaskStore::TrackedSince).
  std::optional<std::string> tracked_quarter;
  std::optional<Answer> answer;
};

// What filing progress reads before it writes: the earlier answer to the
// request, the period's report and the unit's own filing.
struct FilingReads {
  std::optional<std::string> earlier_answer;
  std::optional<Stored<v1::TaskReport>> report;
  std::optional<Stored<v1::Progress>> progress;
};

// While one is alive, the thread that made it must not wait for Redis (it
// is one of gRPC's callback threads): a store with copies in memory answers
// from a fresh copy only, and UNAVAILABLE where it would read, so that the
// caller hands the work to a thread that may wait. A copy can expire between
// HoldsFreshCatalog and the reads of the decision; this is what catches it.
class MemoryOnlyReads {
 public:
  MemoryOnlyReads();
  ~MemoryOnlyReads();
  MemoryOnlyReads(const MemoryOnlyReads&) = delete;
  MemoryOnlyReads& operator=(const MemoryOnlyReads&) = delete;

  static bool active();

 private:
  bool was_active_;
};

// Where the registry keeps its state. Reads return entities with their etag
// set from the stored version.
class TaskStore {
 public:
  virtual ~TaskStore() = default;

  // OK while the store answers; drives the health status.
  virtual absl::Status Ping() = 0;
  // Whether the plan's catalog can be read without waiting for Redis (a copy
  // in memory, still fresh): a caller on a thread that must not block reads
  // it in place only then.
  virtual bool HoldsFreshCatalog(const std::string& plan_id) { return false; }
  // For a refusal that rested on the catalog (a unit not on the task, not its
  // lead, a task etag that does not match), decided since `decided_at`:
  // whether the copy it may have been decided on is gone or older than
  // Redis's task or units. If older, the copy is dropped; either way the caller
  // decides again, on a fresh one. A store without copies answers false.
  virtual absl::StatusOr<bool> DropCatalogIfStale(const TaskRef& ref, absl::Time decided_at) {
    return false;
  }

  virtual absl::StatusOr<std::optional<v1::Plan>> GetPlan(const std::string& plan_id) = 0;
  virtual absl::StatusOr<std::vector<v1::Section>> ListSections(const std::string& plan_id) = 0;
  // The first quarter (e.g. "2026-Q4") in which the plan's catalog was loaded:
  // vetrack has tracked the plan's work since, and the quarters before it
  // predate its use. nullopt for a catalog loaded before this was recorded.
  virtual absl::StatusOr<std::optional<std::string>> TrackedSince(const std::string& plan_id) = 0;
  virtual absl::StatusOr<std::vector<Stored<v1::Unit>>> ListUnits() = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::Task>>> GetTask(const TaskRef& ref) = 0;
  // Ordered by task number.
  virtual absl::StatusOr<std::vector<Stored<v1::Task>>> ListTasks(const std::string& plan_id) = 0;
  // The filings of `units` for a task and period, keyed by unit; absent units
  // have not filed.
  virtual absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> GetProgress(
      const TaskRef& ref, const std::string& period_id, const std::vector<std::string>& units) = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::TaskReport>>> GetReport(
      const TaskRef& ref, const std::string& period_id) = 0;
  // Revisions of a period's report, as each last stood: entry i answers
  // revisions[i], nullopt where none is kept (submitted before revisions
  // were kept, or not submitted).
  virtual absl::StatusOr<std::vector<std::optional<v1::TaskReport>>> GetReportRevisions(
      const TaskRef& ref, const std::string& period_id, const std::vector<int>& revisions) = 0;
  // A unit's filings of a period by revision, as GetReportRevisions.
  virtual absl::StatusOr<std::vector<std::optional<v1::Progress>>> GetProgressRevisions(
      const TaskRef& ref, const std::string& period_id, const std::string& unit,
      const std::vector<int>& revisions) = 0;
  // FindAnswer, GetReport and one unit's GetProgress together, in one round
  // trip: filing is the registry's busiest write, and every round trip to a
  // Redis that fsyncs each write costs an fsync (INVALID_ARGUMENT on
  // request_id as FindAnswer).
  virtual absl::StatusOr<FilingReads> ReadForFiling(const std::string& request_key,
                                                    const std::string& fingerprint,
                                                    const TaskRef& ref,
                                                    const std::string& period_id,
                                                    const std::string& unit) = 0;
  // The period's report and the unit's filing as this process last read or
  // wrote them, without asking the store (earlier_answer is never set); none
  // when it has no such memory. They may be stale: a write based on them is
  // still guarded by their versions, and its caller must fall back to
  // ReadForFiling when it fails.
  virtual std::optional<FilingReads> RecentFilingReads(const TaskRef& /*ref*/,
                                                       const std::string& /*period_id*/,
                                                       const std::string& /*unit*/) {
    return std::nullopt;
  }
  // Entry i answers refs[i].
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::TaskReport>>>> GetReports(
      const std::vector<TaskRef>& refs, const std::string& period_id) = 0;
  // For each ref, the units that have filed in the period.
  virtual absl::StatusOr<std::vector<std::vector<std::string>>> FiledUnits(
      const std::vector<TaskRef>& refs, const std::string& period_id,
      const std::vector<std::vector<std::string>>& candidates) = 0;
  // Entry i answers refs[i].
  virtual absl::StatusOr<std::vector<std::optional<Stored<v1::Notice>>>> GetNotices(
      const std::vector<NoticeRef>& refs) = 0;
  // Every notice issued on the plan's tasks, in no particular order.
  virtual absl::StatusOr<std::vector<Stored<v1::Notice>>> ListNotices(
      const std::string& plan_id) = 0;
  // What those notices are about, from their names alone (no notice read).
  virtual absl::StatusOr<std::vector<NoticeRef>> ListNoticeRefs(const std::string& plan_id) = 0;
  // Oldest first; `total` receives the history's length.
  virtual absl::StatusOr<std::vector<v1::HistoryEntry>> ListHistory(const TaskRef& ref, int offset,
                                                                    int limit, int* total) = 0;

  // The earlier answer to a request, if any; INVALID_ARGUMENT on request_id
  // when the key was used with a different fingerprint.
  virtual absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                                const std::string& fingerprint) = 0;
  virtual absl::StatusOr<WriteOutcome> Write(const RegistryWrite& write) = 0;
  // Write, handing the outcome to `done` on whichever thread sends the write
  // to the store: the store's own, or this caller's when nothing else is on
  // its way (it then waits for the store and answers the writes it sent, see
  // redis::BatchSender). `done` must not block there (hand blocking work
  // elsewhere). `write` is not used after this returns. By default, Write then
  // `done`.
  using WriteCallback = std::function<void(absl::StatusOr<WriteOutcome>)>;
  virtual void WriteAsync(const RegistryWrite& write, WriteCallback done) { done(Write(write)); }
};

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_TASK_STORE_H_
