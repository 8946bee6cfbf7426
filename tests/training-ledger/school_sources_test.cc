// The ledger's institution directory over gRPC, against a fake school
// reporting served in the test process: what it answers from its cached list
// and what it must not.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <thread>

#include "clock/clock.h"
#include "fake_school_reporting.h"
#include "grpc_school_sources.h"

namespace vetrack::ledger {
namespace {

class SchoolSourcesTest : public ::testing::Test {
 protected:
  SchoolSourcesTest() {
    grpc::ServerBuilder builder;
    builder.RegisterService(&schools_);
    server_ = builder.BuildAndStart();
    SchoolReportingOptions options;
    options.directory_ttl = absl::Seconds(60);
    options.min_refetch_interval = absl::Seconds(1);
    directory_.emplace(server_->InProcessChannel(grpc::ChannelArguments()), clock_, options);
  }
  ~SchoolSourcesTest() override { server_->Shutdown(); }

  testing::FakeSchoolReporting schools_;
  std::unique_ptr<grpc::Server> server_;
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::optional<GrpcSchoolReporting> directory_;
  const Principal coordinator_{Role::kCoordinator, ""};
};

TEST_F(SchoolSourcesTest, ANewInstitutionIsFoundAndAnOutageIsNotTakenForItsAbsence) {
  auto known = directory_->IsKnown(coordinator_, "cqvie");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_TRUE(*known);

  // Imported after the list was cached: found by asking again.
  schools_.AddInstitution("cqnew");
  clock_.Advance(absl::Seconds(2));
  known = directory_->IsKnown(coordinator_, "cqnew");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_TRUE(*known);

  // Another imported while school reporting is down: the cached list cannot
  // say it does not exist (found in review: it answered false, which the
  // ledger turned into NOT_FOUND, refusing for good a record that only had to
  // wait).
  schools_.AddInstitution("cqlater");
  schools_.SetDown(true);
  clock_.Advance(absl::Seconds(2));
  known = directory_->IsKnown(coordinator_, "cqlater");
  EXPECT_EQ(known.status().code(), absl::StatusCode::kUnavailable) << known.status();
  // What the cached list holds is still answered from it.
  known = directory_->IsKnown(coordinator_, "cqvie");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_TRUE(*known);

  schools_.SetDown(false);
  clock_.Advance(absl::Seconds(2));
  known = directory_->IsKnown(coordinator_, "cqlater");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_TRUE(*known);
  known = directory_->IsKnown(coordinator_, "nosuch");
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_FALSE(*known);
}

// Found in use: for a minute after an institution was imported, the
// district statement left it out, and the evaluation said the ledger's
// statement "does not list" it. The list a statement is drawn from is asked
// for again once it is a second old (no more often).
TEST_F(SchoolSourcesTest, AStatementsListIncludesAnInstitutionImportedASecondAgo) {
  ASSERT_TRUE(directory_->InstitutionCodes(coordinator_).ok());
  const int calls_before = schools_.list_calls();
  schools_.AddInstitution("cqnew");
  auto codes = directory_->InstitutionCodes(coordinator_);  // the list is fresh: not asked
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(std::count(codes->begin(), codes->end(), "cqnew"), 0);
  EXPECT_EQ(schools_.list_calls(), calls_before);

  clock_.Advance(absl::Seconds(2));
  codes = directory_->InstitutionCodes(coordinator_);
  ASSERT_TRUE(codes.ok());
  EXPECT_EQ(std::count(codes->begin(), codes->end(), "cqnew"), 1);
  EXPECT_EQ(schools_.list_calls(), calls_before + 1);
}

// Found in review: a refresh of the list held the directory's lock through
// its call, so with school reporting hung every caller of the ledger queued
// behind it, one call timeout each, and each retried it again.
TEST_F(SchoolSourcesTest, AHungSchoolReportingDoesNotHoldUpCallersTheHeldListAnswers) {
  auto held = directory_->InstitutionCodes(coordinator_);
  ASSERT_TRUE(held.ok()) << held.status();
  const int calls_before = schools_.list_calls();
  schools_.SetHung(true);
  clock_.Advance(absl::Seconds(61));  // the list is past its time to live

  auto refreshing =
      std::async(std::launch::async, [&] { return directory_->InstitutionCodes(coordinator_); });
  for (int i = 0; i < 5000 && schools_.lists_in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(schools_.lists_in_flight(), 1) << "the refresh never reached school reporting";
  // While that refresh hangs, the held list answers at once.
  auto codes = directory_->InstitutionCodes(coordinator_);
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_EQ(*codes, *held);
  EXPECT_TRUE(*directory_->IsKnown(coordinator_, "cqvie"));
  ASSERT_TRUE(directory_->FirstYears(coordinator_).ok());
  EXPECT_EQ(schools_.lists_in_flight(), 1);  // still hung: nothing waited for it
  EXPECT_EQ(schools_.list_calls(), calls_before + 1);

  schools_.SetHung(false);
  ASSERT_TRUE(refreshing.get().ok());  // the held list, after its call failed
  ASSERT_EQ(schools_.list_calls(), calls_before + 1);
}

// After a failed refresh, the held list answers for a while without asking.
TEST_F(SchoolSourcesTest, AFailedRefreshIsNotRetriedByEveryCaller) {
  ASSERT_TRUE(directory_->InstitutionCodes(coordinator_).ok());
  const int calls_before = schools_.list_calls();
  schools_.SetDown(true);
  clock_.Advance(absl::Seconds(61));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(directory_->InstitutionCodes(coordinator_).ok());
  EXPECT_EQ(schools_.list_calls(), calls_before + 1);
  // An unknown code is not asked about either, but not refused as unknown.
  EXPECT_EQ(directory_->IsKnown(coordinator_, "cqnew").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(schools_.list_calls(), calls_before + 1);

  schools_.SetDown(false);
  clock_.Advance(absl::Seconds(2));
  ASSERT_TRUE(directory_->InstitutionCodes(coordinator_).ok());
  EXPECT_EQ(schools_.list_calls(), calls_before + 2);
}

}  // namespace
}  // namespace vetrack::ledger
