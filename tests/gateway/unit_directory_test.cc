// The units a token may name (unit_directory.h): a department's token must
// name a department, a school's a school, and an issuing mistake is refused
// by the gateway's authenticator before any service acts on it.
#include "unit_directory.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "absl/strings/match.h"
#include "authenticator.h"

namespace vetrack::gateway {
namespace {

const std::string kSecret = "a-unit-directory-test-secret-of-32-chars";

// The units as a test sets them; counts its reads; fails while `down`.
class SettableUnits : public UnitSource {
 public:
  absl::StatusOr<KnownUnits> Read() override {
    ++reads;
    if (down) return absl::UnavailableError("task registry away");
    return units;
  }
  KnownUnits units{{"edu", "hrss"}, {"cqvie", "cqjtjg"}};
  bool down = false;
  int reads = 0;
};

class UnitDirectoryTest : public ::testing::Test {
 protected:
  absl::StatusCode CodeOf(Role role, const std::string& unit) {
    return directory_.Check({role, unit}).code();
  }

  SettableUnits source_;
  FakeClock clock_{absl::FromUnixSeconds(1764547200)};
  UnitDirectory directory_{source_, clock_, absl::Seconds(10)};
};

TEST_F(UnitDirectoryTest, ARoleMustNameAUnitOfItsKind) {
  EXPECT_EQ(CodeOf(Role::kDepartment, "hrss"), absl::StatusCode::kOk);
  EXPECT_EQ(CodeOf(Role::kSchool, "cqvie"), absl::StatusCode::kOk);
  EXPECT_EQ(CodeOf(Role::kCoordinator, ""), absl::StatusCode::kOk);
  EXPECT_EQ(CodeOf(Role::kOperator, ""), absl::StatusCode::kOk);

  absl::Status school_as_department = directory_.Check({Role::kDepartment, "cqvie"});
  EXPECT_EQ(school_as_department.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(school_as_department.message(), "cqvie is a school"))
      << school_as_department;
  absl::Status department_as_school = directory_.Check({Role::kSchool, "hrss"});
  EXPECT_EQ(department_as_school.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(department_as_school.message(), "hrss is a department"))
      << department_as_school;
  absl::Status nobody = directory_.Check({Role::kDepartment, "nobody"});
  EXPECT_EQ(nobody.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(absl::StrContains(nobody.message(), "no such department")) << nobody;
  EXPECT_EQ(source_.reads, 1) << "read once; the unknown unit within 10 s reads nothing";
}

// A unit added later (the plan or the institutions loaded again) is found
// once the copy may be read again; an unknown unit cannot make the gateway
// read the units more than once per interval.
TEST_F(UnitDirectoryTest, AnUnknownUnitReadsTheUnitsAgainAtMostOncePerInterval) {
  ASSERT_TRUE(directory_.Check({Role::kSchool, "cqvie"}).ok());
  source_.units.schools.insert("cqnew");
  EXPECT_EQ(CodeOf(Role::kSchool, "cqnew"), absl::StatusCode::kUnauthenticated);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(CodeOf(Role::kSchool, "cqnew"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(source_.reads, 1);
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(CodeOf(Role::kSchool, "cqnew"), absl::StatusCode::kOk);
  EXPECT_EQ(source_.reads, 2);
  EXPECT_EQ(CodeOf(Role::kSchool, "cqnew"), absl::StatusCode::kOk);
  EXPECT_EQ(source_.reads, 2) << "a known unit reads nothing";
}

// Never read (the backends away since start-up): a department's or a
// school's token cannot be checked, so it is not let through (found in
// review: it passed, the very mistake this guards against); the coordinator
// and operators name no unit and go on. Once read, the copy held stands
// while the backends are away again.
TEST_F(UnitDirectoryTest, UnitsNeverReadAreUnavailableAndTheCopyHeldStandsLater) {
  source_.down = true;
  EXPECT_EQ(CodeOf(Role::kDepartment, "cqvie"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(Role::kSchool, "cqvie"), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeOf(Role::kCoordinator, ""), absl::StatusCode::kOk);
  source_.down = false;
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(CodeOf(Role::kDepartment, "cqvie"), absl::StatusCode::kUnauthenticated);
  source_.down = true;
  clock_.Advance(absl::Seconds(10));
  EXPECT_EQ(CodeOf(Role::kDepartment, "nobody"), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(CodeOf(Role::kDepartment, "edu"), absl::StatusCode::kOk);
}

// Found in use: with school reporting back after an outage at start-up,
// every department's and school's call was still refused for 10 s; and the
// registry read before the plan was loaded held no departments for as long.
// Until a copy holds the departments, a read is tried again after a second.
TEST_F(UnitDirectoryTest, UntilTheDepartmentsAreReadAReadIsRetriedAfterASecond) {
  source_.down = true;
  EXPECT_EQ(CodeOf(Role::kDepartment, "edu"), absl::StatusCode::kUnavailable);
  source_.down = false;
  EXPECT_EQ(CodeOf(Role::kDepartment, "edu"), absl::StatusCode::kUnavailable)
      << "not read again at once";
  EXPECT_EQ(source_.reads, 1);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(CodeOf(Role::kDepartment, "edu"), absl::StatusCode::kOk);
  EXPECT_EQ(source_.reads, 2);

  SettableUnits unloaded;  // the task registry before the plan's catalog
  unloaded.units.departments.clear();
  UnitDirectory directory(unloaded, clock_, absl::Seconds(10));
  // Not refused as no such department: the registry cannot tell yet.
  EXPECT_EQ(directory.Check({Role::kDepartment, "edu"}).code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(directory.Check({Role::kSchool, "cqvie"}).ok()) << "schools are listed";
  unloaded.units.departments = {"edu"};
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(directory.Check({Role::kDepartment, "edu"}).ok());
  EXPECT_EQ(unloaded.reads, 2);
}

// Prime, on the probe thread, reads ahead of the first caller, and stops
// once the departments are read.
TEST_F(UnitDirectoryTest, PrimeReadsTheUnitsBeforeAnyCallerNeedsThem) {
  source_.down = true;
  directory_.Prime();
  directory_.Prime();  // within the second: not again
  EXPECT_EQ(source_.reads, 1);
  source_.down = false;
  clock_.Advance(absl::Seconds(1));
  directory_.Prime();
  EXPECT_EQ(source_.reads, 2);
  EXPECT_TRUE(directory_.Check({Role::kDepartment, "hrss"}).ok());
  EXPECT_TRUE(directory_.Check({Role::kSchool, "cqvie"}).ok());
  clock_.Advance(absl::Seconds(60));
  directory_.Prime();
  EXPECT_EQ(source_.reads, 2) << "read; nothing more to prime";
}

// Found in review: every caller queued behind one read of the backends,
// gRPC's callback threads with them. Only the caller that reads waits.
TEST_F(UnitDirectoryTest, NoCallerWaitsForAnothersRead) {
  class HeldUnits : public UnitSource {
   public:
    absl::StatusOr<KnownUnits> Read() override {
      reading.set_value();
      release.get_future().wait();
      return KnownUnits{{"edu"}, {"cqvie"}};
    }
    std::promise<void> reading, release;
  } held;
  UnitDirectory directory(held, clock_, absl::Seconds(10));
  std::thread reader([&] { EXPECT_TRUE(directory.Check({Role::kDepartment, "edu"}).ok()); });
  held.reading.get_future().wait();
  EXPECT_EQ(directory.Check({Role::kSchool, "cqvie"}).code(), absl::StatusCode::kUnavailable)
      << "judged on the copy held (none yet), not after the read";
  held.release.set_value();
  reader.join();
  EXPECT_TRUE(directory.Check({Role::kSchool, "cqvie"}).ok());
}

TEST_F(UnitDirectoryTest, TheAuthenticatorRefusesATokenNamingAUnitOfTheOtherKind) {
  auto keys = TokenKeys::FromSecrets({kSecret});
  ASSERT_TRUE(keys.ok()) << keys.status();
  Authenticator authenticator(*keys, clock_);
  const std::string mistaken =
      "Bearer " + keys->Sign({Role::kDepartment, "cqvie"}, clock_.Now() + absl::Hours(1), "张三");
  ASSERT_TRUE(authenticator.AuthenticateHeader(mistaken).ok()) << "not checked unless told";
  authenticator.CheckUnits(&directory_);
  EXPECT_EQ(authenticator.AuthenticateHeader(mistaken).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(authenticator
                  .AuthenticateHeader("Bearer " + keys->Sign({Role::kSchool, "cqvie"},
                                                             clock_.Now() + absl::Hours(1), "张三"))
                  .ok());
}

}  // namespace
}  // namespace vetrack::gateway
