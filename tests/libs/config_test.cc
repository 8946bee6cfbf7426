// Config: flags over the environment over defaults, and integer settings a
// service must not start on.
#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace vetrack {
namespace {

Config FromFlags(std::vector<std::string> flags) {
  std::vector<char*> argv = {const_cast<char*>("service")};
  for (auto& flag : flags) argv.push_back(flag.data());
  auto config = Config::FromArgs(static_cast<int>(argv.size()), argv.data());
  EXPECT_TRUE(config.ok()) << config.status();
  return *config;
}

TEST(ConfigTest, FlagsWinOverTheEnvironmentWhichWinsOverTheDefault) {
  setenv("VETRACK_BATCH_SIZE", "20", 1);
  setenv("VETRACK_POLL_MS", "250", 1);
  Config config = FromFlags({"--batch-size=30"});
  EXPECT_EQ(config.GetInt("batch-size", 50, 1), 30);
  EXPECT_EQ(config.GetInt("poll-ms", 1000), 250);
  EXPECT_EQ(config.GetInt("lease-ms", 30000), 30000);
  unsetenv("VETRACK_BATCH_SIZE");
  unsetenv("VETRACK_POLL_MS");
}

TEST(ConfigTest, AnArgumentThatIsNotANameValuePairIsRefused) {
  std::vector<std::string> args = {"service", "--listen"};
  std::vector<char*> argv = {args[0].data(), args[1].data()};
  EXPECT_EQ(Config::FromArgs(2, argv.data()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConfigDeathTest, AMisreadIntegerStopsTheServiceSayingWhich) {
  EXPECT_EXIT(FromFlags({"--max-attempts=0"}).GetInt("max-attempts", 8, 1),
              ::testing::ExitedWithCode(2), "--max-attempts: expected an integer of at least 1");
  EXPECT_EXIT(FromFlags({"--poll-ms=soon"}).GetInt("poll-ms", 1000), ::testing::ExitedWithCode(2),
              "--poll-ms: .* got 'soon'");
}

TEST(ConfigTest, TheRedisPasswordComesFromTheFirstLineOfItsFile) {
  const std::string file = "/tmp/vetrack-config-test-password-" + std::to_string(getpid());
  std::ofstream(file) << "  s3cret \nsecond line\n";
  redis::Options options =
      FromFlags({"--redis=10.0.0.5:6380", "--redis-password-file=" + file, "--redis-username=vt"})
          .RedisOptions();
  EXPECT_EQ(options.host, "10.0.0.5");
  EXPECT_EQ(options.port, 6380);
  EXPECT_EQ(options.password, "s3cret");
  EXPECT_EQ(options.username, "vt");
  EXPECT_TRUE(FromFlags({}).RedisOptions().password.empty());
  std::remove(file.c_str());
}

TEST(ConfigTest, TheRedisAddressIsHostAndPort) {
  redis::Options options = FromFlags({"--redis=10.0.0.7:6380"}).RedisOptions();
  EXPECT_EQ(options.host, "10.0.0.7");
  EXPECT_EQ(options.port, 6380);
  options = FromFlags({"--redis=[::1]:6390"}).RedisOptions();
  EXPECT_EQ(options.host, "::1");
  EXPECT_EQ(options.port, 6390);
}

// Found in review: a misread port fell back to 6379, possibly another Redis.
TEST(ConfigDeathTest, AMisreadRedisAddressStopsTheService) {
  for (const char* address : {"10.0.0.7:638O", "10.0.0.7", ":6379", "redis:0"}) {
    EXPECT_EXIT(FromFlags({std::string("--redis=") + address}).RedisOptions(),
                ::testing::ExitedWithCode(2), "--redis: expected host:port")
        << address;
  }
}

TEST(ConfigDeathTest, AnUnreadableRedisPasswordFileStopsTheService) {
  EXPECT_EXIT(FromFlags({"--redis-password-file=/nonexistent/vetrack"}).RedisOptions(),
              ::testing::ExitedWithCode(2), "--redis-password-file: cannot read");
  // A blank first line would silently send no AUTH at all.
  const std::string blank = "/tmp/vetrack-config-test-blank-" + std::to_string(getpid());
  std::ofstream(blank) << "\nsecret-on-line-two\n";
  EXPECT_EXIT(FromFlags({"--redis-password-file=" + blank}).RedisOptions(),
              ::testing::ExitedWithCode(2), "--redis-password-file: cannot read");
  std::remove(blank.c_str());
}

// Found in review: `--drain_seconds=30` left the default of 10 in force, silently.
TEST(ConfigTest, AFlagNoSettingReadIsReported) {
  Config config = FromFlags({"--drain_seconds=30", "--listen=0.0.0.0:1"});
  config.Get("listen", "");
  config.GetInt("drain-seconds", 10, 1);
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(config.EveryFlagWasRead());
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("--drain_seconds: not a setting"), std::string::npos) << said;
  EXPECT_NE(said.find("did you mean --drain-seconds?"), std::string::npos) << said;
  EXPECT_EQ(said.find("--listen"), std::string::npos) << said;

  Config spelt = FromFlags({"--drain-seconds=30", "--redis=10.0.0.7:6380"});
  EXPECT_EQ(spelt.GetInt("drain-seconds", 10, 1), 30);
  spelt.RedisOptions();
  EXPECT_TRUE(spelt.EveryFlagWasRead());
}

}  // namespace
}  // namespace vetrack
