// End to end: every change of every service, by every role, through the
// gateway. The gateway passes on who the token names and the services
// decide; each call leaves an attempt and its outcome in the audit trail.
#include <functional>
#include <future>
#include <memory>
#include <set>

#include "clock/timestamp.h"
#include "e2e_fixture.h"
#include "google/protobuf/message.h"

namespace vetrack::gateway {
namespace {

using google::protobuf::Message;

// The callers: one of each role.
const std::vector<std::pair<std::string, std::string>> kCallers = {
    {"coordinator", ""}, {"department", "hrss"}, {"school", "cqgsxx"},
    {"evaluator", ""},   {"exchange", ""},       {"operator", ""}};

struct Row {
  std::string method;  // "/package.Service/Method"
  // A well-formed request; `id` makes its idempotency key unique.
  std::function<std::unique_ptr<Message>(const std::string& id)> request;
  // The callers ("role" or "role:unit") the service lets through.
  std::set<std::string> allowed;
};

template <typename Request>
std::function<std::unique_ptr<Message>(const std::string&)> Build(
    std::function<void(Request*, const std::string&)> fill) {
  return [fill](const std::string& id) {
    auto request = std::make_unique<Request>();
    fill(request.get(), id);
    return request;
  };
}

google::protobuf::Timestamp Day(int y, int m, int d) {
  return TimeToProto(absl::FromCivil(absl::CivilDay(y, m, d), absl::FixedTimeZone(8 * 3600)));
}

std::vector<Row> Rows() {
  namespace t = tasks_v1;
  namespace s = schools_v1;
  namespace l = ledger_v1;
  namespace e = evaluation_v1;
  const std::string tasks = "/vetrack.tasks.v1.TaskRegistryService/";
  const std::string schools = "/vetrack.schools.v1.SchoolReportingService/";
  const std::string ledger = "/vetrack.ledger.v1.TrainingLedgerService/";
  const std::string evaluation = "/vetrack.evaluation.v1.EvaluationService/";
  const std::set<std::string> coordinator = {"coordinator"};
  const std::set<std::string> school = {"school:cqgsxx"};
  return {
      {tasks + "ImportCatalog",
       Build<t::ImportCatalogRequest>([](auto* r, const auto& id) {
         *r->mutable_catalog() = GatewayE2ETest::Catalog();
         r->set_request_id(id);
       }),
       {"coordinator", "operator"}},
      {tasks + "UpdateTask", Build<t::UpdateTaskRequest>([](auto* r, const auto& id) {
         r->mutable_task()->set_name(kTask6);
         r->mutable_task()->set_text("修订终身职业技能培训制度");
         r->mutable_task()->set_etag("1");
         r->add_update_mask("text");
         r->set_request_id(id);
       }),
       coordinator},
      {tasks + "FileProgress",
       Build<t::FileProgressRequest>([](auto* r, const auto& id) {
         r->set_task(kTask6);
         r->set_unit("hrss");
         r->set_period_id(kQuarter);
         r->set_status(t::PROGRESS_STATUS_ON_TRACK);
         r->set_narrative("进展");
         r->set_request_id(id);
       }),
       {"department:hrss"}},
      {tasks + "SubmitReport",
       Build<t::SubmitReportRequest>([](auto* r, const auto& id) {
         r->set_task(kTask6);
         r->set_period_id(kQuarter);
         r->set_summary("汇总");
         r->set_request_id(id);
       }),
       {"department:hrss"}},
      {tasks + "ReviewReport", Build<t::ReviewReportRequest>([](auto* r, const auto& id) {
         r->set_task(kTask6);
         r->set_period_id(kQuarter);
         r->set_decision(t::REVIEW_DECISION_RETURN);
         r->add_reasons("缺少佐证材料");
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "ImportInstitutions",
       Build<s::ImportInstitutionsRequest>([](auto* r, const auto& id) {
         *r->mutable_catalog() = GatewayE2ETest::Institutions();
         r->set_request_id(id);
       }),
       {"coordinator", "operator", "exchange"}},
      {schools + "ImportMajorCatalog",
       Build<s::ImportMajorCatalogRequest>([](auto* r, const auto& id) {
         auto* major = r->mutable_catalog()->add_majors();
         major->set_code("710201");
         major->set_display_name("计算机应用");
         major->set_level(s::MAJOR_LEVEL_SECONDARY);
         r->set_request_id(id);
       }),
       {"coordinator", "operator", "exchange"}},
      {schools + "UpdatePeriod", Build<s::UpdatePeriodRequest>([](auto* r, const auto& id) {
         r->mutable_period()->set_name("periods/ay2024");
         *r->mutable_period()->mutable_open_time() = Day(2024, 9, 1);
         *r->mutable_period()->mutable_close_time() = Day(2099, 1, 1);
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "UpdateDataReport", Build<s::UpdateDataReportRequest>([](auto* r, const auto& id) {
         CompleteDataReport(r->mutable_data_report());
         r->set_request_id(id);
       }),
       school},
      {schools + "SubmitDataReport", Build<s::SubmitDataReportRequest>([](auto* r, const auto& id) {
         r->set_name(kDataReport);
         r->set_request_id(id);
       }),
       school},
      {schools + "ReviewDataReport", Build<s::ReviewDataReportRequest>([](auto* r, const auto& id) {
         r->set_name(kDataReport);
         r->set_decision(s::REVIEW_DECISION_ACCEPT);
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "ReopenDataReport", Build<s::ReopenDataReportRequest>([](auto* r, const auto& id) {
         r->set_name(kDataReport);
         r->set_reason("更正");
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "SubmitQualityReport",
       Build<s::SubmitQualityReportRequest>([](auto* r, const auto& id) {
         auto* q = r->mutable_quality_report();
         q->set_name("institutions/cqgsxx/qualityReports/cy2023");
         q->set_title("2023 年度质量报告");
         q->set_document_uri("https://example.org/q.pdf");
         q->set_document_sha256(std::string(64, 'a'));
         auto* figure = q->add_key_figures();
         figure->set_key("employment_rate");
         figure->set_display_name("就业率");
         figure->set_value(96.5);
         figure->set_unit("%");
         r->set_request_id(id);
       }),
       school},
      {schools + "ReviewQualityReport",
       Build<s::ReviewQualityReportRequest>([](auto* r, const auto& id) {
         r->set_name("institutions/cqgsxx/qualityReports/cy2023");
         r->set_decision(s::REVIEW_DECISION_ACCEPT);
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "ReopenQualityReport",
       Build<s::ReopenQualityReportRequest>([](auto* r, const auto& id) {
         r->set_name("institutions/cqgsxx/qualityReports/cy2023");
         r->set_reason("更正");
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "DrawSpotCheck", Build<s::DrawSpotCheckRequest>([](auto* r, const auto& id) {
         r->set_period_id("cy2023");
         r->set_institutions_per_type(1);
         r->set_items_per_institution(1);
         r->set_request_id(id);
       }),
       coordinator},
      {schools + "RecordSpotCheckResult",
       Build<s::RecordSpotCheckResultRequest>([](auto* r, const auto& id) {
         r->set_name("spotChecks/cy2023-1");
         r->set_institution("institutions/cqgsxx");
         r->set_item("employment_rate");
         r->set_outcome(s::CHECK_OUTCOME_CONFIRMED);
         r->set_request_id(id);
       }),
       coordinator},
      {ledger + "CreateTrainingRecord",
       Build<l::CreateTrainingRecordRequest>([](auto* r, const auto& id) {
         auto* record = r->mutable_training_record();
         record->set_institution_code("cqgsxx");
         record->set_record_id(id);
         record->set_date("2025-03-01");
         record->set_programme(l::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
         record->set_target_group(l::TARGET_GROUP_GENERAL);
         record->set_trainees(5);
         record->set_hours_per_trainee(2);
       }),
       {"coordinator", "school:cqgsxx"}},
      {ledger + "ReverseTrainingRecord",
       Build<l::ReverseTrainingRecordRequest>([](auto* r, const auto& id) {
         r->set_name("institutions/cqgsxx/trainingRecords/base-record");
         r->set_reversal_id(id);
         r->set_reason("录入错误");
       }),
       {"coordinator", "school:cqgsxx"}},
      {ledger + "SetAccountingPolicy",
       Build<l::SetAccountingPolicyRequest>([](auto* r, const auto& id) {
         r->mutable_policy()->set_year(2025);
         r->mutable_policy()->set_performance_pay_uplift_rate("0.3");
         r->mutable_policy()->set_public_funds_share("0.2");
         r->mutable_policy()->set_fte_per_training_hour("0.00125");
         r->set_request_id(id);
       }),
       coordinator},
      {evaluation + "ImportIndicators",
       Build<e::ImportIndicatorsRequest>([](auto* r, const auto& id) {
         *r->mutable_catalog() = GatewayE2ETest::Indicators();
         r->set_request_id(id);
       }),
       {"coordinator", "operator"}},
      {evaluation + "RecordStatistic",
       Build<e::RecordStatisticRequest>([](auto* r, const auto& id) {
         r->set_key("skilled_workers");
         r->set_year(2024);
         r->set_value(120000);
         r->set_source("统计年鉴");
         r->set_as_of("2024-12-31");
         r->set_request_id(id);
       }),
       {"coordinator", "department:hrss"}},
      {evaluation + "CreateRound",
       Build<e::CreateRoundRequest>([](auto* r, const auto& id) {
         std::string round_id = "r" + std::to_string(std::hash<std::string>()(id) % 100000);
         r->set_round_id(round_id);
         r->set_allow_snapshot_without_data(true);
         r->mutable_round()->set_title("评价");
         r->mutable_round()->set_year(2024);
         r->mutable_round()->set_subject_kind(e::SUBJECT_KIND_INSTITUTION);
         r->mutable_round()->add_subjects("cqgsxx");
         auto* d = r->mutable_round()->add_dimensions();
         d->set_id("quality");
         d->set_title("办学质量");
         d->set_weight_bp(10000);
         r->set_request_id(id);
       }),
       {"coordinator", "evaluator"}},
      {evaluation + "RecordScores",
       Build<e::RecordScoresRequest>([](auto* r, const auto& id) {
         r->set_round("rounds/base-round");
         auto* s = r->add_scores();
         s->set_subject("cqgsxx");
         s->set_dimension("quality");
         s->set_score(80);
         r->set_request_id(id);
       }),
       {"evaluator"}},
      {evaluation + "FinalizeRound",
       Build<e::FinalizeRoundRequest>([](auto* r, const auto& id) {
         r->set_round("rounds/other-round");
         r->set_request_id(id);
       }),
       {"evaluator"}},
      {evaluation + "ExportRound",
       Build<e::ExportRoundRequest>([](auto* r, const auto&) {
         r->set_round("rounds/base-round");
         r->set_format(e::EXPORT_FORMAT_JSON);
       }),
       {"coordinator", "department:hrss", "evaluator", "exchange"}},
  };
}

class PermissionsTest : public GatewayE2ETest {
 protected:
  grpc::Status Send(const std::string& role, const std::string& unit, const std::string& method,
                    const Message& request) {
    auto context = As(role, unit);
    grpc::Slice slice(request.SerializeAsString());
    grpc::ByteBuffer in(&slice, 1), out;
    std::promise<grpc::Status> done;
    generic_->UnaryCall(context.get(), method, grpc::StubOptions(), &in, &out,
                        [&done](grpc::Status s) { done.set_value(s); });
    return done.get_future().get();
  }

  // What the calls of the matrix need to find: a draft data report, a
  // training record to reverse, rounds to score and to finalise.
  void Prepare() {
    std::vector<std::tuple<std::string, std::string, std::string, std::unique_ptr<Message>>> setup;
    for (const auto& row : Rows()) {
      if (row.method.find("UpdateDataReport") != std::string::npos) {
        setup.emplace_back("school", "cqgsxx", row.method, row.request("setup-draft"));
      }
      if (row.method.find("CreateTrainingRecord") != std::string::npos) {
        setup.emplace_back("coordinator", "", row.method, row.request("base-record"));
      }
    }
    for (const char* round_id : {"base-round", "other-round"}) {
      auto create = std::make_unique<evaluation_v1::CreateRoundRequest>();
      create->set_round_id(round_id);
      create->set_request_id(std::string("setup-") + round_id);
      create->set_allow_snapshot_without_data(true);
      auto* round = create->mutable_round();
      round->set_title("评价");
      round->set_year(2024);
      round->set_subject_kind(evaluation_v1::SUBJECT_KIND_INSTITUTION);
      round->add_subjects("cqgsxx");
      auto* d = round->add_dimensions();
      d->set_id("quality");
      d->set_title("办学质量");
      d->set_weight_bp(10000);
      setup.emplace_back("evaluator", "", "/vetrack.evaluation.v1.EvaluationService/CreateRound",
                         std::move(create));
    }
    for (auto& [role, unit, method, request] : setup) {
      grpc::Status status = Send(role, unit, method, *request);
      ASSERT_TRUE(status.ok()) << method << ": " << status.error_message();
    }
  }
};

TEST_F(PermissionsTest, EachRoleAndEachChange) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const size_t before = AuditTrail().size();

  std::vector<std::string> outcomes;  // "principal method code", in call order
  int n = 0;
  for (const auto& row : Rows()) {
    for (const auto& [role, unit] : kCallers) {
      const std::string caller = unit.empty() ? role : role + ":" + unit;
      auto request = row.request("m" + std::to_string(++n));
      grpc::Status status = Send(role, unit, row.method, *request);
      bool allowed = row.allowed.count(caller) > 0;
      if (allowed) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << caller << " " << row.method << ": " << status.error_message();
        EXPECT_NE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
            << caller << " " << row.method << ": " << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << caller << " " << row.method << ": " << status.error_message();
      }
      outcomes.push_back(
          caller + " " + row.method + " " +
          absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())));
    }
  }

  // Every call left its attempt, then its outcome with the code it got.
  std::vector<gw::AuditEntry> trail = AuditTrail();
  ASSERT_EQ(trail.size(), before + 2 * outcomes.size());
  std::vector<std::string> audited;
  for (size_t i = before; i < trail.size(); i += 2) {
    const auto& attempt = trail[i];
    const auto& outcome = trail[i + 1];
    EXPECT_EQ(attempt.kind(), gw::AUDIT_ENTRY_KIND_ATTEMPT);
    EXPECT_EQ(outcome.kind(), gw::AUDIT_ENTRY_KIND_OUTCOME);
    EXPECT_EQ(outcome.attempt_sequence(), attempt.sequence());
    audited.push_back(outcome.principal() + " " + outcome.method() + " " + outcome.code());
  }
  EXPECT_EQ(audited, outcomes);
}

}  // namespace
}  // namespace vetrack::gateway
