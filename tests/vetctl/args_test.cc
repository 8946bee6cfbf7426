// vetctl's global options (who the calls go out as) and how it prints what
// other users wrote.
#include "args.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "auth/token.h"
#include "gateway_views.h"
#include "output.h"

namespace vetrack::vetctl {
namespace {

constexpr char kSecret[] = "a-test-secret-of-at-least-32-characters";

class GlobalOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_file_ = ::testing::TempDir() + "/vetctl-test-token.key";
    std::ofstream(key_file_) << kSecret << "\n";
    keys_.emplace(*TokenKeys::FromSecrets({kSecret}));
    unsetenv("VETRACK_AS");
    unsetenv("VETRACK_TOKEN_KEY_FILE");
    setenv("VETRACK_TOKEN",
           keys_->Sign({Role::kDepartment, "hrss"}, absl::Now() + absl::Hours(1)).c_str(), 1);
  }
  void TearDown() override { unsetenv("VETRACK_TOKEN"); }

  absl::StatusOr<GlobalOptions> Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "vetctl");
    args.push_back("tasks");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    auto line = ParseCommandLine(static_cast<int>(argv.size()), argv.data(), GlobalOptionSpec());
    if (!line.ok()) return line.status();
    return TakeGlobalOptions(*line);
  }

  std::string CallerOf(const std::string& token) {
    auto claims = keys_->Verify(token, absl::Now());
    return claims.ok() ? claims->principal.ToString() : claims.status().ToString();
  }

  std::string key_file_;
  std::optional<TokenKeys> keys_;
};

// Found in review: with a token and no --as, vetctl took itself for the
// default coordinator, and showed a school others' scores as missing.
TEST_F(GlobalOptionsTest, WithoutAsTheCallerIsTheTokens) {
  auto from_env = Parse({});
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->role, "department");
  EXPECT_EQ(from_env->unit, "hrss");
  auto named = Parse({"--as", "school:cqvie", "--token-key-file", key_file_});
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->role, "school");
  EXPECT_EQ(named->unit, "cqvie");
  EXPECT_FALSE(Parse({"--timeout", "1e10"}).ok());  // beyond what a deadline holds
  EXPECT_TRUE(Parse({"--timeout", "86400"}).ok());
}

// Found in review: $VETRACK_TOKEN silently won over an explicit --as, so a
// user acting "as edu" filed, and was audited, as the token's hrss.
TEST_F(GlobalOptionsTest, AnExplicitAsWinsOverTheEnvironmentsToken) {
  auto from_env = Parse({});
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(CallerOf(from_env->token), "department:hrss");

  auto same = Parse({"--as", "department:hrss"});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(CallerOf(same->token), "department:hrss");

  auto other = Parse({"--as", "department:edu"});
  EXPECT_TRUE(IsUsageError(other.status())) << other.status();
  EXPECT_NE(other.status().message().find("department:hrss"), std::string::npos) << other.status();

  auto signed_for_as = Parse({"--as", "department:edu", "--token-key-file", key_file_});
  ASSERT_TRUE(signed_for_as.ok()) << signed_for_as.status();
  EXPECT_EQ(CallerOf(signed_for_as->token), "department:edu");
  // Held by whoever runs vetctl, so the audit trail says who it was.
  auto claims = keys_->Verify(signed_for_as->token, absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_TRUE(absl::StartsWith(claims->holder, "vetctl:")) << claims->holder;
  EXPECT_GT(claims->holder.size(), std::string("vetctl:").size());

  // A token given on the command line is the user's choice, as given.
  const std::string given = keys_->Sign({Role::kCoordinator, ""}, absl::Now() + absl::Hours(1));
  auto explicit_token = Parse({"--as", "department:edu", "--token", given});
  ASSERT_TRUE(explicit_token.ok()) << explicit_token.status();
  EXPECT_EQ(explicit_token->token, given);
}

// Found in use: `--as school` was told to name its unit "in x-vetrack-unit",
// a header the user of the command line never sees.
TEST_F(GlobalOptionsTest, ACallerWithoutItsUnitIsToldInCommandLineTerms) {
  auto school = Parse({"--as", "school"});
  ASSERT_TRUE(IsUsageError(school.status())) << school.status();
  EXPECT_NE(school.status().message().find("must name its unit"), std::string::npos)
      << school.status();
  EXPECT_NE(school.status().message().find("school:cqvie"), std::string::npos) << school.status();
  EXPECT_EQ(school.status().message().find("x-vetrack"), std::string::npos) << school.status();
}
// Found in review: %g printed 12345678 as 1.23457e+07, in the terminal and
// in the export meant for the municipality.
TEST(OutputTest, FiguresPrintWholeAndExact) {
  EXPECT_EQ(FormatNumber(12345678), "12345678");
  EXPECT_EQ(FormatNumber(1234567), "1234567");
  EXPECT_NE(FormatNumber(1234567), FormatNumber(1234560));
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(72.5), "72.5");
  EXPECT_EQ(FormatNumber(0), "0");
  // Found in use: the shortest form printed 400000 as 4e+05, 100000 as 1e+05.
  EXPECT_EQ(FormatNumber(400000), "400000");
  EXPECT_EQ(FormatNumber(100000), "100000");
  EXPECT_EQ(FormatNumber(0.00125), "0.00125");
  EXPECT_EQ(FormatNumber(-2.5), "-2.5");
}

// Found in review: a school's report title reached the coordinator's
// terminal as written, escape sequences and all.
TEST(OutputTest, ControlCharactersOfOtherUsersTextNeverReachTheTerminal) {
  std::ostringstream out;
  PrintField(out, "Title", "报告\x1b[2J\x1b]0;pwned\x07");
  PrintText(out, "Summary", "第一行\x1b[31m\n第二行\r");
  const std::string printed = out.str();
  EXPECT_EQ(printed.find('\x1b'), std::string::npos) << printed;
  EXPECT_EQ(printed.find('\x07'), std::string::npos) << printed;
  EXPECT_EQ(printed.find('\r'), std::string::npos) << printed;
  EXPECT_NE(printed.find("报告"), std::string::npos);
  EXPECT_NE(printed.find("第二行"), std::string::npos);
}

// An import of several institutions' rows shows the first and how many
// others a search by resource also finds it under.
TEST(OutputTest, AnAuditEntryNamingSeveralResourcesCountsTheOthers) {
  gw::ListAuditEntriesResponse entries;
  gw::AuditEntry* single = entries.add_entries();
  single->set_sequence(1);
  single->set_resource("plans/jiangjin-vet-2021/tasks/6");
  gw::AuditEntry* import = entries.add_entries();
  import->set_sequence(2);
  import->set_resource("institutions/cqvie");
  import->add_other_resources("institutions/cqgsxx");
  import->add_other_resources("institutions/jjzj");
  std::ostringstream out;
  PrintAuditEntries(out, entries);
  std::istringstream lines(out.str());
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_NE(first.find("plans/jiangjin-vet-2021/tasks/6 "), std::string::npos) << first;
  EXPECT_EQ(first.find(" +"), std::string::npos) << first;
  EXPECT_NE(second.find("institutions/cqvie +2"), std::string::npos) << second;
  EXPECT_EQ(second.find("cqgsxx"), std::string::npos) << second;
}

}  // namespace
}  // namespace vetrack::vetctl
