#include "https_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "log/log.h"

namespace vetrack::gateway {

struct HttpsIdentity::Loaded {
  // The files' text, to tell a renewal from a re-read of the same files.
  PemTexts texts;
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

absl::StatusOr<std::shared_ptr<const Loaded>> Parse(const TlsFiles& files, PemTexts texts) {
  auto loaded = std::make_shared<Loaded>();
  std::vector<X509*> certs = Certificates(texts.cert);
  if (certs.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(files.cert_file, " holds no certificate"));
  }
  loaded->cert = certs.front();
  loaded->chain = sk_X509_new_null();
  for (size_t i = 1; i < certs.size(); ++i) sk_X509_push(loaded->chain, certs[i]);
  Bio key_bio = MemoryBio(texts.key);
  loaded->key = PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (loaded->key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(files.key_file, " holds no private key"));
  }
  if (X509_check_private_key(loaded->cert, loaded->key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(files.key_file, " is not the key of the certificate in ", files.cert_file));
  }
  if (!files.ca_file.empty()) {
    std::vector<X509*> cas = Certificates(texts.ca);
    if (cas.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(files.ca_file, " holds no certificate"));
    }
    loaded->ca_store = X509_STORE_new();
    loaded->ca_names = sk_X509_NAME_new_null();
    for (X509* ca : cas) {
      X509_STORE_add_cert(loaded->ca_store, ca);  // takes its own reference
      sk_X509_NAME_push(loaded->ca_names, X509_NAME_dup(X509_get_subject_name(ca)));
      X509_free(ca);
    }
  }
  loaded->texts = std::move(texts);
  return std::shared_ptr<const Loaded>(std::move(loaded));
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpsIdentity>> HttpsIdentity::Load(const TlsFiles& files) {
  auto texts = ReadPemFiles(files);
  if (!texts.ok()) return texts.status();
  auto loaded = Parse(files, *std::move(texts));
  if (!loaded.ok()) return loaded.status();
  return std::unique_ptr<HttpsIdentity>(new HttpsIdentity(files, *std::move(loaded)));
}

HttpsIdentity::HttpsIdentity(TlsFiles files, std::shared_ptr<const Loaded> loaded)
    : files_(std::move(files)),
      reload_interval_(absl::ToChronoNanoseconds(files_.reload_interval)),
      loaded_(std::move(loaded)),
      next_check_(std::chrono::steady_clock::now() + reload_interval_) {}

HttpsIdentity::~HttpsIdentity() = default;

bool HttpsIdentity::Install(SSL_CTX& ctx) {
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) != 1) return false;
  if (!files_.ca_file.empty()) {
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
  auto texts = ReadPemFiles(files_);
  if (texts.ok() && texts->cert == loaded_->texts.cert && texts->key == loaded_->texts.key &&
      texts->ca == loaded_->texts.ca) {
    return loaded_;
  }
  absl::StatusOr<std::shared_ptr<const Loaded>> renewed =
      texts.ok() ? Parse(files_, *std::move(texts)) : texts.status();
  if (!renewed.ok()) {
    LogWarn("https certificate not renewed, the last one stays in use",
            {{"error", std::string(renewed.status().message())}});
    return loaded_;
  }
  loaded_ = *std::move(renewed);
  LogInfo("https certificate renewed", {{"cert", files_.cert_file}});
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
