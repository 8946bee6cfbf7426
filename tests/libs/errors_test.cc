// Error mapping at the edge and the caller's principal.
#include "status/errors.h"

#include <gtest/gtest.h>

#include "auth/principal.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "status/grpc_status.h"

namespace vetrack {
namespace {

TEST(ErrorsTest, FieldViolationsTravelToGrpcDetailsAndBack) {
  Violations v;
  v.Add("narrative", "must not be empty");
  v.Add("period_id", "unknown period");
  absl::Status status = WithReason(v.ToStatus(), "BAD_PROGRESS");

  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wire.error_details()));
  google::rpc::ErrorInfo info;
  google::rpc::BadRequest bad_request;
  bool has_info = false, has_bad_request = false;
  for (const auto& any : details.details()) {
    if (any.UnpackTo(&info)) has_info = true;
    if (any.UnpackTo(&bad_request)) has_bad_request = true;
  }
  ASSERT_TRUE(has_info);
  ASSERT_TRUE(has_bad_request);
  EXPECT_EQ(info.reason(), "BAD_PROGRESS");
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(1).field(), "period_id");

  absl::Status back = FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(back), "BAD_PROGRESS");
  ASSERT_EQ(FieldViolationsOf(back).size(), 2u);
  EXPECT_EQ(FieldViolationsOf(back)[0].field, "narrative");
}

// Found by the gateway's HTTP/JSON fuzzer: a description quoting input cut in
// the middle of a character used to lose every violation on the way.
TEST(ErrorsTest, ViolationsQuotingCutCharactersSurvive) {
  const std::string cut = std::string("任务").substr(1) + "'x";
  absl::Status status = InvalidField("name", "'" + cut + " is not a task name");

  std::vector<FieldViolation> local = FieldViolationsOf(status);
  ASSERT_EQ(local.size(), 1u);
  EXPECT_EQ(local[0].field, "name");
  EXPECT_EQ(local[0].description, "'\xEF\xBF\xBD\xEF\xBF\xBD\xE5\x8A\xA1'x is not a task name");
  EXPECT_EQ(FieldViolationsOf(FromGrpcStatus(ToGrpcStatus(status))).size(), 1u);
}

TEST(ErrorsTest, ToValidUtf8KeepsWellFormedTextAndReplacesTheRest) {
  EXPECT_EQ(ToValidUtf8("修订 plan-6 \xF0\x9F\x98\x80"), "修订 plan-6 \xF0\x9F\x98\x80");
  EXPECT_EQ(ToValidUtf8("a\xC0\xAF"
                        "b"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");                                                                  // overlong
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(ToValidUtf8("\xE4\xBB"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
}

TEST(ErrorsTest, RequiredTextMustSaySomething) {
  // Spaces, a tab and line break, the full-width space a Chinese input method
  // types, and the no-break space: each is blank, and so is "".
  for (const char* blank : {"", " ", " \t\r\n", "\xE3\x80\x80\xE3\x80\x80", " \xC2\xA0 "}) {
    SCOPED_TRACE(blank);
    EXPECT_TRUE(IsBlank(blank));
    Violations v;
    v.CheckText("reason", blank, 10, true);
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(FieldViolationsOf(v.ToStatus())[0].field, "reason");
    Violations optional;
    optional.CheckText("note", blank, 10, false);
    EXPECT_TRUE(optional.empty());
  }
  // Text with blank space around it, and a lone byte of a wide space, are text.
  for (const char* text : {"　未达标　", " x ", "\xE3\x80"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(IsBlank(text));
    Violations v;
    v.CheckText("reason", text, 10, true);
    EXPECT_TRUE(v.empty());
  }
}

// Found in use: an etag no service issues ("zz") was compared, found stale,
// and ABORTED with "read the resource again", which cannot help.
TEST(ErrorsTest, AnEtagIsARevisionNumberWhenGiven) {
  for (const char* etag : {"", "0", "1", "42", "12345678901234567890"}) {
    SCOPED_TRACE(etag);
    Violations v;
    v.CheckEtagShape("etag", etag);
    EXPECT_TRUE(v.empty());
  }
  for (const char* etag : {"zz", "-1", " 1", "1.0", "01", "W/\"1\"", "123456789012345678901"}) {
    SCOPED_TRACE(etag);
    Violations v;
    v.CheckEtagShape("task.etag", etag);
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(FieldViolationsOf(v.ToStatus())[0].field, "task.etag");
  }
}

// Found in use: a narrative with NUL or an escape sequence ("\x1b[31m") was
// stored as sent; vetctl cleaned it for display, other systems would not.
TEST(ErrorsTest, TextHoldsNoControlCharacters) {
  for (const std::string& bad :
       {std::string("a\0b", 3), std::string("\x1b[31m红"), std::string("x\x7f"),
        std::string("x\xC2\x9B"
                    "31my"),
        // Found in review: an override shows "正常exe.txt" for this.
        std::string("正常\u202etxt.exe\u202c 结束"), std::string("\u2066隔离\u2069")}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(HasControlCharacters(bad));
    Violations v;
    v.CheckText("narrative", bad, 100, false);
    ASSERT_FALSE(v.empty());
    EXPECT_EQ(FieldViolationsOf(v.ToStatus())[0].field, "narrative");
  }
  // Named where it is, since most cannot be seen.
  Violations named;
  named.CheckText("narrative", "正常\u202etxt", 100, false);
  EXPECT_EQ(FieldViolationsOf(named.ToStatus())[0].description,
            "no control characters (tabs and line breaks are fine): U+202E at character 3");
  for (const char* fine : {"第一行\n第二行\r\n\t缩进", "\xC2\xA0no-break", "€ ½ 年",
                           "软\v换行\f分页\xC2\x85下一行", "‐‑—…‰※"}) {
    SCOPED_TRACE(fine);
    EXPECT_FALSE(HasControlCharacters(fine));
    Violations v;
    v.CheckText("narrative", fine, 100, true);
    EXPECT_TRUE(v.empty());
  }
}

TEST(ErrorsTest, ReasonDefaultsToCodeName) {
  EXPECT_EQ(ReasonOf(absl::NotFoundError("x")), "NOT_FOUND");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(InvalidFields({}).ok());
}

TEST(PrincipalTest, ParsesRolesAndRequiresUnitsWhereNeeded) {
  auto dept = ParsePrincipal("department", "edu");
  ASSERT_TRUE(dept.ok());
  EXPECT_EQ(dept->role, Role::kDepartment);
  EXPECT_EQ(dept->ToString(), "department:edu");
  EXPECT_EQ(ParsePrincipal("coordinator", "")->ToString(), "coordinator");
  EXPECT_EQ(ParsePrincipal("school", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ParsePrincipal("", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(ParsePrincipal("admin", "x").status().code(), absl::StatusCode::kUnauthenticated);
  // Found in review: a token for "evaluator:hrss" was taken.
  for (const char* role : {"coordinator", "evaluator", "exchange", "operator"}) {
    auto with_unit = ParsePrincipal(role, "hrss");
    EXPECT_EQ(with_unit.status().code(), absl::StatusCode::kUnauthenticated) << role;
    EXPECT_NE(with_unit.status().message().find("acts for no unit"), std::string::npos) << role;
  }
  // A unit is a unit code: nothing that call metadata could not carry.
  for (const char* unit : {"区教委", "CQVIE", "edu\x01", "a b"}) {
    EXPECT_EQ(ParsePrincipal("department", unit).status().code(),
              absl::StatusCode::kUnauthenticated)
        << unit;
  }
}

}  // namespace
}  // namespace vetrack
