// The command table vetctl runs: every command reachable by its words, with a
// handler; options one command takes refused by another; optional arguments.
#include "commands.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "absl/strings/str_join.h"
#include "auth/token.h"
#include "command_line_for_test.h"
#include "views.h"

namespace vetrack::vetctl {
namespace {

// The positional arguments the command's handler gets.
absl::StatusOr<std::vector<std::string>> Invoke(std::vector<std::string> args) {
  auto context = ContextFor(std::move(args));
  if (!context.ok()) return context.status();
  return context->args;
}

TEST(CommandsTest, EveryCommandIsFoundByItsWordsAndHasAHandler) {
  std::set<std::string> paths;
  ASSERT_FALSE(Commands().empty());
  for (const CommandSpec& spec : Commands()) {
    const std::string path = absl::StrJoin(spec.words, " ");
    EXPECT_TRUE(paths.insert(path).second) << path << " is in the table twice";
    EXPECT_EQ(FindCommand(spec.words), &spec) << path;
    EXPECT_NE(spec.run, nullptr) << path << " has no handler";
    EXPECT_FALSE(spec.summary.empty()) << path;
  }
}

TEST(CommandsTest, ACommandRefusesAnotherCommandsOption) {
  // Some command takes --reason, so the line parses; tasks show does not.
  auto checked = Invoke({"tasks", "show", "6", "--reason", "x"});
  EXPECT_TRUE(IsUsageError(checked.status())) << checked.status();
  EXPECT_NE(checked.status().message().find("reason"), std::string::npos) << checked.status();
}

absl::StatusOr<std::string> WorkbenchUnit(std::vector<std::string> args) {
  args.insert(args.begin(), "workbench");
  auto context = ContextFor(std::move(args));
  if (!context.ok()) return context.status();
  return UnitFromArgsOrCaller(*context);
}

// A unit looks at its own workbench without naming itself; another unit's it
// names (the gateway decides whether it may see it).
TEST(CommandsTest, TheWorkbenchIsTheCallersOwnUnlessAUnitIsNamed) {
  EXPECT_EQ(WorkbenchUnit({"--as", "department:hrss", "--period", "2026-Q4"}).value_or(""), "hrss");
  EXPECT_EQ(WorkbenchUnit({"--as", "department:hrss", "edu"}).value_or(""), "edu");

  // A token is who the gateway takes the caller for, --as or not.
  auto keys = TokenKeys::FromSecrets({"a-test-secret-long-enough-for-a-key-0123456789"});
  ASSERT_TRUE(keys.ok()) << keys.status();
  const std::string cqvie =
      keys->Sign(Principal{Role::kSchool, "cqvie"}, absl::Now() + absl::Hours(1));
  EXPECT_EQ(WorkbenchUnit({"--token", cqvie}).value_or(""), "cqvie");
  EXPECT_EQ(WorkbenchUnit({"--token", cqvie, "--as", "department:hrss"}).value_or(""), "cqvie");

  for (auto args : std::vector<std::vector<std::string>>{{"--as", "coordinator"}, {}}) {
    auto nameless = WorkbenchUnit(args);
    EXPECT_TRUE(IsUsageError(nameless.status())) << nameless.status();
    EXPECT_NE(nameless.status().message().find("UNIT"), std::string::npos) << nameless.status();
  }

  auto two = Invoke({"workbench", "edu", "hrss"});
  EXPECT_TRUE(IsUsageError(two.status())) << two.status();
  EXPECT_NE(two.status().message().find("too many"), std::string::npos) << two.status();
}

// A required argument stays required next to optional ones elsewhere.
TEST(CommandsTest, ARequiredArgumentIsStillRequired) {
  auto missing = Invoke({"dossier"});
  EXPECT_TRUE(IsUsageError(missing.status())) << missing.status();
  auto given = Invoke({"dossier", "21"});
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(*given, std::vector<std::string>{"21"});
}

TEST(CommandsTest, AnUnknownSubcommandListsTheKnownOnes) {
  EXPECT_EQ(FindCommand({"tasks", "frobnicate"}), nullptr);
  std::string message = UnknownCommandMessage({"tasks", "frobnicate"});
  EXPECT_NE(message.find("correct"), std::string::npos) << message;
  EXPECT_NE(message.find("show"), std::string::npos) << message;
}

// `notices` takes a task number or none; `notices issue` and `notices answer`
// are commands of their own, not `notices` with a task called "issue".
TEST(CommandsTest, NoticesListsOneTaskOrAllAndItsSubcommandsAreTheirOwn) {
  EXPECT_EQ(Invoke({"notices"}).value_or(std::vector<std::string>{"?"}),
            std::vector<std::string>{});
  EXPECT_EQ(Invoke({"notices", "6", "--outstanding"}).value_or(std::vector<std::string>{}),
            std::vector<std::string>{"6"});
  auto issue = ContextFor({"notices", "issue", "6", "--period", "2026-Q3", "--unit", "edu",
                           "--owed", "progress", "--message", "请报送"});
  ASSERT_TRUE(issue.ok()) << issue.status();
  EXPECT_EQ(issue->args, std::vector<std::string>{"6"});
  EXPECT_EQ(OptionValue(issue->line, "owed"), "progress");
  auto answer = Invoke({"notices", "answer", "6", "--outstanding"});
  EXPECT_TRUE(IsUsageError(answer.status())) << "answer takes no --outstanding";
}

TEST(CommandsTest, AnEscalationShowsTheNoticeIssuedForIt) {
  tasks::v1::Escalation escalation;
  EXPECT_EQ(NoticeCell(escalation), "");
  escalation.set_notice("plans/p/tasks/6/periods/2026-Q3/notices/red-progress-edu");
  escalation.set_notice_state(tasks::v1::NOTICE_STATE_ACKNOWLEDGED);
  EXPECT_EQ(NoticeCell(escalation), "red-progress-edu acknowledged");
}

absl::StatusOr<std::string> RevisionsUnit(std::vector<std::string> args) {
  args.insert(args.begin(), {"progress", "revisions", "8", "--period", "2026-Q3"});
  auto context = ContextFor(std::move(args));
  if (!context.ok()) return context.status();
  return UnitFromOptionOrCaller(*context);
}

// A unit lists its own filings without naming itself; the coordinator names one.
TEST(CommandsTest, ProgressRevisionsAreTheCallersOwnUnlessAUnitIsNamed) {
  EXPECT_EQ(RevisionsUnit({"--as", "department:hrss"}).value_or(""), "hrss");
  EXPECT_EQ(RevisionsUnit({"--as", "department:hrss", "--unit", "sci"}).value_or(""), "sci");
  auto none = RevisionsUnit({"--as", "coordinator"});
  EXPECT_TRUE(IsUsageError(none.status())) << none.status();
  EXPECT_NE(none.status().message().find("--unit"), std::string::npos) << none.status();
}

TEST(CommandsTest, EachReportRevisionIsShownInFullWithoutAnEtag) {
  tasks::v1::ListReportRevisionsResponse response;
  auto* first = response.add_revisions();
  first->set_revision(1);
  first->set_state(tasks::v1::REPORT_STATE_RETURNED);
  first->add_return_reasons("缺少佐证材料");
  first->set_summary("第一稿");
  auto* second = response.add_revisions();
  second->set_revision(2);
  second->set_state(tasks::v1::REPORT_STATE_ACCEPTED);
  second->set_summary("第二稿");
  std::ostringstream out;
  PrintReportRevisions(out, response);
  const std::string text = out.str();
  EXPECT_NE(text.find("第一稿"), std::string::npos) << text;
  EXPECT_NE(text.find("缺少佐证材料"), std::string::npos) << text;
  EXPECT_LT(text.find("第一稿"), text.find("第二稿")) << text;
  EXPECT_EQ(text.find("Etag"), std::string::npos) << text;

  std::ostringstream empty;
  PrintProgressRevisions(empty, tasks::v1::ListProgressRevisionsResponse());
  EXPECT_EQ(empty.str(), "No revisions kept.\n");
}

}  // namespace
}  // namespace vetrack::vetctl
