// Publishing the district's training statement freezes it as a numbered
// revision and puts it in the outbox in the same atomic write.
#include <gtest/gtest.h>

#include "google/protobuf/struct.pb.h"
#include "ledger_fixture.h"
#include "outbox_reader.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::ledger::testing {
namespace {

using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;

class LedgerOutboxHookTest : public LedgerTest {
 protected:
  void SetUp() override {
    directory_.SetNationalCodes("cqvie", "4150013571", "91350100M000100Y43");
    RecordCqvieYear();
    ASSERT_TRUE(SetPolicy("p-1", "0.3").ok());
    enrolment_.Accept("cqvie", "ay2025", 1000, 2);
  }

  absl::StatusOr<v1::PublishTrainingStatementResponse> Publish(const std::string& request_id,
                                                               const Principal& caller = Principal{
                                                                   Role::kCoordinator, ""}) {
    v1::PublishTrainingStatementRequest req;
    req.set_name("trainingStatements/2026");
    req.set_request_id(request_id);
    return ledger_.PublishTrainingStatement(caller, req);
  }

  absl::StatusOr<v1::PublishedTrainingStatement> Published(int revision, const Principal& caller) {
    v1::GetPublishedTrainingStatementRequest req;
    req.set_name("trainingStatements/2026");
    req.set_revision(revision);
    return ledger_.GetPublishedTrainingStatement(caller, req);
  }

  std::vector<google::protobuf::Struct> Outbox() {
    return exchange::testing::ReadOutbox(client_, "training-ledger");
  }
};

const Fields& DataOf(const google::protobuf::Struct& entry) {
  return entry.fields().at("data").struct_value().fields();
}

TEST_F(LedgerOutboxHookTest, PublishingFreezesARevisionAndEntersTheOutboxOnce) {
  auto first = Publish("pub-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->unchanged());
  EXPECT_EQ(first->published().name(), "trainingStatements/2026");
  EXPECT_EQ(first->published().revision(), 1);
  EXPECT_EQ(first->published().published_by(), "coordinator");
  EXPECT_EQ(first->published().statement().totals().person_times(), 1220);
  ASSERT_EQ(first->published().institutions_size(), 3);
  EXPECT_EQ(first->published().institutions(2).credit_code(), "91350100M000100Y43");

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  const auto& f = entries[0].fields();
  EXPECT_EQ(f.at("schema").string_value(), "vetrack.exchange.v1");
  EXPECT_EQ(f.at("district_code").string_value(), "500116");
  EXPECT_EQ(f.at("source").string_value(), "training-ledger");
  EXPECT_EQ(f.at("kind").string_value(), "training_statement.published");
  EXPECT_EQ(f.at("change_id").string_value(), "trainingStatements/2026@1");
  EXPECT_EQ(f.at("accepted_time").string_value(), "2026-11-20T02:00:00Z");
  const Fields& data = DataOf(entries[0]);
  EXPECT_EQ(data.at("year").number_value(), 2026);
  EXPECT_EQ(data.at("revision").number_value(), 1);
  EXPECT_EQ(data.at("totals").struct_value().fields().at("person_times").number_value(), 1220);
  // cqvie is short of twice its enrolment; cqjtjg's enrolment is unknown.
  EXPECT_EQ(data.at("compliance").string_value(), "NOT_MET");
  EXPECT_EQ(data.at("counted_person_times").number_value(), 1220);
  EXPECT_EQ(
      data.at("policy").struct_value().fields().at("performance_pay_uplift_rate").string_value(),
      "0.3");
  EXPECT_EQ(data.at("by_programme")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("programme")
                .string_value(),
            "EMPLOYMENT_SKILLS");
  const auto& lines = data.at("institutions").list_value().values();
  ASSERT_EQ(lines.size(), 3);
  const Fields& cqvie = lines[2].struct_value().fields();
  EXPECT_EQ(cqvie.at("institution_code").string_value(), "cqvie");
  EXPECT_EQ(cqvie.at("school_id_code").string_value(), "4150013571");
  EXPECT_EQ(cqvie.at("credit_code").string_value(), "91350100M000100Y43");
  EXPECT_EQ(cqvie.at("totals").struct_value().fields().at("income_fen").number_value(), 1684565);
  EXPECT_EQ(cqvie.at("performance_pay_uplift_fen").number_value(), 505370);
  EXPECT_EQ(cqvie.at("enrolment_period_id").string_value(), "ay2025");
  EXPECT_EQ(cqvie.at("person_times_ratio").string_value(), "1.22");
  EXPECT_EQ(cqvie.at("compliance").string_value(), "NOT_MET");
  EXPECT_EQ(lines[0].struct_value().fields().at("school_id_code").string_value(), "");

  // A replay answers as the first time; publishing with nothing changed
  // publishes nothing.
  auto replay = Publish("pub-1");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->published().revision(), 1);
  auto same = Publish("pub-2");
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(same->unchanged());
  EXPECT_EQ(same->published().revision(), 1);
  EXPECT_EQ(Outbox().size(), 1u);

  // A later record makes the next publication a new revision.
  ASSERT_TRUE(
      Create(cqvie_, Record("cqvie", "r6", "2026-11-01", v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION,
                            v1::TARGET_GROUP_GENERAL, false, 80, 4, 0, 0))
          .ok());
  auto second = Publish("pub-3");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->unchanged());
  EXPECT_EQ(second->published().revision(), 2);
  entries = Outbox();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[1].fields().at("change_id").string_value(), "trainingStatements/2026@2");
  EXPECT_EQ(
      DataOf(entries[1]).at("totals").struct_value().fields().at("person_times").number_value(),
      1300);

  // Every revision stays as published.
  const Principal department{Role::kDepartment, "hrss"};
  auto revision1 = Published(1, department);
  ASSERT_TRUE(revision1.ok()) << revision1.status();
  EXPECT_EQ(revision1->statement().totals().person_times(), 1220);
  EXPECT_EQ(Published(0, department)->revision(), 2);
  EXPECT_EQ(Published(3, department).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(Published(3, department).status()), "revision");
}

TEST_F(LedgerOutboxHookTest, OnlyTheCoordinatorPublishesAndARefusalWritesNothing) {
  auto before = Snapshot();
  EXPECT_EQ(Publish("pub-s", cqvie_).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Publish("pub-d", Principal{Role::kDepartment, "edu"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  enrolment_.SetDown(absl::UnavailableError("connection refused"));
  EXPECT_EQ(Publish("pub-1").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Snapshot(), before);
  EXPECT_EQ(Published(0, coordinator_).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(FieldOf(Published(0, coordinator_).status()), "name");
  EXPECT_EQ(Published(0, cqvie_).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(PublishValidationTest, NamesTheYearAndWantsARequestId) {
  v1::PublishTrainingStatementRequest req;
  req.set_name("trainingStatements/26");
  auto refused = Validate(req);
  ASSERT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  auto violations = FieldViolationsOf(refused);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "name");
  EXPECT_EQ(violations[1].field, "request_id");
  req.set_name("trainingStatements/2026");
  req.set_request_id("p-1");
  EXPECT_TRUE(Validate(req).ok());
  v1::GetPublishedTrainingStatementRequest get;
  get.set_name("trainingStatements/2026");
  get.set_revision(-1);
  EXPECT_EQ(FieldOf(Validate(get)), "revision");
}

}  // namespace
}  // namespace vetrack::ledger::testing
