#ifndef VETRACK_TESTS_EXCHANGE_REFERENCE_SERVER_H_
#define VETRACK_TESTS_EXCHANGE_REFERENCE_SERVER_H_

#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace vetrack::exchange::testing {

// The municipal endpoint of reference data, on loopback: GET answers the
// document it was given, with the signature header it was given.
class ReferenceServer {
 public:
  ReferenceServer();
  ~ReferenceServer();

  std::string endpoint() const;
  // What GET answers from now on; no signature header when `signature` is "".
  void Serve(std::string body, std::string signature);
  int requests() const;

 private:
  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::string body_;
  std::string signature_;
  int requests_ = 0;
};

}  // namespace vetrack::exchange::testing

#endif  // VETRACK_TESTS_EXCHANGE_REFERENCE_SERVER_H_
