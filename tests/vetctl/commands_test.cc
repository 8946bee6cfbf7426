// The command table vetctl runs: every command reachable by its words, with a
// handler and a line of usage, and options one command takes refused by another.
#include "commands.h"

#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_join.h"

namespace vetrack::vetctl {
namespace {

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
  std::vector<std::string> args = {"vetctl", "tasks", "show", "6", "--reason", "x"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  auto line = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), AllOptions());
  ASSERT_TRUE(line.ok()) << line.status();  // some command takes --reason
  const CommandSpec* show = FindCommand(line->words);
  ASSERT_NE(show, nullptr);
  auto checked = CheckInvocation(*show, *line);
  EXPECT_TRUE(IsUsageError(checked.status())) << checked.status();
  EXPECT_NE(checked.status().message().find("reason"), std::string::npos) << checked.status();
}

TEST(CommandsTest, AnUnknownSubcommandListsTheKnownOnes) {
  EXPECT_EQ(FindCommand({"tasks", "frobnicate"}), nullptr);
  std::string message = UnknownCommandMessage({"tasks", "frobnicate"});
  EXPECT_NE(message.find("correct"), std::string::npos) << message;
  EXPECT_NE(message.find("show"), std::string::npos) << message;
}

}  // namespace
}  // namespace vetrack::vetctl
