#ifndef VETRACK_LIBS_RPC_FAN_OUT_H_
#define VETRACK_LIBS_RPC_FAN_OUT_H_

#include <grpcpp/support/status.h>

#include <cstddef>
#include <functional>
#include <vector>

// Many calls to another service at once instead of one after another: a view
// that asks school reporting about every institution would otherwise pay
// each round trip in turn.
namespace vetrack {

// How many calls one request keeps in flight to a service: a district
// statement or overview asking about every institution answers in about half
// the time of one call after another, while sixteen such requests at once
// still get as much done as sequential calls did (each callee serves a call
// per thread; hundreds at once made it slower for all). bench/README.md.
inline constexpr size_t kCallsAtOncePerRequest = 3;

// Called with each call's status, exactly once.
using CallDone = std::function<void(grpc::Status)>;

// Runs start(i, done) for i = 0 … count-1, each starting one asynchronous
// call (e.g. stub->async()->Method(context, &request, &response, done)),
// at most `max_in_flight` at a time, and waits until every call is done;
// entry i is call i's status. Whatever a call reads or writes must outlive
// this function's return, not more.
std::vector<grpc::Status> FanOut(size_t count, size_t max_in_flight,
                                 const std::function<void(size_t i, CallDone done)>& start);

}  // namespace vetrack

#endif  // VETRACK_LIBS_RPC_FAN_OUT_H_
