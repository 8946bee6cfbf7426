// The gateway with TLS and a client CA (mTLS): a system with a certificate
// from the CA gets in, a caller without one does not, over gRPC and over
// HTTP/JSON alike; the probe listener stays plain HTTP for kubelet.
// Certificates are made by the openssl command line in a temporary directory.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth/token.h"
#include "testing/redis_server.h"
#include "testing/test_certificates.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"

namespace vetrack::gateway {
namespace {

constexpr char kSecret[] = "tls-test-secret-0123456789abcdefghijklmnop";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

using ::vetrack::testing::PortOpen;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The client without a certificate writes to a connection the server
    // has closed; as in the services, that is an error, not the end.
    signal(SIGPIPE, SIG_IGN);
    char tmpl[] = "/tmp/vetrack-gateway-tls-XXXXXX";
    dir_ = mkdtemp(tmpl);
    ASSERT_TRUE(testing::WriteTestCertificates(dir_, ServerAltName())) << "openssl failed";
    // The callers' CA is a file of its own, as in prod, so a test can renew it.
    ASSERT_EQ(std::system(("cp '" + dir_ + "/ca.pem' '" + dir_ + "/callers-ca.pem'").c_str()), 0);
    std::ofstream(dir_ + "/token.key") << kSecret << "\n";
    port_ = testing::FreePort();
    http_port_ = testing::FreePort();
    probe_port_ = testing::FreePort();
    ASSERT_TRUE(
        gateway_.Start({GATEWAY_BINARY, "--listen=127.0.0.1:" + std::to_string(port_),
                        "--metrics=", "--http-listen=127.0.0.1:" + std::to_string(http_port_),
                        "--http-probe-listen=127.0.0.1:" + std::to_string(probe_port_),
                        "--redis=" + redis_.address(), "--token-key-file=" + dir_ + "/token.key",
                        "--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/server.key",
                        "--tls-client-ca=" + dir_ + "/callers-ca.pem", "--tls-reload-seconds=1"},
                       dir_ + "/gateway.log"));
    for (int i = 0; i < 500 && !PortOpen(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(PortOpen(port_));
    for (int i = 0; i < 500 && !PortOpen(probe_port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // The name the gateway's first certificate is issued for.
  virtual std::string ServerAltName() const { return "DNS:localhost"; }

  std::string Bearer() const {
    auto keys = TokenKeys::FromSecrets({kSecret});
    return "Bearer " + keys->Sign({Role::kExchange, ""}, absl::Now() + absl::Hours(1));
  }

  // GET /v1/whoami over HTTPS, with the client certificate in `client_dir`
  // when `with_cert`.
  httplib::Result HttpsWhoAmI(bool with_cert, std::string client_dir = "") {
    if (client_dir.empty()) client_dir = dir_;
    std::unique_ptr<httplib::SSLClient> client =
        with_cert
            ? std::make_unique<httplib::SSLClient>(
                  "localhost", http_port_, client_dir + "/client.pem", client_dir + "/client.key")
            : std::make_unique<httplib::SSLClient>("localhost", http_port_);
    client->set_ca_cert_path((dir_ + "/ca.pem").c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(5, 0);
    return client->Get("/v1/whoami", {{"Authorization", Bearer()}});
  }

  void TearDown() override {
    gateway_.Signal(SIGKILL);
    (void)std::system(("rm -rf '" + dir_ + "'").c_str());
  }

  grpc::Status WhoAmI(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    // A connection of its own each time: a shared one that failed its
    // handshake would wait out gRPC's reconnect backoff.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel =
        grpc::CreateCustomChannel("localhost:" + std::to_string(port_), credentials, args);
    auto stub = v1::GatewayService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto keys = TokenKeys::FromSecrets({kSecret});
    context.AddMetadata("authorization", "Bearer " + keys->Sign({Role::kExchange, ""},
                                                                absl::Now() + absl::Hours(1)));
    v1::WhoAmIResponse me;
    grpc::Status status = stub->WhoAmI(&context, v1::WhoAmIRequest(), &me);
    if (status.ok()) {
      EXPECT_EQ(me.principal(), "exchange");
    }
    return status;
  }

  // A system's credentials: the client certificate in `client_dir` (the
  // one from the callers' CA unless told), checking the gateway's
  // certificate against the CA that issued it.
  std::shared_ptr<grpc::ChannelCredentials> SystemCredentials(std::string client_dir = "") const {
    if (client_dir.empty()) client_dir = dir_;
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Read(dir_ + "/ca.pem");
    options.pem_private_key = Read(client_dir + "/client.key");
    options.pem_cert_chain = Read(client_dir + "/client.pem");
    return grpc::SslCredentials(options);
  }

  // Certificates from another CA in dir_/`name`: a client.pem no CA of the
  // gateway's signed.
  void WriteOtherCa(const std::string& name) {
    ASSERT_EQ(mkdir((dir_ + "/" + name).c_str(), 0700), 0);
    ASSERT_TRUE(testing::WriteTestCertificates(dir_ + "/" + name, "DNS:localhost"));
  }

  testing::RedisServer redis_;
  testing::ChildProcess gateway_;
  std::string dir_;
  int port_ = 0;
  int http_port_ = 0;
  int probe_port_ = 0;
};

TEST_F(TlsTest, ASystemWithACertificateFromTheCaGetsIn) {
  grpc::Status status = WhoAmI(SystemCredentials());
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(TlsTest, CallersWithoutACertificateOrTlsAreTurnedAway) {
  grpc::SslCredentialsOptions no_certificate;
  no_certificate.pem_root_certs = Read(dir_ + "/ca.pem");
  EXPECT_FALSE(WhoAmI(grpc::SslCredentials(no_certificate)).ok());
  EXPECT_FALSE(WhoAmI(grpc::InsecureChannelCredentials()).ok());
}

TEST_F(TlsTest, HttpJsonTakesTheSameCertificatesAndProbesStayPlain) {
  auto in = HttpsWhoAmI(true);
  ASSERT_TRUE(in) << httplib::to_string(in.error());
  EXPECT_EQ(in->status, 200) << in->body;
  EXPECT_NE(in->body.find("exchange"), std::string::npos) << in->body;

  auto without_certificate = HttpsWhoAmI(false);
  EXPECT_FALSE(without_certificate && without_certificate->status == 200);
  httplib::Client plain("localhost", http_port_);
  plain.set_read_timeout(5, 0);
  auto plaintext = plain.Get("/v1/whoami", {{"Authorization", Bearer()}});
  EXPECT_FALSE(plaintext && plaintext->status == 200);

  httplib::Client probe("127.0.0.1", probe_port_);
  probe.set_read_timeout(5, 0);
  auto live = probe.Get("/livez");
  ASSERT_TRUE(live) << httplib::to_string(live.error());
  EXPECT_EQ(live->status, 200);
}

// The "no certificate" test above fails on the certificate's absence alone;
// this one checks that the chain is verified, on both ports.
TEST_F(TlsTest, ACertificateFromAnotherCaIsTurnedAway) {
  WriteOtherCa("other");
  EXPECT_FALSE(WhoAmI(SystemCredentials(dir_ + "/other")).ok());
  auto https = HttpsWhoAmI(true, dir_ + "/other");
  EXPECT_FALSE(https && https->status == 200);
}

// The callers' CA renewed: systems with certificates from the new CA get in,
// those from the old one no longer do, without a restart.
TEST_F(TlsTest, ARenewedCallersCaIsTakenWithoutARestart) {
  WriteOtherCa("next");
  ASSERT_FALSE(WhoAmI(SystemCredentials(dir_ + "/next")).ok());
  ASSERT_EQ(std::system(("cp '" + dir_ + "/next/ca.pem' '" + dir_ + "/next-ca.pem' && mv '" + dir_ +
                         "/next-ca.pem' '" + dir_ + "/callers-ca.pem'")
                            .c_str()),
            0);
  bool grpc_in = false, https_in = false;
  for (int i = 0; i < 150 && !(grpc_in && https_in); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    grpc_in = grpc_in || WhoAmI(SystemCredentials(dir_ + "/next")).ok();
    if (!https_in) {
      auto https = HttpsWhoAmI(true, dir_ + "/next");
      https_in = https && https->status == 200;
    }
  }
  EXPECT_TRUE(grpc_in) << "the gRPC port still asks for the old CA";
  EXPECT_TRUE(https_in) << "the HTTPS port still asks for the old CA";
  EXPECT_FALSE(WhoAmI(SystemCredentials()).ok()) << "the old CA's certificate still gets in";
  auto old = HttpsWhoAmI(true);
  EXPECT_FALSE(old && old->status == 200) << "the old CA's certificate still gets in";
}

// Files caught half-renewed (a new key beside the old certificate) are not
// taken by the HTTPS port, which keeps serving the last good pair. (gRPC
// 1.51's file watcher takes them, and its port refuses handshakes until the
// files are whole again: see deploy/README.)
TEST_F(TlsTest, AKeyThatDoesNotMatchItsCertificateLeavesHttpsOnTheLastGoodPair) {
  std::string new_key = "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" +
                        dir_ + "/new.key' >/dev/null 2>&1 && mv '" + dir_ + "/new.key' '" + dir_ +
                        "/server.key'";
  ASSERT_EQ(std::system(new_key.c_str()), 0) << "openssl failed";
  // HTTPS reads its files when a handshake comes after the reload interval.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto in = HttpsWhoAmI(true);
  ASSERT_TRUE(in) << httplib::to_string(in.error());
  EXPECT_EQ(in->status, 200) << in->body;
  EXPECT_NE(gateway_.LogTail(1 << 20).find("https certificate not renewed"), std::string::npos)
      << "the half-written files were never read: " << gateway_.LogTail();
}

// The gateway starts with a certificate for another name, which callers
// checking for localhost refuse; then the certificate is renewed for
// localhost, and both ports serve the new one without a restart.
class RenewedCertificateTest : public TlsTest {
 protected:
  std::string ServerAltName() const override { return "DNS:elsewhere.example"; }
};

TEST_F(RenewedCertificateTest, ARenewedCertificateServesNewConnectionsWithoutARestart) {
  EXPECT_FALSE(WhoAmI(SystemCredentials()).ok()) << "a certificate for another name was taken";
  auto before = HttpsWhoAmI(true);
  EXPECT_FALSE(before && before->status == 200);

  ASSERT_TRUE(testing::RenewServerCertificate(dir_, "DNS:localhost")) << "openssl failed";
  // Reloaded every second: allow many times that on a busy machine.
  bool grpc_in = false, https_in = false;
  for (int i = 0; i < 150 && !(grpc_in && https_in); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    grpc_in = grpc_in || WhoAmI(SystemCredentials()).ok();
    if (!https_in) {
      auto after = HttpsWhoAmI(true);
      https_in = after && after->status == 200;
    }
  }
  EXPECT_TRUE(grpc_in) << "the gRPC port still serves the old certificate";
  EXPECT_TRUE(https_in) << "the HTTPS port still serves the old certificate";
  EXPECT_EQ(kill(gateway_.pid(), 0), 0) << "not the gateway that started: " << gateway_.LogTail();
}

}  // namespace
}  // namespace vetrack::gateway
