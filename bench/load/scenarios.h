#ifndef VETRACK_BENCH_LOAD_SCENARIOS_H_
#define VETRACK_BENCH_LOAD_SCENARIOS_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>
#include <vector>

#include "load_runner.h"

namespace vetrack::bench {

// A callback-API echo server in this process, on a free loopback port.
struct EchoServer {
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};
EchoServer StartEchoServer();

// `channels` channels to `address`, calls spread over them round-robin by slot.
struct Target {
  std::string address;
  int channels = 4;
};

// The scenarios: each returns a CallStarter for `in_flight` slots.
CallStarter EchoCalls(const Target& target, int in_flight);
// GetTask on task-registry: a single-service read.
CallStarter GetTaskCalls(const Target& target, int in_flight);
// FileProgress on task-registry: a durable single-service write. Each slot
// files for its own (task, unit) pair, so slots never contend for a version
// (beyond the 28 fixed pairs, the others are asked of the registry; it warns
// when the plan has fewer pairs than slots).
CallStarter FileProgressCalls(const Target& target, int in_flight);
// GetDistrictOverview on the gateway with a bearer token: a view gathered
// from all four services (kept briefly by the gateway, as a polled
// dashboard is, unless that gateway runs with --view-cache-ms=0). A partial
// view counts as a failure: it is cheaper than the real thing.
CallStarter OverviewCalls(const Target& target, int in_flight, const std::string& token);
// GetTrainingStatement of one institution's year on the training ledger, as
// the coordinator: read from the year's aggregates.
CallStarter StatementCalls(const Target& target, int in_flight, const std::string& institution,
                           int year);
// GetDistrictTrainingStatement of a year, as the coordinator.
CallStarter DistrictStatementCalls(const Target& target, int in_flight, int year);

}  // namespace vetrack::bench

#endif  // VETRACK_BENCH_LOAD_SCENARIOS_H_
