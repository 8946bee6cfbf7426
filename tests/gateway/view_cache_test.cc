// The view cache: kept views, shared assemblies, and the switch that turns
// both off (what the growth benchmark measures the views' real cost with).
#include "view_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace vetrack::gateway {
namespace {

// How long a shared assembly runs; a caller that can wait longer is patient.
constexpr absl::Duration kAssemblyTime = absl::Seconds(1);
const absl::Time kPatient = absl::InfiniteFuture();

void FinishOne(ViewCache::Store& store, const std::string& text, bool whole) {
  auto bytes = std::make_shared<grpc::ByteBuffer>();
  grpc::Slice slice(text);
  *bytes = grpc::ByteBuffer(&slice, 1);
  store(ViewCache::View(bytes), whole);
}

// An assembly that finishes only when the test says so.
struct PendingAssemblies {
  std::vector<ViewCache::Store> stores;
  std::vector<absl::Time> deadlines;  // each assembly's, in the order they started

  ViewCache::Assemble Assembler() {
    return [this](absl::Time deadline, ViewCache::Store store) {
      deadlines.push_back(deadline);
      stores.push_back(std::move(store));
    };
  }
  void FinishAll(const std::string& text) {
    auto stores_now = std::move(stores);
    stores.clear();
    for (auto& store : stores_now) {
      FinishOne(store, text, true);
    }
  }
};

ViewCache::Deliver CountInto(int* delivered) {
  return [delivered](const absl::StatusOr<ViewCache::View>& view) {
    if (view.ok()) ++*delivered;
  };
}

class ViewCacheTest : public ::testing::Test {
 protected:
  FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  PendingAssemblies assemblies_;
  int delivered_ = 0;
};

TEST_F(ViewCacheTest, RequestsDuringAnAssemblyWaitForItAndLaterOnesAreServedKept) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);

  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_TRUE(assemblies_.stores.empty());
  EXPECT_EQ(delivered_, 3);
}

TEST_F(ViewCacheTest, AKeptViewExpiresAndAnyChangeDropsIt) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  assemblies_.FinishAll("view");

  clock_.Advance(absl::Seconds(1));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");

  cache.Invalidate();
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 3);
}

// Polled views are assembled again ahead of their expiry, so no poll waits
// for an assembly while the view is in use.
TEST_F(ViewCacheTest, AViewNearItsExpiryIsServedAndAssembledAgainInTheBackground) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  assemblies_.FinishAll("view");
  ASSERT_EQ(delivered_, 1);

  clock_.Advance(absl::Milliseconds(600));  // not yet in its last quarter
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_TRUE(assemblies_.stores.empty());
  clock_.Advance(absl::Milliseconds(200));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 4) << "served at once from the kept view";
  EXPECT_EQ(assemblies_.stores.size(), 1u) << "one assembly ahead, not one per request";
  assemblies_.FinishAll("fresh");

  clock_.Advance(absl::Milliseconds(500));  // past the first view's expiry
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 5);
  EXPECT_TRUE(assemblies_.stores.empty());

  // An assembly ahead that fails leaves the kept view to its expiry.
  clock_.Advance(absl::Milliseconds(400));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 1u);
  auto store = std::move(assemblies_.stores.front());
  assemblies_.stores.clear();
  store(absl::UnavailableError("a service is down"), false);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 7);

  // Shutting down waits for the assembly ahead that call started.
  ASSERT_EQ(assemblies_.stores.size(), 1u);
  std::atomic<bool> waited{false};
  std::thread shutdown([&] {
    cache.WaitForAssembliesAhead();
    waited = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(waited);
  assemblies_.FinishAll("last");
  shutdown.join();
  EXPECT_TRUE(waited);
}

TEST_F(ViewCacheTest, ARequestAfterAChangeDoesNotJoinAnAssemblyStartedBeforeIt) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  std::vector<std::string> got;
  auto record = [&got](const absl::StatusOr<ViewCache::View>& view) {
    std::vector<grpc::Slice> slices;
    ASSERT_TRUE(view.ok() && (*view)->Dump(&slices).ok());
    got.push_back(slices.empty() ? ""
                                 : std::string(reinterpret_cast<const char*>(slices[0].begin()),
                                               slices[0].size()));
  };
  cache.Get("overview", kPatient, assemblies_.Assembler(), record);  // before the change
  cache.Invalidate();                                                // a change went through
  cache.Get("overview", kPatient, assemblies_.Assembler(), record);  // its author looks
  ASSERT_EQ(assemblies_.stores.size(), 2u) << "the second request needs its own assembly";
  auto stores = std::move(assemblies_.stores);
  assemblies_.stores.clear();
  FinishOne(stores[1], "after", true);
  FinishOne(stores[0], "before", true);  // late: must not replace the newer view
  EXPECT_EQ(got, (std::vector<std::string>{"after", "before"}));
  cache.Get("overview", kPatient, assemblies_.Assembler(), record);
  EXPECT_TRUE(assemblies_.stores.empty());
  EXPECT_EQ(got.back(), "after");
}

TEST_F(ViewCacheTest, ZeroTimeToLiveAssemblesEveryRequestOnItsOwn) {
  ViewCache cache(clock_, absl::ZeroDuration(), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 2u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);

  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 3);
}

// A poller allowing less than a shared assembly takes must not get
// DEADLINE_EXCEEDED, nor cut the assembly short for those who wait for all.
TEST_F(ViewCacheTest, ACallerInAHurryGetsAnAssemblyOfItsOwnCutAtItsTime) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  const absl::Time start = clock_.Now();
  int patient = 0, hurried = 0;
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&patient));
  cache.Get("overview", start + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&hurried));
  ASSERT_EQ(assemblies_.stores.size(), 2u) << "the hurried caller joined the shared assembly";
  EXPECT_EQ(assemblies_.deadlines[0], start + kAssemblyTime);
  EXPECT_EQ(assemblies_.deadlines[1], start + absl::Milliseconds(300));

  FinishOne(assemblies_.stores[1], "partial", false);
  EXPECT_EQ(hurried, 1);
  EXPECT_EQ(patient, 0) << "the patient caller got the hurried caller's partial view";
  FinishOne(assemblies_.stores[0], "whole", true);
  EXPECT_EQ(patient, 1);

  // The whole view is kept, for the hurried too.
  cache.Get("overview", start + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&hurried));
  EXPECT_EQ(hurried, 2);
  EXPECT_EQ(assemblies_.stores.size(), 2u) << "a kept view was assembled again";
}

TEST_F(ViewCacheTest, ACallerInAHurryJoinsAnAssemblyThatEndsInItsTime) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  clock_.Advance(absl::Milliseconds(800));  // the assembly has 200 ms left
  cache.Get("overview", clock_.Now() + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);
}

TEST_F(ViewCacheTest, APatientCallerDoesNotJoinAHurriedAssembly) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  int patient = 0, hurried = 0;
  cache.Get("overview", clock_.Now() + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&hurried));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&patient));
  ASSERT_EQ(assemblies_.stores.size(), 2u) << "the patient caller joined the hurried one";
  FinishOne(assemblies_.stores[0], "partial", false);
  EXPECT_EQ(hurried, 1);
  EXPECT_EQ(patient, 0);
  FinishOne(assemblies_.stores[1], "whole", true);
  EXPECT_EQ(patient, 1);
}

// Pollers arriving together after a change share one hurried assembly, as
// long as it ends in their time.
TEST_F(ViewCacheTest, HurriedCallersJoinAHurriedAssemblyThatEndsInTheirTime) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  const absl::Time start = clock_.Now();
  cache.Get("overview", start + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  cache.Get("overview", start + absl::Milliseconds(400), assemblies_.Assembler(),
            CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u) << "a poller with more time started its own";
  cache.Get("overview", start + absl::Milliseconds(200), assemblies_.Assembler(),
            CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 2u) << "a poller joined an assembly ending after its time";
  EXPECT_EQ(assemblies_.deadlines[1], start + absl::Milliseconds(200));
  FinishOne(assemblies_.stores[0], "partial", false);
  EXPECT_EQ(delivered_, 2);
  FinishOne(assemblies_.stores[1], "partial", false);
  EXPECT_EQ(delivered_, 3);
}

TEST_F(ViewCacheTest, AWholeViewOfAHurriedAssemblyIsKeptForAll) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", clock_.Now() + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 1u);
  FinishOne(assemblies_.stores[0], "whole", true);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 2);
  EXPECT_EQ(assemblies_.stores.size(), 1u) << "the whole hurried view was not kept";
}

// Found in review: a shared assembly that failed dropped the whole view a
// hurried one had kept meanwhile.
TEST_F(ViewCacheTest, AFailedSharedAssemblyDropsNoViewKeptMeanwhile) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", clock_.Now() + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 2u);
  FinishOne(assemblies_.stores[1], "whole", true);
  FinishOne(assemblies_.stores[0], "partial", false);
  EXPECT_EQ(delivered_, 2);
  assemblies_.stores.clear();

  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 3);
  EXPECT_TRUE(assemblies_.stores.empty()) << "the kept whole view was dropped";
}

TEST_F(ViewCacheTest, AHurriedCallersPartialViewDropsNoViewKeptMeanwhile) {
  ViewCache cache(clock_, absl::Seconds(1), kAssemblyTime);
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", clock_.Now() + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 2u);
  FinishOne(assemblies_.stores[0], "whole", true);
  FinishOne(assemblies_.stores[1], "partial", false);
  EXPECT_EQ(delivered_, 2);
  assemblies_.stores.clear();

  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 3);
  EXPECT_TRUE(assemblies_.stores.empty()) << "the kept whole view was dropped";
}

TEST_F(ViewCacheTest, WithoutTheCacheEachAssemblyEndsAtItsCallersTimeOrTheViewsDeadline) {
  ViewCache cache(clock_, absl::ZeroDuration(), kAssemblyTime);
  const absl::Time start = clock_.Now();
  cache.Get("overview", start + absl::Milliseconds(300), assemblies_.Assembler(),
            CountInto(&delivered_));
  cache.Get("overview", kPatient, assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.deadlines,
            (std::vector<absl::Time>{start + absl::Milliseconds(300), start + kAssemblyTime}));
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);
}

}  // namespace
}  // namespace vetrack::gateway
