#include "scenarios.h"

#include <grpcpp/grpcpp.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clock/clock.h"
#include "vetrack/bench/v1/echo.grpc.pb.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::bench {
namespace {

namespace echo = ::vetrack::bench::v1;
namespace tasks = ::vetrack::tasks::v1;
namespace gateway = ::vetrack::gateway::v1;

class EchoService final : public echo::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const echo::EchoRequest* request,
                                 echo::EchoResponse* response) override {
    response->set_payload(request->payload());
    auto* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

std::vector<std::shared_ptr<grpc::Channel>> Channels(const Target& target) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < target.channels; ++i) {
    // A distinct channel argument keeps gRPC from sharing one connection.
    grpc::ChannelArguments args;
    args.SetInt("vetrack.bench.channel", i);
    channels.push_back(grpc::CreateCustomChannel(target.address,
                                                 grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

// Per-slot state for a unary method of Stub: a fresh context per call.
template <typename Stub, typename Request, typename Response>
struct Slots {
  std::vector<std::unique_ptr<Stub>> stubs;  // one per channel
  std::vector<Request> requests;
  std::vector<Response> responses;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
};

// The quarter under way, e.g. "2026-Q4": the period filings go to.
std::string CurrentPeriod() {
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), DistrictTimeZone());
  return absl::StrCat(day.year(), "-Q", (day.month() - 1) / 3 + 1);
}

void AddCaller(grpc::ClientContext* context, const std::string& role, const std::string& unit) {
  context->AddMetadata("x-vetrack-role", role);
  if (!unit.empty()) context->AddMetadata("x-vetrack-unit", unit);
}

}  // namespace

EchoServer StartEchoServer() {
  static EchoService* service = new EchoService();
  grpc::ServerBuilder builder;
  EchoServer out;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &out.port);
  builder.RegisterService(service);
  out.server = builder.BuildAndStart();
  return out;
}

CallStarter EchoCalls(const Target& target, int in_flight) {
  using S = Slots<echo::EchoService::Stub, echo::EchoRequest, echo::EchoResponse>;
  auto slots = std::make_shared<S>();
  for (auto& channel : Channels(target)) slots->stubs.push_back(echo::EchoService::NewStub(channel));
  slots->requests.resize(in_flight);
  slots->responses.resize(in_flight);
  slots->contexts.resize(in_flight);
  for (auto& r : slots->requests) r.set_payload(std::string(64, 'x'));
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->contexts[slot] = std::make_unique<grpc::ClientContext>();
    auto& stub = slots->stubs[slot % slots->stubs.size()];
    stub->async()->Echo(slots->contexts[slot].get(), &slots->requests[slot],
                        &slots->responses[slot], std::move(done));
  };
}

CallStarter GetTaskCalls(const Target& target, int in_flight) {
  using S = Slots<tasks::TaskRegistryService::Stub, tasks::GetTaskRequest, tasks::Task>;
  auto slots = std::make_shared<S>();
  for (auto& channel : Channels(target)) {
    slots->stubs.push_back(tasks::TaskRegistryService::NewStub(channel));
  }
  slots->requests.resize(in_flight);
  slots->responses.resize(in_flight);
  slots->contexts.resize(in_flight);
  for (int i = 0; i < in_flight; ++i) {
    slots->requests[i].set_name(absl::StrCat("plans/jiangjin-vet-2021/tasks/", i % 33 + 1));
  }
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->contexts[slot] = std::make_unique<grpc::ClientContext>();
    AddCaller(slots->contexts[slot].get(), "coordinator", "");
    auto& stub = slots->stubs[slot % slots->stubs.size()];
    stub->async()->GetTask(slots->contexts[slot].get(), &slots->requests[slot],
                           &slots->responses[slot], std::move(done));
  };
}

CallStarter FileProgressCalls(const Target& target, int in_flight) {
  using S = Slots<tasks::TaskRegistryService::Stub, tasks::FileProgressRequest, tasks::Progress>;
  auto slots = std::make_shared<S>();
  for (auto& channel : Channels(target)) {
    slots->stubs.push_back(tasks::TaskRegistryService::NewStub(channel));
  }
  slots->requests.resize(in_flight);
  slots->responses.resize(in_flight);
  slots->contexts.resize(in_flight);
  // Task 21 is shared by 区教委 and all nine institutions; tasks 1 and 5 by
  // six more units each: enough distinct (task, unit) pairs for 16 slots.
  static const std::vector<std::pair<int, std::string>> kPairs = {
      {21, "edu"},    {21, "cqvie"},  {21, "cqepc"},  {21, "cqjtzy"}, {21, "cqgyzy"},
      {21, "cqdxzy"}, {21, "cqgsxx"}, {21, "cqjnzx"}, {21, "cqjtjg"}, {21, "cqcjjg"},
      {1, "edu"},     {1, "hrss"},    {1, "cqvie"},   {1, "cqepc"},   {1, "cqjtzy"},
      {1, "cqgyzy"},  {5, "edu"},     {5, "hrss"},    {5, "cqvie"},   {5, "cqepc"},
      {5, "cqjtzy"},  {5, "cqgyzy"},  {5, "cqdxzy"},  {5, "cqgsxx"},  {5, "cqjnzx"},
      {5, "cqjtjg"},  {5, "cqcjjg"},  {1, "cqdxzy"}};
  std::string period = CurrentPeriod();
  for (int i = 0; i < in_flight; ++i) {
    auto& r = slots->requests[i];
    const auto& [task, unit] = kPairs[i % kPairs.size()];
    r.set_task(absl::StrCat("plans/jiangjin-vet-2021/tasks/", task));
    r.set_period_id(period);
    r.set_status(tasks::PROGRESS_STATUS_ON_TRACK);
    r.set_narrative("基准测试写入");
  }
  auto counter = std::make_shared<std::atomic<int64_t>>(0);
  return [slots, counter](int slot, std::function<void(const grpc::Status&)> done) {
    auto& r = slots->requests[slot];
    const auto& unit = kPairs[slot % kPairs.size()].second;
    r.set_request_id(absl::StrCat("bench-", absl::ToUnixNanos(absl::Now()), "-", (*counter)++));
    slots->contexts[slot] = std::make_unique<grpc::ClientContext>();
    AddCaller(slots->contexts[slot].get(), unit.rfind("cq", 0) == 0 ? "school" : "department", unit);
    auto& stub = slots->stubs[slot % slots->stubs.size()];
    stub->async()->FileProgress(slots->contexts[slot].get(), &r, &slots->responses[slot],
                                std::move(done));
  };
}

CallStarter OverviewCalls(const Target& target, int in_flight, const std::string& token) {
  using S = Slots<gateway::GatewayService::Stub, gateway::GetDistrictOverviewRequest,
                  gateway::DistrictOverview>;
  auto slots = std::make_shared<S>();
  for (auto& channel : Channels(target)) {
    slots->stubs.push_back(gateway::GatewayService::NewStub(channel));
  }
  slots->requests.resize(in_flight);
  slots->responses.resize(in_flight);
  slots->contexts.resize(in_flight);
  const std::string authorization = "Bearer " + token;
  return [slots, authorization](int slot, std::function<void(const grpc::Status&)> done) {
    slots->contexts[slot] = std::make_unique<grpc::ClientContext>();
    slots->contexts[slot]->AddMetadata("authorization", authorization);
    auto& stub = slots->stubs[slot % slots->stubs.size()];
    stub->async()->GetDistrictOverview(slots->contexts[slot].get(), &slots->requests[slot],
                                       &slots->responses[slot], std::move(done));
  };
}

}  // namespace vetrack::bench
