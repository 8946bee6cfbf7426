#ifndef VETRACK_LIBS_SERVER_TLS_H_
#define VETRACK_LIBS_SERVER_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vetrack {

// Files holding PEM material, as named on a command line, and the names of
// the flags that named them (for the error messages).
struct TlsFiles {
  std::string cert_file;
  std::string key_file;
  // The CA that signed the other side's certificate.
  std::string ca_file;
  std::string cert_flag = "tls-cert";
  std::string key_flag = "tls-key";
  std::string ca_flag = "ca-file";
  // How often a server reads its files again: a renewed certificate or CA
  // then serves new connections without a restart (connections already open
  // keep theirs). Certificate managers renew weeks before expiry.
  absl::Duration reload_interval = absl::Minutes(1);

  bool empty() const { return cert_file.empty() && key_file.empty() && ca_file.empty(); }
};

// The file's PEM text (an empty path reads ""). INVALID_ARGUMENT naming
// `flag` when it cannot be read or holds no PEM block.
absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& flag);

struct PemTexts {
  std::string cert;
  std::string key;
  std::string ca;
};
// The files' texts. INVALID_ARGUMENT naming the flag when only one of cert
// and key is named, or as ReadPemFile.
absl::StatusOr<PemTexts> ReadPemFiles(const TlsFiles& files);

// A server's credentials: nullptr (plaintext) when no file is named. With
// `ca_file`, callers must present a certificate that CA signed (mTLS). The
// files are watched (see reload_interval) by gRPC's file watcher, which takes
// what they hold: files caught half-written (a key that does not match its
// certificate) fail handshakes until the next reload after they are whole.
// INVALID_ARGUMENT naming the flag when only one of cert/key is named or a
// file cannot be read or holds no PEM block.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const TlsFiles& files);

// A client's credentials: plaintext when no file is named, else TLS that
// verifies the server against `ca_file` (the system's roots when it is
// empty) and presents cert/key when both are named (mTLS). Errors as above.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFiles(
    const TlsFiles& files);

// The channel arguments for checking the server's certificate against
// `server_name` instead of the host in the address (a certificate issued for
// a DNS name, reached by IP); nothing when it is empty.
grpc::ChannelArguments TlsChannelArguments(const std::string& server_name);

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_TLS_H_
