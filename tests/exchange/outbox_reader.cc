#include "outbox_reader.h"

#include <gtest/gtest.h>

#include "exchange/outbox.h"
#include "google/protobuf/util/json_util.h"

namespace vetrack::exchange::testing {

std::vector<google::protobuf::Struct> ReadOutbox(redis::Client& client, const std::string& source) {
  auto all = client.Command({"LRANGE", OutboxKey(source), "0", "-1"});
  EXPECT_TRUE(all.ok()) << all.status();
  std::vector<google::protobuf::Struct> entries;
  if (!all.ok()) return entries;
  for (const auto& element : all->elements) {
    entries.emplace_back();
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(element.str, &entries.back()).ok())
        << element.str;
  }
  return entries;
}

}  // namespace vetrack::exchange::testing
