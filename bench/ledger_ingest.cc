// ledger_ingest: bulk-ingest throughput of the training ledger through its
// client-streaming RPC, against the real binary. It serves the one thing the
// ledger needs from school reporting (the institution list) in-process,
// starts training-ledger on a free port pointed at it and at --redis, then
// streams pre-built records from several concurrent streams.
//   ledger_ingest --ledger-binary=PATH --redis=127.0.0.1:6379
//                 [--records=300000] [--streams=4] [--rows-per-message=500]
//                 [--import-batch=500] [--import-writers=4] [--warmup=20000]
//                 [--cells=realistic|worst-case]
// Prints one line a script can parse: records_per_second=N.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/config.h"
#include "testing/redis_server.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace {

namespace ledger = ::vetrack::ledger::v1;
namespace schools = ::vetrack::schools::v1;

const std::vector<std::string> kInstitutions = {"cqcjjg", "cqdxzy", "cqepc",  "cqgsxx", "cqgyzy",
                                                "cqjnzx", "cqjtjg", "cqjtzy", "cqvie"};

class InstitutionList final : public schools::SchoolReportingService::Service {
  grpc::Status ListInstitutions(grpc::ServerContext*, const schools::ListInstitutionsRequest*,
                                schools::ListInstitutionsResponse* response) override {
    for (const auto& code : kInstitutions) response->add_institutions()->set_code(code);
    return grpc::Status::OK;
  }
};

bool PortOpen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool open = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return open;
}

// `count` records as stream messages of `rows_per_message` rows. As schools
// keep them, records come in files of one institution (5,000 rows), each
// school running a few programmes for a few groups (24 cells a year); with
// `worst_case` every record of a batch lands in a cell of its own instead.
// Ids carry `run`, so a run never collides with an earlier one.
std::vector<ledger::ImportTrainingRecordsRequest> BuildMessages(const std::string& run,
                                                                int64_t count,
                                                                int rows_per_message,
                                                                bool worst_case) {
  constexpr int64_t kRowsPerFile = 5000;
  std::vector<ledger::ImportTrainingRecordsRequest> messages;
  for (int64_t n = 0; n < count; ++n) {
    if (n % rows_per_message == 0) messages.emplace_back();
    auto* row = messages.back().add_rows();
    row->set_line(n % kRowsPerFile + 2);
    auto* r = row->mutable_training_record();
    const int64_t school = worst_case ? n : n / kRowsPerFile;
    r->set_institution_code(kInstitutions[school % kInstitutions.size()]);
    r->set_record_id(absl::StrCat(run, "-", n));
    r->set_date(absl::StrFormat("2026-%02d-%02d", 1 + n % 9, 10 + n % 10));
    if (worst_case) {
      r->set_programme(static_cast<ledger::ProgrammeType>(1 + n % ledger::ProgrammeType_MAX));
      r->set_target_group(static_cast<ledger::TargetGroup>(1 + (n / 7) % ledger::TargetGroup_MAX));
      r->set_subsidised(n % 3 == 0);
    } else {
      r->set_programme(static_cast<ledger::ProgrammeType>(1 + (school + n % 4) % ledger::ProgrammeType_MAX));
      r->set_target_group(static_cast<ledger::TargetGroup>(1 + (school + n % 3) % ledger::TargetGroup_MAX));
      r->set_subsidised(n % 2 == 0);
    }
    r->set_trainees(1 + n % 50);
    r->set_hours_per_trainee(8 + n % 40);
    r->set_income_fen(100 * (n % 1000));
    r->set_certificates(n % 5);
  }
  return messages;
}

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
std::pair<int64_t, double> Ingest(const std::string& address, int streams,
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

}  // namespace

int main(int argc, char** argv) {
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  const int64_t records = config->GetInt("records", 300000);
  const int64_t warmup = config->GetInt("warmup", 20000);
  const int streams = config->GetInt("streams", 4);
  const int rows_per_message = config->GetInt("rows-per-message", 500);

  InstitutionList institutions;
  int schools_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &schools_port);
  builder.RegisterService(&institutions);
  auto schools_server = builder.BuildAndStart();

  const int ledger_port = vetrack::testing::FreePort();
  vetrack::testing::ChildProcess service;
  if (!service.Start({config->Get("ledger-binary", "training-ledger"),
                      absl::StrCat("--listen=127.0.0.1:", ledger_port), "--metrics=",
                      "--redis=" + config->Get("redis", "127.0.0.1:6379"),
                      absl::StrCat("--schools=127.0.0.1:", schools_port),
                      "--redis-pool-size=" + config->Get("redis-pool-size", "32"),
                      "--import-batch=" + config->Get("import-batch", "500"),
                      "--import-writers=" + config->Get("import-writers", "4")},
                     config->Get("log", "/tmp/ledger_ingest-training-ledger.log"))) {
    std::cerr << "cannot start the training-ledger binary\n";
    return 1;
  }
  for (int i = 0; i < 500 && !PortOpen(ledger_port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string address = absl::StrCat("127.0.0.1:", ledger_port);
  const std::string run = absl::StrCat("b", std::random_device{}() % 100000);

  const bool worst_case = config->Get("cells", "realistic") == "worst-case";
  auto warm = BuildMessages(run + "w", warmup, rows_per_message, worst_case);
  auto measured = BuildMessages(run, records, rows_per_message, worst_case);
  Ingest(address, streams, warm);
  auto [created, seconds] = Ingest(address, streams, measured);
  if (created != records) {
    std::cerr << "expected " << records << " records created, got " << created << "\n";
    return 1;
  }
  const double rate = created / seconds;
  std::printf("ledger ingest: %lld records in %.2f s over %d streams of %d-row messages, %s cells\n",
              static_cast<long long>(created), seconds, streams, rows_per_message,
              worst_case ? "worst-case" : "realistic");
  std::printf("records_per_second=%.0f\n", rate);
  service.Signal(SIGTERM);
  schools_server->Shutdown();
  return 0;
}
