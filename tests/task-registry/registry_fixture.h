#ifndef VETRACK_TESTS_TASK_REGISTRY_REGISTRY_FIXTURE_H_
#define VETRACK_TESTS_TASK_REGISTRY_REGISTRY_FIXTURE_H_

// The registry's domain on its Redis store, against a real redis-server, with
// a fake clock and the plan's catalog loaded; shared by the domain tests.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "redis_task_store.h"
#include "task_registry.h"
#include "testing/redis_server.h"

namespace vetrack::tasks {

extern const std::string kCatalogPath;  // the plan's catalog file
extern const std::string kTask8;        // edu leads; hrss, ndrc, sci share
extern const absl::TimeZone kTz;        // the district's (UTC+8)

class RegistryTest : public ::testing::Test {
 protected:
  RegistryTest();
  void SetUp() override;

  absl::StatusOr<v1::ImportCatalogResponse> Load(const std::string& request_id);
  // A filing of task 8 (or `task`) for 2026-Q3 by `unit`.
  static v1::FileProgressRequest Filing(const std::string& narrative, const std::string& request_id,
                                        const std::string& etag = "",
                                        const std::string& task = kTask8);
  absl::StatusOr<v1::Progress> File(const std::string& unit, const std::string& narrative,
                                    const std::string& request_id, const std::string& etag = "",
                                    const std::string& task = kTask8);
  static absl::StatusOr<v1::Progress> FileThrough(TaskRegistry& registry, const std::string& unit,
                                                  const std::string& narrative,
                                                  const std::string& request_id,
                                                  const std::string& etag = "",
                                                  const std::string& task = kTask8);
  absl::StatusOr<v1::TaskReport> Submit(const std::string& unit, const std::string& request_id,
                                        const std::string& etag = "");
  // `unit`'s consolidation of task 8 for 2026-Q3 through `registry`.
  static absl::StatusOr<v1::TaskReport> SubmitThrough(TaskRegistry& registry,
                                                      const std::string& unit,
                                                      const std::string& summary,
                                                      const std::string& request_id,
                                                      const std::string& etag = "");
  absl::StatusOr<v1::TaskReport> Review(v1::ReviewDecision decision, const std::string& request_id,
                                        std::vector<std::string> reasons = {});
  std::vector<v1::HistoryEntry> History(const std::string& task = kTask8);
  v1::ListProgressResponse Progress();
  // The coordinator's correction of task 8's co-units.
  absl::StatusOr<v1::Task> CorrectCoUnits(const std::vector<std::string>& co_units,
                                          const std::string& etag, const std::string& request_id);

  testing::RedisServer redis_;
  redis::Client client_;
  RedisTaskStore store_;
  FakeClock clock_;
  TaskRegistry registry_;
  Principal coordinator_{Role::kCoordinator, ""};
};

// The Redis store, counting a filing's reads and running `after_read` once
// right after them: something another replica does between a filing's read
// and its write.
class InterleavingStore : public RedisTaskStore {
 public:
  using RedisTaskStore::RedisTaskStore;
  absl::StatusOr<FilingReads> ReadForFiling(const std::string& request_key,
                                            const std::string& fingerprint, const TaskRef& ref,
                                            const std::string& period_id,
                                            const std::string& unit) override;
  // Read what a submission consolidates; runs `after_progress_read` once.
  absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> GetProgress(
      const TaskRef& ref, const std::string& period_id,
      const std::vector<std::string>& units) override;
  std::function<void()> after_read;
  std::function<void()> after_progress_read;
  int filing_reads = 0;
};

}  // namespace vetrack::tasks

#endif  // VETRACK_TESTS_TASK_REGISTRY_REGISTRY_FIXTURE_H_
