#include "http_endpoint.h"

#include <httplib.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vetrack::exchange {

HttpEndpoint::HttpEndpoint() = default;
HttpEndpoint::HttpEndpoint(HttpEndpoint&&) noexcept = default;
HttpEndpoint::~HttpEndpoint() = default;

absl::StatusOr<HttpEndpoint> OpenHttpEndpoint(const std::string& url,
                                              const HttpEndpointOptions& options) {
  size_t scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return absl::InvalidArgumentError(
        absl::StrCat("endpoint must start with https:// or http://, got \"", url, "\""));
  }
  size_t host_begin = scheme_end + 3;
  size_t slash = url.find('/', host_begin);
  if (slash == host_begin || host_begin == url.size()) {
    return absl::InvalidArgumentError(absl::StrCat("endpoint \"", url, "\" names no host"));
  }
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file).good()) {
    return absl::InvalidArgumentError(absl::StrCat("CA file ", options.ca_file, " cannot be read"));
  }
  HttpEndpoint endpoint;
  // httplib::Client picks plain or TLS transport from the scheme; TLS needs
  // CPPHTTPLIB_OPENSSL_SUPPORT, which Debian's cpp-httplib.pc defines.
  endpoint.client = std::make_unique<httplib::Client>(url.substr(0, slash));
  endpoint.path = slash == std::string::npos ? "/" : url.substr(slash);
  endpoint.url = url;
  if (scheme == "https") {
    endpoint.client->enable_server_certificate_verification(true);
    if (!options.ca_file.empty()) endpoint.client->set_ca_cert_path(options.ca_file.c_str());
  }
  int64_t micros = absl::ToInt64Microseconds(options.timeout);
  endpoint.client->set_connection_timeout(micros / 1000000, micros % 1000000);
  endpoint.client->set_read_timeout(micros / 1000000, micros % 1000000);
  endpoint.client->set_write_timeout(micros / 1000000, micros % 1000000);
  endpoint.timeout = options.timeout;
  return endpoint;
}

bool RunWithin(httplib::Client& client, absl::Duration limit,
               const std::function<void()>& request) {
  std::mutex mu;
  std::condition_variable finished;
  bool done = false;
  bool stopped = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mu);
    if (!finished.wait_for(lock, absl::ToChronoNanoseconds(limit), [&] { return done; })) {
      stopped = true;
      // Thread-safe: shuts the socket of the request under way. It waits for
      // a connection being set up, which httplib holds its lock through.
      client.stop();
    }
  });
  // Ends the watchdog however `request` leaves, a throw included.
  struct EndWatch {
    std::mutex& mu;
    std::condition_variable& finished;
    bool& done;
    std::thread& watchdog;
    ~EndWatch() {
      {
        std::lock_guard<std::mutex> lock(mu);
        done = true;
      }
      finished.notify_one();
      watchdog.join();
    }
  };
  {
    EndWatch end{mu, finished, done, watchdog};
    request();
  }
  return stopped;
}

std::string DescribeHttpError(int error) {
  switch (static_cast<httplib::Error>(error)) {
    case httplib::Error::Connection:
      return "could not connect (refused, unreachable, or the name does not resolve)";
    case httplib::Error::ConnectionTimeout:
      return "no connection within the timeout";
    case httplib::Error::Read:
      return "the answer could not be read (closed early, or too slow)";
    case httplib::Error::Write:
      return "the request could not be sent (the connection closed)";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "the platform's certificate did not verify";
    case httplib::Error::SSLLoadingCerts:
      return "the trusted certificates could not be loaded";
    case httplib::Error::Canceled:
      return "cancelled";
    default:
      return httplib::to_string(static_cast<httplib::Error>(error));
  }
}

}  // namespace vetrack::exchange
