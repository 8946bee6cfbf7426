#ifndef VETRACK_SERVICES_EXCHANGE_BATCH_SENDER_H_
#define VETRACK_SERVICES_EXCHANGE_BATCH_SENDER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "http_endpoint.h"

namespace httplib {
class Client;
}

namespace vetrack::exchange {

// Headers of a delivery: the batch id the receiver de-duplicates on, and the
// hex HMAC-SHA256 of the body under the shared secret.
inline constexpr char kBatchIdHeader[] = "X-Vetrack-Batch-Id";
inline constexpr char kSignatureHeader[] = "X-Vetrack-Signature";

// The first line of `path`, trimmed: how secrets and tokens are kept in files
// (a mounted Kubernetes secret, a local file); "" when it cannot be read.
std::string ReadFirstLine(const std::string& path);

// What an HTTP answer `http_status` to a delivery means for the batch (`what`
// names the request in the message):
// - OK: 2xx, the receiver took it.
// - INVALID_ARGUMENT: 400, 409, 413, 422, the receiver refuses this batch for
//   good.
// - UNAUTHENTICATED (401), PERMISSION_DENIED (403): the receiver refuses the
//   worker's credentials, not the batch; only an operator can fix that.
// - UNAVAILABLE: anything else (408, 429, 5xx, a wrong path or method, a
//   redirect): nothing says the receiver will not take the batch, so the
//   worker retries and never parks it.
absl::Status AnswerStatus(int http_status, const std::string& what);

// Where batches go. OK only when the receiver answered 2xx; a failure carries
// the codes of AnswerStatus (UNAVAILABLE also when no answer came).
class BatchSender {
 public:
  virtual ~BatchSender() = default;
  virtual absl::Status Send(const std::string& batch_id, const std::string& body) = 0;
};

// POSTs JSON to `endpoint` ("https://host[:port]/path"; http:// for tests and
// a link inside the government network).
class HttpBatchSender : public BatchSender {
 public:
  static absl::StatusOr<std::unique_ptr<HttpBatchSender>> Create(
      const std::string& endpoint, std::string secret, const HttpEndpointOptions& options);
  ~HttpBatchSender() override;

  absl::Status Send(const std::string& batch_id, const std::string& body) override;

 private:
  HttpBatchSender(HttpEndpoint endpoint, std::string secret);

  std::unique_ptr<httplib::Client> client_;
  std::string path_;
  std::string url_;
  absl::Duration timeout_;  // a whole POST's (RunWithin)
  std::string secret_;
};

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_BATCH_SENDER_H_
