// The view cache: kept views, shared assemblies, and the switch that turns
// both off (what the growth benchmark measures the views' real cost with).
#include "view_cache.h"

#include <gtest/gtest.h>

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
