#ifndef VETRACK_LIBS_TESTING_REDIS_SERVER_H_
#define VETRACK_LIBS_TESTING_REDIS_SERVER_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "redis/redis_client.h"
#include "testing/ports.h"

namespace vetrack::testing {

// "/tmp/vetrack-<name>-<pid>.log": a log of this test process's own, not
// shared with the same test running at once in another process.
std::string TempLogPath(const std::string& name);

// A child process, killed (SIGKILL) if still running when this goes away, or
// when the test process ends in any way, a crash included.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv[0] (a path) with the arguments; output goes to `log_path`.
  bool Start(const std::vector<std::string>& argv, const std::string& log_path);
  // Sends `signal` and waits; returns the exit status as waitpid reports it.
  int Signal(int signal);
  // Waits up to `limit` for it to end by itself: the exit status as waitpid
  // reports it, or -1 when it had to be killed (SIGKILL) at the limit.
  int Wait(absl::Duration limit);
  bool running() const { return pid_ > 0; }
  // For signals that do not end it (SIGSTOP, SIGCONT): send with kill(2).
  pid_t pid() const { return pid_; }
  // The end of what it wrote, for a test's failure message.
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// A real redis-server on a free port, durable as in production (AOF,
// appendfsync always, a torn AOF tail repaired before each start), with its
// data in a fresh temporary directory that survives Restart() so tests can
// check what a restart keeps.
class RedisServer {
 public:
  RedisServer();
  ~RedisServer();

  // Starts (again) on the same port and data directory; waits for PING.
  void Start();
  // SIGKILL: no chance to flush anything beyond what fsync already wrote.
  void Kill();
  void Restart() {
    Kill();
    Start();
  }

  int port() const { return port_; }
  redis::Options options() const;
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  std::string dir_;
  ChildProcess process_;
};

}  // namespace vetrack::testing

#endif  // VETRACK_LIBS_TESTING_REDIS_SERVER_H_
