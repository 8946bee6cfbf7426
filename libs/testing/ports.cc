#include "testing/ports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "absl/time/clock.h"

namespace vetrack::testing {
namespace {

// Below Linux's default ephemeral range (32768-60999) and above the ports
// vetrack's local run and well-known services use. The scripts' free_port
// (deploy/local/redis.sh) claims in the same range through the same lock files.
constexpr int kFirstPort = 20000;
constexpr int kPortCount = 12000;
constexpr char kClaimDir[] = "/tmp/vetrack-test-ports";

// Whether a listener could bind the port now (SO_REUSEADDR, as gRPC and Redis
// set it, so a closed connection still in TIME_WAIT does not count as use).
bool CanBind(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool free = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return free;
}

// Takes the port's lock file and returns its descriptor, -1 if another holds
// it. Kept open, the lock lasts until the process exits, when the kernel
// releases it, even after SIGKILL.
int TakeLock(int port) {
  const std::string path = std::string(kClaimDir) + "/" + std::to_string(port);
  int fd = open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

bool ClaimPort(int port) {
  mkdir(kClaimDir, 01777);
  chmod(kClaimDir, 01777);  // others' test runs on this machine claim here too
  const int lock = TakeLock(port);
  if (lock < 0) return false;
  if (CanBind(port)) return true;  // the descriptor stays open: the claim
  close(lock);
  return false;
}

int FreePort() {
  static std::mutex mu;
  static std::mt19937 random(static_cast<unsigned>(getpid()) ^
                             static_cast<unsigned>(absl::ToUnixNanos(absl::Now())));
  std::lock_guard<std::mutex> lock(mu);
  const int start = static_cast<int>(random() % kPortCount);
  for (int i = 0; i < kPortCount; ++i) {
    const int port = kFirstPort + (start + i) % kPortCount;
    if (ClaimPort(port)) return port;
  }
  throw std::runtime_error("no free port to claim in " + std::string(kClaimDir));
}

bool PortOpen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool open = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return open;
}

int64_t UnreadBytesAt(int port) {
  // Lines: "sl local_address rem_address st tx_queue:rx_queue ...", the
  // addresses as hex "0100007F:1F90", the state 01 for an established one.
  // A server may listen on an IPv6 socket and take IPv4 connections on it
  // (v4-mapped), which tcp6 lists: both tables are read.
  int64_t unread = 0;
  for (const char* path : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream table(path);
    std::string line;
    std::getline(table, line);  // the header
    while (std::getline(table, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues;
      if (!(fields >> slot >> local >> remote >> state >> queues)) continue;
      const size_t port_at = local.find(':');
      const size_t rx_at = queues.find(':');
      if (port_at == std::string::npos || rx_at == std::string::npos || state != "01") continue;
      if (std::stoi(local.substr(port_at + 1), nullptr, 16) != port) continue;
      unread += std::stoll(queues.substr(rx_at + 1), nullptr, 16);
    }
  }
  return unread;
}

bool WaitForPort(int port, absl::Duration timeout) {
  const absl::Time give_up = absl::Now() + timeout;
  while (!PortOpen(port)) {
    if (absl::Now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace vetrack::testing
