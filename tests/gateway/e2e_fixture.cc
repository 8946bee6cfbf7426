#include "e2e_fixture.h"

#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/tls.h"
#include "testing/test_certificates.h"

namespace vetrack::gateway {
namespace {

const std::string kSource = VETRACK_SOURCE_DIR;
constexpr char kSecret[] = "gateway-e2e-test-secret-0123456789abcdef";

template <typename Message>
Message ReadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  Message message;
  auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &message);
  EXPECT_TRUE(parsed.ok()) << path << ": " << parsed.message();
  return message;
}

using ::vetrack::testing::PortOpen;

std::string Local(int port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

void CompleteDataReport(schools_v1::DataReport* report) {
  report->set_name(kDataReport);
  auto& c = *report->mutable_counts();
  c["enrolled_students"] = 3200;
  c["fulltime_professional_teachers"] = 180;
  c["dual_qualified_teachers"] = 130;
  c["industry_parttime_teachers"] = 40;
  c["graduates"] = 1000;
  c["graduates_further_study"] = 520;
  c["graduates_employed"] = 450;
  c["training_person_times"] = 6400;
  auto* major = report->add_majors();
  major->set_catalog_code("710201");
  major->set_status(schools_v1::MAJOR_STATUS_UPGRADED);
}

bool Missing(const google::protobuf::RepeatedPtrField<std::string>& sections,
             const std::string& name) {
  return std::find(sections.begin(), sections.end(), name) != sections.end();
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

tasks_v1::Catalog GatewayE2ETest::Catalog() {
  return ReadJson<tasks_v1::Catalog>(kSource +
                                     "/services/task-registry/data/jiangjin-vet-2021.json");
}

schools_v1::InstitutionCatalog GatewayE2ETest::Institutions() {
  return ReadJson<schools_v1::InstitutionCatalog>(
      kSource + "/services/school-reporting/data/institutions.json");
}

evaluation_v1::IndicatorCatalog GatewayE2ETest::Indicators() {
  return ReadJson<evaluation_v1::IndicatorCatalog>(kSource +
                                                   "/services/evaluation/data/indicators.json");
}

void GatewayE2ETest::Start(Process process, const std::vector<std::string>& argv, int port) {
  std::string log = dir_ + "/" + std::to_string(static_cast<int>(process)) + ".log";
  ASSERT_TRUE(Child(process).Start(argv, log));
  // Connect only once the port listens: a channel whose first connect fails
  // backs off for a second or more.
  for (int i = 0; i < 1000 && !PortOpen(port); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(PortOpen(port)) << "see " << log;
}

void GatewayE2ETest::SetUp() {
  char tmpl[] = "/tmp/vetrack-gateway-e2e-XXXXXX";
  dir_ = mkdtemp(tmpl);
  std::string key_file = dir_ + "/token.key";
  std::ofstream(key_file) << kSecret << "\n";
  auto keys = TokenKeys::FromFile(key_file);
  ASSERT_TRUE(keys.ok());
  keys_ = std::make_unique<TokenKeys>(*keys);

  ports_ = {testing::FreePort(), testing::FreePort(), testing::FreePort(), testing::FreePort(),
            testing::FreePort(), testing::FreePort(), testing::FreePort()};
  const std::string redis = "--redis=" + redis_.address();
  auto common = [&](int port) {
    return std::vector<std::string>{"--listen=" + Local(port), "--metrics=", redis,
                                    "--drain-seconds=1"};
  };
  auto with = [](std::vector<std::string> argv, std::vector<std::string> more) {
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
  };
  Start(Process::kTasks, with({TASK_REGISTRY_BINARY}, common(ports_.tasks)), ports_.tasks);
  Start(Process::kSchools,
        with(with({SCHOOL_REPORTING_BINARY}, common(ports_.schools)),
             {"--tasks=" + Local(ports_.tasks)}),
        ports_.schools);
  Start(Process::kLedger,
        with(with({TRAINING_LEDGER_BINARY}, common(ports_.ledger)),
             {"--schools=" + Local(ports_.schools)}),
        ports_.ledger);
  Start(Process::kEvaluation,
        with(with({EVALUATION_BINARY}, common(ports_.evaluation)),
             {"--schools=" + Local(ports_.schools), "--ledger=" + Local(ports_.ledger),
              "--tasks=" + Local(ports_.tasks)}),
        ports_.evaluation);
  std::vector<std::string> gateway_flags = GatewayFlags();
  if (GatewayOverTls()) {
    ASSERT_TRUE(testing::WriteTestCertificates(dir_, "DNS:localhost")) << "openssl failed";
    for (std::string flag :
         {"--tls-cert=" + dir_ + "/server.pem", "--tls-key=" + dir_ + "/server.key",
          "--tls-client-ca=" + dir_ + "/ca.pem"}) {
      gateway_flags.push_back(flag);
    }
  }
  Start(Process::kGateway,
        with({GATEWAY_BINARY, "--listen=" + Local(ports_.gateway),
              "--metrics=" + Local(ports_.gateway_metrics), "--http-listen=" + Local(ports_.http),
              "--redis=" + audit_redis_.address(), "--tasks=" + Local(ports_.tasks),
              "--schools=" + Local(ports_.schools), "--ledger=" + Local(ports_.ledger),
              "--evaluation=" + Local(ports_.evaluation), "--token-key-file=" + key_file,
              "--view-deadline-ms=1000", "--drain-seconds=1"},
             gateway_flags),
        ports_.gateway);
  for (int i = 0; i < 1000 && !PortOpen(ports_.http); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  TlsFiles client_tls;
  if (GatewayOverTls()) {
    client_tls = {dir_ + "/client.pem", dir_ + "/client.key", dir_ + "/ca.pem"};
  }
  auto credentials = ChannelCredentialsFromFiles(client_tls);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  channel_ = grpc::CreateCustomChannel(Local(ports_.gateway), *credentials,
                                       TlsChannelArguments(GatewayOverTls() ? "localhost" : ""));
  // The HTTP port opening does not say the gRPC one (with its TLS handshake)
  // is serving: on busy cores a first call failed its only connection attempt
  // ("timed out before receiving SETTINGS frame"). Calls made later fail fast
  // as before; only the set-up waits, and any failure shows in the next call.
  channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20));
  tasks_ = tasks_v1::TaskRegistryService::NewStub(channel_);
  schools_ = schools_v1::SchoolReportingService::NewStub(channel_);
  ledger_ = ledger_v1::TrainingLedgerService::NewStub(channel_);
  evaluation_ = evaluation_v1::EvaluationService::NewStub(channel_);
  gateway_ = gw::GatewayService::NewStub(channel_);
  generic_ = std::make_unique<grpc::GenericStub>(channel_);
  direct_tasks_ = tasks_v1::TaskRegistryService::NewStub(
      grpc::CreateChannel(Local(ports_.tasks), grpc::InsecureChannelCredentials()));

  tasks_v1::ImportCatalogRequest catalog;
  *catalog.mutable_catalog() = Catalog();
  catalog.set_request_id("load-catalog");
  tasks_v1::ImportCatalogResponse loaded;
  grpc::Status status = Call("operator", "", *tasks_,
                             &tasks_v1::TaskRegistryService::Stub::ImportCatalog, catalog, &loaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(loaded.tasks_created(), 33);

  schools_v1::ImportInstitutionsRequest institutions;
  *institutions.mutable_catalog() = Institutions();
  institutions.set_request_id("load-institutions");
  schools_v1::ImportInstitutionsResponse imported;
  status =
      Call("operator", "", *schools_, &schools_v1::SchoolReportingService::Stub::ImportInstitutions,
           institutions, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(imported.created(), 9);

  evaluation_v1::ImportIndicatorsRequest indicators;
  *indicators.mutable_catalog() = Indicators();
  indicators.set_request_id("load-indicators");
  evaluation_v1::ImportIndicatorsResponse indicators_loaded;
  status =
      Call("operator", "", *evaluation_, &evaluation_v1::EvaluationService::Stub::ImportIndicators,
           indicators, &indicators_loaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void GatewayE2ETest::TearDown() {
  for (auto& child : children_) {
    if (child.running()) {
      kill(child.pid(), SIGCONT);
      child.Signal(SIGKILL);
    }
  }
  if (!HasFailure()) {
    std::string cmd = "rm -rf '" + dir_ + "'";
    (void)std::system(cmd.c_str());
  }
}

std::string GatewayE2ETest::Token(const std::string& role, const std::string& unit) const {
  auto principal = ParsePrincipal(role, unit);
  EXPECT_TRUE(principal.ok()) << role << ":" << unit;
  // Held by a clerk of the principal's, as the audit trail then records.
  return keys_->Sign(*principal, absl::Now() + absl::Hours(1), "clerk@" + principal->ToString());
}

std::unique_ptr<grpc::ClientContext> GatewayE2ETest::As(const std::string& role,
                                                        const std::string& unit) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context->AddMetadata("authorization", "Bearer " + Token(role, unit));
  return context;
}

std::unique_ptr<grpc::ClientContext> GatewayE2ETest::Direct(const std::string& role,
                                                            const std::string& unit) const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  context->AddMetadata("x-vetrack-role", role);
  if (!unit.empty()) context->AddMetadata("x-vetrack-unit", unit);
  return context;
}

void GatewayE2ETest::FinalRound2024() {
  using EvalStub = evaluation_v1::EvaluationService::Stub;
  evaluation_v1::CreateRoundRequest create;
  create.set_round_id("2024-annual");
  create.set_request_id("round-1");
  create.set_allow_snapshot_without_data(true);  // the views' tests enter no 2024 data
  auto* round = create.mutable_round();
  round->set_title("2024 年度评价");
  round->set_year(2024);
  round->set_subject_kind(evaluation_v1::SUBJECT_KIND_INSTITUTION);
  round->add_subjects("cqgsxx");
  round->add_subjects("cqjnzx");
  auto* dimension = round->add_dimensions();
  dimension->set_id("quality");
  dimension->set_title("办学质量");
  dimension->set_weight_bp(10000);
  evaluation_v1::Round created;
  grpc::Status status =
      Call("evaluator", "", *evaluation_, &EvalStub::CreateRound, create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  evaluation_v1::RecordScoresRequest scores;
  scores.set_round("rounds/2024-annual");
  scores.set_request_id("scores-1");
  for (auto [subject, score] : {std::pair<const char*, double>{"cqgsxx", 88}, {"cqjnzx", 92}}) {
    auto* s = scores.add_scores();
    s->set_subject(subject);
    s->set_dimension("quality");
    s->set_score(score);
  }
  status = Call("evaluator", "", *evaluation_, &EvalStub::RecordScores, scores, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  evaluation_v1::FinalizeRoundRequest finalize;
  finalize.set_round("rounds/2024-annual");
  finalize.set_request_id("final-1");
  status = Call("evaluator", "", *evaluation_, &EvalStub::FinalizeRound, finalize, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void GatewayE2ETest::FileTask6(const std::string& unit, const std::string& request_id) {
  tasks_v1::FileProgressRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  request.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  request.set_narrative("推进中 " + unit);
  request.set_request_id(request_id);
  tasks_v1::Progress progress;
  grpc::Status status =
      Call("department", unit, *tasks_, &tasks_v1::TaskRegistryService::Stub::FileProgress, request,
           &progress);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

void GatewayE2ETest::SubmitTask6() {
  tasks_v1::SubmitReportRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  request.set_summary("两单位协同完成");
  request.set_request_id("submit-6");
  tasks_v1::TaskReport report;
  grpc::Status status = Call("department", "hrss", *tasks_,
                             &tasks_v1::TaskRegistryService::Stub::SubmitReport, request, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

std::vector<gw::AuditEntry> GatewayE2ETest::AuditTrail(const std::string& resource) {
  gw::ListAuditEntriesRequest request;
  request.set_resource(resource);
  request.set_page_size(500);
  gw::ListAuditEntriesResponse response;
  grpc::Status status = Call("coordinator", "", *gateway_,
                             &gw::GatewayService::Stub::ListAuditEntries, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.entries().begin(), response.entries().end()};
}

testing::ChildProcess& GatewayE2ETest::Child(Process process) {
  return children_[static_cast<int>(process)];
}

void GatewayE2ETest::Kill(Process process) { Child(process).Signal(SIGKILL); }
namespace {

// Whether every thread of `pid` is stopped. SIGSTOP stops a process's
// threads one by one as each next enters the kernel; until the last has, the
// others (gRPC's pollers) may still answer calls.
bool AllThreadsStopped(pid_t pid) {
  const std::filesystem::path tasks = absl::StrCat("/proc/", pid, "/task");
  std::error_code error;
  int threads = 0;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // "tid (comm) S …": the state follows the last ')'.
    const size_t paren = line.rfind(')');
    if (paren == std::string::npos || paren + 2 >= line.size()) return false;
    const char state = line[paren + 2];
    if (state != 'T' && state != 't') return false;
    ++threads;
  }
  return !error && threads > 0;
}

}  // namespace

// Found in review: a test that paused school reporting once got an answer
// from it, the stop not yet reached by every thread.
void GatewayE2ETest::Pause(Process process) {
  const pid_t pid = Child(process).pid();
  kill(pid, SIGSTOP);
  for (int i = 0; i < 500 && !AllThreadsStopped(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(AllThreadsStopped(pid)) << "process " << pid << " did not stop";
}
void GatewayE2ETest::Resume(Process process) { kill(Child(process).pid(), SIGCONT); }

double GatewayE2ETest::GatewayMetric(const std::string& name,
                                     const std::vector<std::string>& labels) {
  httplib::Client client("127.0.0.1", ports_.gateway_metrics);
  auto scraped = client.Get("/metrics");
  if (!scraped || scraped->status != 200) return -1;
  for (absl::string_view line : absl::StrSplit(scraped->body, '\n')) {
    if (!absl::StartsWith(line, name + "{") && !absl::StartsWith(line, name + " ")) continue;
    bool all = true;
    for (const auto& label : labels) all = all && absl::StrContains(line, label);
    double value = 0;
    if (all && absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) return value;
  }
  return 0;
}

}  // namespace vetrack::gateway
