#ifndef VETRACK_LIBS_CLOCK_TIMESTAMP_H_
#define VETRACK_LIBS_CLOCK_TIMESTAMP_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

// absl::Time ⇄ google.protobuf.Timestamp, for times in the contracts.
namespace vetrack {

inline absl::Time TimeFromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline google::protobuf::Timestamp TimeToProto(absl::Time t) {
  const int64_t nanos = absl::ToUnixNanos(t);
  google::protobuf::Timestamp ts;
  // Floor division, so times before 1970 keep nanos in [0, 1e9).
  int64_t seconds = nanos / 1000000000;
  int64_t rest = nanos % 1000000000;
  if (rest < 0) {
    rest += 1000000000;
    --seconds;
  }
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(rest));
  return ts;
}

}  // namespace vetrack

#endif  // VETRACK_LIBS_CLOCK_TIMESTAMP_H_
