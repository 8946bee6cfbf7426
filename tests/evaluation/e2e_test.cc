// End to end: the evaluation binary over gRPC, reading a fake school-reporting,
// training-ledger and task registry served in this process, on a real
// redis-server.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <thread>
#include <tuple>

#include "indicator_catalog.h"
#include "plan_registry.h"
#include "school-reporting/items.h"
#include "testing/redis_server.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::evaluation {
namespace {

namespace schools = ::vetrack::schools::v1;
namespace ledger = ::vetrack::ledger::v1;
namespace tasks = ::vetrack::tasks::v1;

const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/evaluation/data/indicators.json";

class FakeSchools final : public schools::SchoolReportingService::Service {
  grpc::Status ListInstitutions(grpc::ServerContext* ctx, const schools::ListInstitutionsRequest*,
                                schools::ListInstitutionsResponse* resp) override {
    // Hung: answers only when the caller has given up.
    while (hung && !ctx->IsCancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    seen_role = std::string(ctx->client_metadata().find("x-vetrack-role")->second.data(),
                            ctx->client_metadata().find("x-vetrack-role")->second.size());
    auto* i = resp->add_institutions();
    i->set_code("cqvie");
    i->set_name("institutions/cqvie");
    i->set_type(schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
    // Opens in 2026 and has no figures: 2025's results must not wait for it.
    auto* opening = resp->add_institutions();
    opening->set_code("cqnew");
    opening->set_name("institutions/cqnew");
    opening->set_type(schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
    opening->set_first_year(2026);
    return grpc::Status::OK;
  }
  // School reporting's real item catalog.
  grpc::Status ListItems(grpc::ServerContext*, const schools::ListItemsRequest*,
                         schools::ListItemsResponse* resp) override {
    for (const auto& item : ::vetrack::schools::ItemCatalog()) *resp->add_items() = item;
    return grpc::Status::OK;
  }
  grpc::Status GetAcceptedFigures(grpc::ServerContext*,
                                  const schools::GetAcceptedFiguresRequest* req,
                                  schools::AcceptedFigures* resp) override {
    resp->set_institution(req->institution());
    resp->set_period_id(req->period_id());
    if (req->period_id() == "ay2024") {
      resp->set_institution_type(pending_2024.load());  // submitted, not accepted
      return grpc::Status::OK;
    }
    if (req->period_id() != "ay2025") return grpc::Status::OK;  // not accepted
    resp->set_accepted(true);
    resp->set_revision(4);
    resp->set_institution_type(submitted_as.load());
    (*resp->mutable_counts())["dual_qualified_teachers"] = 126;
    (*resp->mutable_counts())["fulltime_professional_teachers"] = 200;
    (*resp->mutable_counts())["enrolled_students"] = 1000;
    return grpc::Status::OK;
  }

 public:
  std::string seen_role;
  // The type the accepted report was submitted under.
  std::atomic<schools::InstitutionType> submitted_as{schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL};
  // The type the 2024 report waiting for review was submitted as; unspecified: none.
  std::atomic<schools::InstitutionType> pending_2024{schools::INSTITUTION_TYPE_UNSPECIFIED};
  std::atomic<bool> hung{false};
};

class FakeLedger final : public ledger::TrainingLedgerService::Service {
  grpc::Status GetDistrictTrainingStatement(grpc::ServerContext* ctx,
                                            const ledger::GetDistrictTrainingStatementRequest* req,
                                            ledger::DistrictTrainingStatement* resp) override {
    // Hung: answers only when the caller has given up.
    while (hung && !ctx->IsCancelled()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    resp->set_year(req->year());
    auto* s = resp->add_institutions();
    s->set_institution_code("cqvie");
    s->set_year(req->year());
    // The rule counts 2300 of 2400 (100 of 职业体验活动 do not count).
    s->mutable_totals()->set_person_times(req->year() == 2025 ? 2400 : 0);
    if (counts_by_rule) s->set_counted_person_times(req->year() == 2025 ? 2300 : 0);
    // The enrolment the rule is judged on comes only with the full view.
    if (school_reporting_down) {
      s->set_enrolment_status(ledger::ENROLMENT_STATUS_UNAVAILABLE);
      s->add_notes("school reporting did not answer (connection refused)");
    } else if (req->year() == 2025 && req->view() == ledger::STATEMENT_VIEW_FULL) {
      s->set_enrolment_status(ledger::ENROLMENT_STATUS_REPORTED);
      s->set_enrolled_students(1000);
      s->set_enrolment_period_id("ay2025");
      s->set_enrolment_revision(4);
    } else {
      s->set_enrolment_status(ledger::ENROLMENT_STATUS_NOT_REPORTED);
      s->add_notes("enrolment not reported yet");
      s->add_notes("no accounting policy is set");  // about the money, not the enrolment
    }
    return grpc::Status::OK;
  }

 public:
  // False: a ledger from before counted_person_times.
  std::atomic<bool> counts_by_rule{true};
  // True: the ledger's school reporting does not answer it.
  std::atomic<bool> school_reporting_down{false};
  // True: the ledger does not answer (a process stopped, not gone).
  std::atomic<bool> hung{false};
};

// The registry as loaded with the plan's catalog: its departments, one
// school, and its tasks (by number alone, one page).
class FakeTasks final : public tasks::TaskRegistryService::Service {
  grpc::Status ListUnits(grpc::ServerContext*, const tasks::ListUnitsRequest* req,
                         tasks::ListUnitsResponse* resp) override {
    std::vector<std::tuple<std::string, std::string, tasks::UnitKind>> units;
    for (const auto& [code, name] : PlanDepartments()) {
      units.emplace_back(code, name, tasks::UNIT_KIND_DEPARTMENT);
    }
    units.emplace_back("cqvie", "重庆工程职业技术学院", tasks::UNIT_KIND_SCHOOL);
    for (const auto& [code, name, kind] : units) {
      if (req->kind() != tasks::UNIT_KIND_UNSPECIFIED && req->kind() != kind) continue;
      auto* unit = resp->add_units();
      unit->set_code(code);
      unit->set_display_name(name);
      unit->set_kind(kind);
    }
    return grpc::Status::OK;
  }
  grpc::Status ListTasks(grpc::ServerContext*, const tasks::ListTasksRequest* req,
                         tasks::ListTasksResponse* resp) override {
    if (req->parent() != "plans/jiangjin-vet-2021") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no plan " + req->parent());
    }
    for (int number : PlanTaskNumbers()) resp->add_tasks()->set_number(number);
    return grpc::Status::OK;
  }
};

using ::vetrack::testing::PortOpen;

class EvaluationE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &upstream_port_);
    builder.RegisterService(&schools_);
    builder.RegisterService(&ledger_);
    builder.RegisterService(&tasks_);
    upstream_ = builder.BuildAndStart();
    port_ = testing::FreePort();
    StartService();
  }
  void TearDown() override {
    if (upstream_) upstream_->Shutdown();
  }

  void StartService() {
    std::string upstream = "127.0.0.1:" + std::to_string(upstream_port_);
    ASSERT_TRUE(
        service_.Start({EVALUATION_BINARY, "--listen=127.0.0.1:" + std::to_string(port_),
                        "--metrics=", "--redis=" + redis_.address(), "--schools=" + upstream,
                        "--ledger=" + upstream, "--tasks=" + upstream, "--drain-seconds=1"},
                       testing::TempLogPath("evaluation-e2e")));
    for (int i = 0; i < 400 && !PortOpen(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    stub_ = v1::EvaluationService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                                               grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& role, const std::string& unit = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    ctx->AddMetadata("x-vetrack-role", role);
    if (!unit.empty()) ctx->AddMetadata("x-vetrack-unit", unit);
    return ctx;
  }

  // The shipped indicator catalog, loaded as the operator.
  void LoadCatalog() {
    auto catalog = ReadIndicatorCatalogFile(kCatalogPath);
    ASSERT_TRUE(catalog.ok());
    v1::ImportIndicatorsRequest load;
    *load.mutable_catalog() = *catalog;
    load.set_request_id("load");
    v1::ImportIndicatorsResponse loaded;
    grpc::Status status = stub_->ImportIndicators(As("operator").get(), load, &loaded);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(loaded.created(), catalog->indicators_size());
  }

  std::map<std::string, v1::Result> Results(v1::ListResultsResponse* raw = nullptr,
                                            int year = 2025) {
    v1::ListResultsRequest req;
    req.set_year(year);
    v1::ListResultsResponse resp;
    auto ctx = As("department", "edu");
    grpc::Status status = stub_->ListResults(ctx.get(), req, &resp);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, v1::Result> out;
    for (const auto& r : resp.results()) out[r.indicator().substr(11) + "@" + r.scope_key()] = r;
    if (raw != nullptr) *raw = resp;
    return out;
  }

  testing::RedisServer redis_;
  testing::ChildProcess service_;
  FakeSchools schools_;
  FakeLedger ledger_;
  FakeTasks tasks_;
  std::unique_ptr<grpc::Server> upstream_;
  int upstream_port_ = 0;
  int port_ = 0;
  std::unique_ptr<v1::EvaluationService::Stub> stub_;
};

TEST_F(EvaluationE2ETest, ResultsComeFromTheOtherServicesWithLineageAndSurviveARestart) {
  LoadCatalog();
  if (HasFatalFailure()) return;

  v1::RecordStatisticRequest stat;
  stat.set_key("skilled_workers");
  stat.set_year(2025);
  stat.set_value(101000);
  stat.set_source("区人力社保局");
  stat.set_as_of("2025-12-31");
  stat.set_request_id("st-1");
  v1::Statistic recorded;
  auto school_ctx = As("school", "cqvie");
  EXPECT_EQ(stub_->RecordStatistic(school_ctx.get(), stat, &recorded).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto hrss = As("department", "hrss");
  ASSERT_TRUE(stub_->RecordStatistic(hrss.get(), stat, &recorded).ok());

  auto results = Results();
  const v1::Result& share = results["dual-qualified-teacher-share@type:higher_vocational"];
  EXPECT_DOUBLE_EQ(share.value(), 63);
  EXPECT_EQ(share.status(), v1::RESULT_STATUS_MET);
  EXPECT_EQ(share.sources(0).origin(),
            "school-reporting institutions/cqvie/dataReports/ay2025 revision 4");
  EXPECT_DOUBLE_EQ(results["training-person-times-ratio@institution:cqvie"].value(), 2.3);
  EXPECT_EQ(results["skilled-workers@district"].status(), v1::RESULT_STATUS_MET);
  EXPECT_EQ(schools_.seen_role, "evaluator");

  // Restart the service: the catalog and the statistic are still there.
  service_.Signal(SIGTERM);
  StartService();
  EXPECT_EQ(Results()["skilled-workers@district"].value(), 101000);

  // A ledger older than the rule's count is named as unavailable, not read as 0.
  ledger_.counts_by_rule = false;
  v1::ListResultsResponse old_ledger;
  auto without_count = Results(&old_ledger);
  ASSERT_GE(old_ledger.unavailable_sources_size(), 1);
  EXPECT_NE(old_ledger.unavailable_sources(0).find("training-ledger"), std::string::npos);
  EXPECT_EQ(without_count["training-person-times-ratio@institution:cqvie"].status(),
            v1::RESULT_STATUS_NO_DATA);
  ledger_.counts_by_rule = true;

  // Found in review: the ledger answers when its school reporting is down,
  // marking the enrolment unavailable; that is a source down (a round must
  // not freeze it), not a figure missing.
  ledger_.school_reporting_down = true;
  v1::ListResultsResponse enrolment_down;
  auto without_enrolment = Results(&enrolment_down);
  ASSERT_EQ(enrolment_down.unavailable_sources_size(), 1);
  EXPECT_NE(enrolment_down.unavailable_sources(0).find("enrolment"), std::string::npos);
  const v1::Result& ratio = without_enrolment["training-person-times-ratio@institution:cqvie"];
  EXPECT_EQ(ratio.status(), v1::RESULT_STATUS_NO_DATA);
  EXPECT_NE(ratio.rule().find("school reporting did not answer"), std::string::npos)
      << ratio.rule();
  ledger_.school_reporting_down = false;
  // A year without enrolment gives the ledger's reason, not its other notes.
  v1::ListResultsRequest of_2026;
  of_2026.set_year(2026);
  v1::ListResultsResponse results_2026;
  ASSERT_TRUE(stub_->ListResults(As("coordinator").get(), of_2026, &results_2026).ok());
  for (const auto& r : results_2026.results()) {
    if (r.scope_key() != "institution:cqvie" ||
        r.indicator() != "indicators/training-person-times-ratio") {
      continue;
    }
    EXPECT_NE(r.rule().find("enrolment not reported yet"), std::string::npos) << r.rule();
    EXPECT_EQ(r.rule().find("policy"), std::string::npos) << r.rule();
  }

  // Had cqvie submitted its 2025 report as a 中职 school (and been upgraded
  // since), its figures would count as 中职 that year; it reads them there.
  schools_.submitted_as = schools::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
  auto submitted_as_secondary = Results();
  EXPECT_EQ(submitted_as_secondary.count("dual-qualified-teacher-share@type:higher_vocational"),
            0u);
  EXPECT_DOUBLE_EQ(
      submitted_as_secondary["dual-qualified-teacher-share@type:secondary_vocational"].value(), 63);
  v1::ListResultsRequest own;
  own.set_year(2025);
  own.set_institution("cqvie");
  v1::ListResultsResponse seen;
  auto cqvie = As("school", "cqvie");
  ASSERT_TRUE(stub_->ListResults(cqvie.get(), own, &seen).ok());
  bool sees_its_type = false;
  for (const auto& r : seen.results())
    sees_its_type |= r.scope_key() == "type:secondary_vocational";
  EXPECT_TRUE(sees_its_type);
  schools_.submitted_as = schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL;

  // While its 2024 report, submitted as 中职, waits for review, 2024 places
  // cqvie among the 中职 schools (whose result waits for it), not the 高职.
  schools_.pending_2024 = schools::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
  auto pending = Results(nullptr, 2024);
  EXPECT_EQ(pending.count("dual-qualified-teacher-share@type:higher_vocational"), 0u);
  ASSERT_EQ(pending.count("dual-qualified-teacher-share@type:secondary_vocational"), 1u);
  EXPECT_EQ(pending["dual-qualified-teacher-share@type:secondary_vocational"].status(),
            v1::RESULT_STATUS_NO_DATA);
  schools_.pending_2024 = schools::INSTITUTION_TYPE_UNSPECIFIED;

  // With the upstream services gone, results still come back, naming what is missing.
  upstream_->Shutdown();
  upstream_.reset();
  v1::ListResultsResponse raw;
  auto degraded = Results(&raw);
  EXPECT_GE(raw.unavailable_sources_size(), 1);
  EXPECT_EQ(degraded["dual-qualified-teacher-share@unknown"].status(), v1::RESULT_STATUS_NO_DATA);
  EXPECT_EQ(degraded["industry-colleges@unknown"].status(), v1::RESULT_STATUS_NO_DATA);
  EXPECT_EQ(degraded["skilled-workers@district"].status(), v1::RESULT_STATUS_MET);
}

// 2025's results as the coordinator, for a caller allowing 3 s.
grpc::Status ResultsOf2025Within3s(v1::EvaluationService::Stub& stub,
                                   v1::ListResultsResponse* resp) {
  v1::ListResultsRequest req;
  req.set_year(2025);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  ctx.AddMetadata("x-vetrack-role", "coordinator");
  return stub.ListResults(&ctx, req, resp);
}

// Found in use: with the ledger stopped (SIGSTOP), every results call waited
// 11 s on it, past vetctl's 10 s and the gateway's 1 s, and the callers got
// DEADLINE_EXCEEDED where they should have had the other results.
TEST_F(EvaluationE2ETest, AHungSourceIsNamedWithinTheCallersDeadline) {
  LoadCatalog();
  if (HasFatalFailure()) return;
  ledger_.hung = true;
  v1::ListResultsResponse resp;
  grpc::Status status = ResultsOf2025Within3s(*stub_, &resp);
  ledger_.hung = false;
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The ledger alone: found in use, waiting on it used up school reporting's
  // time too, and the healthy school reporting was named down.
  ASSERT_EQ(resp.unavailable_sources_size(), 1);
  EXPECT_EQ(resp.unavailable_sources(0).rfind("training-ledger", 0), 0u)
      << resp.unavailable_sources(0);
  bool skilled_workers = false;
  for (const auto& r : resp.results()) {
    if (r.indicator() == "indicators/training-person-times-ratio") {
      EXPECT_EQ(r.status(), v1::RESULT_STATUS_NO_DATA) << r.rule();
    }
    if (r.indicator() == "indicators/skilled-workers") {
      skilled_workers = true;
      EXPECT_NE(r.status(), v1::RESULT_STATUS_UNSPECIFIED);
    }
  }
  EXPECT_TRUE(skilled_workers);  // what needs no ledger is there
}

// The mirror of the above, found in review: school reporting hung while the
// ledger was asked only after it, so the healthy ledger was named down too.
TEST_F(EvaluationE2ETest, AHungSchoolReportingLeavesTheLedgersFiguresIn) {
  LoadCatalog();
  if (HasFatalFailure()) return;
  schools_.hung = true;
  v1::ListResultsResponse resp;
  grpc::Status status = ResultsOf2025Within3s(*stub_, &resp);
  schools_.hung = false;
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(resp.unavailable_sources_size(), 1) << resp.unavailable_sources(0);
  EXPECT_EQ(resp.unavailable_sources(0).rfind("school-reporting", 0), 0u)
      << resp.unavailable_sources(0);
}

// A round of units scores the task registry's departments only; a round of
// institutions, by default, the institutions its year had.
TEST_F(EvaluationE2ETest, ARoundsSubjectsComeFromTheServicesThatKeepThem) {
  LoadCatalog();
  if (HasFatalFailure()) return;

  v1::CreateRoundRequest create;
  create.set_round_id("units");
  create.set_request_id("units-1");
  create.mutable_round()->set_title("部门评价");
  create.mutable_round()->set_year(2025);
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_UNIT);
  create.mutable_round()->add_subjects("edu");
  create.mutable_round()->add_subjects("cqvie");  // a unit, but a school's
  auto* work = create.mutable_round()->add_dimensions();
  work->set_id("work");
  work->set_title("任务落实");
  work->set_weight_bp(10000);
  v1::Round round;
  grpc::Status refused = stub_->CreateRound(As("evaluator").get(), create, &round);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("round.subjects[1]"), std::string::npos)
      << refused.error_message();
  create.mutable_round()->set_subjects(1, "hrss");
  create.set_request_id("units-2");
  grpc::Status created = stub_->CreateRound(As("evaluator").get(), create, &round);
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(round.subjects_size(), 2);
  // Named as the plan writes them, for the standings and the export.
  EXPECT_EQ(round.subject_names().at("edu"), "区教委");
  EXPECT_EQ(round.subject_names().at("hrss"), "区人力社保局");

  create.set_round_id("institutions");
  create.set_request_id("institutions-1");
  create.mutable_round()->set_subject_kind(v1::SUBJECT_KIND_INSTITUTION);
  create.mutable_round()->clear_subjects();
  created = stub_->CreateRound(As("evaluator").get(), create, &round);
  ASSERT_TRUE(created.ok()) << created.error_message();
  ASSERT_EQ(round.subjects_size(), 1);  // cqnew opens in 2026
  EXPECT_EQ(round.subjects(0), "cqvie");
}

}  // namespace
}  // namespace vetrack::evaluation
