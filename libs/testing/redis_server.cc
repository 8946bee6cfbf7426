#include "testing/redis_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "absl/time/clock.h"

namespace vetrack::testing {

std::string TempLogPath(const std::string& name) {
  return "/tmp/vetrack-" + name + "-" + std::to_string(getpid()) + ".log";
}

namespace {

// Forks on one thread that lives as long as the test process. Each child
// asks the kernel to SIGKILL it when the thread that forked it ends
// (PR_SET_PDEATHSIG): forked here, that is when the test process ends, even
// by a crash that runs no destructor. Forked from the calling thread instead,
// a child started by a helper thread (a fault test restarting Redis) would
// die with that thread.
class Spawner {
 public:
  // A forked test process has none of its parent's threads: it gets its own.
  static Spawner& ForThisProcess() {
    static std::mutex mu;
    static Spawner* spawner = nullptr;  // never destroyed: its thread may outlive main
    std::lock_guard<std::mutex> lock(mu);
    if (spawner == nullptr || spawner->owner_ != getpid()) spawner = new Spawner;
    return *spawner;
  }

  pid_t Spawn(std::function<pid_t()> fork_child) {
    std::packaged_task<pid_t()> task(std::move(fork_child));
    auto pid = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
    return pid.get();
  }

 private:
  Spawner() : owner_(getpid()) {
    std::thread([this] { Loop(); }).detach();
  }

  void Loop() {
    while (true) {
      std::packaged_task<pid_t()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  const pid_t owner_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::packaged_task<pid_t()>> tasks_;
};

}  // namespace

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Signal(SIGKILL);
}

bool ChildProcess::Start(const std::vector<std::string>& argv, const std::string& log_path) {
  // Everything the child needs is made before the fork: after it, only
  // system calls until exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = Spawner::ForThisProcess().Spawn([&]() -> pid_t {
    pid_t forked = fork();
    if (forked != 0) return forked;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);  // the test process is already gone
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execvp(args[0], args.data());
    _exit(127);
  });
  if (pid < 0) return false;
  pid_ = pid;
  log_path_ = log_path;
  return true;
}

std::string ChildProcess::LogTail(size_t max_bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string log = text.str();
  if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
  return log_path_ + ":\n" + log;
}

int ChildProcess::Signal(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

int ChildProcess::Wait(absl::Duration limit) {
  if (pid_ <= 0) return -1;
  const absl::Time until = absl::Now() + limit;
  int status = 0;
  for (;;) {
    const pid_t ended = waitpid(pid_, &status, WNOHANG);
    if (ended == pid_) break;
    if (ended < 0 && errno != EINTR) {
      pid_ = -1;
      return -1;
    }
    if (absl::Now() >= until) {
      Signal(SIGKILL);
      return -1;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  pid_ = -1;
  return status;
}

RedisServer::RedisServer() : port_(FreePort()) {
  char tmpl[] = "/tmp/vetrack-redis-XXXXXX";
  dir_ = mkdtemp(tmpl);
  Start();
}

RedisServer::~RedisServer() {
  Kill();
  std::string cmd = "rm -rf '" + dir_ + "'";
  (void)std::system(cmd.c_str());
}

redis::Options RedisServer::options() const {
  redis::Options options;
  options.port = port_;
  options.command_timeout = std::chrono::milliseconds(5000);
  return options;
}

namespace {

// Redis 7.0 cuts a torn AOF tail after the last whole command, which may
// leave a script's MULTI block open: the next writes join that block, and the
// restart after loses them or applies half a script (valkey-io/valkey#4342).
// So Redis runs with aof-load-truncated no, and a torn tail is cut before its
// MULTI here first, as the shipped start-up does (deploy/).
void RepairTornAofTail(const std::string& dir) {
  const std::string manifest = dir + "/appendonlydir/appendonly.aof.manifest";
  if (access(manifest.c_str(), F_OK) != 0) return;
  const std::string command = "redis-check-aof '" + manifest + "' >/dev/null 2>&1 || echo y | " +
                              "redis-check-aof --fix '" + manifest + "' >>'" + dir +
                              "/redis.log' 2>&1";
  (void)std::system(command.c_str());
}

}  // namespace

void RedisServer::Start() {
  RepairTornAofTail(dir_);
  if (!process_.Start({"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                       "--dir", dir_, "--appendonly", "yes", "--appendfsync", "always",
                       "--aof-load-truncated", "no", "--save", "", "--daemonize", "no"},
                      dir_ + "/redis.log")) {
    throw std::runtime_error("cannot start redis-server");
  }
  redis::Options opts = options();
  opts.connect_timeout = std::chrono::milliseconds(200);
  for (int attempt = 0; attempt < 200; ++attempt) {
    redis::Client client(opts);
    if (client.Ping().ok()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  throw std::runtime_error("redis-server did not answer PING; see " + dir_ + "/redis.log");
}

void RedisServer::Kill() { process_.Signal(SIGKILL); }

}  // namespace vetrack::testing
