// Faults during a bulk ingest whose client retries a failed batch with the
// same record ids. Redis killed with SIGKILL: afterwards the ledger holds
// every record exactly once. The service killed with SIGKILL: right after
// each kill no record is without its totals, and in the end every record is
// there once. Every aggregate equals the sum of its records throughout.
// Short form by default; VETRACK_RELIABILITY_ROUNDS / _BATCHES make it long
// (fault_plan.h).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "fake_school_reporting.h"
#include "fault_plan.h"
#include "testing/redis_server.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"

namespace vetrack::ledger {
namespace {

using reliability::StrikePoint;

constexpr int kRowsPerBatch = 500;
// Each batch spreads over two institutions and two years: four aggregates.
const std::vector<std::string> kInstitutions = {"cqvie", "cqepc"};
const std::vector<int> kYears = {2025, 2026};

v1::ImportTrainingRecordsRequest Batch(int batch) {
  v1::ImportTrainingRecordsRequest req;
  for (int i = 0; i < kRowsPerBatch; ++i) {
    int n = batch * kRowsPerBatch + i;
    auto* row = req.add_rows();
    row->set_line(n + 2);
    auto* r = row->mutable_training_record();
    r->set_institution_code(kInstitutions[n % 2]);
    r->set_record_id(absl::StrCat("bulk-", n));
    r->set_date(absl::StrFormat("%d-%02d-01", kYears[n / 2 % 2], 1 + n % 10));
    r->set_programme(static_cast<v1::ProgrammeType>(1 + n % 3));
    r->set_target_group(static_cast<v1::TargetGroup>(1 + n % 8));
    r->set_trainees(1 + n % 5);
    r->set_hours_per_trainee(2 + n % 3);
    r->set_income_fen(100 * (n % 7));
    r->set_certificates(n % 2);
  }
  return req;
}

std::unique_ptr<grpc::ClientContext> AsCoordinator() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-vetrack-role", "coordinator");
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  // Across a service restart the channel waits for the new process.
  ctx->set_wait_for_ready(true);
  return ctx;
}

void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class LedgerFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &schools_port_);
    builder.RegisterService(&schools_);
    schools_server_ = builder.BuildAndStart();
    port_ = vetrack::testing::FreePort();
    ASSERT_TRUE(StartLedger()) << ledger_.LogTail();
    stub_ = v1::TrainingLedgerService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port_), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override { schools_server_->Shutdown(); }

  bool StartLedger() {
    return ledger_.Start({TRAINING_LEDGER_BINARY, "--listen=127.0.0.1:" + std::to_string(port_),
                          "--metrics=", "--redis=" + redis_.address(),
                          "--schools=127.0.0.1:" + std::to_string(schools_port_)},
                         vetrack::testing::TempLogPath("ledger-faults")) &&
           vetrack::testing::WaitForPort(port_);
  }

  // Sends batches 0 … batches-1 in order, each on a stream of its own and
  // again (same ids) until every row of it is taken; `acknowledged` counts
  // the batches through. `after_failure` runs after each failed attempt.
  void IngestWithRetries(int batches, std::atomic<int>& acknowledged,
                         const std::function<void()>& after_failure) {
    for (int batch = 0; batch < batches; ++batch) {
      for (int attempt = 0;; ++attempt) {
        auto ctx = AsCoordinator();
        v1::ImportTrainingRecordsResponse resp;
        auto writer = stub_->ImportTrainingRecords(ctx.get(), &resp);
        bool sent = writer->Write(Batch(batch));
        writer->WritesDone();
        grpc::Status status = writer->Finish();
        if (sent && status.ok() && resp.rows_rejected() == 0) break;
        ASSERT_LT(attempt, 400) << "batch " << batch
                                << " never went through: " << status.error_message()
                                << (resp.errors().empty() ? "" : resp.errors(0).message());
        ++failed_attempts_;
        after_failure();
        Sleep(50);
      }
      ++acknowledged;
    }
  }

  // Checks that every institution-year's statement equals the sum of the
  // records listed for it; returns the record ids listed, repeats included.
  std::multiset<std::string> ExpectTotalsEqualRecords() {
    std::multiset<std::string> ids;
    for (const auto& code : kInstitutions) {
      for (int year : kYears) {
        v1::TrainingTotals sum;
        v1::ListTrainingRecordsRequest list;
        list.set_parent("institutions/" + code);
        list.set_year(year);
        list.set_page_size(1000);
        for (;;) {
          auto ctx = AsCoordinator();
          v1::ListTrainingRecordsResponse resp;
          grpc::Status status = stub_->ListTrainingRecords(ctx.get(), list, &resp);
          EXPECT_TRUE(status.ok()) << status.error_message();
          if (!status.ok()) return ids;
          for (const auto& r : resp.training_records()) {
            ids.insert(r.record_id());
            sum.set_records(sum.records() + 1);
            sum.set_person_times(sum.person_times() + r.trainees());
            sum.set_trainee_hours(sum.trainee_hours() + r.trainees() * r.hours_per_trainee());
            sum.set_income_fen(sum.income_fen() + r.income_fen());
            sum.set_certificates(sum.certificates() + r.certificates());
          }
          if (resp.next_page_token().empty()) break;
          list.set_page_token(resp.next_page_token());
        }
        v1::GetTrainingStatementRequest get;
        get.set_institution_code(code);
        get.set_year(year);
        v1::TrainingStatement statement;
        auto ctx = AsCoordinator();
        grpc::Status status = stub_->GetTrainingStatement(ctx.get(), get, &statement);
        EXPECT_TRUE(status.ok()) << status.error_message();
        const std::string where = absl::StrCat(code, " ", year);
        EXPECT_EQ(statement.totals().records(), sum.records()) << where;
        EXPECT_EQ(statement.totals().person_times(), sum.person_times()) << where;
        EXPECT_EQ(statement.totals().trainee_hours(), sum.trainee_hours()) << where;
        EXPECT_EQ(statement.totals().income_fen(), sum.income_fen()) << where;
        EXPECT_EQ(statement.totals().certificates(), sum.certificates()) << where;
        int64_t by_group = 0;
        for (const auto& g : statement.by_target_group()) by_group += g.totals().person_times();
        EXPECT_EQ(by_group, sum.person_times()) << where;
      }
    }
    return ids;
  }

  void ExpectEveryRecordOnce(int batches) {
    std::multiset<std::string> ids = ExpectTotalsEqualRecords();
    EXPECT_EQ(ids.size(), static_cast<size_t>(batches * kRowsPerBatch));
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size())
        << "some record is there twice";
  }

  // Runs strike(k) for k = 0 … kills-1 on a thread of its own, each after
  // more acknowledged batches than the one before (spread over the ingest)
  // and a few milliseconds into the next batch, a different phase of it each
  // time; stops early once `done`.
  static std::thread StrikeDuringIngest(int batches, int kills,
                                        const std::atomic<int>& acknowledged,
                                        const std::atomic<bool>& done,
                                        std::function<void(int k)> strike) {
    return std::thread([=, &acknowledged, &done] {
      for (int k = 0, at = 0; k < kills; ++k) {
        at = std::max(at + 1, StrikePoint(k, kills, 2, batches - 2));
        if (at >= batches) return;
        while (acknowledged < at && !done) Sleep(1);
        if (done) return;
        Sleep(StrikePoint(k, kills, 0, 20));
        strike(k);
      }
    });
  }

  vetrack::testing::RedisServer redis_;
  testing::FakeSchoolReporting schools_;
  int schools_port_ = 0;
  std::unique_ptr<grpc::Server> schools_server_;
  int port_ = 0;
  vetrack::testing::ChildProcess ledger_;
  std::unique_ptr<v1::TrainingLedgerService::Stub> stub_;
  std::atomic<int> failed_attempts_{0};
};

TEST_F(LedgerFaultsTest, RedisKilledDuringIngestLosesNothingAndDoublesNothing) {
  const int batches = reliability::LedgerBatches();
  const int kills = reliability::Rounds();
  std::atomic<int> acknowledged{0};
  std::atomic<bool> done{false};
  std::thread killer = StrikeDuringIngest(batches, kills, acknowledged, done, [&](int k) {
    redis_.Kill();
    Sleep(StrikePoint(k, kills, 100, 600));
    redis_.Start();
  });
  IngestWithRetries(batches, acknowledged, [] {});
  done = true;
  killer.join();
  EXPECT_GT(failed_attempts_.load(), 0) << "Redis went down without any batch noticing";
  ExpectEveryRecordOnce(batches);
}

TEST_F(LedgerFaultsTest, ServiceKilledDuringIngestLeavesNoRecordWithoutItsTotals) {
  const int batches = reliability::LedgerBatches();
  const int kills = reliability::Rounds();
  std::atomic<int> acknowledged{0};
  std::atomic<int> kills_started{0}, restarts{0};
  std::atomic<bool> done{false};
  std::thread killer = StrikeDuringIngest(batches, kills, acknowledged, done, [&](int) {
    ++kills_started;
    ledger_.Signal(SIGKILL);
    EXPECT_TRUE(StartLedger()) << "the ledger did not come back";
    ++restarts;
  });
  int checked_restarts = 0;
  IngestWithRetries(batches, acknowledged, [&] {
    // The state the kill left, before this client sends anything again.
    while (restarts < kills_started) Sleep(1);
    if (restarts == checked_restarts) return;
    checked_restarts = restarts;
    ExpectTotalsEqualRecords();
  });
  done = true;
  killer.join();
  EXPECT_GT(restarts.load(), 0);
  EXPECT_GT(failed_attempts_.load(), 0) << "the service went down without any batch noticing";
  ExpectEveryRecordOnce(batches);
}

}  // namespace
}  // namespace vetrack::ledger
