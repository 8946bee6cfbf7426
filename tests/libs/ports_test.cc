#include "testing/ports.h"

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace vetrack::testing {
namespace {

constexpr int kPortsEach = 20;

// Two test processes running at once (ctest -j) must not be handed the same
// port: what a child was handed cannot be claimed by its parent while the
// child lives, and becomes free again once it is gone (even by SIGKILL).
TEST(FreePortTest, APortHandedToOneProcessIsNotHandedToAnother) {
  int ports_pipe[2];
  int go_pipe[2];
  ASSERT_EQ(pipe(ports_pipe), 0);
  ASSERT_EQ(pipe(go_pipe), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ports_pipe[0]);
    for (int i = 0; i < kPortsEach; ++i) {
      int port = FreePort();
      if (write(ports_pipe[1], &port, sizeof(port)) != sizeof(port)) _exit(1);
    }
    close(ports_pipe[1]);
    char go;  // holds its claims until the parent has checked them
    (void)!read(go_pipe[0], &go, 1);
    _exit(0);
  }
  close(ports_pipe[1]);
  std::vector<int> child_ports;
  int port;
  while (read(ports_pipe[0], &port, sizeof(port)) == sizeof(port)) child_ports.push_back(port);
  close(ports_pipe[0]);
  ASSERT_EQ(child_ports.size(), static_cast<size_t>(kPortsEach));
  EXPECT_EQ(std::set<int>(child_ports.begin(), child_ports.end()).size(), child_ports.size())
      << "a port was handed out twice in one process";

  for (int taken : child_ports) EXPECT_FALSE(ClaimPort(taken)) << taken << " is the child's";

  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  int reclaimed = 0;
  for (int freed : child_ports) reclaimed += ClaimPort(freed) ? 1 : 0;
  EXPECT_EQ(reclaimed, kPortsEach) << "the claims outlived the process";
}

TEST(FreePortTest, PortsAreFreeAndBelowTheEphemeralRange) {
  std::set<int> handed;
  for (int i = 0; i < kPortsEach; ++i) {
    int port = FreePort();
    EXPECT_TRUE(handed.insert(port).second) << port << " was handed out twice";
    EXPECT_GE(port, 1024);
    EXPECT_LT(port, 32768) << "outgoing connections take ports from 32768 up";
    EXPECT_FALSE(PortOpen(port));
    EXPECT_FALSE(ClaimPort(port)) << "this process holds it already";
  }
}

}  // namespace
}  // namespace vetrack::testing
