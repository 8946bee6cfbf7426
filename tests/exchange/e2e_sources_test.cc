// End to end: the real services (through the gateway) accept a quality
// report, publish a training statement and finalise an evaluation round; the
// real exchange worker, with its default sources, delivers each to a
// receiver on loopback with the district's and the institution's codes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "e2e_fixture.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "test_receiver.h"

namespace vetrack::gateway {
namespace {

using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;
using SchoolsStub = schools_v1::SchoolReportingService::Stub;
using LedgerStub = ledger_v1::TrainingLedgerService::Stub;
using EvaluationStub = evaluation_v1::EvaluationService::Stub;

constexpr char kSecret[] = "exchange-sources-e2e-secret-0123456789";
constexpr char kSchoolId[] = "4150013571";
constexpr char kCreditCode[] = "91350100M000100Y43";

google::protobuf::Timestamp Day(int year, int month, int day) {
  return TimeToProto(
      absl::FromCivil(absl::CivilDay(year, month, day), absl::FixedTimeZone(8 * 3600)));
}

const Fields& Data(const google::protobuf::Struct& entry) {
  return entry.fields().at("data").struct_value().fields();
}

// The element of a list of objects whose `key` is `value`.
const Fields* Find(const google::protobuf::Value& list, const std::string& key,
                   const std::string& value) {
  for (const auto& element : list.list_value().values()) {
    const Fields& fields = element.struct_value().fields();
    auto found = fields.find(key);
    if (found != fields.end() && found->second.string_value() == value) return &fields;
  }
  return nullptr;
}

class ExchangeSourcesE2ETest : public GatewayE2ETest {
 protected:
  ExchangeSourcesE2ETest() : receiver_(kSecret) {
    char dir[] = "/tmp/vt-exchange-sources-XXXXXX";
    dir_ = mkdtemp(dir);
    std::ofstream(dir_ + "/secret") << kSecret << "\n";
  }
  ~ExchangeSourcesE2ETest() override { (void)std::system(("rm -rf " + dir_).c_str()); }

  void SetUp() override {
    GatewayE2ETest::SetUp();
    if (HasFatalFailure()) return;
    // No --sources: the default is every service with an outbox.
    ASSERT_TRUE(worker_.Start(
        {EXCHANGE_BINARY, "--redis=" + redis_.address(), "--endpoint=" + receiver_.endpoint(),
         "--secret-file=" + dir_ + "/secret", "--poll-ms=20", "--initial-backoff-ms=10",
         "--timeout-ms=5000", absl::StrCat("--listen=127.0.0.1:", testing::FreePort()),
         absl::StrCat("--metrics=127.0.0.1:", testing::FreePort())},
        dir_ + "/exchange.log"));
  }

  // The municipal platform's codes for cqvie, imported as the exchange does.
  void ImportNationalCodes() {
    schools_v1::ImportInstitutionsRequest request;
    schools_v1::Institution* cqvie = request.mutable_catalog()->add_institutions();
    cqvie->set_code("cqvie");
    cqvie->set_school_id_code(kSchoolId);
    cqvie->set_credit_code(kCreditCode);
    request.mutable_catalog()->set_source("市级平台");
    request.set_request_id("municipal-codes");
    schools_v1::ImportInstitutionsResponse response;
    grpc::Status status =
        Call("exchange", "", *schools_, &SchoolsStub::ImportInstitutions, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(response.updated(), 1);
  }

  // cqvie's 质量年报 for cy2025, submitted and accepted.
  std::string AcceptQualityReport() {
    schools_v1::UpdatePeriodRequest window;
    window.mutable_period()->set_name("periods/cy2025");
    *window.mutable_period()->mutable_open_time() = Day(2026, 1, 1);
    *window.mutable_period()->mutable_close_time() = Day(2099, 1, 1);
    window.set_request_id("window-cy2025");
    schools_v1::Period period;
    grpc::Status status =
        Call("coordinator", "", *schools_, &SchoolsStub::UpdatePeriod, window, &period);
    EXPECT_TRUE(status.ok()) << status.error_message();

    schools_v1::SubmitQualityReportRequest submit;
    schools_v1::QualityReport* report = submit.mutable_quality_report();
    report->set_name("institutions/cqvie/qualityReports/cy2025");
    report->set_title("重庆工程职业技术学院2025年度质量年报");
    report->set_document_uri("doc://zlnb/2025/cqvie.pdf");
    report->set_document_sha256(std::string(64, 'c'));
    schools_v1::KeyFigure* figure = report->add_key_figures();
    figure->set_key("employment_rate");
    figure->set_value(96.5);
    figure->set_unit("%");
    submit.set_request_id("quality-submit");
    schools_v1::QualityReport submitted;
    status =
        Call("school", "cqvie", *schools_, &SchoolsStub::SubmitQualityReport, submit, &submitted);
    EXPECT_TRUE(status.ok()) << status.error_message();

    schools_v1::ReviewQualityReportRequest review;
    review.set_name(report->name());
    review.set_decision(schools_v1::REVIEW_DECISION_ACCEPT);
    review.set_request_id("quality-accept");
    schools_v1::QualityReport accepted;
    status =
        Call("coordinator", "", *schools_, &SchoolsStub::ReviewQualityReport, review, &accepted);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return absl::StrCat(accepted.name(), "@", accepted.etag());
  }

  // A 2025 record of cqvie, the year's policy, and the district statement published.
  std::string PublishStatement() {
    ledger_v1::CreateTrainingRecordRequest create;
    ledger_v1::TrainingRecord* record = create.mutable_training_record();
    record->set_institution_code("cqvie");
    record->set_record_id("2025-001");
    record->set_date("2025-11-20");
    record->set_programme(ledger_v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
    record->set_target_group(ledger_v1::TARGET_GROUP_VETERANS);
    record->set_trainees(30);
    record->set_hours_per_trainee(24);
    record->set_income_fen(900000);
    ledger_v1::TrainingRecord recorded;
    grpc::Status status =
        Call("school", "cqvie", *ledger_, &LedgerStub::CreateTrainingRecord, create, &recorded);
    EXPECT_TRUE(status.ok()) << status.error_message();

    ledger_v1::SetAccountingPolicyRequest policy;
    policy.mutable_policy()->set_year(2025);
    policy.mutable_policy()->set_performance_pay_uplift_rate("0.3");
    policy.mutable_policy()->set_public_funds_share("0.15");
    policy.mutable_policy()->set_fte_per_training_hour("0.00125");
    policy.set_request_id("policy-2025");
    ledger_v1::AccountingPolicy set;
    status = Call("coordinator", "", *ledger_, &LedgerStub::SetAccountingPolicy, policy, &set);
    EXPECT_TRUE(status.ok()) << status.error_message();

    ledger_v1::PublishTrainingStatementRequest publish;
    publish.set_name("trainingStatements/2025");
    publish.set_request_id("publish-2025");
    ledger_v1::PublishTrainingStatementResponse published;
    status = Call("coordinator", "", *ledger_, &LedgerStub::PublishTrainingStatement, publish,
                  &published);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(published.published().revision(), 1);
    return "trainingStatements/2025@1";
  }

  // A 2025 round of every institution, scored by the evaluator and finalised.
  std::string FinalizeRound() {
    evaluation_v1::CreateRoundRequest create;
    create.set_round_id("2025-annual");
    create.mutable_round()->set_title("2025年度评价");
    create.mutable_round()->set_year(2025);
    create.mutable_round()->set_subject_kind(evaluation_v1::SUBJECT_KIND_INSTITUTION);
    for (auto [id, weight] : {std::pair{"quality", 6000}, std::pair{"service", 4000}}) {
      evaluation_v1::Dimension* dimension = create.mutable_round()->add_dimensions();
      dimension->set_id(id);
      dimension->set_title(id);
      dimension->set_weight_bp(weight);
    }
    create.set_request_id("round-create");
    create.set_allow_snapshot_without_data(true);  // what reaches the platform is the point
    evaluation_v1::Round round;
    grpc::Status status =
        Call("evaluator", "", *evaluation_, &EvaluationStub::CreateRound, create, &round);
    EXPECT_TRUE(status.ok()) << status.error_message();

    evaluation_v1::RecordScoresRequest scores;
    scores.set_round(round.name());
    for (int i = 0; i < round.subjects_size(); ++i) {
      for (const char* dimension : {"quality", "service"}) {
        evaluation_v1::Score* score = scores.add_scores();
        score->set_subject(round.subjects(i));
        score->set_dimension(dimension);
        score->set_score(round.subjects(i) == "cqvie" ? 99 : 60 + i);
      }
    }
    scores.set_request_id("round-scores");
    status = Call("evaluator", "", *evaluation_, &EvaluationStub::RecordScores, scores, &round);
    EXPECT_TRUE(status.ok()) << status.error_message();

    evaluation_v1::FinalizeRoundRequest finalize;
    finalize.set_round(round.name());
    finalize.set_request_id("round-finalize");
    status = Call("evaluator", "", *evaluation_, &EvaluationStub::FinalizeRound, finalize, &round);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return absl::StrCat(round.name(), "@", round.etag());
  }

  // The entry the receiver applied for `change_id`, waiting for it a while.
  google::protobuf::Struct Received(const std::string& change_id) {
    for (int i = 0; i < 500 && receiver_.entries().count(change_id) == 0; ++i) {
      absl::SleepFor(absl::Milliseconds(20));
    }
    google::protobuf::Struct entry;
    auto entries = receiver_.entries();
    auto found = entries.find(change_id);
    EXPECT_NE(found, entries.end()) << change_id << " never arrived; see " << dir_;
    if (found != entries.end()) {
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(found->second, &entry).ok());
    }
    return entry;
  }

  exchange::testing::TestReceiver receiver_;
  testing::ChildProcess worker_;
  std::string dir_;
};

TEST_F(ExchangeSourcesE2ETest, EachNewKindReachesTheMunicipalityWithItsCodes) {
  ImportNationalCodes();
  const std::string quality = AcceptQualityReport();
  const std::string statement = PublishStatement();
  const std::string round = FinalizeRound();

  google::protobuf::Struct quality_entry = Received(quality);
  ASSERT_FALSE(quality_entry.fields().empty());
  EXPECT_EQ(quality_entry.fields().at("district_code").string_value(), "500116");
  EXPECT_EQ(quality_entry.fields().at("kind").string_value(), "quality_report.accepted");
  EXPECT_EQ(Data(quality_entry).at("school_id_code").string_value(), kSchoolId);
  EXPECT_EQ(Data(quality_entry).at("credit_code").string_value(), kCreditCode);
  EXPECT_EQ(Data(quality_entry).at("period_id").string_value(), "cy2025");

  google::protobuf::Struct statement_entry = Received(statement);
  ASSERT_FALSE(statement_entry.fields().empty());
  EXPECT_EQ(statement_entry.fields().at("source").string_value(), "training-ledger");
  EXPECT_EQ(statement_entry.fields().at("kind").string_value(), "training_statement.published");
  const Fields* line = Find(Data(statement_entry).at("institutions"), "institution_code", "cqvie");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->at("school_id_code").string_value(), kSchoolId);
  EXPECT_EQ(line->at("credit_code").string_value(), kCreditCode);
  EXPECT_EQ(line->at("institution_name").string_value(), "重庆工程职业技术学院");
  EXPECT_EQ(line->at("totals").struct_value().fields().at("person_times").number_value(), 30);
  EXPECT_EQ(Data(statement_entry).at("institutions").list_value().values_size(), 9);

  google::protobuf::Struct round_entry = Received(round);
  ASSERT_FALSE(round_entry.fields().empty());
  EXPECT_EQ(round_entry.fields().at("source").string_value(), "evaluation");
  EXPECT_EQ(round_entry.fields().at("kind").string_value(), "evaluation_round.finalized");
  const auto& standings = Data(round_entry).at("standings");
  ASSERT_EQ(standings.list_value().values_size(), 9);
  const Fields& best = standings.list_value().values(0).struct_value().fields();
  EXPECT_EQ(best.at("institution_code").string_value(), "cqvie");
  EXPECT_EQ(best.at("rank").number_value(), 1);
  EXPECT_EQ(best.at("credit_code").string_value(), kCreditCode);
  EXPECT_GT(Data(round_entry).at("results").list_value().values_size(), 0);

  // Each applied once; the worker stops cleanly and gives its lease back.
  for (const std::string& change : {quality, statement, round}) {
    EXPECT_EQ(receiver_.applied()[change], 1) << change;
  }
  int status = worker_.Signal(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  redis::Client client(redis_.options());
  EXPECT_TRUE(client.Command({"GET", "vt:ex:lease"})->is_nil());
}

}  // namespace
}  // namespace vetrack::gateway
