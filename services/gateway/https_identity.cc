#include "https_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "log/log.h"

namespace vetrack::gateway {

struct HttpsIdentity::Loaded {
  // The files' text, to tell a renewal from a re-read of the same files.
  std::string cert_pem, key_pem, ca_pem;
  X509* cert = nullptr;
  STACK_OF(X509) * chain = nullptr;  // the intermediates after the leaf
  EVP_PKEY* key = nullptr;
  X509_STORE* ca_store = nullptr;            // null without a client CA
  STACK_OF(X509_NAME) * ca_names = nullptr;  // what the CertificateRequest names

  Loaded() = default;
  Loaded(const Loaded&) = delete;
  Loaded& operator=(const Loaded&) = delete;
  ~Loaded() {
    X509_free(cert);
    sk_X509_pop_free(chain, X509_free);
    EVP_PKEY_free(key);
    X509_STORE_free(ca_store);
    sk_X509_NAME_pop_free(ca_names, X509_NAME_free);
  }
};

namespace {

using Loaded = HttpsIdentity::Loaded;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio MemoryBio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every certificate in `pem`, in order (none when it holds none).
std::vector<X509*> Certificates(const std::string& pem) {
  std::vector<X509*> certs;
  Bio bio = MemoryBio(pem);
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.push_back(cert);
  }
  ERR_clear_error();  // the end of the text reads as an error
  return certs;
}

absl::StatusOr<std::shared_ptr<const Loaded>> Parse(const HttpsIdentity::Files& files,
                                                    std::string cert_pem, std::string key_pem,
                                                    std::string ca_pem) {
  auto loaded = std::make_shared<Loaded>();
  std::vector<X509*> certs = Certificates(cert_pem);
  if (certs.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(files.cert, " holds no certificate"));
  }
  loaded->cert = certs.front();
  loaded->chain = sk_X509_new_null();
  for (size_t i = 1; i < certs.size(); ++i) sk_X509_push(loaded->chain, certs[i]);
  Bio key_bio = MemoryBio(key_pem);
  loaded->key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (loaded->key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(files.key, " holds no private key"));
  }
  if (X509_check_private_key(loaded->cert, loaded->key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(files.key, " is not the key of the certificate in ", files.cert));
  }
  if (!files.client_ca.empty()) {
    std::vector<X509*> cas = Certificates(ca_pem);
    if (cas.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(files.client_ca, " holds no certificate"));
    }
    loaded->ca_store = X509_STORE_new();
    loaded->ca_names = sk_X509_NAME_new_null();
    for (X509* ca : cas) {
      X509_STORE_add_cert(loaded->ca_store, ca);  // takes its own reference
      sk_X509_NAME_push(loaded->ca_names, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
  }
  loaded->cert_pem = std::move(cert_pem);
  loaded->key_pem = std::move(key_pem);
  loaded->ca_pem = std::move(ca_pem);
  return std::shared_ptr<const Loaded>(std::move(loaded));
}

struct Texts {
  std::string cert, key, ca;
};

absl::StatusOr<Texts> ReadAll(const HttpsIdentity::Files& files) {
  Texts texts;
  for (auto [path, text] : {std::pair{&files.cert, &texts.cert}, std::pair{&files.key, &texts.key},
                            std::pair{&files.client_ca, &texts.ca}}) {
    if (path->empty()) continue;
    auto read = ReadFile(*path);
    if (!read.ok()) return read.status();
    *text = *std::move(read);
  }
  return texts;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpsIdentity>> HttpsIdentity::Load(Files files,
                                                                   absl::Duration reload_interval) {
  auto texts = ReadAll(files);
  if (!texts.ok()) return texts.status();
  auto loaded = Parse(files, std::move(texts->cert), std::move(texts->key), std::move(texts->ca));
  if (!loaded.ok()) return loaded.status();
  return std::unique_ptr<HttpsIdentity>(
      new HttpsIdentity(std::move(files), reload_interval, *std::move(loaded)));
}

HttpsIdentity::HttpsIdentity(Files files, absl::Duration reload_interval,
                             std::shared_ptr<const Loaded> loaded)
    : files_(std::move(files)),
      reload_interval_(absl::ToChronoNanoseconds(reload_interval)),
      loaded_(std::move(loaded)),
      next_check_(std::chrono::steady_clock::now() + reload_interval_) {}

HttpsIdentity::~HttpsIdentity() = default;

bool HttpsIdentity::Install(SSL_CTX& ctx) {
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) return false;
  if (!files_.client_ca.empty()) {
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    // A resumed session skips the certificate callback and the client's
    // verification: a caller whose CA was taken out of the file would keep
    // getting in on its session ticket. Every handshake is full instead.
    SSL_CTX_set_options(&ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(&ctx, 0);
    SSL_CTX_set_session_cache_mode(&ctx, SSL_SESS_CACHE_OFF);
  }
  SSL_CTX_set_cert_cb(&ctx, &HttpsIdentity::OnHandshake, this);
  return true;
}

std::shared_ptr<const HttpsIdentity::Loaded> HttpsIdentity::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return loaded_;
  next_check_ = now + reload_interval_;
  // Reading three small files once a reload interval, under the lock: the
  // handshakes meanwhile wait that long, once.
  auto texts = ReadAll(files_);
  if (texts.ok() && texts->cert == loaded_->cert_pem && texts->key == loaded_->key_pem &&
      texts->ca == loaded_->ca_pem) {
    return loaded_;
  }
  absl::StatusOr<std::shared_ptr<const Loaded>> renewed =
      texts.ok()
          ? Parse(files_, std::move(texts->cert), std::move(texts->key), std::move(texts->ca))
          : texts.status();
  if (!renewed.ok()) {
    LogWarn("https certificate not renewed, the last one stays in use",
            {{"error", std::string(renewed.status().message())}});
    return loaded_;
  }
  loaded_ = *std::move(renewed);
  LogInfo("https certificate renewed", {{"cert", files_.cert}});
  return loaded_;
}

int HttpsIdentity::OnHandshake(SSL* ssl, void* self) {
  std::shared_ptr<const Loaded> id = static_cast<HttpsIdentity*>(self)->Current();
  // Each SSL_* below takes its own references, so the connection keeps its
  // identity after a renewal drops `id`.
  if (SSL_use_certificate(ssl, id->cert) != 1 || SSL_use_PrivateKey(ssl, id->key) != 1 ||
      SSL_set1_chain(ssl, id->chain) != 1) {
    return 0;
  }
  if (id->ca_store != nullptr) {
    if (SSL_set1_verify_cert_store(ssl, id->ca_store) != 1) return 0;
    SSL_set_client_CA_list(ssl, SSL_dup_CA_list(id->ca_names));
  }
  return 1;
}

}  // namespace vetrack::gateway
