#include "scenarios.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clock/clock.h"
#include "vetrack/bench/v1/echo.grpc.pb.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::bench {
namespace {

namespace echo = ::vetrack::bench::v1;
namespace tasks = ::vetrack::tasks::v1;
namespace gateway = ::vetrack::gateway::v1;
namespace ledger = ::vetrack::ledger::v1;

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
    channels.push_back(
        grpc::CreateCustomChannel(target.address, grpc::InsecureChannelCredentials(), args));
  }
  return channels;
}

// Per-slot state for a unary method of Service: a stub per channel, and a
// request, a response and a fresh context per call for each slot.
template <typename Service, typename Request, typename Response>
struct Slots {
  Slots(const Target& target, int in_flight)
      : requests(in_flight), responses(in_flight), contexts(in_flight) {
    for (auto& channel : Channels(target)) stubs.push_back(Service::NewStub(channel));
  }
  // `auto`: the stub's class `async` is hidden by its function `async()`,
  // which clang (rightly) finds first.
  auto* StubFor(int slot) { return stubs[slot % stubs.size()]->async(); }
  // A fresh context for the slot's next call, from `role` (and `unit`) when given.
  grpc::ClientContext* NewContext(int slot, const std::string& role = "",
                                  const std::string& unit = "") {
    contexts[slot] = std::make_unique<grpc::ClientContext>();
    if (!role.empty()) contexts[slot]->AddMetadata("x-vetrack-role", role);
    if (!unit.empty()) contexts[slot]->AddMetadata("x-vetrack-unit", unit);
    return contexts[slot].get();
  }

  std::vector<std::unique_ptr<typename Service::Stub>> stubs;
  std::vector<Request> requests;
  std::vector<Response> responses;
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
};

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
  using S = Slots<echo::EchoService, echo::EchoRequest, echo::EchoResponse>;
  auto slots = std::make_shared<S>(target, in_flight);
  for (auto& r : slots->requests) r.set_payload(std::string(64, 'x'));
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->StubFor(slot)->Echo(slots->NewContext(slot), &slots->requests[slot],
                               &slots->responses[slot], std::move(done));
  };
}

CallStarter GetTaskCalls(const Target& target, int in_flight) {
  using S = Slots<tasks::TaskRegistryService, tasks::GetTaskRequest, tasks::Task>;
  auto slots = std::make_shared<S>(target, in_flight);
  for (int i = 0; i < in_flight; ++i) {
    slots->requests[i].set_name(absl::StrCat("plans/jiangjin-vet-2021/tasks/", i % 33 + 1));
  }
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->StubFor(slot)->GetTask(slots->NewContext(slot, "coordinator"), &slots->requests[slot],
                                  &slots->responses[slot], std::move(done));
  };
}

namespace {

using TaskUnit = std::pair<int, std::string>;

// `pairs`, then every other (task, unit) pair the registry at `target` makes
// responsible, until there are `wanted`.
std::vector<TaskUnit> WithMorePairs(const Target& target, std::vector<TaskUnit> pairs,
                                    size_t wanted) {
  auto stub = tasks::TaskRegistryService::NewStub(
      grpc::CreateChannel(target.address, grpc::InsecureChannelCredentials()));
  tasks::ListTasksRequest request;
  request.set_parent("plans/jiangjin-vet-2021");
  request.set_page_size(100);
  do {
    grpc::ClientContext context;
    context.AddMetadata("x-vetrack-role", "coordinator");
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    tasks::ListTasksResponse response;
    grpc::Status status = stub->ListTasks(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "file-progress: cannot list the tasks (" << status.error_message() << ")\n";
      break;
    }
    for (const auto& task : response.tasks()) {
      std::vector<std::string> units = {task.lead_unit()};
      units.insert(units.end(), task.co_units().begin(), task.co_units().end());
      for (const auto& unit : units) {
        TaskUnit pair{task.number(), unit};
        if (std::find(pairs.begin(), pairs.end(), pair) == pairs.end()) pairs.push_back(pair);
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && pairs.size() < wanted);
  if (pairs.size() < wanted) {
    std::cerr << "file-progress: " << pairs.size() << " (task, unit) pairs for " << wanted
              << " slots: some slots share one and contend for its version\n";
  }
  return pairs;
}

}  // namespace

CallStarter FileProgressCalls(const Target& target, int in_flight) {
  using S = Slots<tasks::TaskRegistryService, tasks::FileProgressRequest, tasks::Progress>;
  auto slots = std::make_shared<S>(target, in_flight);
  // Task 21 is shared by 区教委 and all nine institutions; tasks 1 and 5 by
  // six more units each: the first slots' pairs, as every session measured
  // them. More slots get more of the plan's pairs, each its own: two slots
  // filing one unit's report would contend for its version, as two clients of
  // one unit would, and measure the retries instead.
  std::vector<TaskUnit> fixed = {{21, "edu"},    {21, "cqvie"},  {21, "cqepc"},  {21, "cqjtzy"},
                                 {21, "cqgyzy"}, {21, "cqdxzy"}, {21, "cqgsxx"}, {21, "cqjnzx"},
                                 {21, "cqjtjg"}, {21, "cqcjjg"}, {1, "edu"},     {1, "hrss"},
                                 {1, "cqvie"},   {1, "cqepc"},   {1, "cqjtzy"},  {1, "cqgyzy"},
                                 {5, "edu"},     {5, "hrss"},    {5, "cqvie"},   {5, "cqepc"},
                                 {5, "cqjtzy"},  {5, "cqgyzy"},  {5, "cqdxzy"},  {5, "cqgsxx"},
                                 {5, "cqjnzx"},  {5, "cqjtjg"},  {5, "cqcjjg"},  {1, "cqdxzy"}};
  const size_t wanted = static_cast<size_t>(in_flight);
  auto pairs = std::make_shared<const std::vector<TaskUnit>>(
      fixed.size() >= wanted ? std::move(fixed) : WithMorePairs(target, std::move(fixed), wanted));
  std::string period = QuarterIdAt(absl::Now());  // the quarter filings go to
  for (int i = 0; i < in_flight; ++i) {
    auto& r = slots->requests[i];
    const auto& [task, unit] = (*pairs)[i % pairs->size()];
    r.set_task(absl::StrCat("plans/jiangjin-vet-2021/tasks/", task));
    r.set_period_id(period);
    r.set_status(tasks::PROGRESS_STATUS_ON_TRACK);
    r.set_narrative("基准测试写入");
  }
  auto counter = std::make_shared<std::atomic<int64_t>>(0);
  return [slots, counter, pairs](int slot, std::function<void(const grpc::Status&)> done) {
    auto& r = slots->requests[slot];
    const auto& unit = (*pairs)[slot % pairs->size()].second;
    r.set_request_id(absl::StrCat("bench-", absl::ToUnixNanos(absl::Now()), "-", (*counter)++));
    const char* role = unit.rfind("cq", 0) == 0 ? "school" : "department";
    slots->StubFor(slot)->FileProgress(slots->NewContext(slot, role, unit), &r,
                                       &slots->responses[slot], std::move(done));
  };
}

CallStarter OverviewCalls(const Target& target, int in_flight, const std::string& token) {
  using S = Slots<gateway::GatewayService, gateway::GetDistrictOverviewRequest,
                  gateway::DistrictOverview>;
  auto slots = std::make_shared<S>(target, in_flight);
  const std::string authorization = "Bearer " + token;
  return [slots, authorization](int slot, std::function<void(const grpc::Status&)> done) {
    grpc::ClientContext* context = slots->NewContext(slot);
    context->AddMetadata("authorization", authorization);
    const gateway::DistrictOverview* view = &slots->responses[slot];
    slots->StubFor(slot)->GetDistrictOverview(
        context, &slots->requests[slot], &slots->responses[slot],
        [view, done = std::move(done)](grpc::Status status) {
          if (status.ok() && view->partial()) {
            std::string missing;
            for (const auto& e : view->section_errors()) {
              absl::StrAppend(&missing, " ", e.section(), "=", e.code());
            }
            status = grpc::Status(grpc::StatusCode::UNKNOWN, "partial view, without" + missing);
          }
          done(status);
        });
  };
}

CallStarter StatementCalls(const Target& target, int in_flight, const std::string& institution,
                           int year) {
  using S = Slots<ledger::TrainingLedgerService, ledger::GetTrainingStatementRequest,
                  ledger::TrainingStatement>;
  auto slots = std::make_shared<S>(target, in_flight);
  for (auto& r : slots->requests) {
    r.set_institution_code(institution);
    r.set_year(year);
  }
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->StubFor(slot)->GetTrainingStatement(slots->NewContext(slot, "coordinator"),
                                               &slots->requests[slot], &slots->responses[slot],
                                               std::move(done));
  };
}

CallStarter DistrictStatementCalls(const Target& target, int in_flight, int year) {
  using S = Slots<ledger::TrainingLedgerService, ledger::GetDistrictTrainingStatementRequest,
                  ledger::DistrictTrainingStatement>;
  auto slots = std::make_shared<S>(target, in_flight);
  for (auto& r : slots->requests) r.set_year(year);
  return [slots](int slot, std::function<void(const grpc::Status&)> done) {
    slots->StubFor(slot)->GetDistrictTrainingStatement(slots->NewContext(slot, "coordinator"),
                                                       &slots->requests[slot],
                                                       &slots->responses[slot], std::move(done));
  };
}

}  // namespace vetrack::bench
