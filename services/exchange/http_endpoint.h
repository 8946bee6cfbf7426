#ifndef VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_
#define VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace httplib {
class Client;
}

namespace vetrack::exchange {

struct HttpEndpointOptions {
  // Connect, read and write timeout, each.
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
};

// INVALID_ARGUMENT unless `url` is http://host[:port][/path] or
// https://host[:port][/path], or when `ca_file` cannot be read.
absl::StatusOr<HttpEndpoint> OpenHttpEndpoint(const std::string& url,
                                              const HttpEndpointOptions& options);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_HTTP_ENDPOINT_H_
