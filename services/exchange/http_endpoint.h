#ifndef VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_
#define VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace httplib {
class Client;
}

namespace vetrack::exchange {

struct HttpEndpointOptions {
  // The connect, read and write timeout of each step, and the longest a
  // request's answer may take, whole (RunWithin).
  absl::Duration timeout = absl::Seconds(10);
  // PEM bundle of the CAs trusted for an https:// endpoint; empty: the
  // system's roots. The server's certificate is always verified.
  std::string ca_file;
};

// A municipal platform's URL, opened: the client for its scheme, host and
// port, and the path requests go to.
struct HttpEndpoint {
  HttpEndpoint();
  HttpEndpoint(HttpEndpoint&&) noexcept;
  ~HttpEndpoint();

  std::unique_ptr<httplib::Client> client;
  std::string path;
  // The whole URL, for messages: which platform did not answer.
  std::string url;
  // HttpEndpointOptions::timeout: what RunWithin gives each request.
  absl::Duration timeout;
};

// INVALID_ARGUMENT unless `url` is http://host[:port][/path] or
// https://host[:port][/path], or when `ca_file` cannot be read.
absl::StatusOr<HttpEndpoint> OpenHttpEndpoint(const std::string& url,
                                              const HttpEndpointOptions& options);

// Runs `request`, a call on `client`, and stops the client if the call is
// still at work after `limit`: its socket is shut, so the call fails. Returns
// whether it stopped the client. cpp-httplib 0.11 bounds each connect, write
// and read by its timeouts, not a request as a whole, so a receiver that
// trickles its answer could hold a delivery past the exchange lease. Setting
// up the connection (the name lookup, a connect to each of the host's
// addresses, the TLS handshake) stays bounded only step by step: the stop
// waits for it.
bool RunWithin(httplib::Client& client, absl::Duration limit, const std::function<void()>& request);

// What a failed request's error (an httplib::Error, as an int so that this
// header need not include cpp-httplib) means, for a log an operator reads:
// "could not connect (refused, unreachable, or the name does not resolve)" rather than
// cpp-httplib's bare "Connection".
std::string DescribeHttpError(int error);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_
