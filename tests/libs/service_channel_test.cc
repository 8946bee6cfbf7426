#include "rpc/service_channel.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace vetrack {
namespace {

std::map<std::string, int> IntegerArguments(const grpc::ChannelArguments& args) {
  std::map<std::string, int> out;
  grpc_channel_args c = args.c_channel_args();
  for (size_t i = 0; i < c.num_args; ++i) {
    if (c.args[i].type == GRPC_ARG_INTEGER) out[c.args[i].key] = c.args[i].value.integer;
  }
  return out;
}

// Found in use: the evaluation and the ledger kept gRPC's default back-off
// (up to two minutes) and named school reporting unavailable for 34–47 s
// after it was back. Every service-to-service channel now tries again within
// a second.
TEST(ServiceChannelTest, AStoppedServiceIsTriedAgainWithinASecond) {
  auto args = IntegerArguments(ServiceChannelArguments());
  ASSERT_EQ(args.count(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS), 1u);
  ASSERT_EQ(args.count(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS), 1u);
  EXPECT_LE(args[GRPC_ARG_MAX_RECONNECT_BACKOFF_MS], 1000);
  EXPECT_LE(args[GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS], args[GRPC_ARG_MAX_RECONNECT_BACKOFF_MS]);
  // gRPC takes the minimum back-off as the time a connection attempt gets: at
  // 100 ms, a service slow to answer its handshake failed every call at once.
  EXPECT_EQ(args.count(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS), 0u);
  EXPECT_NE(ServiceChannel("127.0.0.1:1"), nullptr);
}

}  // namespace
}  // namespace vetrack
