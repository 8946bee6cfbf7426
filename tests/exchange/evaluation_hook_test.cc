// Finalising an evaluation round puts its weights, standings and frozen
// results in the outbox in the same atomic write.
#include <gtest/gtest.h>

#include <tuple>
#include <utility>

#include "evaluation_fixture.h"
#include "google/protobuf/struct.pb.h"
#include "outbox_reader.h"

namespace vetrack::evaluation {
namespace {

using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;

class EvaluationOutboxHookTest : public EvaluationTest {
 protected:
  EvaluationOutboxHookTest() {
    clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 1, 15, 10, 0, 0), kTz));
    // cqgsxx has neither a report nor training figures, so the snapshot holds
    // results without data too: a round is finalised and exported with them.
    sources_.without_report = {"cqgsxx"};
    sources_.without_training = {"cqgsxx"};
  }

  void SetUp() override {
    EvaluationTest::SetUp();
    if (HasFatalFailure()) return;
    v1::CreateRoundRequest create;
    create.set_round_id("2025-annual");
    create.mutable_round()->set_title("2025年度职业教育高质量发展效能评价");
    create.mutable_round()->set_year(2025);
    create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
    for (auto [id, weight] : {std::pair{"quality", 7000}, std::pair{"service", 3000}}) {
      auto* dimension = create.mutable_round()->add_dimensions();
      dimension->set_id(id);
      dimension->set_title(id);
      dimension->set_weight_bp(weight);
    }
    create.set_request_id("create");
    ASSERT_TRUE(evaluation_.CreateRound(evaluator_, create, kNoDeadline).ok());

    v1::RecordScoresRequest scores;
    scores.set_round("rounds/2025-annual");
    for (auto [subject, q, s] :
         {std::tuple{"cqvie", 90.0, 80.0}, std::tuple{"cqgsxx", 85.0, 95.0}}) {
      for (auto [dimension, score] : {std::pair{"quality", q}, std::pair{"service", s}}) {
        auto* a = scores.add_scores();
        a->set_subject(subject);
        a->set_dimension(dimension);
        a->set_score(score);
      }
    }
    scores.set_request_id("scores");
    ASSERT_TRUE(evaluation_.RecordScores(evaluator_, scores).ok());
  }

  absl::StatusOr<v1::Round> Finalize(const std::string& request_id) {
    v1::FinalizeRoundRequest finalize;
    finalize.set_round("rounds/2025-annual");
    finalize.set_request_id(request_id);
    return evaluation_.FinalizeRound(evaluator_, finalize, kNoDeadline);
  }

  std::vector<google::protobuf::Struct> Outbox() {
    return exchange::testing::ReadOutbox(client_, "evaluation");
  }
};

TEST_F(EvaluationOutboxHookTest, OnlyFinalisingEntersTheOutboxAndOnlyOnce) {
  EXPECT_TRUE(Outbox().empty());  // creating and scoring are not results yet
  auto final_round = Finalize("f-1");
  ASSERT_TRUE(final_round.ok()) << final_round.status();
  ASSERT_TRUE(Finalize("f-1").ok());  // a replay writes nothing
  EXPECT_EQ(Finalize("f-2").status().code(), absl::StatusCode::kFailedPrecondition);

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  const Fields& f = entries[0].fields();
  EXPECT_EQ(f.at("district_code").string_value(), "500116");
  EXPECT_EQ(f.at("source").string_value(), "evaluation");
  EXPECT_EQ(f.at("kind").string_value(), "evaluation_round.finalized");
  EXPECT_EQ(f.at("change_id").string_value(), "rounds/2025-annual@" + final_round->etag());
  EXPECT_EQ(f.at("accepted_time").string_value(), "2026-01-15T02:00:00Z");
  const Fields& data = f.at("data").struct_value().fields();
  EXPECT_EQ(data.at("round").string_value(), "rounds/2025-annual");
  EXPECT_EQ(data.at("year").number_value(), 2025);
  EXPECT_EQ(data.at("subject_kind").string_value(), "INSTITUTION");
  const auto& dimensions = data.at("dimensions").list_value().values();
  ASSERT_EQ(dimensions.size(), 2);
  EXPECT_EQ(dimensions[0].struct_value().fields().at("weight_bp").number_value(), 7000);

  const auto& standings = data.at("standings").list_value().values();
  ASSERT_EQ(standings.size(), 2);
  const Fields& first = standings[0].struct_value().fields();
  EXPECT_EQ(first.at("subject").string_value(), "cqgsxx");  // 59.5 + 28.5 = 88
  EXPECT_EQ(first.at("rank").number_value(), 1);
  EXPECT_EQ(first.at("composite").number_value(), 88);
  EXPECT_EQ(first.at("scores").struct_value().fields().at("service").number_value(), 95);
  const Fields& second = standings[1].struct_value().fields();
  EXPECT_EQ(second.at("institution_code").string_value(), "cqvie");
  EXPECT_EQ(second.at("institution_name").string_value(), "重庆工程职业技术学院");
  EXPECT_EQ(second.at("school_id_code").string_value(), "4150013571");
  EXPECT_EQ(second.at("credit_code").string_value(), "91350100M000100Y43");

  // Every result of the frozen snapshot, institution results with their codes.
  const auto& results = data.at("results").list_value().values();
  EXPECT_EQ(results.size(), final_round->snapshot_size());
  int with_codes = 0;
  for (const auto& result : results) {
    const Fields& r = result.struct_value().fields();
    EXPECT_FALSE(r.at("status").string_value().empty());
    if (r.at("scope").string_value() != "INSTITUTION") continue;
    EXPECT_EQ(r.at("scope_key").string_value(),
              "institution:" + r.at("institution_code").string_value());
    if (r.at("institution_code").string_value() == "cqvie") {
      EXPECT_EQ(r.at("credit_code").string_value(), "91350100M000100Y43");
      ++with_codes;
    }
  }
  EXPECT_GT(with_codes, 0);
}

// Found in review: the platform was sent an institution's name as school
// reporting had it at finalisation, while the round's CSV export has the
// name frozen when the round was created.
TEST_F(EvaluationOutboxHookTest, AnInstitutionRenamedSinceTheRoundBeganKeepsTheRoundsName) {
  sources_.renamed["cqvie"] = "重庆工程职业技术大学";
  ASSERT_TRUE(Finalize("f-1").ok());
  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  const Fields& data = entries[0].fields().at("data").struct_value().fields();
  int named = 0;
  for (const char* list : {"standings", "results"}) {
    for (const auto& entry : data.at(list).list_value().values()) {
      const Fields& f = entry.struct_value().fields();
      auto code = f.find("institution_code");
      if (code == f.end() || code->second.string_value() != "cqvie") continue;
      EXPECT_EQ(f.at("institution_name").string_value(), "重庆工程职业技术学院") << list;
      EXPECT_EQ(f.at("credit_code").string_value(), "91350100M000100Y43") << list;
      ++named;
    }
  }
  EXPECT_GT(named, 1);
}

TEST_F(EvaluationOutboxHookTest, AUnitRoundNamesItsUnits) {
  ASSERT_TRUE(
      evaluation_
          .CreateRound(evaluator_,
                       OneDimensionRound("units", v1::SUBJECT_KIND_UNIT, {"edu"}, "units-create"),
                       kNoDeadline)
          .ok());
  ASSERT_TRUE(ScoreAndFinalize("units", "work", {{"edu", 90}}).ok());

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  const Fields& data = entries[0].fields().at("data").struct_value().fields();
  const Fields& edu = data.at("standings").list_value().values(0).struct_value().fields();
  EXPECT_EQ(edu.at("subject").string_value(), "edu");
  EXPECT_EQ(edu.at("unit_name").string_value(), "区教委");
  EXPECT_EQ(edu.count("institution_code"), 0u);
}

TEST_F(EvaluationOutboxHookTest, NotFinalisedWhileTheInstitutionsCodesCannotBeRead) {
  sources_.schools_up = false;
  EXPECT_EQ(Finalize("f-1").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(Outbox().empty());
  v1::GetRoundRequest get;
  get.set_name("rounds/2025-annual");
  EXPECT_EQ(evaluation_.GetRound(coordinator_, get, kNoDeadline)->state(), v1::ROUND_STATE_OPEN);
  sources_.schools_up = true;
  ASSERT_TRUE(Finalize("f-1").ok());  // nothing was recorded for the refused request
  EXPECT_EQ(Outbox().size(), 1u);
}

}  // namespace
}  // namespace vetrack::evaluation
