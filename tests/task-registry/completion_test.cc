// A task the coordinator marks completed owes nothing for later quarters: no
// 督办, nothing owed in the views; reopening it brings them back.
#include <gtest/gtest.h>

#include <algorithm>

#include "catalog.h"
#include "registry_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {

class CompletionTest : public RegistryTest {
 protected:
  absl::StatusOr<v1::Task> Complete(const std::string& period, const std::string& etag,
                                    const std::string& request_id,
                                    const Principal& caller = Principal{Role::kCoordinator, ""}) {
    v1::UpdateTaskRequest req;
    req.mutable_task()->set_name(kTask8);
    req.mutable_task()->set_etag(etag);
    req.mutable_task()->set_completed_period_id(period);
    req.add_update_mask("completed_period_id");
    req.set_request_id(request_id);
    if (absl::Status valid = Validate(req); !valid.ok()) return valid;
    return registry_.UpdateTask(caller, req);
  }

  // Task 8's escalations for `period`.
  int Task8Escalations(const std::string& period) {
    v1::ListEscalationsRequest req;
    req.set_plan("plans/jiangjin-vet-2021");
    req.set_period_id(period);
    req.set_page_size(1000);
    auto listed = registry_.ListEscalations(coordinator_, req);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return -1;
    return static_cast<int>(std::count_if(listed->escalations().begin(),
                                          listed->escalations().end(),
                                          [](const auto& e) { return e.task() == kTask8; }));
  }

  bool CompletedBefore(const std::string& period) {
    v1::ListTasksRequest req;
    req.set_parent("plans/jiangjin-vet-2021");
    req.set_period_id(period);
    req.set_page_size(100);
    auto listed = registry_.ListTasks(coordinator_, req);
    EXPECT_TRUE(listed.ok()) << listed.status();
    for (const auto& t : listed->tasks()) {
      if (t.name() == kTask8) return t.completed_before_period();
    }
    ADD_FAILURE() << "task 8 not listed";
    return false;
  }
};

TEST_F(CompletionTest, LaterQuartersOweNothingUntilTheTaskIsReopened) {
  // Late in 2026-Q4: 2026-Q3's filings and report are long overdue.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 11, 20, 10, 0, 0), kTz));
  ASSERT_GT(Task8Escalations("2026-Q3"), 0);

  ASSERT_FALSE(Progress().missing_units().empty());

  EXPECT_EQ(Complete("2026-Q2", "1", "lead-completes", Principal{Role::kDepartment, "edu"})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  auto completed = Complete("2026-Q2", "1", "c-1");
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_EQ(completed->completed_period_id(), "2026-Q2");
  EXPECT_TRUE(completed->corrected_by().empty()) << "a completion is no correction of the catalog";
  EXPECT_EQ(Task8Escalations("2026-Q3"), 0);
  EXPECT_GT(Task8Escalations("2026-Q2"), 0) << "the quarter that completed it still owes";
  EXPECT_TRUE(Progress().missing_units().empty());  // 2026-Q3
  EXPECT_TRUE(CompletedBefore("2026-Q3"));
  EXPECT_FALSE(CompletedBefore("2026-Q2"));
  auto history = History();
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().action(), "UPDATE_TASK");
  EXPECT_EQ(history.back().period_id(), "2026-Q2");
  EXPECT_EQ(history.back().detail(), "completed in 2026-Q2");

  // Reopened: the ladder is back.
  auto reopened = Complete("", completed->etag(), "c-2");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_TRUE(reopened->completed_period_id().empty());
  EXPECT_GT(Task8Escalations("2026-Q3"), 0);
  EXPECT_FALSE(CompletedBefore("2026-Q3"));
  EXPECT_FALSE(Progress().missing_units().empty());
  history = History();
  EXPECT_EQ(history.back().detail(), "reopened (completed in 2026-Q2)");
}

// Loading the plan's file again neither undoes a completion nor stops taking
// the file's changes to the task (only a correction of its own fields does).
TEST_F(CompletionTest, ALaterLoadOfTheCatalogKeepsTheCompletionAndTakesTheFile) {
  ASSERT_TRUE(Complete("2026-Q2", "1", "c-1").ok());
  auto same = Load("load-same");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->tasks_unchanged(), 33);
  EXPECT_EQ(same->tasks_kept_corrected(), 0);

  auto catalog = ReadCatalogFile(kCatalogPath);
  ASSERT_TRUE(catalog.ok()) << catalog.status();
  for (auto& task : *catalog->mutable_tasks()) {
    if (task.number() == 8) task.set_text("新版文件中的任务内容");
  }
  v1::ImportCatalogRequest req;
  *req.mutable_catalog() = *catalog;
  req.set_request_id("load-changed");
  auto changed = registry_.ImportCatalog(coordinator_, req);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->tasks_updated(), 1);
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  auto task = registry_.GetTask(coordinator_, get);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->text(), "新版文件中的任务内容");
  EXPECT_EQ(task->completed_period_id(), "2026-Q2");
}

TEST_F(CompletionTest, OnlyAQuarterThatHasBegunAndIsThePlansCompletesIt) {
  // The first two are the registry's to refuse, the others the validator's.
  for (const std::string period : {"2026-Q4", "2019-Q4", "2026-Q5", "soon"}) {
    auto refused = Complete(period, "1", "bad-" + period);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << period;
    ASSERT_FALSE(FieldViolationsOf(refused.status()).empty()) << refused.status();
    EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "task.completed_period_id")
        << refused.status();
    EXPECT_EQ(refused.status().message().find(" period_id:"), std::string::npos)
        << "another field's name in the message: " << refused.status();
  }
  v1::GetTaskRequest get;
  get.set_name(kTask8);
  auto task = registry_.GetTask(coordinator_, get);
  ASSERT_TRUE(task.ok());
  EXPECT_TRUE(task->completed_period_id().empty());
  EXPECT_EQ(task->etag(), "1");
}

}  // namespace
}  // namespace vetrack::tasks
