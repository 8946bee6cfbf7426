#include "batch_sender.h"

#include <httplib.h>

#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "auth/token.h"

namespace vetrack::exchange {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return std::string(absl::StripAsciiWhitespace(line));
}

absl::Status AnswerStatus(int http_status, const std::string& what) {
  if (http_status >= 200 && http_status < 300) return absl::OkStatus();
  const std::string message = absl::StrCat(what, " answered ", http_status);
  if (http_status == 401) return absl::UnauthenticatedError(message);
  if (http_status == 403) return absl::PermissionDeniedError(message);
  // The receiver refuses the batch: it will not take it later. 413 too: the
  // batch in flight keeps its entries however --batch-size changes, so only
  // parking it (and redelivering it after the limit is raised) moves on.
  if (http_status == 400 || http_status == 409 || http_status == 413 || http_status == 422) {
    return absl::InvalidArgumentError(message);
  }
  // Anything else says nothing against the batch: a timeout or a rate limit
  // (408, 429), a wrong path or method (404, 405: the endpoint is
  // misconfigured, and parking would empty the outbox into dead letters),
  // 5xx, a redirect.
  return absl::UnavailableError(message);
}

absl::StatusOr<std::unique_ptr<HttpBatchSender>> HttpBatchSender::Create(
    const std::string& endpoint, std::string secret, const HttpEndpointOptions& options) {
  if (secret.empty()) return absl::InvalidArgumentError("exchange signing secret is empty");
  auto opened = OpenHttpEndpoint(endpoint, options);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<HttpBatchSender>(
      new HttpBatchSender(*std::move(opened), std::move(secret)));
}

HttpBatchSender::HttpBatchSender(HttpEndpoint endpoint, std::string secret)
    : client_(std::move(endpoint.client)),
      path_(std::move(endpoint.path)),
      url_(std::move(endpoint.url)),
      timeout_(endpoint.timeout),
      secret_(std::move(secret)) {}

HttpBatchSender::~HttpBatchSender() = default;

absl::Status HttpBatchSender::Send(const std::string& batch_id, const std::string& body) {
  httplib::Headers headers{{kBatchIdHeader, batch_id},
                           {kSignatureHeader, HmacSha256Hex(secret_, body)}};
  std::optional<httplib::Result> result;
  const bool cut = RunWithin(*client_, timeout_, [&] {
    result.emplace(client_->Post(path_, headers, body, "application/json"));
  });
  if (!*result) {
    return absl::UnavailableError(absl::StrCat(
        "POST ", url_, ": ", DescribeHttpError(static_cast<int>(result->error())),
        cut ? absl::StrCat(" (cut: no whole answer within ", absl::FormatDuration(timeout_), ")")
            : ""));
  }
  return AnswerStatus((*result)->status, absl::StrCat("POST ", path_));
}

}  // namespace vetrack::exchange
