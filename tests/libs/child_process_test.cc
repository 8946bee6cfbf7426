// ChildProcess: what a test starts ends with the test process, however that
// ends, and not before.
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "testing/redis_server.h"

namespace vetrack::testing {
namespace {

// Running: neither gone nor a zombie waiting to be reaped.
bool Running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) return false;
  return state != "Z" && state != "X";
}

// A test process that crashes runs no destructor (seen: a redis-server left
// behind by a segfaulting test). Its children must die with it, yet a child
// started by a helper thread that has ended (a fault test restarting Redis)
// must live on while the test process does.
TEST(ChildProcessTest, EndsWithTheTestProcessNotWithTheThreadThatStartedIt) {
  int report[2];
  ASSERT_EQ(pipe(report), 0);
  pid_t test_process = fork();
  ASSERT_GE(test_process, 0);
  if (test_process == 0) {
    close(report[0]);
    auto* child = new ChildProcess;  // never destroyed, as in a crash
    std::thread([child] {
      child->Start({"sleep", "60"}, "/dev/null");
      usleep(100 * 1000);  // long enough for the child to be set up before this thread ends
    }).join();
    usleep(200 * 1000);
    const int facts[2] = {child->pid(), Running(child->pid()) ? 1 : 0};
    if (write(report[1], facts, sizeof(facts)) != sizeof(facts)) _exit(1);
    _exit(0);  // no destructor runs
  }
  close(report[1]);
  int facts[2] = {0, 0};
  ASSERT_EQ(read(report[0], facts, sizeof(facts)), static_cast<ssize_t>(sizeof(facts)));
  close(report[0]);
  const pid_t child = facts[0];
  ASSERT_GT(child, 0);
  waitpid(test_process, nullptr, 0);
  EXPECT_EQ(facts[1], 1) << "the child died with the thread that started it";

  bool ended = !Running(child);
  for (int i = 0; i < 500 && !ended; ++i) {
    usleep(10 * 1000);
    ended = !Running(child);
  }
  EXPECT_TRUE(ended) << "the child outlived the test process";
  if (!ended) kill(child, SIGKILL);
}

}  // namespace
}  // namespace vetrack::testing
