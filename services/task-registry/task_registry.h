#ifndef VETRACK_SERVICES_TASK_REGISTRY_TASK_REGISTRY_H_
#define VETRACK_SERVICES_TASK_REGISTRY_TASK_REGISTRY_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "clock/clock.h"
#include "task_store.h"
#include "vetrack/tasks/v1/tasks.pb.h"
#include "workflow.h"

namespace vetrack::tasks {

struct RegistryOptions {
  // Progress and reports for a quarter are due this long after it ends.
  absl::Duration grace_after_quarter = absl::Hours(24 * 10);
  EscalationPolicy escalation;
  // Where FileProgressAsync runs what may wait for the store (see there):
  // threads that may block, not the store's own. Without it, FileProgressAsync
  // is FileProgress, answered before it returns.
  std::function<void(std::function<void()>)> run_blocking;
};

// The task registry's domain: the catalog and the joint-responsibility
// workflow. It knows nothing of gRPC: requests come already validated for
// shape (validation.h), and errors are absl::Status with field details.
// Every mutation is idempotent by the request's request_id.
class TaskRegistry {
 public:
  TaskRegistry(TaskStore& store, const Clock& clock, RegistryOptions options = {});

  // Catalog (registry_catalog.cc).
  absl::StatusOr<v1::ImportCatalogResponse> ImportCatalog(const Principal& caller,
                                                          const v1::ImportCatalogRequest& req);
  absl::StatusOr<v1::Plan> GetPlan(const Principal& caller, const v1::GetPlanRequest& req);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(const Principal& caller,
                                                  const v1::ListUnitsRequest& req);
  absl::StatusOr<v1::ListSectionsResponse> ListSections(const Principal& caller,
                                                        const v1::ListSectionsRequest& req);
  absl::StatusOr<v1::Task> GetTask(const Principal& caller, const v1::GetTaskRequest& req);
  // GetTask for gRPC's callback threads: answered in place from a fresh
  // catalog copy, else through options.run_blocking, as the read may wait
  // for Redis.
  using TaskCallback = std::function<void(absl::StatusOr<v1::Task>)>;
  void GetTaskAsync(const Principal& caller, const v1::GetTaskRequest& req, TaskCallback done);
  absl::StatusOr<v1::ListTasksResponse> ListTasks(const Principal& caller,
                                                  const v1::ListTasksRequest& req);
  absl::StatusOr<v1::Task> UpdateTask(const Principal& caller, const v1::UpdateTaskRequest& req);
  absl::StatusOr<v1::ListPeriodsResponse> ListPeriods(const Principal& caller,
                                                      const v1::ListPeriodsRequest& req);

  // Workflow (registry_workflow.cc).
  absl::StatusOr<v1::Progress> FileProgress(const Principal& caller,
                                            const v1::FileProgressRequest& req);
  // FileProgress for gRPC's callback threads: `done` gets the answer later.
  // When this replica remembers the report and the unit's filing
  // (TaskStore::RecentFilingReads) and holds a fresh catalog copy
  // (TaskStore::HoldsFreshCatalog), it decides on them and hands the write to
  // TaskStore::WriteAsync, and `done` runs on the thread that sends it (this
  // one, when no other write is at Redis). Anything else (nothing remembered,
  // a refusal, a failed guard) goes to FileProgress's careful path through
  // options.run_blocking, which may wait on reads.
  using FilingCallback = std::function<void(absl::StatusOr<v1::Progress>)>;
  void FileProgressAsync(const Principal& caller, const v1::FileProgressRequest& req,
                         FilingCallback done);
  absl::StatusOr<v1::ListProgressResponse> ListProgress(const Principal& caller,
                                                        const v1::ListProgressRequest& req);
  absl::StatusOr<v1::TaskReport> SubmitReport(const Principal& caller,
                                              const v1::SubmitReportRequest& req);
  absl::StatusOr<v1::TaskReport> GetReport(const Principal& caller,
                                           const v1::GetReportRequest& req);
  absl::StatusOr<v1::TaskReport> ReviewReport(const Principal& caller,
                                              const v1::ReviewReportRequest& req);
  absl::StatusOr<v1::ListTaskHistoryResponse> ListTaskHistory(
      const Principal& caller, const v1::ListTaskHistoryRequest& req);
  absl::StatusOr<v1::ListEscalationsResponse> ListEscalations(
      const Principal& caller, const v1::ListEscalationsRequest& req);

  // Earlier revisions of reports and filings (registry_revisions.cc).
  absl::StatusOr<v1::ListReportRevisionsResponse> ListReportRevisions(
      const Principal& caller, const v1::ListReportRevisionsRequest& req);
  absl::StatusOr<v1::ListProgressRevisionsResponse> ListProgressRevisions(
      const Principal& caller, const v1::ListProgressRevisionsRequest& req);

  // 督办 notices (registry_notices.cc).
  absl::StatusOr<v1::Notice> IssueNotice(const Principal& caller,
                                         const v1::IssueNoticeRequest& req);
  absl::StatusOr<v1::Notice> GetNotice(const Principal& caller, const v1::GetNoticeRequest& req);
  absl::StatusOr<v1::Notice> AcknowledgeNotice(const Principal& caller,
                                               const v1::AcknowledgeNoticeRequest& req);
  absl::StatusOr<v1::ListNoticesResponse> ListNotices(const Principal& caller,
                                                      const v1::ListNoticesRequest& req);

 private:
  // What a task owes for a quarter as read now: the period's report and its
  // co-units' filings, and the ladder they give.
  struct OwedNow {
    std::optional<Stored<v1::TaskReport>> report;
    std::map<std::string, Stored<v1::Progress>> filings;
    std::vector<v1::Escalation> ladder;
  };
  // The ladder (EscalationsFor) of `tasks`, all of plan `plan_id`, for one
  // quarter as read now, in two round trips whatever the number of tasks.
  absl::StatusOr<std::vector<v1::Escalation>> Ladder(const std::string& plan_id,
                                                     const std::vector<Stored<v1::Task>>& tasks,
                                                     const v1::Period& period, absl::Time now);
  absl::StatusOr<OwedNow> ReadOwed(const TaskRef& ref, const v1::Task& task,
                                   const v1::Period& period, absl::Time now);
  // The escalations of quarters before `first_tracked` that the coordinator
  // issued a notice for: chased, so listed until resolved like any other.
  absl::StatusOr<std::vector<v1::Escalation>> ChasedBeforeTracking(
      const std::string& plan_id, const std::vector<Stored<v1::Task>>& tasks,
      const std::string& first_tracked, absl::Time now);
  // Sets each escalation's notice (AttachNotices), reading only the notices
  // these escalations could have: a page of them, not the plan's every one.
  absl::Status AttachIssuedNotices(std::vector<v1::Escalation>* escalations);

  // Runs a mutation once per (caller, request_id): a replay gets the stored
  // answer in `response` without running `prepare`. `prepare` fills the write
  // and `response`; both are committed together.
  absl::Status Once(const Principal& caller, const google::protobuf::Message& request,
                    const std::string& request_id, google::protobuf::Message* response,
                    const std::function<absl::Status(RegistryWrite*)>& prepare);
  using FindAnswer = std::function<absl::StatusOr<std::optional<std::string>>(
      const std::string& request_key, const std::string& fingerprint)>;
  // As above, with the earlier answer looked up by `find_answer` (which may
  // read what `prepare` needs in the same round trip).
  absl::Status Once(const Principal& caller, const google::protobuf::Message& request,
                    const std::string& request_id, google::protobuf::Message* response,
                    const FindAnswer& find_answer,
                    const std::function<absl::Status(RegistryWrite*)>& prepare);

  // One attempt at filing: with `recent` (RecentFilingReads) it skips the
  // read and lets the guarded write check what it assumed; without, it reads
  // the answer, report and filing first.
  absl::StatusOr<v1::Progress> FileProgressWith(const Principal& caller,
                                                const v1::FileProgressRequest& req,
                                                const std::string& unit,
                                                std::optional<FilingReads> recent);
  // FileProgressWith on fresh reads. A filing without an etag is the unit's
  // latest word, so a guard that fails under it (another replica changed the
  // task within this replica's catalog copy, or the report moved) is decided
  // once more on what the failed write left fresh, rather than handed to the
  // caller as ABORTED to retry. With an etag the caller asked to be told.
  absl::StatusOr<v1::Progress> FileProgressFresh(const Principal& caller,
                                                 const v1::FileProgressRequest& req,
                                                 const std::string& unit);

  // Checks a filing against `reads` and builds its write and answer.
  absl::Status PrepareFiling(const Principal& caller, const v1::FileProgressRequest& req,
                             const std::string& unit, const FilingReads& reads,
                             RegistryWrite* write, v1::Progress* response);

  // Whether `status` refuses a change on a catalog copy older than Redis
  // (another replica changed the task within the copy's ttl); the copy is
  // then dropped, and the caller decides once more, on a fresh one. A
  // refusal must not rest on the copy alone: the write guards catch what a
  // stale copy wrongly lets through, but nothing would catch what it wrongly
  // refuses.
  bool RefusedOnStaleCopy(const absl::Status& status, const std::string& task_name,
                          absl::Time decided_at);
  // Once, decided once more on a fresh copy when its refusal may rest on a
  // stale one (RefusedOnStaleCopy), and with `again_on_failed_guard` when a
  // write guard failed (a caller without an etag leaves such races to the
  // registry; the failed write has dropped the copy it was decided on).
  absl::Status OnceOnFreshCopy(const Principal& caller, const google::protobuf::Message& request,
                               const std::string& request_id, const std::string& task_name,
                               google::protobuf::Message* response,
                               const std::function<absl::Status(RegistryWrite*)>& prepare,
                               bool again_on_failed_guard = false);

  absl::StatusOr<v1::Plan> LoadPlan(const std::string& plan_id, const std::string& field);
  // FAILED_PRECONDITION (REPORT_IN_REVIEW) while the report of `period_id`,
  // the quarter a correction of the task's units takes effect in, awaits
  // review: the new lead would answer for a report it did not write, and the
  // platform be told of units that never filed (found in use). Guards the
  // report read in `write`.
  absl::Status CheckNoReportInReview(const TaskRef& ref, const std::string& period_id,
                                     RegistryWrite* write);
  absl::StatusOr<Stored<v1::Task>> LoadTask(const std::string& task_name, TaskRef* ref);
  // LoadTask, with the units that answer for `period_id` (AssignedIn).
  absl::StatusOr<Stored<v1::Task>> LoadTaskIn(const std::string& task_name,
                                              const std::string& period_id, TaskRef* ref);
  // LoadTaskIn, for a caller who only reads that quarter: PERMISSION_DENIED
  // unless it may (CheckCanReadTaskIn).
  absl::StatusOr<Stored<v1::Task>> LoadReadableTaskIn(const Principal& caller,
                                                      const std::string& task_name,
                                                      const std::string& period_id, TaskRef* ref);
  // NOT_FOUND on `unit` unless the catalog has a unit of that code.
  absl::Status CheckUnitExists(const std::string& unit);
  // Parses the period and checks that it can be reported on.
  absl::StatusOr<v1::Period> LoadPeriod(const std::string& plan_id, const std::string& period_id);
  v1::HistoryEntry History(const Principal& caller, const std::string& action,
                           const std::string& period_id, const std::string& detail) const;

  TaskStore& store_;
  const Clock& clock_;
  RegistryOptions options_;
};

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_TASK_REGISTRY_H_
