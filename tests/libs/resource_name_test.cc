#include "rpc/resource_name.h"

#include <gtest/gtest.h>

namespace vetrack {
namespace {

TEST(ResourceNameTest, TheIdIsTheLastSegment) {
  EXPECT_EQ(ResourceIdOf("units/edu"), "edu");
  EXPECT_EQ(ResourceIdOf("plans/jiangjin-vet-2021/tasks/21"), "21");
  EXPECT_EQ(ResourceIdOf("cqvie"), "cqvie");  // already an ID
  EXPECT_EQ(ResourceIdOf("institutions/"), "");
  EXPECT_EQ(ResourceIdOf(""), "");
}

}  // namespace
}  // namespace vetrack
