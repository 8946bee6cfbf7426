// Delivery over HTTPS, as the municipal link runs: the worker verifies the
// platform's certificate against the configured CA and refuses a platform it
// cannot verify.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "batch_sender.h"
#include "http_endpoint.h"
#include "test_receiver.h"
#include "testing/test_certificates.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "https-test-secret-0123456789abcdef";

class HttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vetrack-exchange-tls-XXXXXX";
    dir_ = mkdtemp(tmpl);
    ASSERT_TRUE(vetrack::testing::WriteTestCertificates(dir_, "IP:127.0.0.1")) << "openssl failed";
    receiver_ = std::make_unique<testing::TestReceiver>(
        kSecret, testing::TestReceiver::Tls{dir_ + "/server.pem", dir_ + "/server.key"});
  }

  void TearDown() override {
    receiver_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<HttpBatchSender> Sender(const std::string& ca_file) {
    HttpEndpointOptions options;
    options.timeout = absl::Seconds(5);
    options.ca_file = ca_file;
    auto sender = HttpBatchSender::Create(receiver_->endpoint(), kSecret, options);
    EXPECT_TRUE(sender.ok()) << sender.status();
    return *std::move(sender);
  }

  static std::string Batch(const std::string& id) {
    return R"({"schema":"vetrack.exchange.v1","batch_id":")" + id +
           R"(","entries":[{"change_id":"plans/p/tasks/1@3"}]})";
  }

  std::string dir_;
  std::unique_ptr<testing::TestReceiver> receiver_;
};

TEST_F(HttpsTest, DeliversToAPlatformWhoseCertificateTheCaVouchesFor) {
  ASSERT_EQ(receiver_->endpoint().rfind("https://", 0), 0u);
  auto sender = Sender(dir_ + "/ca.pem");
  ASSERT_TRUE(sender->Send("b-1", Batch("b-1")).ok());
  EXPECT_EQ(receiver_->applied().at("plans/p/tasks/1@3"), 1);
}

TEST_F(HttpsTest, RefusesAPlatformItCannotVerify) {
  // The system's roots do not know the test CA: the TLS handshake fails, the
  // batch never reaches the receiver, and the worker will retry it.
  auto sender = Sender("");
  absl::Status sent = sender->Send("b-2", Batch("b-2"));
  EXPECT_TRUE(absl::IsUnavailable(sent)) << sent;
  EXPECT_EQ(receiver_->requests(), 0);
}

TEST(HttpEndpointTest, RefusesWhatIsNotAnHttpUrlOrAnUnreadableCaFile) {
  EXPECT_TRUE(absl::IsInvalidArgument(OpenHttpEndpoint("ftp://x/y", {}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(OpenHttpEndpoint("127.0.0.1:80/x", {}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(OpenHttpEndpoint("https:///x", {}).status()));
  HttpEndpointOptions missing_ca;
  missing_ca.ca_file = "/nonexistent/ca.pem";
  EXPECT_TRUE(
      absl::IsInvalidArgument(OpenHttpEndpoint("https://a.example/x", missing_ca).status()));
  auto opened = OpenHttpEndpoint("https://a.example:8443/intake/v1", {});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->path, "/intake/v1");
  EXPECT_EQ(OpenHttpEndpoint("http://a.example", {})->path, "/");
}

}  // namespace
}  // namespace vetrack::exchange
