// The gateway with TLS and a client CA (mTLS): a system with a certificate
// from the CA gets in, a caller without one does not, over gRPC and over
// HTTP/JSON alike; the probe listener stays plain HTTP for kubelet.
// Certificates are made by the openssl command line in a temporary directory.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

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
    ASSERT_TRUE(testing::WriteTestCertificates(dir_, "DNS:localhost")) << "openssl failed";
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
                        "--tls-client-ca=" + dir_ + "/ca.pem"},
                       dir_ + "/gateway.log"));
    for (int i = 0; i < 500 && !PortOpen(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(PortOpen(port_));
    for (int i = 0; i < 500 && !PortOpen(probe_port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  std::string Bearer() const {
    auto keys = TokenKeys::FromSecrets({kSecret});
    return "Bearer " + keys->Sign({Role::kExchange, ""}, absl::Now() + absl::Hours(1));
  }

  // GET /v1/whoami over HTTPS, with the client certificate when `with_cert`.
  httplib::Result HttpsWhoAmI(bool with_cert) {
    std::unique_ptr<httplib::SSLClient> client =
        with_cert ? std::make_unique<httplib::SSLClient>("localhost", http_port_,
                                                         dir_ + "/client.pem", dir_ + "/client.key")
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
    auto channel = grpc::CreateChannel("localhost:" + std::to_string(port_), credentials);
    auto stub = v1::GatewayService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    auto keys = TokenKeys::FromSecrets({kSecret});
    context.AddMetadata("authorization",
                        "Bearer " + keys->Sign({Role::kExchange, ""}, absl::Now() + absl::Hours(1)));
    v1::WhoAmIResponse me;
    grpc::Status status = stub->WhoAmI(&context, v1::WhoAmIRequest(), &me);
    if (status.ok()) {
      EXPECT_EQ(me.principal(), "exchange");
    }
    return status;
  }

  testing::RedisServer redis_;
  testing::ChildProcess gateway_;
  std::string dir_;
  int port_ = 0;
  int http_port_ = 0;
  int probe_port_ = 0;
};

TEST_F(TlsTest, ASystemWithACertificateFromTheCaGetsIn) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = Read(dir_ + "/ca.pem");
  options.pem_private_key = Read(dir_ + "/client.key");
  options.pem_cert_chain = Read(dir_ + "/client.pem");
  grpc::Status status = WhoAmI(grpc::SslCredentials(options));
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

}  // namespace
}  // namespace vetrack::gateway
