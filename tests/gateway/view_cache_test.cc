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

// An assembly that finishes only when the test says so.
struct PendingAssemblies {
  std::vector<ViewCache::Store> stores;

  ViewCache::Assemble Assembler() {
    return [this](ViewCache::Store store) { stores.push_back(std::move(store)); };
  }
  void FinishAll(const std::string& text) {
    auto stores_now = std::move(stores);
    stores.clear();
    for (auto& store : stores_now) {
      auto bytes = std::make_shared<grpc::ByteBuffer>();
      grpc::Slice slice(text);
      *bytes = grpc::ByteBuffer(&slice, 1);
      store(ViewCache::View(bytes), true);
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
  ViewCache cache(clock_, absl::Seconds(1));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);

  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_TRUE(assemblies_.stores.empty());
  EXPECT_EQ(delivered_, 3);
}

TEST_F(ViewCacheTest, AKeptViewExpiresAndAnyChangeDropsIt) {
  ViewCache cache(clock_, absl::Seconds(1));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  assemblies_.FinishAll("view");

  clock_.Advance(absl::Seconds(1));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");

  cache.Invalidate();
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 3);
}

// Polled views are assembled again ahead of their expiry, so no poll waits
// for an assembly while the view is in use.
TEST_F(ViewCacheTest, AViewNearItsExpiryIsServedAndAssembledAgainInTheBackground) {
  ViewCache cache(clock_, absl::Seconds(1));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  assemblies_.FinishAll("view");
  ASSERT_EQ(delivered_, 1);

  clock_.Advance(absl::Milliseconds(600));  // not yet in its last quarter
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_TRUE(assemblies_.stores.empty());
  clock_.Advance(absl::Milliseconds(200));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 4) << "served at once from the kept view";
  EXPECT_EQ(assemblies_.stores.size(), 1u) << "one assembly ahead, not one per request";
  assemblies_.FinishAll("fresh");

  clock_.Advance(absl::Milliseconds(500));  // past the first view's expiry
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(delivered_, 5);
  EXPECT_TRUE(assemblies_.stores.empty());

  // An assembly ahead that fails leaves the kept view to its expiry.
  clock_.Advance(absl::Milliseconds(400));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  ASSERT_EQ(assemblies_.stores.size(), 1u);
  auto store = std::move(assemblies_.stores.front());
  assemblies_.stores.clear();
  store(absl::UnavailableError("a service is down"), false);
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
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
  ViewCache cache(clock_, absl::Seconds(1));
  std::vector<std::string> got;
  auto record = [&got](const absl::StatusOr<ViewCache::View>& view) {
    std::vector<grpc::Slice> slices;
    ASSERT_TRUE(view.ok() && (*view)->Dump(&slices).ok());
    got.push_back(slices.empty() ? ""
                                 : std::string(reinterpret_cast<const char*>(slices[0].begin()),
                                               slices[0].size()));
  };
  cache.Get("overview", assemblies_.Assembler(), record);  // before the change
  cache.Invalidate();                                      // a change went through
  cache.Get("overview", assemblies_.Assembler(), record);  // its author looks
  ASSERT_EQ(assemblies_.stores.size(), 2u) << "the second request needs its own assembly";
  auto stores = std::move(assemblies_.stores);
  assemblies_.stores.clear();
  auto finish = [](ViewCache::Store& store, const std::string& text) {
    auto bytes = std::make_shared<grpc::ByteBuffer>();
    grpc::Slice slice(text);
    *bytes = grpc::ByteBuffer(&slice, 1);
    store(ViewCache::View(bytes), true);
  };
  finish(stores[1], "after");
  finish(stores[0], "before");  // late: must not replace the newer view
  EXPECT_EQ(got, (std::vector<std::string>{"after", "before"}));
  cache.Get("overview", assemblies_.Assembler(), record);
  EXPECT_TRUE(assemblies_.stores.empty());
  EXPECT_EQ(got.back(), "after");
}

TEST_F(ViewCacheTest, ZeroTimeToLiveAssemblesEveryRequestOnItsOwn) {
  ViewCache cache(clock_, absl::ZeroDuration());
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 2u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 2);

  cache.Get("overview", assemblies_.Assembler(), CountInto(&delivered_));
  EXPECT_EQ(assemblies_.stores.size(), 1u);
  assemblies_.FinishAll("view");
  EXPECT_EQ(delivered_, 3);
}

}  // namespace
}  // namespace vetrack::gateway
