#include "batch_sender.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "auth/token.h"

namespace vetrack::exchange {

absl::StatusOr<std::unique_ptr<HttpBatchSender>> HttpBatchSender::Create(
    const std::string& endpoint, std::string secret, absl::Duration timeout) {
  const std::string scheme = "http://";
  if (endpoint.rfind(scheme, 0) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("exchange endpoint must start with http://, got ", endpoint));
  }
  if (secret.empty()) return absl::InvalidArgumentError("exchange signing secret is empty");
  size_t slash = endpoint.find('/', scheme.size());
  std::string host = endpoint.substr(0, slash);
  std::string path = slash == std::string::npos ? "/" : endpoint.substr(slash);
  auto client = std::make_unique<httplib::Client>(host);
  int64_t micros = absl::ToInt64Microseconds(timeout);
  client->set_connection_timeout(micros / 1000000, micros % 1000000);
  client->set_read_timeout(micros / 1000000, micros % 1000000);
  client->set_write_timeout(micros / 1000000, micros % 1000000);
  return std::unique_ptr<HttpBatchSender>(
      new HttpBatchSender(std::move(client), std::move(path), std::move(secret)));
}

HttpBatchSender::HttpBatchSender(std::unique_ptr<httplib::Client> client, std::string path,
                                 std::string secret)
    : client_(std::move(client)), path_(std::move(path)), secret_(std::move(secret)) {}

HttpBatchSender::~HttpBatchSender() = default;

absl::Status HttpBatchSender::Send(const std::string& batch_id, const std::string& body) {
  httplib::Headers headers{{kBatchIdHeader, batch_id},
                           {kSignatureHeader, HmacSha256Hex(secret_, body)}};
  auto result = client_->Post(path_, headers, body, "application/json");
  if (!result) {
    return absl::UnavailableError(
        absl::StrCat("POST ", path_, ": ", httplib::to_string(result.error())));
  }
  if (result->status < 200 || result->status >= 300) {
    return absl::UnavailableError(absl::StrCat("POST ", path_, " answered ", result->status));
  }
  return absl::OkStatus();
}

}  // namespace vetrack::exchange
