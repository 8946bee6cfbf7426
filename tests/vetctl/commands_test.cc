// The command table vetctl runs: every command reachable by its words, with a
// handler and a line of usage, and options one command takes refused by another.
#include "commands.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_join.h"

namespace vetrack::vetctl {
namespace {

// As main: the words and options checked against the table.
absl::StatusOr<std::vector<std::string>> Invoke(std::vector<std::string> args) {
  args.insert(args.begin(), "vetctl");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto line = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), AllOptions());
  if (!line.ok()) return line.status();
  const CommandSpec* command = FindCommand(line->words);
  if (command == nullptr) return absl::NotFoundError("no such command");
  return CheckInvocation(*command, *line);
}

TEST(CommandsTest, EveryCommandIsFoundByItsWordsAndListedInTheUsage) {
  const std::string usage = UsageText();
  std::set<std::string> paths;
  ASSERT_FALSE(Commands().empty());
  for (const CommandSpec& spec : Commands()) {
    const std::string path = absl::StrJoin(spec.words, " ");
    EXPECT_TRUE(paths.insert(path).second) << path << " is in the table twice";
    EXPECT_EQ(FindCommand(spec.words), &spec) << path;
    EXPECT_NE(spec.run, nullptr) << path << " has no handler";
    EXPECT_FALSE(spec.summary.empty()) << path;
    EXPECT_NE(usage.find("  " + path), std::string::npos) << path << " is missing from the usage";
  }
}

TEST(CommandsTest, ACommandRefusesAnotherCommandsOption) {
  // Some command takes --reason, so the line parses; tasks show does not.
  auto checked = Invoke({"tasks", "show", "6", "--reason", "x"});
  EXPECT_TRUE(IsUsageError(checked.status())) << checked.status();
  EXPECT_NE(checked.status().message().find("reason"), std::string::npos) << checked.status();
}

// A unit looks at its own workbench without naming itself; another unit's it
// names (the gateway decides whether it may see it).
TEST(CommandsTest, TheWorkbenchIsTheCallersOwnUnlessAUnitIsNamed) {
  auto own = Invoke({"workbench", "--period", "2026-Q4"});
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(own->empty());
  CommandContext as_hrss;
  as_hrss.global.unit = "hrss";
  as_hrss.args = *own;
  auto unit = UnitFromArgsOrCaller(as_hrss);
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_EQ(*unit, "hrss");

  auto named = Invoke({"workbench", "edu"});
  ASSERT_TRUE(named.ok()) << named.status();
  as_hrss.args = *named;
  EXPECT_EQ(UnitFromArgsOrCaller(as_hrss).value_or(""), "edu");

  CommandContext as_coordinator;  // no unit of its own
  auto nameless = UnitFromArgsOrCaller(as_coordinator);
  EXPECT_TRUE(IsUsageError(nameless.status())) << nameless.status();
  EXPECT_NE(nameless.status().message().find("UNIT"), std::string::npos) << nameless.status();

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

}  // namespace
}  // namespace vetrack::vetctl
