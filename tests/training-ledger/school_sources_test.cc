// The ledger's institution directory over gRPC, against a fake school
// reporting served in the test process: what it answers from its cached list
// and what it must not.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vetrack::ledger
