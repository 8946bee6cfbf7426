// The command table vetctl runs: every command reachable by its words, with a
// handler; options one command takes refused by another; optional arguments.
#include "commands.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "args.h"
#include "auth/token.h"
#include "command_line_for_test.h"
#include "decimal.h"
#include "evaluation_commands.h"
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

// Found in use: `tasks show 4 --period 2026-Q3` printed "Report state: -"
// above the period's report "State: submitted". A task read without a period
// has no report state to show; with one, the report's.
TEST(ViewsTest, ATaskShowsAReportStateOnlyForAPeriod) {
  tasks::v1::Task task;
  task.set_number(4);
  std::ostringstream without;
  PrintTask(without, task);
  EXPECT_EQ(without.str().find("Report state"), std::string::npos) << without.str();
  task.set_report_state(tasks::v1::REPORT_STATE_SUBMITTED);
  std::ostringstream with;
  PrintTask(with, task);
  EXPECT_NE(with.str().find("Report state"), std::string::npos) << with.str();
  EXPECT_NE(with.str().find("submitted"), std::string::npos) << with.str();
  EXPECT_EQ(with.str().find("Former units"), std::string::npos) << with.str();
  task.add_former_units("cqvie");
  std::ostringstream former;
  PrintTask(former, task);
  EXPECT_NE(former.str().find("Former units"), std::string::npos) << former.str();
}

// Found in use: 33.333 + 33.333 + 33.334 was sent as 99.99 % (a third
// decimal rounded away) and -10 as -9.99 %; both are refused before any call.
TEST(CommandsTest, ARoundsWeightIsAPercentWithAtMostTwoDecimals) {
  for (const char* weight : {"33.334", "-10", "0", "100.01", "1e2", "abc"}) {
    SCOPED_TRACE(weight);
    auto context = ContextFor({"rounds", "create", "r1", "--year", "2025", "--title", "t",
                               "--dimension", std::string("a:A:") + weight});
    ASSERT_TRUE(context.ok()) << context.status();
    const CommandSpec* spec = FindCommand({"rounds", "create"});
    ASSERT_NE(spec, nullptr);
    absl::Status refused = spec->run(*context);
    EXPECT_TRUE(IsUsageError(refused)) << refused;
    EXPECT_NE(refused.message().find("at most two decimals"), std::string::npos) << refused;
  }
  EXPECT_EQ(*ParseHundredths("33.33"), 3333);
  EXPECT_EQ(*ParseHundredths("33.3"), 3330);
  EXPECT_EQ(*ParseHundredths("100"), 10000);
  EXPECT_FALSE(ParseHundredths("33.").ok());
  EXPECT_FALSE(ParseHundredths(".5").ok());
}

// Found in use: "vetctl rounds bogus" said "too many arguments; usage:
// vetctl rounds " with nothing after it.
TEST(CommandsTest, AMistypedSubcommandIsNamedWithTheOnesThereAre) {
  for (const char* command : {"rounds", "statistics", "results"}) {
    auto context = ContextFor({command, "bogus"});
    ASSERT_FALSE(context.ok()) << command;
    EXPECT_TRUE(IsUsageError(context.status())) << context.status();
    EXPECT_NE(context.status().message().find(absl::StrCat(command, " 'bogus': expected ")),
              std::string::npos)
        << context.status();
  }
  // A command that takes an argument still says how it is used.
  auto context = ContextFor({"rounds", "show"});
  ASSERT_FALSE(context.ok());
  EXPECT_NE(context.status().message().find("usage: vetctl rounds show ID"), std::string::npos)
      << context.status();
}

// Found in use: "--score cqvie:q:0x50" recorded 80 and "--value 1e-400" 0.
TEST(CommandsTest, FiguresAreDecimalNumbersThatCanBeHeld) {
  for (const char* typed : {"96.5", "-3", "0", "0.0", "1.2e5", "+7", "0e-400"}) {
    double value = -1;
    EXPECT_TRUE(ParseDecimal(typed, &value)) << typed;
  }
  double value = 0;
  ASSERT_TRUE(ParseDecimal("1.2e5", &value));
  EXPECT_EQ(value, 120000);
  for (const char* typed : {"0x50", "inf", "nan", "1e400", "1e-400", "", "8O", "1,5", " 5"}) {
    EXPECT_FALSE(ParseDecimal(typed, &value)) << typed;
  }
  for (const auto& score : {"cqvie:quality:0x50", "cqvie:quality:1e-400"}) {
    auto context = ContextFor({"rounds", "score", "r1", "--score", score});
    ASSERT_TRUE(context.ok()) << context.status();
    absl::Status refused = FindCommand({"rounds", "score"})->run(*context);
    EXPECT_TRUE(IsUsageError(refused)) << score << ": " << refused;
  }
}

// Found in use: the major list was given to --set like a count.
TEST(CommandsTest, TheMajorListIsNotSetLikeACount) {
  for (const char* set : {"majors=12", "majors=510201:new"}) {
    SCOPED_TRACE(set);
    auto context = ContextFor({"reports", "save", "--period", "ay2025", "--set", set});
    ASSERT_TRUE(context.ok()) << context.status();
    absl::Status refused = FindCommand({"reports", "save"})->run(*context);
    EXPECT_TRUE(IsUsageError(refused)) << refused;
    EXPECT_NE(refused.message().find("--major CODE:STATUS"), std::string::npos) << refused;
  }
}

// Found in use: an evaluator saw "Scores: 2 of 27" and no score.
TEST(CommandsTest, ARoundShowsEachScoreAndWhatIsLeft) {
  namespace ev = ::vetrack::evaluation::v1;
  ev::Round round;
  round.set_name("rounds/r1");
  round.add_subjects("cqvie");
  round.add_subjects("cqepc");
  (*round.mutable_subject_names())["cqvie"] = "重庆工程职业技术学院";  // cqepc has none
  for (const char* id : {"quality", "service"}) {
    auto* d = round.add_dimensions();
    d->set_id(id);
    d->set_weight_bp(5000);
  }
  auto* s = round.add_scores();
  s->set_subject("cqvie");
  s->set_dimension("service");
  s->set_score(87.5);
  round.add_snapshot();  // a result without data
  std::ostringstream out;
  PrintRound(out, round);
  const std::string printed = out.str();
  EXPECT_NE(printed.find("1 of 4 recorded"), std::string::npos) << printed;
  EXPECT_NE(printed.find("87.50"), std::string::npos) << printed;
  EXPECT_NE(printed.find("1 results frozen, 1 without data"), std::string::npos) << printed;
  // cqvie's row: no quality score yet, then its service score.
  const size_t row = printed.find("cqvie ");
  ASSERT_NE(row, std::string::npos) << printed;
  const std::string line = printed.substr(row, printed.find('\n', row) - row);
  EXPECT_LT(line.find('-'), line.find("87.50")) << line;
  EXPECT_NE(line.find("重庆工程职业技术学院"), std::string::npos) << line;

  // A school is sent its own scores alone, and shown those as all there are
  // (found in use: "3 of 27 recorded", the others' read as missing).
  std::ostringstream own;
  PrintRound(own, round, "cqvie");
  EXPECT_NE(own.str().find("1 of 2 recorded"), std::string::npos) << own.str();
  EXPECT_EQ(own.str().find("cqepc"), std::string::npos) << own.str();
}

}  // namespace
}  // namespace vetrack::vetctl
