// What the suite shows of its own failures to whoever is outside it.
#include "status/disclosure.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "status/errors.h"
#include "status/grpc_status.h"

namespace vetrack {
namespace {

// The reference the caller got, from the ErrorInfo of `status`'s details.
std::string ReferenceIn(const grpc::Status& status, std::string* reason = nullptr) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (!any.UnpackTo(&info)) continue;
    if (reason != nullptr) *reason = info.reason();
    auto found = info.metadata().find("reference");
    return found == info.metadata().end() ? "" : found->second;
  }
  return "";
}

TEST(DisclosureTest, AServiceFaultKeepsItsCodeAndReasonButNotItsCause) {
  const grpc::Status from_service = ToGrpcStatus(
      WithReason(absl::UnavailableError("redis: cannot connect to 10.1.2.3:6379"), "STORE_DOWN"));
  const grpc::Status shown = WithheldCause(from_service, "00ab");
  EXPECT_EQ(shown.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(shown.error_message(), "the cause is logged under reference 00ab");
  std::string reason;
  EXPECT_EQ(ReferenceIn(shown, &reason), "00ab");
  EXPECT_EQ(reason, "STORE_DOWN");
  // Nothing of the cause is left in the details either.
  EXPECT_FALSE(absl::StrContains(shown.error_details(), "10.1.2.3"));
  EXPECT_EQ(FromGrpcStatus(shown).message(), shown.error_message());
}

TEST(DisclosureTest, ATransportFailureWithoutDetailsGetsTheCodeAsItsReason) {
  const grpc::Status shown = WithheldCause(
      grpc::Status(grpc::StatusCode::UNKNOWN, "ipv4:10.0.0.7:7001: Connection refused"), "ff01");
  EXPECT_EQ(shown.error_message(), "the cause is logged under reference ff01");
  std::string reason;
  EXPECT_EQ(ReferenceIn(shown, &reason), "ff01");
  EXPECT_EQ(reason, "UNKNOWN");
}

TEST(DisclosureTest, TheCallersOwnErrorsPassAsTheyAre) {
  for (const absl::Status& status :
       {InvalidField("progress.percent", "above 100"), absl::NotFoundError("no task 7"),
        absl::FailedPreconditionError("the report is locked"),
        absl::DeadlineExceededError("Deadline Exceeded")}) {
    const grpc::Status wire = ToGrpcStatus(status);
    const grpc::Status shown = WithheldCause(wire, "1234");
    EXPECT_EQ(shown.error_message(), wire.error_message());
    EXPECT_EQ(shown.error_details(), wire.error_details());
    EXPECT_EQ(DisclosedMessage(status, "test"), status.message());
  }
}

// Words a service wrote for the caller (what to do, what was stored) cross
// the suite marked, and are shown as they are.
TEST(DisclosureTest, WordsWrittenForTheCallerPassAcrossTheSuite) {
  const absl::Status advice = WrittenForTheCaller(
      absl::UnavailableError("the task registry lists no departments yet: load the catalog"));
  EXPECT_EQ(DisclosedMessage(advice, "task-registry"), advice.message());
  const absl::Status relayed = FromGrpcStatus(ToGrpcStatus(advice));
  EXPECT_TRUE(IsWrittenForTheCaller(relayed));
  const grpc::Status shown = WithheldCause(ToGrpcStatus(relayed), "77aa");
  EXPECT_EQ(shown.error_message(), advice.message());
  // Unmarked, the same words are withheld.
  const grpc::Status unmarked = ToGrpcStatus(absl::UnavailableError(advice.message()));
  EXPECT_FALSE(IsWrittenForTheCaller(FromGrpcStatus(unmarked)));
  EXPECT_NE(WithheldCause(unmarked, "77ab").error_message(), advice.message());
  // Only the mark's own value marks, and only in vetrack's domain.
  for (const auto& [domain, value] :
       {std::pair<std::string, std::string>{"vetrack.gov", "false"}, {"example.com", "true"}}) {
    google::rpc::Status details;
    details.set_code(static_cast<int>(grpc::StatusCode::UNAVAILABLE));
    details.set_message("10.0.0.9:6379 refused");
    google::rpc::ErrorInfo info;
    info.set_domain(domain);
    (*info.mutable_metadata())["disclosed"] = value;
    details.add_details()->PackFrom(info);
    const grpc::Status foreign(grpc::StatusCode::UNAVAILABLE, details.message(),
                               details.SerializeAsString());
    EXPECT_EQ(WithheldCause(foreign, "77ac").error_message(),
              "the cause is logged under reference 77ac")
        << domain << " " << value;
  }
}

TEST(DisclosureTest, AFaultsCauseIsLoggedUnderTheReferenceItsAnswerShows) {
  ::testing::internal::CaptureStderr();
  const std::string shown =
      DisclosedMessage(absl::InternalError("key ledger:{2024}:totals holds a list"), "ledger");
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(absl::StartsWith(shown, "INTERNAL: the cause is logged under reference ")) << shown;
  const std::string reference = shown.substr(shown.rfind(' ') + 1);
  EXPECT_EQ(reference.size(), 16u);
  EXPECT_TRUE(absl::StrContains(log, R"("reference":")" + reference + R"(","source":"ledger")"))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "holds a list")) << log;
  EXPECT_NE(NewReferenceId(), NewReferenceId());
}

}  // namespace
}  // namespace vetrack
