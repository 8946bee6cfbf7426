#ifndef VETRACK_TESTS_EXCHANGE_TEST_RECEIVER_H_
#define VETRACK_TESTS_EXCHANGE_TEST_RECEIVER_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace vetrack::exchange::testing {

// A municipal endpoint on loopback, as the exchange should expect one: it
// verifies the signature (401 otherwise), applies a batch's entries once per
// batch id, and can be told to fail or to stall.
class TestReceiver {
 public:
  // PEM files of the certificate (for 127.0.0.1) and key an HTTPS receiver presents.
  struct Tls {
    std::string cert_file;
    std::string key_file;
  };

  explicit TestReceiver(std::string secret, std::optional<Tls> tls = std::nullopt);
  ~TestReceiver();

  std::string endpoint() const;

  // Every `n`th request (counting all) answers 503 without applying; 0: never.
  void FailEvery(int n);
  // The next `times` well-signed requests answer `status` without applying.
  void AnswerNext(int status, int times);
  // Every well-signed request whose body holds `text` answers `status`
  // without applying (a batch the receiver chokes on); "" stops it.
  void AnswerBodiesHolding(const std::string& text, int status);
  // Every `n`th request applies, then waits `delay` before answering, so a
  // client with a shorter timeout gives up and sends the batch again.
  void StallEvery(int n, absl::Duration delay);

  int requests() const;
  int rejected_signatures() const;
  // change_id -> how many times it was applied.
  std::map<std::string, int> applied() const;
  // batch id -> how many times it arrived with a good signature.
  std::map<std::string, int> batches_seen() const;
  // change_id -> the entry (JSON) as first applied.
  std::map<std::string, std::string> entries() const;
  // change_ids in the order they were first applied.
  std::vector<std::string> applied_order() const;

 private:
  int Handle(const std::string& batch_id, const std::string& signature, const std::string& body);

  std::string secret_;
  bool tls_;
  int port_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  mutable std::mutex mu_;
  int requests_ = 0;
  int rejected_ = 0;
  int fail_every_ = 0;
  int answer_status_ = 0;
  int answer_times_ = 0;
  std::string choke_on_;
  int choke_status_ = 0;
  int stall_every_ = 0;
  absl::Duration stall_ = absl::ZeroDuration();
  std::map<std::string, int> applied_;
  std::map<std::string, int> batches_;
  std::map<std::string, std::string> entries_;
  std::vector<std::string> applied_order_;
};

}  // namespace vetrack::exchange::testing

#endif  // VETRACK_TESTS_EXCHANGE_TEST_RECEIVER_H_
