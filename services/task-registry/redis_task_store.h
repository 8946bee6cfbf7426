#ifndef VETRACK_SERVICES_TASK_REGISTRY_REDIS_TASK_STORE_H_
#define VETRACK_SERVICES_TASK_REGISTRY_REDIS_TASK_STORE_H_

#include <string>

#include "redis/atomic_write.h"
#include "redis/redis_client.h"
#include "task_store.h"

namespace vetrack::tasks {

// TaskStore on Redis. Keys (prefix "vt:tr:" by default):
//   plan:{plan}  sections:{plan}  unit:{code}  units        entities and index
//   task:{plan}:{n}  tasks:{plan} (sorted set of numbers)
//   progress:{plan}:{n}:{period}:{unit}  report:{plan}:{n}:{period}
//   history:{plan}:{n} (list)  answer:{request_key} (idempotency, with TTL)
//   notice:{plan}:{n}:{period}:{level}-{owed}-{unit}  notices:{plan} (set of names)
// Entities are hashes {v: version, d: serialized proto}; every Write is one
// atomic script (redis/atomic_write.h). A filing's and a report's hash also
// keep each revision as it last stood, in field r{revision} (a filing's
// revision is its version): written in the same HSET, no key or command more
// on the filing path.
class RedisTaskStore : public TaskStore {
 public:
  RedisTaskStore(redis::Client& client,
                 std::string prefix = "vt:tr:", int64_t answer_ttl_seconds = 30 * 24 * 3600);

  absl::Status Ping() override;
  absl::StatusOr<std::optional<v1::Plan>> GetPlan(const std::string& plan_id) override;
  absl::StatusOr<std::vector<v1::Section>> ListSections(const std::string& plan_id) override;
  absl::StatusOr<std::optional<std::string>> TrackedSince(const std::string& plan_id) override;
  absl::StatusOr<std::vector<Stored<v1::Unit>>> ListUnits() override;
  absl::StatusOr<std::optional<Stored<v1::Task>>> GetTask(const TaskRef& ref) override;
  absl::StatusOr<std::vector<Stored<v1::Task>>> ListTasks(const std::string& plan_id) override;
  absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> GetProgress(
      const TaskRef& ref, const std::string& period_id,
      const std::vector<std::string>& units) override;
  absl::StatusOr<std::optional<Stored<v1::TaskReport>>> GetReport(
      const TaskRef& ref, const std::string& period_id) override;
  absl::StatusOr<std::vector<std::optional<v1::TaskReport>>> GetReportRevisions(
      const TaskRef& ref, const std::string& period_id, const std::vector<int>& revisions) override;
  absl::StatusOr<std::vector<std::optional<v1::Progress>>> GetProgressRevisions(
      const TaskRef& ref, const std::string& period_id, const std::string& unit,
      const std::vector<int>& revisions) override;
  absl::StatusOr<FilingReads> ReadForFiling(const std::string& request_key,
                                            const std::string& fingerprint, const TaskRef& ref,
                                            const std::string& period_id,
                                            const std::string& unit) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::TaskReport>>>> GetReports(
      const std::vector<TaskRef>& refs, const std::string& period_id) override;
  absl::StatusOr<std::vector<std::vector<std::string>>> FiledUnits(
      const std::vector<TaskRef>& refs, const std::string& period_id,
      const std::vector<std::vector<std::string>>& candidates) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::Notice>>>> GetNotices(
      const std::vector<NoticeRef>& refs) override;
  absl::StatusOr<std::vector<Stored<v1::Notice>>> ListNotices(const std::string& plan_id) override;
  absl::StatusOr<std::vector<NoticeRef>> ListNoticeRefs(const std::string& plan_id) override;
  absl::StatusOr<std::vector<v1::HistoryEntry>> ListHistory(const TaskRef& ref, int offset,
                                                            int limit, int* total) override;
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override;
  absl::StatusOr<WriteOutcome> Write(const RegistryWrite& write) override;
  // The same script through CommitAsync; the caller sends it itself when no
  // batch is at Redis (redis::BatchSender::kCaller).
  void WriteAsync(const RegistryWrite& write, WriteCallback done) override;

 private:
  absl::StatusOr<redis::AtomicWrite> ToAtomicWrite(const RegistryWrite& write) const;
  std::string PlanKey(const std::string& plan_id) const;
  std::string SectionsKey(const std::string& plan_id) const;
  std::string TrackedQuartersKey(const std::string& plan_id) const;
  std::string UnitKey(const std::string& code) const;
  std::string TaskKey(const TaskRef& ref) const;
  std::string TasksKey(const std::string& plan_id) const;
  std::string ProgressKey(const TaskRef& ref, const std::string& period_id,
                          const std::string& unit) const;
  std::string ReportKey(const TaskRef& ref, const std::string& period_id) const;
  std::string HistoryKey(const TaskRef& ref) const;
  std::string NoticeKey(const NoticeRef& ref) const;
  std::string NoticesKey(const std::string& plan_id) const;
  std::string AnswerKey(const std::string& request_key) const;

  redis::Client& client_;
  std::string prefix_;
  int64_t answer_ttl_seconds_;
};

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_REDIS_TASK_STORE_H_
