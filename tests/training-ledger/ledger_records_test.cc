// The ledger's records on a real redis-server (ledger_fixture.h): appends and
// replays, bad input leaving the ledger unchanged, reversal rules,
// permissions, bulk import with good and bad rows.
#include "absl/strings/str_cat.h"
#include "ledger_fixture.h"
#include "status/errors.h"

namespace vetrack::ledger::testing {
namespace {

TEST_F(LedgerTest, ARecordIsAppendedOnceAndAReplayGetsTheFirstAnswer) {
  auto r = Record("cqvie", "2026-0001", "2026-03-10", v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS,
                  v1::TARGET_GROUP_VOCATIONAL_GRADUATES, true, 40, 24, 480000, 38);
  auto first = Create(cqvie_, r);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->name(), "institutions/cqvie/trainingRecords/2026-0001");
  EXPECT_EQ(first->recorded_by(), "school:cqvie");
  EXPECT_EQ(first->record_time().seconds(), absl::ToUnixSeconds(clock_.Now()));

  clock_.Advance(absl::Hours(1));
  auto replay = Create(cqvie_, r);
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->SerializeAsString(), first->SerializeAsString());
  // The coordinator sending the same record is the same record.
  EXPECT_EQ(Create(coordinator_, r)->recorded_by(), "school:cqvie");

  auto before = Snapshot();
  r.set_trainees(41);
  auto other = Create(cqvie_, r);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(other.status()), "training_record.record_id");
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Statement(cqvie_, "cqvie")->totals().person_times(), 40);
}

TEST_F(LedgerTest, BadInputLeavesTheLedgerUnchanged) {
  ASSERT_TRUE(
      Create(cqvie_, Record("cqvie", "ok", "2026-01-05", v1::PROGRAMME_TYPE_ENTREPRENEURSHIP,
                            v1::TARGET_GROUP_GENERAL, false, 10, 8, 0, 0))
          .ok());
  auto before = Snapshot();
  auto good = [] {
    return Record("cqvie", "new", "2026-11-20", v1::PROGRAMME_TYPE_ENTREPRENEURSHIP,
                  v1::TARGET_GROUP_GENERAL, false, 10, 8, 100, 0);
  };
  struct Case {
    std::string what;
    Principal caller;
    v1::TrainingRecord record;
    absl::StatusCode code;
    std::string field;
  };
  std::vector<Case> cases;
  auto negative = good();
  negative.set_trainees(-3);
  cases.push_back({"negative trainees", cqvie_, negative, absl::StatusCode::kInvalidArgument,
                   "training_record.trainees"});
  auto negative_income = good();
  negative_income.set_income_fen(-100);
  cases.push_back({"negative income", cqvie_, negative_income, absl::StatusCode::kInvalidArgument,
                   "training_record.income_fen"});
  auto more_certificates = good();
  more_certificates.set_trainees(1);
  more_certificates.set_certificates(100000);
  cases.push_back({"more certificates than trainees", cqvie_, more_certificates,
                   absl::StatusCode::kInvalidArgument, "training_record.certificates"});
  auto unknown = good();
  unknown.set_institution_code("cqnowhere");
  cases.push_back({"unknown institution", coordinator_, unknown, absl::StatusCode::kNotFound,
                   "training_record.institution_code"});
  auto future = good();
  future.set_date("2026-11-21");
  cases.push_back(
      {"future date", cqvie_, future, absl::StatusCode::kInvalidArgument, "training_record.date"});
  auto group = good();
  group.set_target_group(static_cast<v1::TargetGroup>(77));
  cases.push_back({"unknown group", cqvie_, group, absl::StatusCode::kInvalidArgument,
                   "training_record.target_group"});
  auto other_school = good();
  other_school.set_institution_code("cqgsxx");
  cases.push_back(
      {"another school's record", cqvie_, other_school, absl::StatusCode::kPermissionDenied, ""});
  for (const Case& c : cases) {
    auto created = Create(c.caller, c.record);
    EXPECT_EQ(created.status().code(), c.code) << c.what << ": " << created.status();
    EXPECT_EQ(FieldOf(created.status()), c.field) << c.what;
  }
  // Today (district time) is fine; departments do not record.
  EXPECT_EQ(Create(Principal{Role::kDepartment, "edu"}, good()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_TRUE(Create(cqvie_, good()).ok());
}

TEST_F(LedgerTest, AReversalCancelsItsOriginalOnceAndIsItselfFinal) {
  RecordCqvieYear();
  const std::string r4 = "institutions/cqvie/trainingRecords/r4";
  v1::GetTrainingRecordRequest get;
  get.set_name(r4);
  auto original = ledger_.GetTrainingRecord(coordinator_, get);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->reversed_by(), "institutions/cqvie/trainingRecords/r4-rev");
  EXPECT_EQ(original->trainees(), 50);  // never edited

  // A replay of the reversal answers as the first time; a second reversal,
  // a reversal of the reversal, another school and a missing record are refused.
  auto replay = Reverse(cqvie_, r4, "r4-rev");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->reverses(), r4);
  EXPECT_EQ(replay->trainees(), 50);
  auto before = Snapshot();
  auto twice = Reverse(cqvie_, r4, "r4-rev2");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(twice.status()), "ALREADY_REVERSED");
  auto of_reversal = Reverse(cqvie_, "institutions/cqvie/trainingRecords/r4-rev", "x");
  EXPECT_EQ(ReasonOf(of_reversal.status()), "REVERSAL_NOT_REVERSIBLE");
  auto changed_reason = Reverse(cqvie_, r4, "r4-rev", "另一个理由");
  EXPECT_EQ(FieldOf(changed_reason.status()), "reversal_id");
  EXPECT_EQ(FieldViolationsOf(changed_reason.status()).at(0).description,
            "'r4-rev' already reversed " + r4 +
                ", for another reason; a record is reversed once, "
                "for good");
  auto id_of_another = Reverse(cqvie_, "institutions/cqvie/trainingRecords/r1", "r2");
  EXPECT_EQ(FieldOf(id_of_another.status()), "reversal_id");
  EXPECT_EQ(
      Reverse(Principal{Role::kSchool, "cqgsxx"}, "institutions/cqvie/trainingRecords/r1", "r1-rev")
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  auto missing = Reverse(cqvie_, "institutions/cqvie/trainingRecords/none", "none-rev");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(missing.status()), "name");
  EXPECT_EQ(Snapshot(), before);

  // The coordinator may reverse for any school.
  auto by_coordinator = Reverse(coordinator_, "institutions/cqvie/trainingRecords/r5", "r5-rev");
  ASSERT_TRUE(by_coordinator.ok());
  EXPECT_EQ(by_coordinator->recorded_by(), "coordinator");

  v1::ListTrainingRecordsRequest list;
  list.set_parent("institutions/cqvie");
  list.set_year(2026);
  auto listed = ledger_.ListTrainingRecords(cqvie_, list);
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> ids;
  for (const auto& r : listed->training_records()) ids.push_back(r.record_id());
  EXPECT_EQ(ids, (std::vector<std::string>{"r1", "r2", "r3", "r4", "r4-rev"}));
  EXPECT_EQ(Statement(cqvie_, "cqvie", 2025)->totals().records(), 0);
}

TEST_F(LedgerTest, OneIdInTwoYearsOfOneImportKeepsTheFirstLine) {
  v1::ImportTrainingRecordsRequest message;
  int64_t line = 2;
  for (const char* date : {"2026-03-01", "2025-05-01"}) {
    v1::ImportRow* row = message.add_rows();
    row->set_line(line++);
    *row->mutable_training_record() =
        Record("cqvie", "twice", date, v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
               v1::TARGET_GROUP_GENERAL, false, 10, 4, 0, 0);
  }
  bool sent = false;
  auto imported =
      ledger_.ImportTrainingRecords(coordinator_, [&](v1::ImportTrainingRecordsRequest* next) {
        if (sent) return false;
        *next = message;
        sent = true;
        return true;
      });
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->records_created(), 1);
  ASSERT_EQ(imported->errors_size(), 1);
  EXPECT_EQ(imported->errors(0).line(), 3);
  EXPECT_EQ(imported->errors(0).problems(0).field(), "record_id");
}

TEST_F(LedgerTest, ImportKeepsGoodRowsReportsBadOnesAndAddsNothingTheSecondTime) {
  std::vector<v1::ImportRow> rows;
  auto add = [&rows](int64_t line, v1::TrainingRecord r) {
    v1::ImportRow row;
    row.set_line(line);
    *row.mutable_training_record() = std::move(r);
    rows.push_back(row);
  };
  for (int i = 0; i < 20; ++i) {
    add(i + 2,
        Record(i % 2 ? "cqvie" : "cqgsxx", absl::StrCat("imp-", i), "2026-04-01",
               v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS, v1::TARGET_GROUP_RURAL_TRANSFER_LABOUR,
               i % 3 == 0, 10 + i, 4, 1000 * i, i % 5));
  }
  add(30, Record("cqvie", "bad-neg", "2026-04-01", v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
                 v1::TARGET_GROUP_GENERAL, false, -1, 4, 0, 0));
  add(31, Record("cqnowhere", "bad-inst", "2026-04-01", v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
                 v1::TARGET_GROUP_GENERAL, false, 1, 4, 0, 0));
  add(32, Record("cqvie", "bad-date", "2027-01-01", v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
                 v1::TARGET_GROUP_GENERAL, false, 1, 4, 0, 0));
  add(33, Record("cqvie", "imp-1", "2026-04-01", v1::PROGRAMME_TYPE_AGRICULTURAL_SKILLS,
                 v1::TARGET_GROUP_GENERAL, false, 1, 4, 0, 0));  // id of line 3, other figures
  auto import = [&](const Principal& caller) {
    size_t next = 0;
    return ledger_.ImportTrainingRecords(caller, [&](v1::ImportTrainingRecordsRequest* message) {
      message->Clear();
      for (int n = 0; n < 7 && next < rows.size(); ++n) *message->add_rows() = rows[next++];
      return message->rows_size() > 0;
    });
  };
  auto first = import(coordinator_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->rows_received(), 24);
  EXPECT_EQ(first->records_created(), 20);
  EXPECT_EQ(first->rows_rejected(), 4);
  ASSERT_EQ(first->errors_size(), 4);
  EXPECT_EQ(first->errors(0).line(), 30);
  EXPECT_EQ(first->errors(0).problems(0).field(), "trainees");
  EXPECT_EQ(first->errors(1).code(), "NOT_FOUND");
  EXPECT_EQ(first->errors(1).problems(0).field(), "institution_code");
  EXPECT_EQ(first->errors(2).problems(0).field(), "date");
  EXPECT_EQ(first->errors(3).line(), 33);
  EXPECT_EQ(first->errors(3).problems(0).field(), "record_id");

  auto before = Snapshot();
  auto second = import(coordinator_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->records_created(), 0);
  EXPECT_EQ(second->records_unchanged(), 20);
  EXPECT_EQ(second->rows_rejected(), 4);
  EXPECT_EQ(Snapshot(), before);

  // A school importing the file keeps only its own rows.
  auto by_school = import(cqvie_);
  ASSERT_TRUE(by_school.ok());
  EXPECT_EQ(by_school->records_unchanged(), 10);
  EXPECT_EQ(by_school->rows_rejected(), 14);
  EXPECT_EQ(by_school->errors(0).code(), "PERMISSION_DENIED");

  // An institution's records are appended in stream order.
  v1::ListTrainingRecordsRequest list;
  list.set_parent("institutions/cqvie");
  list.set_year(2026);
  auto listed = ledger_.ListTrainingRecords(coordinator_, list);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->training_records_size(), 10);
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(listed->training_records(k).record_id(), absl::StrCat("imp-", 2 * k + 1));
  }

  // Aggregates equal the sum of the records.
  int64_t person_times = 0, income = 0;
  for (int i = 1; i < 20; i += 2) {
    person_times += 10 + i;
    income += 1000 * i;
  }
  auto statement = Statement(coordinator_, "cqvie");
  EXPECT_EQ(statement->totals().person_times(), person_times);
  EXPECT_EQ(statement->totals().income_fen(), income);
  EXPECT_EQ(statement->by_programme(5).totals().records(), 10);
}

}  // namespace
}  // namespace vetrack::ledger::testing
