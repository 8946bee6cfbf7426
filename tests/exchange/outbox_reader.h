#ifndef VETRACK_TESTS_EXCHANGE_OUTBOX_READER_H_
#define VETRACK_TESTS_EXCHANGE_OUTBOX_READER_H_

#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "redis/redis_client.h"

namespace vetrack::exchange::testing {

// Every entry of a source's outbox, oldest first, parsed from its JSON; a
// test failure for an entry that does not parse.
std::vector<google::protobuf::Struct> ReadOutbox(redis::Client& client, const std::string& source);

}  // namespace vetrack::exchange::testing

#endif  // VETRACK_TESTS_EXCHANGE_OUTBOX_READER_H_
