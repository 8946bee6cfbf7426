// Bulk import streams that stop part-way, on a real redis-server
// (ledger_fixture.h): what was appended before stays, the error says where
// the stream stopped and how many records it stored, and sending the whole
// stream again stores each record exactly once.
#include <algorithm>
#include <atomic>
#include <functional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger_fixture.h"
#include "status/disclosure.h"
#include "status/errors.h"

namespace vetrack::ledger::testing {
namespace {

// The store, except that one call to AppendBatches fails without writing
// anything, as if Redis had dropped the connection before taking it.
class FailingStore : public LedgerStore {
 public:
  FailingStore(LedgerStore& real, int failing_call) : real_(real), failing_call_(failing_call) {}

  absl::Status Ping() override { return real_.Ping(); }
  absl::StatusOr<std::vector<AppendOutcome>> AppendRecords(
      const std::vector<PreparedRecord>& records) override {
    return real_.AppendRecords(records);
  }
  absl::StatusOr<std::vector<std::vector<AppendOutcome>>> AppendBatches(
      const std::vector<std::vector<PreparedRecord>>& batches) override {
    if (++calls_ == failing_call_) return absl::UnavailableError("redis: connection reset");
    return real_.AppendBatches(batches);
  }
  absl::StatusOr<ReversalResult> AppendReversal(const ReversalWrite& write) override {
    return real_.AppendReversal(write);
  }
  absl::StatusOr<std::optional<StoredRecord>> GetRecord(const RecordRef& ref) override {
    return real_.GetRecord(ref);
  }
  absl::StatusOr<std::vector<StoredRecord>> ListRecords(const std::string& code, int year,
                                                        int offset, int limit,
                                                        int* total) override {
    return real_.ListRecords(code, year, offset, limit, total);
  }
  absl::StatusOr<std::vector<YearCells>> GetYearCells(const std::vector<std::string>& codes,
                                                      int year) override {
    return real_.GetYearCells(codes, year);
  }
  absl::StatusOr<std::optional<StoredPolicy>> GetPolicy(int year) override {
    return real_.GetPolicy(year);
  }
  absl::StatusOr<std::vector<v1::AccountingPolicy>> ListPolicyVersions(int year, int offset,
                                                                       int limit,
                                                                       int* total) override {
    return real_.ListPolicyVersions(year, offset, limit, total);
  }
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override {
    return real_.FindAnswer(request_key, fingerprint);
  }
  absl::StatusOr<PolicyWriteOutcome> WritePolicy(const PolicyWrite& write) override {
    return real_.WritePolicy(write);
  }
  absl::StatusOr<std::optional<v1::PublishedTrainingStatement>> GetPublishedStatement(
      int year, int revision) override {
    return real_.GetPublishedStatement(year, revision);
  }
  absl::StatusOr<PolicyWriteOutcome> WritePublication(const PublishWrite& write) override {
    return real_.WritePublication(write);
  }

 private:
  LedgerStore& real_;
  const int failing_call_;
  std::atomic<int> calls_{0};
};

v1::ImportRow Row(int64_t line, const std::string& institution, const std::string& id,
                  int64_t trainees) {
  v1::ImportRow row;
  row.set_line(line);
  *row.mutable_training_record() =
      Record(institution, id, "2026-04-01", v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
             v1::TARGET_GROUP_RURAL_TRANSFER_LABOUR, false, trainees, 4, 100 * trainees, 0);
  return row;
}

using Messages = std::vector<std::vector<v1::ImportRow>>;

// The rows in messages of at most `per_message` rows.
Messages Chunked(const std::vector<v1::ImportRow>& rows, size_t per_message) {
  Messages messages;
  for (size_t i = 0; i < rows.size(); i += per_message) {
    messages.emplace_back(rows.begin() + i, rows.begin() + std::min(rows.size(), i + per_message));
  }
  return messages;
}

class ImportStopTest : public LedgerTest {
 protected:
  // Streams `messages`; `before(k)` runs before message k is handed over.
  absl::StatusOr<v1::ImportTrainingRecordsResponse> Import(
      TrainingLedger& ledger, const Messages& messages,
      const std::function<void(size_t)>& before = [](size_t) {}) {
    size_t next = 0;
    return ledger.ImportTrainingRecords(coordinator_, [&](v1::ImportTrainingRecordsRequest* m) {
      if (next == messages.size()) return false;
      before(next);
      m->Clear();
      for (const auto& row : messages[next]) *m->add_rows() = row;
      ++next;
      return true;
    });
  }
  absl::StatusOr<v1::ImportTrainingRecordsResponse> Import(const Messages& messages) {
    return Import(ledger_, messages);
  }

  // The records stored for an institution's 2026.
  int Stored(const std::string& institution) {
    v1::ListTrainingRecordsRequest list;
    list.set_parent("institutions/" + institution);
    list.set_year(2026);
    auto listed = ledger_.ListTrainingRecords(coordinator_, list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->total_size() : -1;
  }

  v1::DistrictTrainingStatement District() {
    v1::GetDistrictTrainingStatementRequest req;
    req.set_year(2026);
    req.set_view(v1::STATEMENT_VIEW_BASIC);
    auto district = ledger_.GetDistrictTrainingStatement(coordinator_, req);
    EXPECT_TRUE(district.ok()) << district.status();
    return district.ok() ? *district : v1::DistrictTrainingStatement{};
  }
};

TEST_F(ImportStopTest, AnOversizedMessageStopsTheStreamSayingWhatWasStoredAndWhichField) {
  // Message 1: lines 2–8, one bad row (reported, not fatal); message 2: 1001
  // rows, one more than a message may hold; message 3 is never read.
  std::vector<v1::ImportRow> first, big, last;
  for (int i = 0; i < 7; ++i) {
    first.push_back(
        Row(2 + i, i % 2 ? "cqvie" : "cqgsxx", absl::StrCat("a-", i), i == 3 ? -1 : 10));
  }
  for (int i = 0; i < 1001; ++i) {
    big.push_back(Row(9 + i, i % 2 ? "cqvie" : "cqgsxx", absl::StrCat("b-", i), 1 + i % 7));
  }
  for (int i = 0; i < 3; ++i) last.push_back(Row(1010 + i, "cqvie", absl::StrCat("c-", i), 3));

  auto stopped = Import({first, big, last});
  ASSERT_EQ(stopped.status().code(), absl::StatusCode::kInvalidArgument) << stopped.status();
  EXPECT_EQ(FieldOf(stopped.status()), "rows");
  const std::string message(stopped.status().message());
  EXPECT_TRUE(absl::StartsWith(message, "stream message 2 (from line 9): rows: at most 1000 rows"))
      << message;
  EXPECT_TRUE(absl::StrContains(message,
                                "of the 7 row(s) before it, 6 were stored as new "
                                "records, 0 were already recorded and 1 were rejected"))
      << message;
  // Exactly the six good rows before the message are stored, and counted once.
  EXPECT_EQ(Stored("cqvie") + Stored("cqgsxx"), 6);
  EXPECT_EQ(District().totals().person_times(), 60);

  // Corrected (the bad row fixed, no message over 1000 rows) and sent whole again.
  first[3] = Row(5, "cqvie", "a-3", 10);
  std::vector<v1::ImportRow> all = first;
  all.insert(all.end(), big.begin(), big.end());
  all.insert(all.end(), last.begin(), last.end());
  auto again = Import(Chunked(all, 400));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->rows_received(), 1011);
  EXPECT_EQ(again->records_created(), 1005);
  EXPECT_EQ(again->records_unchanged(), 6);
  EXPECT_EQ(again->rows_rejected(), 0);

  // Every aggregate holds each record once.
  int64_t person_times = 0, income = 0;
  int cqvie = 0;
  for (const auto& row : all) {
    person_times += row.training_record().trainees();
    income += row.training_record().income_fen();
    if (row.training_record().institution_code() == "cqvie") ++cqvie;
  }
  const v1::DistrictTrainingStatement district = District();
  EXPECT_EQ(district.totals().records(), 1011);
  EXPECT_EQ(district.totals().person_times(), person_times);
  EXPECT_EQ(district.totals().trainee_hours(), 4 * person_times);
  EXPECT_EQ(district.totals().income_fen(), income);
  EXPECT_EQ(district.by_target_group(6).totals().person_times(), person_times);
  EXPECT_EQ(Stored("cqvie"), cqvie);
  EXPECT_EQ(Stored("cqvie") + Stored("cqgsxx"), 1011);
  const auto before = Snapshot();
  auto third = Import(Chunked(all, 1000));
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->records_unchanged(), 1011);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(ImportStopTest, SchoolReportingLostMidStreamStopsItAtTheRowThatNeededIt) {
  std::vector<v1::ImportRow> first, second;
  for (int i = 0; i < 4; ++i) first.push_back(Row(2 + i, "cqvie", absl::StrCat("v-", i), 5));
  second.push_back(Row(6, "cqvie", "v-4", 5));   // cqvie is known already
  second.push_back(Row(7, "cqjtjg", "j-0", 5));  // cqjtjg must be looked up
  second.push_back(Row(8, "cqvie", "v-5", 5));
  auto stopped = Import(ledger_, {first, second}, [this](size_t message) {
    if (message == 1) directory_.SetDown(absl::UnavailableError("school reporting is down"));
  });
  ASSERT_EQ(stopped.status().code(), absl::StatusCode::kUnavailable) << stopped.status();
  const std::string message(stopped.status().message());
  // What was stored is the caller's to read; the cause, which can name
  // school reporting's address, is logged (status/disclosure.h).
  EXPECT_TRUE(
      absl::StartsWith(message, "line 7 (j-0): UNAVAILABLE: the cause is logged under reference "))
      << message;
  EXPECT_TRUE(IsWrittenForTheCaller(stopped.status()));
  EXPECT_TRUE(absl::StrContains(message,
                                "of the 5 row(s) before it, 5 were stored as new "
                                "records, 0 were already recorded and 0 were rejected"))
      << message;
  EXPECT_EQ(Stored("cqvie"), 5);
  EXPECT_EQ(Stored("cqjtjg"), 0);

  directory_.SetDown(absl::OkStatus());
  auto again = Import({first, second});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->records_created(), 2);
  EXPECT_EQ(again->records_unchanged(), 5);
  EXPECT_EQ(District().totals().person_times(), 35);
}

TEST_F(ImportStopTest, AStoreFailureSaysHowManyRecordsWereStoredBeforeIt) {
  FailingStore failing(store_, 3);
  LedgerOptions one_writer;
  one_writer.import_writers = 1;
  one_writer.import_batch_size = 2;
  one_writer.import_queue_depth = 1;
  TrainingLedger ledger(failing, directory_, enrolment_, clock_, one_writer);
  std::vector<v1::ImportRow> rows;
  for (int i = 0; i < 12; ++i) rows.push_back(Row(2 + i, "cqvie", absl::StrCat("s-", i), 1));

  auto stopped = Import(ledger, {rows});
  ASSERT_EQ(stopped.status().code(), absl::StatusCode::kUnavailable) << stopped.status();
  const int stored = Stored("cqvie");
  EXPECT_GT(stored, 0);
  EXPECT_LT(stored, 12);
  const std::string message(stopped.status().message());
  EXPECT_TRUE(absl::StartsWith(message,
                               "the ledger's store failed after 12 row(s) were received: "
                               "UNAVAILABLE: the cause is logged under reference "))
      << message;
  EXPECT_FALSE(absl::StrContains(message, "redis")) << message;
  EXPECT_TRUE(IsWrittenForTheCaller(stopped.status()));
  // The failed call wrote nothing, so the count is exactly what is stored.
  EXPECT_TRUE(absl::StrContains(message, absl::StrCat(". Of them, ", stored,
                                                      " were stored as new records, 0 were "
                                                      "already recorded and 0 were rejected")))
      << message;

  auto again = Import({rows});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->records_created(), 12 - stored);
  EXPECT_EQ(again->records_unchanged(), stored);
  EXPECT_EQ(District().totals().records(), 12);
}

}  // namespace
}  // namespace vetrack::ledger::testing

namespace vetrack::ledger {
namespace {

// Found in review: --import-batch had no bound, and past about 90 000 rows the
// append script's double sums could be off by a few fen.
TEST(LedgerOptionsTest, TheImportFlagsAreBounded) {
  LedgerOptions options;
  EXPECT_TRUE(CheckLedgerOptions(options).ok());
  options.import_batch_size = kMaxImportBatch;
  EXPECT_TRUE(CheckLedgerOptions(options).ok());
  options.import_batch_size = kMaxImportBatch + 1;
  EXPECT_EQ(FieldViolationsOf(CheckLedgerOptions(options)).at(0).field, "import-batch");
  options.import_batch_size = 0;
  EXPECT_EQ(FieldViolationsOf(CheckLedgerOptions(options)).at(0).field, "import-batch");
  options = LedgerOptions();
  options.import_writers = 0;
  EXPECT_EQ(FieldViolationsOf(CheckLedgerOptions(options)).at(0).field, "import-writers");
}

}  // namespace
}  // namespace vetrack::ledger
