// The municipal reference document: signature checked before anything else,
// schema and district checked, parts parsed; the --import-reference list.
#include "reference_document.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "absl/time/civil_time.h"
#include "auth/token.h"
#include "reference_import.h"

namespace vetrack::exchange {
namespace {

constexpr char kSecret[] = "municipal-shared-secret";

const std::string kDocument = R"({
  "schema": "vetrack.reference.v1",
  "district_code": "500116",
  "issued_time": "2026-11-28T02:30:00+08:00",
  "generated_by": "a field this version does not know",
  "institutions": {"source": "市级平台", "institutions": [
    {"code": "cqvie", "school_id_code": "4150013571", "issued_by": "ignored"}]},
  "majors": {"majors": [
    {"code": "510201", "display_name": "计算机应用技术", "level": "MAJOR_LEVEL_JUNIOR_COLLEGE"}]}
})";

TEST(ReferenceDocumentTest, OnlyTheSharedSecretsSignatureIsAccepted) {
  EXPECT_TRUE(VerifyReferenceSignature(kDocument, HmacSha256Hex(kSecret, kDocument), kSecret).ok());
  absl::Status unsigned_document = VerifyReferenceSignature(kDocument, "", kSecret);
  EXPECT_TRUE(absl::IsUnauthenticated(unsigned_document));
  EXPECT_NE(unsigned_document.message().find("unsigned"), std::string::npos);
  EXPECT_TRUE(absl::IsUnauthenticated(
      VerifyReferenceSignature(kDocument, HmacSha256Hex("another secret", kDocument), kSecret)));
  EXPECT_TRUE(absl::IsUnauthenticated(
      VerifyReferenceSignature(kDocument + " ", HmacSha256Hex(kSecret, kDocument), kSecret)));
}

TEST(ReferenceDocumentTest, PartsParseAndUnknownFieldsAreIgnored) {
  auto document = ParseReferenceDocument(kDocument);
  ASSERT_TRUE(document.ok()) << document.status();
  ASSERT_TRUE(document->institutions.has_value());
  EXPECT_EQ(document->institutions->institutions(0).school_id_code(), "4150013571");
  ASSERT_TRUE(document->majors.has_value());
  EXPECT_EQ(document->majors->majors(0).level(), schools::v1::MAJOR_LEVEL_JUNIOR_COLLEGE);

  auto only_majors = ParseReferenceDocument(
      R"({"schema": "vetrack.reference.v1", "district_code": "500116",
          "issued_time": "2026-11-28T00:00:00Z", "majors": {}})");
  ASSERT_TRUE(only_majors.ok());
  EXPECT_FALSE(only_majors->institutions.has_value());

  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseReferenceDocument(R"({"schema": "vetrack.reference.v2", "district_code": "500116"})")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseReferenceDocument(R"({"schema": "vetrack.reference.v1", "district_code": "500101"})")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseReferenceDocument("[1, 2]").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseReferenceDocument(
          R"({"schema": "vetrack.reference.v1", "district_code": "500116", "majors": [1]})")
          .status()));
}

TEST(ReferenceDocumentTest, TheIssuedTimeIsRequiredAndCarriedByEachPart) {
  auto document = ParseReferenceDocument(kDocument);
  ASSERT_TRUE(document.ok()) << document.status();
  const absl::Time issued =
      absl::FromCivil(absl::CivilSecond(2026, 11, 27, 18, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(document->issued_time, issued);
  EXPECT_EQ(document->institutions->issue_time().seconds(), absl::ToUnixSeconds(issued));
  EXPECT_EQ(document->majors->issue_time().seconds(), absl::ToUnixSeconds(issued));

  for (const char* issued_time :
       {R"()", R"(, "issued_time": "yesterday")", R"(, "issued_time": 1764268200)"}) {
    const std::string body =
        std::string(R"({"schema": "vetrack.reference.v1", "district_code": "500116")") +
        issued_time + "}";
    auto refused = ParseReferenceDocument(body);
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << body;
    EXPECT_NE(refused.status().message().find("issued_time"), std::string::npos) << body;
  }

  // Up to ten minutes ahead of this clock is skew; beyond, refused.
  EXPECT_TRUE(CheckIssuedTime(*document, issued).ok());
  EXPECT_TRUE(CheckIssuedTime(*document, issued - absl::Minutes(10)).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(CheckIssuedTime(*document, issued - absl::Minutes(11))));
}

TEST(ReferenceDocumentTest, PartsToImportAreNamedOnce) {
  auto both = ParseReferenceParts("institutions,majors");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both,
            (std::vector<ReferencePart>{ReferencePart::kInstitutions, ReferencePart::kMajors}));
  EXPECT_FALSE(ParseReferenceParts("majors,majors").ok());
  EXPECT_FALSE(ParseReferenceParts("teachers").ok());
  EXPECT_FALSE(ParseReferenceParts(",").ok());
}

// School reporting as far as the import uses it: every part passes its check,
// and the majors' apply fails while `majors_down` is set.
class PartlyFailingSchools final : public ::vetrack::schools::v1::SchoolReportingService::Service {
 public:
  grpc::Status ImportInstitutions(grpc::ServerContext*,
                                  const ::vetrack::schools::v1::ImportInstitutionsRequest* req,
                                  ::vetrack::schools::v1::ImportInstitutionsResponse*) override {
    if (!req->validate_only()) ++institutions_applied;
    return grpc::Status::OK;
  }
  grpc::Status ImportMajorCatalog(grpc::ServerContext*,
                                  const ::vetrack::schools::v1::ImportMajorCatalogRequest* req,
                                  ::vetrack::schools::v1::ImportMajorCatalogResponse*) override {
    if (req->validate_only()) return grpc::Status::OK;
    if (majors_down) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "deadline on Redis");
    ++majors_applied;
    return grpc::Status::OK;
  }
  std::atomic<bool> majors_down{true};
  std::atomic<int> institutions_applied{0};
  std::atomic<int> majors_applied{0};
};

// Found in review: SCHEMA.md said a document is applied whole or not at
// all, but the parts are applied one after another; a failure between them
// left the institutions applied and said only that the majors failed.
TEST(ReferenceImportPartsTest, APartFailingAfterAnotherWasAppliedSaysSoAndARunAgainCompletesIt) {
  PartlyFailingSchools schools;
  grpc::ServerBuilder builder;
  builder.RegisterService(&schools);
  auto server = builder.BuildAndStart();
  auto stub = ::vetrack::schools::v1::SchoolReportingService::NewStub(
      server->InProcessChannel(grpc::ChannelArguments()));
  ReferenceDocument document;
  document.institutions.emplace();
  document.majors.emplace();
  const std::vector<ReferencePart> parts = {ReferencePart::kInstitutions, ReferencePart::kMajors};
  std::ostringstream out;
  absl::Status first = ImportReference(
      document, parts, *stub, [](grpc::ClientContext*) {}, "run-1", out);
  EXPECT_TRUE(absl::IsUnavailable(first)) << first;
  EXPECT_NE(first.message().find("majors not known to be applied"), std::string::npos) << first;
  EXPECT_NE(first.message().find("institutions applied already"), std::string::npos) << first;
  EXPECT_NE(first.message().find("run the import again"), std::string::npos) << first;
  EXPECT_EQ(schools.institutions_applied, 1);

  schools.majors_down = false;
  absl::Status again = ImportReference(
      document, parts, *stub, [](grpc::ClientContext*) {}, "run-2", out);
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(schools.majors_applied, 1);
  server->Shutdown();
}

}  // namespace
}  // namespace vetrack::exchange
