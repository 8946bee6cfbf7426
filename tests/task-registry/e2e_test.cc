// End to end: the task-registry binary and a real redis-server, driven over
// gRPC as department systems would: the workflow, permissions, replays, bad
// input, health, metrics, and restarts of both processes.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "catalog.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "testing/redis_server.h"
#include "testing/reflection_client.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::tasks {
namespace {

using grpc::StatusCode;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/task-registry/data/jiangjin-vet-2021.json";
const std::string kTask6 = "plans/jiangjin-vet-2021/tasks/6";  // hrss leads, edu shares

// Plain HTTP GET on loopback, enough to read /metrics.
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) response.append(buf, n);
  close(fd);
  return response;
}

// The field named by the first BadRequest violation in a gRPC error.
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

class TaskRegistryE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc_port_ = testing::FreePort();
    metrics_port_ = testing::FreePort();
    StartService();
    ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING)) << service_.LogTail();

    auto catalog = ReadCatalogFile(kCatalogPath);
    ASSERT_TRUE(catalog.ok());
    v1::ImportCatalogRequest req;
    *req.mutable_catalog() = *catalog;
    req.set_request_id("load");
    v1::ImportCatalogResponse resp;
    auto ctx = As("coordinator");
    ASSERT_TRUE(stub_->ImportCatalog(ctx.get(), req, &resp).ok());
    ASSERT_EQ(resp.tasks_created(), 33);
  }

  void TearDown() override {
    if (service_.running()) service_.Signal(SIGKILL);
  }

  void StartService() {
    ASSERT_TRUE(
        service_.Start({TASK_REGISTRY_BINARY, "--listen=127.0.0.1:" + std::to_string(grpc_port_),
                        "--metrics=127.0.0.1:" + std::to_string(metrics_port_),
                        "--redis=" + redis_.address(), "--drain-seconds=2"},
                       testing::TempLogPath("task-registry-e2e")));
    // Connect only once the port listens: a channel that fails its first
    // connect backs off for a second or more before trying again.
    for (int i = 0; i < 400 && !PortOpen(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                       grpc::InsecureChannelCredentials());
    stub_ = v1::TaskRegistryService::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  bool PortOpen() const { return ::vetrack::testing::PortOpen(grpc_port_); }

  std::unique_ptr<grpc::ClientContext> As(const std::string& role, const std::string& unit = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!role.empty()) ctx->AddMetadata("x-vetrack-role", role);
    if (!unit.empty()) ctx->AddMetadata("x-vetrack-unit", unit);
    return ctx;
  }

  bool WaitForHealth(HealthStatus::ServingStatus want) {
    for (int i = 0; i < 200; ++i) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      grpc::health::v1::HealthCheckRequest req;
      HealthStatus resp;
      if (health_->Check(&ctx, req, &resp).ok() && resp.status() == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  grpc::Status File(const std::string& unit, const std::string& narrative,
                    const std::string& request_id, v1::Progress* out,
                    const std::string& task = kTask6, const std::string& period = "2026-Q4") {
    v1::FileProgressRequest req;
    req.set_task(task);
    req.set_period_id(period);
    req.set_status(v1::PROGRESS_STATUS_ON_TRACK);
    req.set_narrative(narrative);
    req.set_request_id(request_id);
    auto ctx = As("department", unit);
    return stub_->FileProgress(ctx.get(), req, out);
  }

  v1::ListProgressResponse Progress() {
    v1::ListProgressRequest req;
    req.set_task(kTask6);
    req.set_period_id("2026-Q4");
    v1::ListProgressResponse resp;
    auto ctx = As("coordinator");
    EXPECT_TRUE(stub_->ListProgress(ctx.get(), req, &resp).ok());
    return resp;
  }

  grpc::Status Review(v1::ReviewDecision decision, const std::string& request_id,
                      v1::TaskReport* out, const std::string& reason = "数据与佐证不一致") {
    v1::ReviewReportRequest req;
    req.set_task(kTask6);
    req.set_period_id("2026-Q4");
    req.set_decision(decision);
    if (decision == v1::REVIEW_DECISION_RETURN) req.add_reasons(reason);
    req.set_request_id(request_id);
    auto ctx = As("coordinator");
    return stub_->ReviewReport(ctx.get(), req, out);
  }

  grpc::Status Submit(const std::string& request_id, v1::TaskReport* out) {
    v1::SubmitReportRequest req;
    req.set_task(kTask6);
    req.set_period_id("2026-Q4");
    req.set_summary("人力社保局牵头，区教委配合，完成培训制度修订");
    req.set_request_id(request_id);
    auto ctx = As("department", "hrss");
    return stub_->SubmitReport(ctx.get(), req, out);
  }

  testing::RedisServer redis_;
  testing::ChildProcess service_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  std::unique_ptr<v1::TaskRegistryService::Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

TEST_F(TaskRegistryE2ETest, WorkflowOverGrpcSurvivesRestartsOfServiceAndRedis) {
  v1::Progress progress;
  ASSERT_TRUE(File("hrss", "牵头修订终身职业技能培训制度", "p-hrss", &progress).ok());
  ASSERT_TRUE(File("edu", "配合推动职业院校落实培训职责", "p-edu", &progress).ok());

  v1::TaskReport report;
  grpc::Status submitted = Submit("s-1", &report);
  ASSERT_TRUE(submitted.ok()) << submitted.error_message();
  // A reason of full-width spaces tells the lead nothing: refused, and the
  // report stays submitted (the return below is its first).
  grpc::Status blank = Review(v1::REVIEW_DECISION_RETURN, "v-0", &report, "\u3000\u3000");
  EXPECT_EQ(blank.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(blank.error_message().find("reasons[0]"), std::string::npos) << blank.error_message();
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_RETURN, "v-1", &report).ok());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_RETURNED);
  ASSERT_TRUE(Submit("s-2", &report).ok());
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "v-2", &report).ok());
  EXPECT_EQ(report.state(), v1::REPORT_STATE_ACCEPTED);

  // SIGTERM drains and exits 0 (gRPC waits out the drain while clients keep
  // their channels open, hence a short drain here); Redis is killed outright.
  int status = service_.Signal(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  redis_.Restart();
  StartService();
  ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING));

  v1::GetReportRequest get;
  get.set_task(kTask6);
  get.set_period_id("2026-Q4");
  v1::TaskReport after;
  auto ctx = As("department", "edu");
  ASSERT_TRUE(stub_->GetReport(ctx.get(), get, &after).ok());
  EXPECT_EQ(after.state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(after.times_returned(), 1);
  EXPECT_EQ(after.revision(), 2);  // the lead's second submission
  EXPECT_EQ(after.etag(), "4");    // submit, return, resubmit, accept
  EXPECT_EQ(Progress().progress_size(), 2);

  v1::ListTaskHistoryRequest history_req;
  history_req.set_task(kTask6);
  v1::ListTaskHistoryResponse history;
  auto hctx = As("coordinator");
  ASSERT_TRUE(stub_->ListTaskHistory(hctx.get(), history_req, &history).ok());
  EXPECT_EQ(history.entries_size(), 7);  // create, 2 filings, submit, return, resubmit, accept

  // Both submissions survive the restarts, each as it last stood.
  v1::ListReportRevisionsRequest revisions_req;
  revisions_req.set_task(kTask6);
  revisions_req.set_period_id("2026-Q4");
  v1::ListReportRevisionsResponse revisions;
  auto rctx = As("coordinator");
  ASSERT_TRUE(stub_->ListReportRevisions(rctx.get(), revisions_req, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(0).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(revisions.revisions(1).state(), v1::REPORT_STATE_ACCEPTED);
}

TEST_F(TaskRegistryE2ETest, CallersAreIdentifiedAndAuthorized) {
  v1::Progress progress;
  grpc::Status not_responsible = File("finance", "财政局不负责任务6", "p-fin", &progress);
  EXPECT_EQ(not_responsible.error_code(), StatusCode::PERMISSION_DENIED);

  v1::GetTaskRequest get;
  get.set_name(kTask6);
  v1::Task task;
  auto anonymous = As("");
  EXPECT_EQ(stub_->GetTask(anonymous.get(), get, &task).error_code(), StatusCode::UNAUTHENTICATED);
  // A caller without its unit is told which metadata carry who it is.
  auto unitless = As("school");
  grpc::Status without_unit = stub_->GetTask(unitless.get(), get, &task);
  EXPECT_EQ(without_unit.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_NE(without_unit.error_message().find("x-vetrack-unit"), std::string::npos)
      << without_unit.error_message();
  auto school = As("school", "cqvie");
  ASSERT_TRUE(stub_->GetTask(school.get(), get, &task).ok());
  EXPECT_EQ(task.lead_unit(), "hrss");

  v1::TaskReport report;
  v1::ReviewReportRequest review;
  review.set_task(kTask6);
  review.set_period_id("2026-Q4");
  review.set_decision(v1::REVIEW_DECISION_ACCEPT);
  review.set_request_id("v-x");
  auto dept = As("department", "hrss");
  EXPECT_EQ(stub_->ReviewReport(dept.get(), review, &report).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Progress().progress_size(), 0);
}

TEST_F(TaskRegistryE2ETest, ReplayedRequestIdReturnsTheFirstAnswer) {
  v1::Progress first, replay, changed;
  ASSERT_TRUE(File("edu", "第一次提交", "same", &first).ok());
  ASSERT_TRUE(File("edu", "第一次提交", "same", &replay).ok());
  EXPECT_EQ(first.SerializeAsString(), replay.SerializeAsString());
  grpc::Status reused = File("edu", "换了内容", "same", &changed);
  EXPECT_EQ(reused.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(reused), "request_id");
  ASSERT_EQ(Progress().progress_size(), 1);
  EXPECT_EQ(Progress().progress(0).narrative(), "第一次提交");
  EXPECT_EQ(Progress().progress(0).revision(), 1);
}

TEST_F(TaskRegistryE2ETest, BadInputGetsItsCodeNamingTheFieldAndChangesNothing) {
  v1::Progress progress;
  ASSERT_TRUE(File("edu", "原始内容", "ok-1", &progress).ok());

  grpc::Status empty = File("edu", "", "bad-1", &progress);
  EXPECT_EQ(empty.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(empty), "narrative");

  grpc::Status oversized = File("edu", std::string(3000, 'x'), "bad-2", &progress);
  EXPECT_EQ(oversized.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(oversized), "narrative");

  grpc::Status unknown_task =
      File("edu", "x", "bad-3", &progress, "plans/jiangjin-vet-2021/tasks/34");
  EXPECT_EQ(unknown_task.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(ViolatedField(unknown_task), "task");

  grpc::Status malformed_task = File("edu", "x", "bad-4", &progress, "tasks/6");
  EXPECT_EQ(malformed_task.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(malformed_task), "task");

  grpc::Status unknown_period = File("edu", "x", "bad-5", &progress, kTask6, "2031-Q2");
  EXPECT_EQ(unknown_period.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(unknown_period), "period_id");

  grpc::Status unknown_unit = File("nosuch", "x", "bad-6", &progress);
  EXPECT_EQ(unknown_unit.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(ViolatedField(unknown_unit), "unit");

  v1::FileProgressRequest stale;
  stale.set_task(kTask6);
  stale.set_period_id("2026-Q4");
  stale.set_status(v1::PROGRESS_STATUS_DELAYED);
  stale.set_narrative("基于旧版本");
  stale.set_etag("7");
  stale.set_request_id("bad-7");
  auto ctx = As("department", "edu");
  grpc::Status aborted = stub_->FileProgress(ctx.get(), stale, &progress);
  EXPECT_EQ(aborted.error_code(), StatusCode::ABORTED);
  EXPECT_EQ(ViolatedField(aborted), "etag");

  v1::ListUnitsRequest units;
  units.set_kind(static_cast<v1::UnitKind>(7));
  v1::ListUnitsResponse listed;
  auto list_ctx = As("coordinator");
  grpc::Status unknown_kind = stub_->ListUnits(list_ctx.get(), units, &listed);
  EXPECT_EQ(unknown_kind.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(unknown_kind), "kind");

  auto after = Progress();
  ASSERT_EQ(after.progress_size(), 1);
  EXPECT_EQ(after.progress(0).narrative(), "原始内容");
  EXPECT_EQ(after.progress(0).revision(), 1);
}

// Found in review: a misspelt flag left its default in force, silently.
TEST_F(TaskRegistryE2ETest, AMisspeltFlagStopsTheServiceBeforeItServes) {
  const int port = testing::FreePort();
  testing::ChildProcess misspelt;
  ASSERT_TRUE(
      misspelt.Start({TASK_REGISTRY_BINARY, "--listen=127.0.0.1:" + std::to_string(port),
                      "--metrics=127.0.0.1:0", "--redis=" + redis_.address(), "--drain_seconds=2"},
                     testing::TempLogPath("task-registry-misspelt")));
  int status = misspelt.Wait(absl::Seconds(20));
  ASSERT_NE(status, -1) << "still running: " << misspelt.LogTail();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
  EXPECT_NE(misspelt.LogTail().find("did you mean --drain-seconds?"), std::string::npos)
      << misspelt.LogTail();
  // It said so before it served: nothing was ever written to it.
  EXPECT_EQ(misspelt.LogTail().find("\"serving\""), std::string::npos) << misspelt.LogTail();
}

TEST_F(TaskRegistryE2ETest, ReflectionDescribesTheService) {
  auto files =
      testing::ReflectFileContaining(grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                                         grpc::InsecureChannelCredentials()),
                                     "vetrack.tasks.v1.TaskRegistryService");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(files->front().name(), "vetrack/tasks/v1/tasks.proto");
}

TEST_F(TaskRegistryE2ETest, HealthFollowsRedisAndMetricsCountCalls) {
  v1::Progress progress;
  ASSERT_TRUE(File("edu", "计数", "m-1", &progress).ok());
  std::string metrics = HttpGet(metrics_port_, "/metrics");
  EXPECT_NE(metrics.find("grpc_server_handled_total{"), std::string::npos);
  EXPECT_NE(metrics.find("grpc_method=\"FileProgress\""), std::string::npos);
  EXPECT_NE(metrics.find("grpc_server_handling_seconds_bucket{"), std::string::npos);

  redis_.Kill();
  EXPECT_TRUE(WaitForHealth(HealthStatus::NOT_SERVING));
  grpc::Status down = File("edu", "Redis 不可用", "m-2", &progress);
  EXPECT_EQ(down.error_code(), StatusCode::UNAVAILABLE);
  redis_.Start();
  EXPECT_TRUE(WaitForHealth(HealthStatus::SERVING));
  EXPECT_TRUE(File("edu", "Redis 恢复", "m-3", &progress).ok());
}

}  // namespace
}  // namespace vetrack::tasks
