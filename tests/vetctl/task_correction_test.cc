// `vetctl tasks correct`: what the coordinator types, checked against the
// command table vetctl runs, becomes an UpdateTask request naming exactly the
// fields given.
#include "task_correction.h"

#include <gtest/gtest.h>

#include "command_line_for_test.h"

namespace vetrack::vetctl {
namespace {

absl::StatusOr<tasks::v1::UpdateTaskRequest> Correct(std::vector<std::string> args) {
  args.insert(args.begin(), {"tasks", "correct", "21"});
  auto context = ContextFor(std::move(args));
  if (!context.ok()) return context.status();
  return TaskCorrection(context->line, "plans/p/tasks/21", "r-1");
}

std::vector<std::string> Mask(const tasks::v1::UpdateTaskRequest& request) {
  return {request.update_mask().begin(), request.update_mask().end()};
}

TEST(TaskCorrectionTest, NamesExactlyTheFieldsGiven) {
  auto units = Correct({"--lead", "hrss", "--co", "edu", "--co", "cqvie", "--etag", "3"});
  ASSERT_TRUE(units.ok()) << units.status();
  EXPECT_EQ(units->task().name(), "plans/p/tasks/21");
  EXPECT_EQ(units->task().lead_unit(), "hrss");
  EXPECT_EQ(
      std::vector<std::string>(units->task().co_units().begin(), units->task().co_units().end()),
      (std::vector<std::string>{"edu", "cqvie"}));
  EXPECT_EQ(units->task().etag(), "3");
  EXPECT_EQ(units->request_id(), "r-1");
  EXPECT_EQ(Mask(*units), (std::vector<std::string>{"lead_unit", "co_units"}));

  auto text = Correct({"--text", "更正后的任务", "--section", "二.(一).3", "--etag", "3"});
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(Mask(*text), (std::vector<std::string>{"text", "section_code"}));
  EXPECT_EQ(text->task().text(), "更正后的任务");
  EXPECT_TRUE(text->task().lead_unit().empty());
}

TEST(TaskCorrectionTest, AnEmptyCoLeavesTheLeadAlone) {
  auto alone = Correct({"--co", "", "--etag", "3"});
  ASSERT_TRUE(alone.ok()) << alone.status();
  EXPECT_EQ(Mask(*alone), (std::vector<std::string>{"co_units"}));
  EXPECT_EQ(alone->task().co_units_size(), 0);
}

// The coordinator marks a task completed in a quarter, or reopens it.
TEST(TaskCorrectionTest, CompletedNamesTheQuarterAndAnEmptyOneReopens) {
  auto completed = Correct({"--completed", "2026-Q2", "--etag", "3"});
  ASSERT_TRUE(completed.ok()) << completed.status();
  EXPECT_EQ(Mask(*completed), (std::vector<std::string>{"completed_period_id"}));
  EXPECT_EQ(completed->task().completed_period_id(), "2026-Q2");
  auto reopened = Correct({"--completed", "", "--etag", "4"});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(Mask(*reopened), (std::vector<std::string>{"completed_period_id"}));
  EXPECT_TRUE(reopened->task().completed_period_id().empty());
}

TEST(TaskCorrectionTest, NothingToCorrectIsAUsageError) {
  auto nothing = Correct({"--etag", "3"});
  EXPECT_FALSE(nothing.ok());
  EXPECT_TRUE(IsUsageError(nothing.status())) << nothing.status();
}

// Found in review: the registry refuses a correction without an etag, after
// a round trip; and an empty --co among others was silently dropped.
TEST(TaskCorrectionTest, TheEtagIsRequiredAndAnEmptyCoGoesAlone) {
  auto unguarded = Correct({"--lead", "hrss"});
  EXPECT_TRUE(IsUsageError(unguarded.status())) << unguarded.status();
  auto mixed = Correct({"--co", "", "--co", "cqvie", "--etag", "3"});
  EXPECT_TRUE(IsUsageError(mixed.status())) << mixed.status();
}

// The table's own spec: an option another command takes is refused here, and
// --co repeats.
TEST(TaskCorrectionTest, TakesOnlyItsOwnOptions) {
  auto foreign = Correct({"--lead", "hrss", "--etag", "3", "--institution", "cqvie"});
  EXPECT_TRUE(IsUsageError(foreign.status())) << foreign.status();
  EXPECT_NE(foreign.status().message().find("institution"), std::string::npos) << foreign.status();
  auto repeated = Correct({"--co", "edu", "--co", "hrss", "--co", "cqvie", "--etag", "3"});
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(repeated->task().co_units_size(), 3);
}

}  // namespace
}  // namespace vetrack::vetctl
