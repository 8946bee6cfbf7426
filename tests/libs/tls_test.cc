// TLS material from files: what is refused before a server starts or a
// client dials, named by its flag.
#include "server/tls.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "status/errors.h"
#include "testing/test_certificates.h"

namespace vetrack {
namespace {

class TlsFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vetrack-tls-files-XXXXXX";
    dir_ = mkdtemp(tmpl);
    ASSERT_TRUE(testing::WriteTestCertificates(dir_, "DNS:localhost")) << "openssl failed";
    std::ofstream(dir_ + "/not-pem.txt") << "hello\n";
  }
  void TearDown() override { (void)std::system(("rm -rf '" + dir_ + "'").c_str()); }

  static std::string FieldOf(const absl::Status& status) {
    auto violations = FieldViolationsOf(status);
    return violations.empty() ? "" : violations[0].field;
  }

  std::string dir_;
};

TEST_F(TlsFilesTest, NoFilesMeansPlaintext) {
  auto server = ServerCredentialsFromFiles({});
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(*server, nullptr);
  auto client = ChannelCredentialsFromFiles({});
  ASSERT_TRUE(client.ok());
  EXPECT_NE(*client, nullptr);
}

TEST_F(TlsFilesTest, GoodFilesMakeCredentials) {
  auto server =
      ServerCredentialsFromFiles({dir_ + "/server.pem", dir_ + "/server.key", dir_ + "/ca.pem"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_NE(*server, nullptr);
  auto client =
      ChannelCredentialsFromFiles({dir_ + "/client.pem", dir_ + "/client.key", dir_ + "/ca.pem"});
  ASSERT_TRUE(client.ok()) << client.status();
  auto ca_only = ChannelCredentialsFromFiles({"", "", dir_ + "/ca.pem"});
  ASSERT_TRUE(ca_only.ok()) << ca_only.status();
}

TEST_F(TlsFilesTest, BadFilesAreRefusedNamingTheirFlag) {
  TlsFiles half{dir_ + "/client.pem", "", ""};
  half.key_flag = "gateway-key";
  auto client = ChannelCredentialsFromFiles(half);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(client.status()), "gateway-key");

  auto missing = ChannelCredentialsFromFiles({"", "", dir_ + "/missing.pem"});
  EXPECT_EQ(FieldOf(missing.status()), "ca-file");
  auto not_pem = ServerCredentialsFromFiles({dir_ + "/not-pem.txt", dir_ + "/server.key", ""});
  EXPECT_EQ(FieldOf(not_pem.status()), "tls-cert");
  // A client CA alone would be a server without a certificate.
  auto ca_only = ServerCredentialsFromFiles({"", "", dir_ + "/ca.pem"});
  EXPECT_EQ(FieldOf(ca_only.status()), "tls-cert");
}

}  // namespace
}  // namespace vetrack
