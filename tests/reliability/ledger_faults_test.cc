// Redis killed with SIGKILL in the middle of a bulk ingest whose client
// retries with the same record ids: afterwards the ledger holds every record
// exactly once, and its totals equal the sum of its records.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "fake_school_reporting.h"
#include "testing/redis_server.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"

namespace vetrack::ledger {
namespace {

constexpr int kBatches = 12;
constexpr int kRowsPerBatch = 500;

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

v1::ImportTrainingRecordsRequest Batch(int batch) {
  v1::ImportTrainingRecordsRequest req;
  for (int i = 0; i < kRowsPerBatch; ++i) {
    int n = batch * kRowsPerBatch + i;
    auto* row = req.add_rows();
    row->set_line(n + 2);
    auto* r = row->mutable_training_record();
    r->set_institution_code("cqvie");
    r->set_record_id(absl::StrCat("bulk-", n));
    r->set_date("2026-03-01");
    r->set_programme(v1::PROGRAMME_TYPE_JOB_SKILLS_UPGRADE);
    r->set_target_group(static_cast<v1::TargetGroup>(1 + n % 8));
    r->set_trainees(1 + n % 5);
    r->set_hours_per_trainee(2);
    r->set_income_fen(100 * (n % 7));
  }
  return req;
}

std::unique_ptr<grpc::ClientContext> AsSchool() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-vetrack-role", "school");
  ctx->AddMetadata("x-vetrack-unit", "cqvie");
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

TEST(LedgerFaultsTest, RedisKilledDuringIngestLosesNothingAndDoublesNothing) {
  vetrack::testing::RedisServer redis;
  testing::FakeSchoolReporting schools;
  int schools_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &schools_port);
  builder.RegisterService(&schools);
  auto schools_server = builder.BuildAndStart();

  int port = vetrack::testing::FreePort();
  vetrack::testing::ChildProcess ledger;
  ASSERT_TRUE(ledger.Start({TRAINING_LEDGER_BINARY, "--listen=127.0.0.1:" + std::to_string(port),
                            "--metrics=", "--redis=" + redis.address(),
                            "--schools=127.0.0.1:" + std::to_string(schools_port)},
                           "/tmp/vetrack-ledger-faults.log"));
  for (int i = 0; i < 400 && !PortOpen(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto stub = v1::TrainingLedgerService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  std::atomic<int> acknowledged{0};
  std::atomic<int> failed_attempts{0};
  std::thread killer([&] {
    while (acknowledged < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    redis.Kill();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    redis.Start();
  });
  // The client sends batch after batch, retrying a failed one with the same ids.
  for (int batch = 0; batch < kBatches; ++batch) {
    for (int attempt = 0;; ++attempt) {
      ASSERT_LT(attempt, 200) << "batch " << batch << " never went through";
      auto ctx = AsSchool();
      v1::ImportTrainingRecordsResponse resp;
      auto writer = stub->ImportTrainingRecords(ctx.get(), &resp);
      bool sent = writer->Write(Batch(batch));
      writer->WritesDone();
      grpc::Status status = writer->Finish();
      if (sent && status.ok() && resp.rows_rejected() == 0) break;
      ++failed_attempts;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ++acknowledged;
  }
  killer.join();
  EXPECT_GT(failed_attempts.load(), 0) << "Redis went down without any batch noticing";

  // Every record once.
  std::set<std::string> ids;
  int64_t person_times = 0, income = 0, listed = 0;
  v1::ListTrainingRecordsRequest list;
  list.set_parent("institutions/cqvie");
  list.set_year(2026);
  list.set_page_size(1000);
  for (int page = 0; page < 100; ++page) {
    auto ctx = AsSchool();
    v1::ListTrainingRecordsResponse resp;
    grpc::Status status = stub->ListTrainingRecords(ctx.get(), list, &resp);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& r : resp.training_records()) {
      ids.insert(r.record_id());
      person_times += r.trainees();
      income += r.income_fen();
      ++listed;
    }
    if (resp.next_page_token().empty()) break;
    list.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(listed, kBatches * kRowsPerBatch);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kBatches * kRowsPerBatch));

  // Totals equal the sum of the records.
  v1::GetTrainingStatementRequest get;
  get.set_institution_code("cqvie");
  get.set_year(2026);
  v1::TrainingStatement statement;
  auto ctx = AsSchool();
  ASSERT_TRUE(stub->GetTrainingStatement(ctx.get(), get, &statement).ok());
  EXPECT_EQ(statement.totals().records(), kBatches * kRowsPerBatch);
  EXPECT_EQ(statement.totals().person_times(), person_times);
  EXPECT_EQ(statement.totals().income_fen(), income);
  int64_t by_group = 0;
  for (const auto& g : statement.by_target_group()) by_group += g.totals().person_times();
  EXPECT_EQ(by_group, person_times);
  schools_server->Shutdown();
}

}  // namespace
}  // namespace vetrack::ledger
