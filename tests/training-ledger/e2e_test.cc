// End to end: the training-ledger binary on a real redis-server, with an
// in-process fake school-reporting service (ListInstitutions,
// GetAcceptedFigures) on a free port, driven over gRPC and through the real
// vetctl binary: CSV import with good and bad rows over the streaming RPC,
// replays, reversals, permissions, statements, restarts and outages.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "auth/token.h"
#include "fake_school_reporting.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "rpc/fan_out.h"
#include "testing/redis_server.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"

namespace vetrack::ledger {
namespace {

namespace v1 = ::vetrack::ledger::v1;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

const std::string kSampleCsv =
    std::string(VETRACK_SOURCE_DIR) + "/services/training-ledger/data/training-2026-sample.csv";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      return bad_request.field_violations(0).field();
    }
  }
  return "";
}

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class TrainingLedgerE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/vetrack-ledger-e2e-XXXXXX";
    work_ = mkdtemp(dir);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &schools_port_);
    builder.RegisterService(&schools_);
    schools_server_ = builder.BuildAndStart();
    ASSERT_NE(schools_server_, nullptr);
    grpc_port_ = ::vetrack::testing::FreePort();
    StartService();
    ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING));
  }

  void TearDown() override {
    if (service_.running()) service_.Signal(SIGKILL);
    if (schools_server_) schools_server_->Shutdown();
    // A failed test keeps the service's log and the CSV files to look at.
    if (!HasFailure()) (void)std::system(("rm -rf '" + work_ + "'").c_str());
  }

  void StartService() {
    ASSERT_TRUE(service_.Start(
        {TRAINING_LEDGER_BINARY, "--listen=127.0.0.1:" + std::to_string(grpc_port_), "--metrics=",
         "--redis=" + redis_.address(), "--schools=127.0.0.1:" + std::to_string(schools_port_),
         "--drain-seconds=2", "--import-batch=7"},
        work_ + "/training-ledger.log"));
    // Connect only once the port listens: a channel whose first connect
    // fails backs off for a second or more.
    for (int i = 0; i < 400 && !PortOpen(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::TrainingLedgerService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  bool PortOpen() const { return ::vetrack::testing::PortOpen(grpc_port_); }

  bool WaitForHealth(HealthStatus::ServingStatus want) {
    for (int i = 0; i < 200; ++i) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      HealthStatus resp;
      if (health_->Check(&ctx, {}, &resp).ok() && resp.status() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& role, const std::string& unit = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!role.empty()) ctx->AddMetadata("x-vetrack-role", role);
    if (!unit.empty()) ctx->AddMetadata("x-vetrack-unit", unit);
    return ctx;
  }

  CliResult Vetctl(const std::string& args) {
    const std::string out = work_ + "/vetctl.out", err = work_ + "/vetctl.err";
    const std::string command = absl::StrCat(VETCTL_BINARY, " --ledger-addr 127.0.0.1:", grpc_port_,
                                             " ", args, " >", out, " 2>", err);
    int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadFile(out), ReadFile(err)};
  }

  std::string WriteCsv(const std::string& name, const std::string& text) {
    const std::string path = work_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  v1::TrainingStatement Statement(const std::string& institution, const std::string& role,
                                  const std::string& unit = "") {
    v1::GetTrainingStatementRequest req;
    req.set_institution_code(institution);
    req.set_year(2026);
    v1::TrainingStatement statement;
    auto ctx = As(role, unit);
    grpc::Status status = stub_->GetTrainingStatement(ctx.get(), req, &statement);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return statement;
  }

  std::map<std::string, std::string> Snapshot() {
    redis::Client client(redis_.options());
    std::map<std::string, std::string> snapshot;
    auto keys = client.Command({"KEYS", "*"});
    for (const auto& key : keys->elements) {
      snapshot[key.str] = client.Command({"DUMP", key.str})->str;
    }
    return snapshot;
  }

  std::string work_;
  ::vetrack::testing::RedisServer redis_;
  ::vetrack::testing::ChildProcess service_;
  ::vetrack::ledger::testing::FakeSchoolReporting schools_;
  std::unique_ptr<grpc::Server> schools_server_;
  int schools_port_ = 0;
  int grpc_port_ = 0;
  std::unique_ptr<v1::TrainingLedgerService::Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(TrainingLedgerE2ETest, CsvImportKeepsGoodRowsReportsBadOnesAndAddsNothingTwice) {
  const std::string csv = WriteCsv(
      "mixed.csv",
      "institution_code,record_id,date,programme,target_group,subsidised,trainees,"
      "hours_per_trainee,income_fen,certificates,description\r\n"
      "cqvie,e-1,2026-03-10,就业技能培训,新生代农民工,是,120,40,1234567,100,ok\r\n"
      "cqvie,e-2,2026-05-20,job_skills_upgrade,laid_off_unemployed,no,300,16,449998,280,ok\r\n"
      "cqvie,e-3,2026-06-01,老年教育,老年人,否,-800,8,0,0,negative\r\n"
      "cqnowhere,e-4,2026-06-01,老年教育,老年人,否,10,8,0,0,unknown institution\r\n"
      "cqvie,e-5,2099-01-01,老年教育,老年人,否,10,8,0,0,future\r\n"
      "cqvie,e-6,2026-06-01,老年教育,外星人,否,10,8,0,0,unknown group\r\n"
      "cqvie,e-7,2026-06-01,老年教育,老年人,否,ten,8,0,0,not a number\r\n"
      "\"cqgsxx\",\"g-1\",\"2026-09-09\",职业体验活动,其他,否,700,10,100001,0,\"quoted, "
      "\"\"with\"\" comma\"\r\n"
      "cqvie,e-1,2026-03-10,就业技能培训,新生代农民工,是,121,40,1234567,100,same id other "
      "figures\r\n");
  CliResult first = Vetctl("--as coordinator training import " + csv);
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
  EXPECT_TRUE(absl::StrContains(first.out, "9 read: 3 created, 0 already recorded, 6 rejected"))
      << first.out;
  for (const std::string expected :
       {"line 4 (e-3): trainees: must be 1–100000 (got -800)",
        "line 5 (e-4): institution_code: no institution 'cqnowhere' in school reporting",
        "line 6 (e-5): date: in the future", "line 7 (e-6): target_group: '外星人' is none of",
        "line 8 (e-7): trainees: 'ten' is not a whole number",
        "line 10 (e-1): record_id: already used by a different record of cqvie"}) {
    EXPECT_TRUE(absl::StrContains(first.out, expected)) << expected << "\n" << first.out;
  }
  EXPECT_LT(first.out.find("line 4"), first.out.find("line 10"));  // in file order
  EXPECT_TRUE(absl::StrContains(first.err, "6 row(s) rejected")) << first.err;

  v1::TrainingStatement cqvie = Statement("cqvie", "school", "cqvie");
  EXPECT_EQ(cqvie.totals().person_times(), 420);
  EXPECT_EQ(cqvie.totals().income_fen(), 1684565);
  v1::GetTrainingRecordRequest get;
  get.set_name("institutions/cqgsxx/trainingRecords/g-1");
  v1::TrainingRecord quoted;
  auto ctx = As("evaluator");
  ASSERT_TRUE(stub_->GetTrainingRecord(ctx.get(), get, &quoted).ok());
  EXPECT_EQ(quoted.description(), "quoted, \"with\" comma");
  EXPECT_EQ(quoted.recorded_by(), "coordinator");

  auto before = Snapshot();
  CliResult again = Vetctl("--as coordinator training import " + csv);
  EXPECT_TRUE(absl::StrContains(again.out, "9 read: 0 created, 3 already recorded, 6 rejected"))
      << again.out;
  EXPECT_EQ(Snapshot(), before);

  // A row saved in GBK (pasted from another spreadsheet) is named, and
  // nothing of the file is sent: gRPC would have taken it for the stream's end
  // and the rows after it would have been dropped without a word.
  const std::string gbk =
      WriteCsv("gbk.csv",
               "institution_code,record_id,date,programme,target_group,subsidised,trainees,"
               "hours_per_trainee,income_fen,certificates,description\r\n"
               "cqvie,k-1,2026-03-10,就业技能培训,新生代农民工,是,1,1,0,0,ok\r\n"
               "cqvie,k-2,2026-03-10,就业技能培训,新生代农民工,是,1,1,0,0,\xB9\xA4\xD7\xF7\r\n");
  CliResult refused = Vetctl("--as coordinator training import " + gbk);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(refused.err, "line 3: not UTF-8")) << refused.err;
  EXPECT_EQ(Snapshot(), before);

  // The shipped sample is clean, and --json gives scripts the counts.
  CliResult sample = Vetctl("--as coordinator --json training import " + kSampleCsv);
  EXPECT_EQ(sample.exit_code, 0) << sample.out << sample.err;
  EXPECT_TRUE(absl::StrContains(sample.out, "\"records_created\": \"14\"")) << sample.out;

  CliResult district = Vetctl("--as department:edu training statement --year 2026");
  EXPECT_EQ(district.exit_code, 0) << district.err;
  EXPECT_TRUE(absl::StrContains(district.out, "district")) << district.out;
  CliResult listed = Vetctl("--as school:cqvie training list --year 2026");
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(absl::StrContains(listed.out, "5 record(s)")) << listed.out;

  // Publishing the district statement: a revision, then nothing new to publish.
  CliResult published = Vetctl("--as coordinator training publish --year 2026");
  EXPECT_EQ(published.exit_code, 0) << published.err;
  EXPECT_TRUE(absl::StrContains(published.out, "trainingStatements/2026 revision 1"))
      << published.out;
  CliResult again_published = Vetctl("--as coordinator training publish --year 2026");
  EXPECT_TRUE(absl::StrContains(again_published.out, "Nothing changed since revision 1"))
      << again_published.out;
  CliResult shown = Vetctl("--as department:edu training published --year 2026 --revision 1");
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(absl::StrContains(shown.out, "统一社会信用代码")) << shown.out;
  EXPECT_NE(Vetctl("--as school:cqvie training publish --year 2026").exit_code, 0);
}

TEST_F(TrainingLedgerE2ETest, RecordsReplaysReversalsAndPermissionsOverGrpc) {
  v1::CreateTrainingRecordRequest create;
  auto* r = create.mutable_training_record();
  r->set_institution_code("cqvie");
  r->set_record_id("u-1");
  r->set_date("2026-04-01");
  r->set_programme(v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION);
  r->set_target_group(v1::TARGET_GROUP_DISABLED);
  r->set_trainees(40);
  r->set_hours_per_trainee(6);
  r->set_income_fen(12000);
  v1::TrainingRecord first, replay, other;
  auto ctx = As("school", "cqvie");
  ASSERT_TRUE(stub_->CreateTrainingRecord(ctx.get(), create, &first).ok());
  ctx = As("school", "cqvie");
  ASSERT_TRUE(stub_->CreateTrainingRecord(ctx.get(), create, &replay).ok());
  EXPECT_EQ(replay.SerializeAsString(), first.SerializeAsString());

  r->set_trainees(41);
  ctx = As("school", "cqvie");
  grpc::Status conflict = stub_->CreateTrainingRecord(ctx.get(), create, &other);
  EXPECT_EQ(conflict.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(conflict), "training_record.record_id");
  r->set_record_id("u-2");
  r->set_target_group(static_cast<v1::TargetGroup>(99));
  ctx = As("school", "cqvie");
  grpc::Status unknown_group = stub_->CreateTrainingRecord(ctx.get(), create, &other);
  EXPECT_EQ(ViolatedField(unknown_group), "training_record.target_group");
  r->set_target_group(v1::TARGET_GROUP_DISABLED);
  ctx = As("school", "cqgsxx");
  EXPECT_EQ(stub_->CreateTrainingRecord(ctx.get(), create, &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ctx = As("");
  EXPECT_EQ(stub_->CreateTrainingRecord(ctx.get(), create, &other).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  v1::ReverseTrainingRecordRequest reverse;
  reverse.set_name("institutions/cqvie/trainingRecords/u-1");
  reverse.set_reversal_id("u-1-rev");
  reverse.set_reason("重复录入");
  v1::TrainingRecord reversal;
  ctx = As("school", "cqvie");
  ASSERT_TRUE(stub_->ReverseTrainingRecord(ctx.get(), reverse, &reversal).ok());
  EXPECT_EQ(reversal.reverses(), "institutions/cqvie/trainingRecords/u-1");
  reverse.set_reversal_id("u-1-rev-2");
  ctx = As("school", "cqvie");
  EXPECT_EQ(stub_->ReverseTrainingRecord(ctx.get(), reverse, &reversal).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Statement("cqvie", "coordinator").totals().records(), 0);

  // Enrolment comes from school reporting, asked as the caller.
  schools_.Accept("cqvie", "ay2025", 20);
  r->set_trainees(40);
  ctx = As("school", "cqvie");
  ASSERT_TRUE(stub_->CreateTrainingRecord(ctx.get(), create, &other).ok());  // u-2, 40 trainees
  v1::TrainingStatement statement = Statement("cqvie", "school", "cqvie");
  EXPECT_EQ(statement.enrolment_period_id(), "ay2025");
  EXPECT_EQ(statement.required_person_times(), 40);
  EXPECT_EQ(statement.compliance(), v1::COMPLIANCE_MET);
  EXPECT_EQ(schools_.callers().back(), "school:cqvie");
  v1::GetDistrictTrainingStatementRequest district_req;
  district_req.set_year(2026);
  v1::DistrictTrainingStatement district;
  ctx = As("school", "cqvie");
  EXPECT_EQ(stub_->GetDistrictTrainingStatement(ctx.get(), district_req, &district).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The nine institutions' enrolment is asked for a few at a time, not in
  // turn (and not all at once).
  schools_.GatherCalls(static_cast<int>(kCallsAtOncePerRequest));
  ctx = As("evaluator");
  ASSERT_TRUE(stub_->GetDistrictTrainingStatement(ctx.get(), district_req, &district).ok());
  EXPECT_EQ(schools_.max_in_flight(), static_cast<int>(kCallsAtOncePerRequest));
  schools_.GatherCalls(0);
  EXPECT_EQ(district.institutions_size(), 9);  // every page of the directory
  EXPECT_EQ(district.totals().person_times(), 40);
  for (const auto& s : district.institutions()) {
    // 2026 has nothing accepted: cqvie's ay2025 (asked for next) stands in.
    EXPECT_EQ(s.enrolment_status(), s.institution_code() == "cqvie"
                                        ? v1::ENROLMENT_STATUS_REPORTED
                                        : v1::ENROLMENT_STATUS_NOT_REPORTED)
        << s.institution_code();
  }

  district_req.set_view(static_cast<v1::StatementView>(7));
  ctx = As("evaluator");
  grpc::Status unknown_view =
      stub_->GetDistrictTrainingStatement(ctx.get(), district_req, &district);
  EXPECT_EQ(unknown_view.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(unknown_view), "view");
}

TEST_F(TrainingLedgerE2ETest, StreamedRecordsSurviveRedisRestartAndSchoolReportingOutage) {
  v1::ImportTrainingRecordsResponse response;
  auto ctx = As("school", "cqjtjg");
  auto writer = stub_->ImportTrainingRecords(ctx.get(), &response);
  for (int message = 0; message < 5; ++message) {
    v1::ImportTrainingRecordsRequest request;
    for (int i = 0; i < 100; ++i) {
      auto* row = request.add_rows();
      row->set_line(message * 100 + i + 2);
      auto* r = row->mutable_training_record();
      r->set_institution_code("cqjtjg");
      r->set_record_id(absl::StrCat("s-", message, "-", i));
      r->set_date("2026-02-01");
      r->set_programme(v1::PROGRAMME_TYPE_JOB_SKILLS_UPGRADE);
      r->set_target_group(v1::TARGET_GROUP_GENERAL);
      r->set_trainees(2);
      r->set_hours_per_trainee(5);
      r->set_income_fen(101);
    }
    ASSERT_TRUE(writer->Write(request));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  EXPECT_EQ(response.records_created(), 500);

  redis_.Restart();  // SIGKILL; everything acknowledged was fsynced
  ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING));
  v1::TrainingStatement statement = Statement("cqjtjg", "department", "hrss");
  EXPECT_EQ(statement.totals().records(), 500);
  EXPECT_EQ(statement.totals().person_times(), 1000);
  EXPECT_EQ(statement.totals().income_fen(), 50500);

  // School reporting gone: the cached directory still answers, and the
  // statement says the enrolment is unavailable instead of failing.
  schools_server_->Shutdown();
  schools_server_.reset();
  statement = Statement("cqjtjg", "coordinator");
  EXPECT_EQ(statement.enrolment_status(), v1::ENROLMENT_STATUS_UNAVAILABLE);
  EXPECT_EQ(statement.compliance(), v1::COMPLIANCE_UNKNOWN);
  EXPECT_EQ(statement.totals().records(), 500);
  // The channel's words name school reporting's address: the statement, which
  // the gateway passes on as it is, carries a reference to the logged line.
  ASSERT_GE(statement.notes_size(), 1);
  EXPECT_EQ(statement.notes(0).find("127.0.0.1"), std::string::npos) << statement.notes(0);
  EXPECT_NE(statement.notes(0).find("the cause is logged under reference "), std::string::npos)
      << statement.notes(0);

  int status = service_.Signal(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// vetctl's token issue, which needs no service (found in review: --ttl inf
// made a token that never expired, and any role could carry a unit). A token
// names who holds it, so the audit trail can say who acted.
TEST_F(TrainingLedgerE2ETest, TokensAreIssuedToAHolderForAFiniteTimeAndUnitsOnlyForUnitRoles) {
  const std::string secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
  const std::string key = WriteCsv("token.key", secret + "\n");
  const std::string issue = "token issue --key-file " + key + " ";
  CliResult department = Vetctl(issue + "--role department --unit hrss --holder 张三 --ttl 30d");
  ASSERT_EQ(department.exit_code, 0) << department.err;
  auto keys = TokenKeys::FromSecrets({secret});
  ASSERT_TRUE(keys.ok()) << keys.status();
  auto claims = keys->Verify(absl::StripAsciiWhitespace(department.out), absl::Now());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->principal.ToString(), "department:hrss");
  EXPECT_EQ(claims->holder, "张三");
  EXPECT_EQ(claims->token_id.size(), 16u);
  // Each refused for the option it names.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"--role department --unit hrss --holder a --ttl inf", "--ttl"},
      {"--role department --unit hrss --holder a --ttl 400d", "--ttl"},
      {"--role coordinator --unit hrss --holder a", "--unit"},
      {"--role operator --unit edu --holder a", "--unit"},
      {"--role operator", "--holder"},
      {"--role operator --holder ''", "--holder"},
      {"--role operator --holder \"$(printf 'a\\tb')\"", "--holder"},
      {"--role operator --holder " + std::string(129, 'x'), "--holder"},
      {"--role operator --holder \"$(printf '\\377')\"", "--holder"},
  };
  for (const auto& [args, option] : refused) {
    CliResult result = Vetctl(issue + args);
    EXPECT_EQ(result.exit_code, 2) << args << ": " << result.out << result.err;
    EXPECT_TRUE(result.out.empty()) << args << ": " << result.out;
    EXPECT_NE(result.err.find(option), std::string::npos) << args << ": " << result.err;
  }
  EXPECT_EQ(Vetctl(issue + "--role coordinator --holder 李四 --ttl 366d").exit_code, 0);
}

}  // namespace
}  // namespace vetrack::ledger
