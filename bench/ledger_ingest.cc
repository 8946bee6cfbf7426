// ledger_ingest: bulk-ingest throughput of the training ledger through its
// client-streaming RPC, against the real binary. Unless given --ledger (a
// running service), it serves the one thing the ledger needs from school
// reporting (the institution list) in-process and starts training-ledger on
// a free port pointed at it and at --redis. Then it streams pre-built records
// from several concurrent streams, checks that every one was created, and
// reverses --reversals of them (spread evenly) with unary calls.
//   ledger_ingest (--ledger-binary=PATH --redis=127.0.0.1:6379 | --ledger=ADDR)
//                 [--records=300000] [--streams=4] [--rows-per-message=500]
//                 [--import-batch=500] [--import-writers=4] [--warmup=20000]
//                 [--cells=files|worst-case|spread] [--run=ID] [--seed=1]
//                 [--reversals=0]
// Prints lines a script can parse: records_per_second=N, reversals=N.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ingest_records.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "testing/redis_server.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace {

namespace ledger = ::vetrack::ledger::v1;
namespace schools = ::vetrack::schools::v1;

class InstitutionList final : public schools::SchoolReportingService::Service {
  grpc::Status ListInstitutions(grpc::ServerContext*, const schools::ListInstitutionsRequest*,
                                schools::ListInstitutionsResponse* response) override {
    for (const auto& code : vetrack::bench::Institutions()) {
      response->add_institutions()->set_code(code);
    }
    return grpc::Status::OK;
  }
};

// Streams messages[begin, end) on one call as the coordinator.
ledger::ImportTrainingRecordsResponse Stream(
    ledger::TrainingLedgerService::Stub& stub,
    const std::vector<ledger::ImportTrainingRecordsRequest>& messages, size_t begin, size_t end) {
  grpc::ClientContext context;
  context.AddMetadata("x-vetrack-role", "coordinator");
  ledger::ImportTrainingRecordsResponse response;
  auto writer = stub.ImportTrainingRecords(&context, &response);
  for (size_t i = begin; i < end; ++i) {
    if (!writer->Write(messages[i])) break;
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) std::cerr << "stream failed: " << status.error_message() << "\n";
  return response;
}

// Runs `streams` concurrent streams over the messages, each on its own
// channel; returns the records created and the seconds it took.
std::pair<int64_t, double> Ingest(
    const std::string& address, int streams,
    const std::vector<ledger::ImportTrainingRecordsRequest>& messages) {
  std::vector<std::unique_ptr<ledger::TrainingLedgerService::Stub>> stubs;
  for (int i = 0; i < streams; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("vetrack.bench.channel", i);  // a connection each
    stubs.push_back(ledger::TrainingLedgerService::NewStub(
        grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<int64_t> created(streams, 0);
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < streams; ++i) {
    threads.emplace_back([&, i] {
      size_t begin = messages.size() * i / streams, end = messages.size() * (i + 1) / streams;
      auto response = Stream(*stubs[i], messages, begin, end);
      created[i] = response.records_created();
      if (response.rows_rejected() > 0) {
        std::cerr << response.rows_rejected() << " rows rejected, e.g. line "
                  << response.errors(0).line() << ": " << response.errors(0).message() << "\n";
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t total = 0;
  for (int64_t c : created) total += c;
  return {total, seconds};
}

// Reverses `count` of the records in `messages`, spread evenly over them,
// from `threads` concurrent callers; returns how many were reversed.
int64_t Reverse(const std::string& address, int64_t count, int threads,
                const std::vector<ledger::ImportTrainingRecordsRequest>& messages) {
  std::vector<const ledger::TrainingRecord*> records;
  for (const auto& m : messages) {
    for (const auto& row : m.rows()) records.push_back(&row.training_record());
  }
  count = std::min<int64_t>(count, records.size());
  auto stub = ledger::TrainingLedgerService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  std::atomic<int64_t> next{0}, reversed{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&] {
      for (int64_t i = next++; i < count; i = next++) {
        const ledger::TrainingRecord& original = *records[i * records.size() / count];
        ledger::ReverseTrainingRecordRequest request;
        request.set_name(absl::StrCat("institutions/", original.institution_code(),
                                      "/trainingRecords/", original.record_id()));
        request.set_reversal_id(original.record_id() + "-r");
        request.set_reason("录入错误: 人次重复计算");
        grpc::ClientContext context;
        context.AddMetadata("x-vetrack-role", "coordinator");
        ledger::TrainingRecord reversal;
        grpc::Status status = stub->ReverseTrainingRecord(&context, request, &reversal);
        if (status.ok()) {
          ++reversed;
        } else {
          std::cerr << "reversing " << request.name() << ": " << status.error_message() << "\n";
        }
      }
    });
  }
  for (auto& c : callers) c.join();
  return reversed;
}

}  // namespace

// A training-ledger of this program's own, with the institution list served
// in-process, for measuring ingest alone.
struct OwnLedger {
  InstitutionList institutions;
  std::unique_ptr<grpc::Server> schools_server;
  vetrack::testing::ChildProcess service;
  int port = 0;

  bool Start(const vetrack::Config& config) {
    int schools_port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &schools_port);
    builder.RegisterService(&institutions);
    schools_server = builder.BuildAndStart();
    port = vetrack::testing::FreePort();
    return service.Start({config.Get("ledger-binary", "training-ledger"),
                          absl::StrCat("--listen=127.0.0.1:", port),
                          "--metrics=", "--redis=" + config.Get("redis", "127.0.0.1:6379"),
                          absl::StrCat("--schools=127.0.0.1:", schools_port),
                          "--redis-pool-size=" + config.Get("redis-pool-size", "32"),
                          "--import-batch=" + config.Get("import-batch", "500"),
                          "--import-writers=" + config.Get("import-writers", "4")},
                         config.Get("log", "/tmp/ledger_ingest-training-ledger.log")) &&
           vetrack::testing::WaitForPort(port);
  }
  ~OwnLedger() {
    if (service.running()) service.Signal(SIGTERM);
    if (schools_server != nullptr) schools_server->Shutdown();
  }
};

int main(int argc, char** argv) {
  using vetrack::bench::BuildMessages;
  vetrack::DisableMutexDeadlockDetection();  // the client runs gRPC as the services do
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  const int64_t records = config->GetInt("records", 300000);
  const int64_t warmup = config->GetInt("warmup", 20000);
  const int streams = config->GetInt("streams", 4);
  const int rows_per_message = config->GetInt("rows-per-message", 500);
  const std::string mix_name = config->Get("cells", "files");
  vetrack::bench::RecordMix mix;
  if (!vetrack::bench::ParseRecordMix(mix_name, &mix)) {
    std::cerr << "--cells must be files, worst-case or spread\n";
    return 2;
  }

  std::string address = config->Get("ledger", "");
  OwnLedger own;
  if (address.empty()) {
    if (!own.Start(*config)) {
      std::cerr << "cannot start the training-ledger binary\n";
      return 1;
    }
    address = absl::StrCat("127.0.0.1:", own.port);
  }
  const std::string run = config->Get("run", absl::StrCat("b", std::random_device{}() % 100000));
  const uint64_t seed = config->GetInt("seed", 1);

  auto warm = BuildMessages(mix, run + "w", warmup, rows_per_message, seed + 1);
  auto measured = BuildMessages(mix, run, records, rows_per_message, seed);
  if (!warm.empty()) Ingest(address, streams, warm);
  auto [created, seconds] = Ingest(address, streams, measured);
  if (created != records) {
    std::cerr << "expected " << records << " records created, got " << created << "\n";
    return 1;
  }
  std::printf(
      "ledger ingest: %lld records in %.2f s over %d streams of %d-row messages, %s cells\n",
      static_cast<long long>(created), seconds, streams, rows_per_message, mix_name.c_str());
  std::printf("records_per_second=%.0f\n", created / seconds);
  const int64_t reversals = config->GetInt("reversals", 0);
  if (reversals > 0) {
    const int64_t reversed = Reverse(address, reversals, 8, measured);
    std::printf("reversals=%lld\n", static_cast<long long>(reversed));
    if (reversed != reversals) return 1;
  }
  return 0;
}
