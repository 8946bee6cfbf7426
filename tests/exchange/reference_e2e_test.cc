// End to end: the exchange binary's one-shot reference import from a
// municipal endpoint on loopback into school reporting, through the gateway
// as the principal "exchange". A good signature is applied (and a second run
// changes nothing); an unsigned or badly signed document, or one with
// malformed rows, changes nothing at all.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "auth/token.h"
#include "command_runner.h"
#include "e2e_fixture.h"
#include "reference_server.h"

namespace vetrack::gateway {
namespace {

using exchange::testing::RunCommand;
using exchange::testing::WriteTempFile;
using SchoolsStub = schools_v1::SchoolReportingService::Stub;

constexpr char kSecret[] = "municipal-reference-secret-0123456789";

std::string Document(const std::string& majors,
                     const std::string& issued_time = "2026-11-01T02:00:00+08:00") {
  return R"({
  "schema": "vetrack.reference.v1",
  "district_code": "500116",
  "issued_time": ")" +
         issued_time + R"(",
  "institutions": {"source": "市级平台", "institutions": [
    {"code": "cqvie", "school_id_code": "4150013571", "credit_code": "91350100M000100Y43"}]},
  "majors": {"source": "职业教育专业目录（2021年）", "majors": [)" +
         majors + "]}\n}\n";
}

const std::string kGoodMajors = R"(
    {"code": "510201", "display_name": "计算机应用技术", "level": "MAJOR_LEVEL_JUNIOR_COLLEGE",
     "category": "电子与信息大类", "subcategory": "计算机类"},
    {"code": "710201", "display_name": "计算机应用", "level": "MAJOR_LEVEL_SECONDARY"})";

class ReferenceImportTest : public GatewayE2ETest {
 protected:
  void SetUp() override {
    GatewayE2ETest::SetUp();
    secret_file_ = WriteTempFile("exchange.secret", std::string(kSecret) + "\n");
    // The exchange's service account: a bearer token for role "exchange".
    token_file_ = WriteTempFile("exchange.token", Token("exchange") + "\n");
  }

  exchange::testing::CommandResult Import(const std::string& parts = "institutions,majors",
                                          const std::vector<std::string>& more_flags = {}) {
    std::vector<std::string> argv = {EXCHANGE_BINARY,
                                     "--import-reference=" + parts,
                                     "--reference-endpoint=" + server_.endpoint(),
                                     "--secret-file=" + secret_file_,
                                     "--gateway=127.0.0.1:" + std::to_string(gateway_port()),
                                     "--token-file=" + token_file_,
                                     "--timeout-ms=5000"};
    argv.insert(argv.end(), more_flags.begin(), more_flags.end());
    return RunCommand(argv);
  }

  schools_v1::Institution Cqvie() {
    schools_v1::GetInstitutionRequest get;
    get.set_name("institutions/cqvie");
    schools_v1::Institution institution;
    grpc::Status status =
        Call("evaluator", "", *schools_, &SchoolsStub::GetInstitution, get, &institution);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return institution;
  }

  std::vector<schools_v1::CatalogMajor> Majors() {
    schools_v1::ListCatalogMajorsRequest list;
    list.set_page_size(500);
    schools_v1::ListCatalogMajorsResponse response;
    grpc::Status status =
        Call("school", "cqvie", *schools_, &SchoolsStub::ListCatalogMajors, list, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.majors().begin(), response.majors().end()};
  }

  // Serves a signed document issued at `issued_time` whose one major is
  // 510201 named `name`, and imports its majors.
  exchange::testing::CommandResult ServeAndImportMajor(const std::string& name,
                                                       const std::string& issued_time) {
    const std::string body = Document(R"({"code": "510201", "display_name": ")" + name +
                                          R"(", "level": "MAJOR_LEVEL_JUNIOR_COLLEGE"})",
                                      issued_time);
    server_.Serve(body, HmacSha256Hex(kSecret, body));
    return Import("majors");
  }

  void ExpectNothingChanged() {
    EXPECT_EQ(Cqvie().school_id_code(), "");
    EXPECT_EQ(Cqvie().etag(), "1");
    EXPECT_TRUE(Majors().empty());
  }

  exchange::testing::ReferenceServer server_;
  std::string secret_file_;
  std::string token_file_;
};

TEST_F(ReferenceImportTest, GoodSignatureIsAppliedAndASecondRunChangesNothing) {
  const std::string body = Document(kGoodMajors);
  server_.Serve(body, HmacSha256Hex(kSecret, body));

  auto first = Import();
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "institutions: 0 created, 1 updated, 0 unchanged"))
      << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "institutions/cqvie  school_id_code: 4150013571"))
      << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "majors: 2 created, 0 updated, 0 unchanged"))
      << first.output;
  EXPECT_EQ(Cqvie().school_id_code(), "4150013571");
  EXPECT_EQ(Cqvie().credit_code(), "91350100M000100Y43");
  std::vector<schools_v1::CatalogMajor> majors = Majors();
  ASSERT_EQ(majors.size(), 2u);
  EXPECT_EQ(majors[0].code(), "510201");
  EXPECT_EQ(majors[0].subcategory(), "计算机类");

  auto second = Import();
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_TRUE(absl::StrContains(second.output, "institutions: 0 created, 0 updated, 1 unchanged"))
      << second.output;
  EXPECT_TRUE(absl::StrContains(second.output, "majors: 0 created, 0 updated, 2 unchanged"))
      << second.output;
  EXPECT_EQ(Cqvie().etag(), "2");
  EXPECT_EQ(server_.requests(), 2);

  // The gateway authenticated the exchange and audited what it changed.
  int by_exchange = 0;
  for (const auto& entry : AuditTrail("catalogMajors")) {
    if (entry.principal() == "exchange" && entry.code() == "OK") ++by_exchange;
  }
  EXPECT_GE(by_exchange, 2);
}

TEST_F(ReferenceImportTest, UnsignedOrBadlySignedDocumentsChangeNothing) {
  const std::string body = Document(kGoodMajors);
  server_.Serve(body, HmacSha256Hex("not the shared secret", body));
  auto forged = Import();
  EXPECT_EQ(forged.exit_code, 1) << forged.output;
  EXPECT_TRUE(absl::StrContains(forged.output, "signature does not match")) << forged.output;
  ExpectNothingChanged();

  server_.Serve(body, "");
  auto unsigned_document = Import();
  EXPECT_EQ(unsigned_document.exit_code, 1) << unsigned_document.output;
  EXPECT_TRUE(absl::StrContains(unsigned_document.output, "unsigned")) << unsigned_document.output;
  ExpectNothingChanged();

  // Signed over other bytes than those served.
  server_.Serve(body, HmacSha256Hex(kSecret, body + " "));
  EXPECT_EQ(Import().exit_code, 1);
  ExpectNothingChanged();
}

TEST_F(ReferenceImportTest, MalformedRowsRefuseTheWholeDocumentNamingThem) {
  const std::string body = Document(R"(
    {"code": "510201", "display_name": "计算机应用技术", "level": "MAJOR_LEVEL_JUNIOR_COLLEGE"},
    {"code": "710202", "display_name": "计算机网络技术", "level": "MAJOR_LEVEL_JUNIOR_COLLEGE"},
    {"code": "7102", "display_name": "半个代码", "level": "MAJOR_LEVEL_SECONDARY"},
    {"code": "730301", "level": "MAJOR_LEVEL_SECONDARY"})");
  server_.Serve(body, HmacSha256Hex(kSecret, body));
  auto refused = Import();
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  for (const char* named :
       {"majors: catalog.majors[1].level (710202)", "majors: catalog.majors[2].code (7102)",
        "majors: catalog.majors[3].display_name (730301)"}) {
    EXPECT_TRUE(absl::StrContains(refused.output, named)) << named << "\n" << refused.output;
  }
  EXPECT_TRUE(absl::StrContains(refused.output, "nothing changed")) << refused.output;
  // The institutions part was well-formed, but the document is refused whole.
  ExpectNothingChanged();

  // Asked for the institutions only, the same document is applied.
  auto institutions_only = Import("institutions");
  EXPECT_EQ(institutions_only.exit_code, 0) << institutions_only.output;
  EXPECT_EQ(Cqvie().school_id_code(), "4150013571");
  EXPECT_TRUE(Majors().empty());
}

TEST_F(ReferenceImportTest, AnOlderDocumentReplayedAfterANewerOneChangesNothing) {
  const std::string newer = Document(kGoodMajors, "2026-11-02T02:00:00+08:00");
  server_.Serve(newer, HmacSha256Hex(kSecret, newer));
  auto imported = Import();
  ASSERT_EQ(imported.exit_code, 0) << imported.output;

  // Signed by the platform, but issued a day before what was imported: a
  // captured document replayed to revert a name.
  auto replayed = ServeAndImportMajor("旧名称", "2026-11-01T02:00:00+08:00");
  EXPECT_EQ(replayed.exit_code, 1) << replayed.output;
  EXPECT_TRUE(absl::StrContains(replayed.output, "majors: catalog.issue_time")) << replayed.output;
  EXPECT_TRUE(absl::StrContains(replayed.output, "nothing changed")) << replayed.output;
  EXPECT_EQ(Majors()[0].display_name(), "计算机应用技术");

  // The platform's next document is applied; one without a time, or dated
  // beyond this clock, is refused before anything is sent.
  auto applied = ServeAndImportMajor("新名称", "2026-11-03T02:00:00Z");
  EXPECT_EQ(applied.exit_code, 0) << applied.output;
  EXPECT_EQ(Majors()[0].display_name(), "新名称");
  for (const std::string& issued : {std::string(""), std::string("2999-01-01T00:00:00Z")}) {
    const std::string undated = Document(kGoodMajors, issued);
    server_.Serve(undated, HmacSha256Hex(kSecret, undated));
    auto refused = Import("majors");
    EXPECT_EQ(refused.exit_code, 1) << refused.output;
    EXPECT_TRUE(absl::StrContains(refused.output, "issued")) << refused.output;
  }
  EXPECT_EQ(Majors()[0].display_name(), "新名称");
}

// The gateway as in prod: TLS only, and systems must show a certificate
// from its client CA.
class ReferenceImportOverTlsTest : public ReferenceImportTest {
 protected:
  bool GatewayOverTls() const override { return true; }

  std::vector<std::string> GatewayTls(bool with_client_certificate) const {
    std::vector<std::string> flags = {"--gateway-ca-file=" + tls_dir() + "/ca.pem",
                                      "--gateway-server-name=localhost"};
    if (with_client_certificate) {
      flags.push_back("--gateway-cert=" + tls_dir() + "/client.pem");
      flags.push_back("--gateway-key=" + tls_dir() + "/client.key");
    }
    return flags;
  }
};

TEST_F(ReferenceImportOverTlsTest, TheExchangeShowsItsCertificateToAGatewayThatSpeaksOnlyTls) {
  const std::string body = Document(kGoodMajors);
  server_.Serve(body, HmacSha256Hex(kSecret, body));

  // Plaintext, or TLS without the exchange's certificate: turned away.
  auto plaintext = Import();
  EXPECT_EQ(plaintext.exit_code, 1) << plaintext.output;
  auto anonymous = Import("institutions,majors", GatewayTls(false));
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.output;
  ExpectNothingChanged();
  // A key without its certificate, or a file that is not there: a usage
  // error naming the flag, before anything is fetched.
  const int fetched_before = server_.requests();
  auto half = Import("institutions,majors", {"--gateway-key=" + tls_dir() + "/client.key"});
  EXPECT_EQ(half.exit_code, 2) << half.output;
  EXPECT_TRUE(absl::StrContains(half.output, "gateway-cert")) << half.output;
  auto missing = Import("institutions,majors", {"--gateway-ca-file=" + tls_dir() + "/no.pem"});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_TRUE(absl::StrContains(missing.output, "gateway-ca-file")) << missing.output;
  auto misspelt = Import("institutions,majors", {"--gateway_cert=" + tls_dir() + "/client.pem"});
  EXPECT_EQ(misspelt.exit_code, 2) << misspelt.output;
  EXPECT_TRUE(absl::StrContains(misspelt.output, "did you mean --gateway-cert?"))
      << misspelt.output;
  EXPECT_EQ(server_.requests(), fetched_before);

  auto imported = Import("institutions,majors", GatewayTls(true));
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_EQ(Cqvie().school_id_code(), "4150013571");
  EXPECT_EQ(Majors().size(), 2u);
}

TEST_F(ReferenceImportOverTlsTest, VetctlCallsTheGatewayOverTlsWithItsCertificate) {
  auto whoami = [&](const std::vector<std::string>& tls) {
    std::vector<std::string> argv = {VETCTL_BINARY,
                                     "--gateway-addr=127.0.0.1:" + std::to_string(gateway_port()),
                                     "--token=" + Token("coordinator"), "--timeout=5", "whoami"};
    argv.insert(argv.end(), tls.begin(), tls.end());
    return RunCommand(argv);
  };
  const std::vector<std::string> with_certificate = {
      "--ca-file=" + tls_dir() + "/ca.pem", "--tls-cert=" + tls_dir() + "/client.pem",
      "--tls-key=" + tls_dir() + "/client.key", "--tls-server-name=localhost"};
  auto me = whoami(with_certificate);
  ASSERT_EQ(me.exit_code, 0) << me.output;
  EXPECT_TRUE(absl::StrContains(me.output, "coordinator")) << me.output;

  EXPECT_EQ(whoami({}).exit_code, 1);  // plaintext
  EXPECT_EQ(whoami({"--ca-file=" + tls_dir() + "/ca.pem", "--tls-server-name=localhost"}).exit_code,
            1);  // no certificate
  auto bad = whoami({"--tls-cert=" + tls_dir() + "/client.pem"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_TRUE(absl::StrContains(bad.output, "--tls-key")) << bad.output;
}

}  // namespace
}  // namespace vetrack::gateway
