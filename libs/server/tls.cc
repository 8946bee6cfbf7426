#include "server/tls.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "status/errors.h"

namespace vetrack {

absl::StatusOr<std::string> ReadPemFile(const std::string& path, const std::string& flag) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidField(flag, absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  if (!absl::StrContains(text.str(), "-----BEGIN ")) {
    return InvalidField(flag, absl::StrCat(path, " holds no PEM block"));
  }
  return text.str();
}

absl::StatusOr<PemTexts> ReadPemFiles(const TlsFiles& files) {
  if (files.cert_file.empty() != files.key_file.empty()) {
    const std::string& missing = files.cert_file.empty() ? files.cert_flag : files.key_flag;
    return InvalidField(
        missing, absl::StrCat("--", files.cert_flag, " and --", files.key_flag, " go together"));
  }
  auto cert = ReadPemFile(files.cert_file, files.cert_flag);
  if (!cert.ok()) return cert.status();
  auto key = ReadPemFile(files.key_file, files.key_flag);
  if (!key.ok()) return key.status();
  auto ca = ReadPemFile(files.ca_file, files.ca_flag);
  if (!ca.ok()) return ca.status();
  return PemTexts{*std::move(cert), *std::move(key), *std::move(ca)};
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFiles(
    const TlsFiles& files) {
  if (files.empty()) return std::shared_ptr<grpc::ServerCredentials>();
  if (files.cert_file.empty()) {
    return InvalidField(files.cert_flag, absl::StrCat("--", files.ca_flag, " needs --",
                                                      files.cert_flag, " and --", files.key_flag));
  }
  // Read once here, so that a bad file is refused at start naming its flag;
  // the watcher reads them again from then on.
  auto pem = ReadPemFiles(files);
  if (!pem.ok()) return pem.status();
  auto watcher = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      files.key_file, files.cert_file, files.ca_file,
      static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(files.reload_interval))));
  grpc::experimental::TlsServerCredentialsOptions options(watcher);
  options.watch_identity_key_cert_pairs();
  if (!pem->ca.empty()) {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFiles(
    const TlsFiles& files) {
  if (files.empty()) return grpc::InsecureChannelCredentials();
  auto pem = ReadPemFiles(files);
  if (!pem.ok()) return pem.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pem->ca;
  options.pem_private_key = pem->key;
  options.pem_cert_chain = pem->cert;
  return grpc::SslCredentials(options);
}

grpc::ChannelArguments TlsChannelArguments(const std::string& server_name) {
  grpc::ChannelArguments args;
  if (!server_name.empty()) args.SetSslTargetNameOverride(server_name);
  return args;
}

}  // namespace vetrack
