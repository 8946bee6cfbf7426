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

TEST(ResourceNameTest, IdsAreLowerCaseLettersDigitsAndDashesUpTo63) {
  EXPECT_TRUE(IsValidResourceId("cqvie"));
  EXPECT_TRUE(IsValidResourceId("chongqing-engineering-vocational-college"));  // 40, as imported
  EXPECT_TRUE(IsValidResourceId(std::string(63, 'a')));
  EXPECT_FALSE(IsValidResourceId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidResourceId(""));
  EXPECT_FALSE(IsValidResourceId("CQVIE"));
  EXPECT_FALSE(IsValidResourceId("cq_vie"));
  EXPECT_FALSE(IsValidResourceId("重庆"));
}

}  // namespace
}  // namespace vetrack
