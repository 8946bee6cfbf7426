#ifndef VETRACK_SERVICES_GATEWAY_HTTPS_IDENTITY_H_
#define VETRACK_SERVICES_GATEWAY_HTTPS_IDENTITY_H_

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/tls.h"

namespace vetrack::gateway {

// The HTTPS listener's certificate chain, key and (for mTLS) client CA, read
// again from their files at most every `reload_interval` when a handshake
// asks for them: a renewed certificate then serves new connections without a
// restart, as the gRPC port's does (grpc's FileWatcherCertificateProvider).
// A renewal that does not load, or whose key does not match its
// certificate (files caught half-written), leaves the last good one in use.
class HttpsIdentity {
 public:
  // The certificate and key, with the callers' CA as `files.ca_file` (none:
  // callers need no certificate), read again every `files.reload_interval`.
  // INVALID_ARGUMENT when the files do not load as they are now.
  static absl::StatusOr<std::unique_ptr<HttpsIdentity>> Load(const TlsFiles& files);
  ~HttpsIdentity();

  // Sets `ctx` up to take the identity on every handshake (cpp-httplib's
  // SSLServer set-up callback). False when OpenSSL refuses.
  bool Install(SSL_CTX& ctx);

  struct Loaded;  // the parsed files; defined in the .cc

 private:
  HttpsIdentity(TlsFiles files, std::shared_ptr<const Loaded> loaded);
  // The identity to hand out now, reading the files again when due.
  std::shared_ptr<const Loaded> Current();
  // OpenSSL's certificate callback: puts Current() on the connection.
  static int OnHandshake(SSL* ssl, void* self);

  const TlsFiles files_;
  const std::chrono::steady_clock::duration reload_interval_;
  std::mutex mu_;
  std::shared_ptr<const Loaded> loaded_;              // guarded by mu_
  std::chrono::steady_clock::time_point next_check_;  // guarded by mu_
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_HTTPS_IDENTITY_H_
