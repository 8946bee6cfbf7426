// End to end: what the gateway forwards, how it identifies callers to the
// services, and the audit trail of every change.
#include <algorithm>
#include <future>

#include "absl/strings/str_cat.h"
#include "e2e_fixture.h"
#include "redis_audit_store.h"
#include "routes.h"

namespace vetrack::gateway {
namespace {

using grpc::StatusCode;
using TasksStub = tasks_v1::TaskRegistryService::Stub;

class ForwardingTest : public GatewayE2ETest {};

TEST_F(ForwardingTest, ReadsAndWritesOfEveryServiceGoThrough) {
  tasks_v1::ListTasksRequest list;
  list.set_parent(kPlan);
  list.set_page_size(100);
  tasks_v1::ListTasksResponse tasks;
  ASSERT_TRUE(Call("department", "hrss", *tasks_, &TasksStub::ListTasks, list, &tasks).ok());
  EXPECT_EQ(tasks.tasks_size(), 33);

  schools_v1::ListInstitutionsResponse institutions;
  ASSERT_TRUE(Call("school", "cqvie", *schools_,
                   &schools_v1::SchoolReportingService::Stub::ListInstitutions,
                   schools_v1::ListInstitutionsRequest(), &institutions)
                  .ok());
  EXPECT_EQ(institutions.institutions_size(), 9);

  ledger_v1::SetAccountingPolicyRequest policy;
  policy.mutable_policy()->set_year(2025);
  policy.mutable_policy()->set_performance_pay_uplift_rate("0.3");
  policy.mutable_policy()->set_public_funds_share("0.2");
  policy.mutable_policy()->set_fte_per_training_hour("0.00125");
  policy.set_request_id("policy-1");
  ledger_v1::AccountingPolicy set;
  grpc::Status status =
      Call("coordinator", "", *ledger_,
           &ledger_v1::TrainingLedgerService::Stub::SetAccountingPolicy, policy, &set);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(set.version(), 1);
  EXPECT_EQ(set.set_by(), "coordinator");

  evaluation_v1::ListIndicatorsRequest indicators;
  indicators.set_page_size(500);
  evaluation_v1::ListIndicatorsResponse listed;
  ASSERT_TRUE(Call("evaluator", "", *evaluation_,
                   &evaluation_v1::EvaluationService::Stub::ListIndicators, indicators, &listed)
                  .ok());
  EXPECT_EQ(listed.indicators_size(), Indicators().indicators_size());
}

TEST_F(ForwardingTest, TheServicesSeeTheTokensPrincipalNotTheCallersClaims) {
  FileTask6("hrss", "f1");
  tasks_v1::ListProgressRequest list;
  list.set_task(kTask6);
  list.set_period_id(kQuarter);
  tasks_v1::ListProgressResponse progress;
  ASSERT_TRUE(Call("coordinator", "", *tasks_, &TasksStub::ListProgress, list, &progress).ok());
  ASSERT_EQ(progress.progress_size(), 1);
  EXPECT_EQ(progress.progress(0).filed_by(), "department:hrss");

  // A department that claims to be the coordinator is still a department.
  FileTask6("edu", "f2");
  SubmitTask6();
  tasks_v1::ReviewReportRequest review;
  review.set_task(kTask6);
  review.set_period_id(kQuarter);
  review.set_decision(tasks_v1::REVIEW_DECISION_ACCEPT);
  review.set_request_id("sneaky");
  auto context = As("department", "hrss");
  context->AddMetadata("x-vetrack-role", "coordinator");
  tasks_v1::TaskReport report;
  EXPECT_EQ(tasks_->ReviewReport(context.get(), review, &report).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(ForwardingTest, ErrorsComeBackWithTheirDetails) {
  tasks_v1::FileProgressRequest request;
  request.set_task(kTask6);
  request.set_period_id("2031-Q2");
  request.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  request.set_narrative("x");
  request.set_request_id("bad-period");
  tasks_v1::Progress progress;
  grpc::Status status =
      Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedField(status), "period_id");

  tasks_v1::GetTaskRequest get;
  get.set_name(std::string(kPlan) + "/tasks/99");
  tasks_v1::Task task;
  EXPECT_EQ(Call("coordinator", "", *tasks_, &TasksStub::GetTask, get, &task).error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(ForwardingTest, AnUnknownMethodIsUnimplemented) {
  for (const char* method : {"/vetrack.tasks.v1.TaskRegistryService/NoSuchMethod",
                             "/vetrack.other.v1.OtherService/Get"}) {
    auto context = As("coordinator");
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    generic_->UnaryCall(context.get(), method, grpc::StubOptions(), &request, &response,
                        [&done](grpc::Status s) { done.set_value(s); });
    EXPECT_EQ(done.get_future().get().error_code(), StatusCode::UNIMPLEMENTED) << method;
  }
  // Without a token too: the metrics lump UNIMPLEMENTED into one series, and
  // a caller without a token must not be able to fill their cap of series
  // with method names of its own (found in review).
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext anonymous;
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1), response;
    std::promise<grpc::Status> done;
    const std::string method = "/junk.Svc/M" + std::to_string(i);
    generic_->UnaryCall(&anonymous, method, grpc::StubOptions(), &request, &response,
                        [&done](grpc::Status s) { done.set_value(s); });
    EXPECT_EQ(done.get_future().get().error_code(), StatusCode::UNIMPLEMENTED) << method;
  }
  EXPECT_EQ(GatewayMetric("grpc_server_handled_total", {"junk.Svc"}), 0);
  EXPECT_GE(GatewayMetric("grpc_server_handled_total", {"grpc_code=\"UNIMPLEMENTED\""}), 3);
}

TEST_F(ForwardingTest, AChangeWhoseBytesAreNotItsRequestIsInvalidArgument) {
  auto context = As("department", "hrss");
  grpc::Slice garbage(std::string("\xff\xff\xff"));
  grpc::ByteBuffer request(&garbage, 1), response;
  std::promise<grpc::Status> done;
  generic_->UnaryCall(context.get(), "/vetrack.tasks.v1.TaskRegistryService/FileProgress",
                      grpc::StubOptions(), &request, &response,
                      [&done](grpc::Status s) { done.set_value(s); });
  grpc::Status refused = done.get_future().get();
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << refused.error_message();
}

TEST_F(ForwardingTest, AClientStreamGoesThroughWhole) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + Token("school", "cqgsxx"));
  ledger_v1::ImportTrainingRecordsResponse response;
  auto writer = ledger_->ImportTrainingRecords(&context, &response);
  for (int message = 0; message < 3; ++message) {
    ledger_v1::ImportTrainingRecordsRequest chunk;
    for (int row = 0; row < 4; ++row) {
      auto* r = chunk.add_rows();
      r->set_line(message * 4 + row + 1);
      auto* record = r->mutable_training_record();
      record->set_institution_code("cqgsxx");
      record->set_record_id("imp-" + std::to_string(message * 4 + row));
      record->set_date("2025-03-01");
      record->set_programme(ledger_v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION);
      record->set_target_group(ledger_v1::TARGET_GROUP_ELDERLY);
      record->set_trainees(10);
      record->set_hours_per_trainee(4);
    }
    ASSERT_TRUE(writer->Write(chunk));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.rows_received(), 12);
  EXPECT_EQ(response.records_created(), 12);

  auto trail = AuditTrail("institutions/cqgsxx");
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0].method(), "/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords");
  EXPECT_EQ(trail[1].code(), "OK");
}

// A serialized message of a training import: a row per code, ids
// `{id_prefix}-{row}`.
std::string ImportChunk(const std::vector<std::string>& codes, const std::string& id_prefix) {
  ledger_v1::ImportTrainingRecordsRequest chunk;
  for (size_t row = 0; row < codes.size(); ++row) {
    auto* r = chunk.add_rows();
    r->set_line(static_cast<int>(row) + 1);
    auto* record = r->mutable_training_record();
    record->set_institution_code(codes[row]);
    record->set_record_id(absl::StrCat(id_prefix, "-", row));
    record->set_date("2025-03-01");
    record->set_programme(ledger_v1::PROGRAMME_TYPE_COMMUNITY_EDUCATION);
    record->set_target_group(ledger_v1::TARGET_GROUP_ELDERLY);
    record->set_trainees(10);
    record->set_hours_per_trainee(4);
  }
  return chunk.SerializeAsString();
}

// Sends `messages` as one client stream through a generic stub and waits
// for the call's end.
class RawClientStream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit RawClientStream(std::vector<std::string> messages) {
    for (auto& m : messages) {
      grpc::Slice slice(m);
      buffers_.emplace_back(&slice, 1);
    }
  }
  void Start() {
    StartRead(&response_);
    WriteNext();
    StartCall();
  }
  grpc::Status Wait() { return done_.get_future().get(); }

 private:
  void WriteNext() {
    if (next_ < buffers_.size()) {
      StartWrite(&buffers_[next_++]);
    } else {
      StartWritesDone();
    }
  }
  void OnWriteDone(bool ok) override {
    if (ok) WriteNext();
  }
  void OnReadDone(bool) override {}
  void OnDone(const grpc::Status& status) override { done_.set_value(status); }

  std::vector<grpc::ByteBuffer> buffers_;
  size_t next_ = 0;
  grpc::ByteBuffer response_;
  std::promise<grpc::Status> done_;
};

// Sends `messages` as one ImportTrainingRecords stream with `token`; its status.
grpc::Status StreamImport(grpc::GenericStub& generic, const std::string& token,
                          std::vector<std::string> messages) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  RawClientStream stream(std::move(messages));
  generic.PrepareBidiStreamingCall(&context,
                                   "/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords",
                                   grpc::StubOptions(), &stream);
  stream.Start();
  return stream.Wait();
}

// Found in review: the gateway forwarded a stream's later messages as bytes,
// and a service reading the stream takes one it cannot decode for the end:
// the import answered OK for the rows before it and dropped the rest.
TEST_F(ForwardingTest, AStreamMessageThatIsNotARequestEndsTheStreamAsInvalid) {
  auto chunk = [](int first_row) {
    return ImportChunk({"cqgsxx", "cqgsxx"}, "raw-" + std::to_string(first_row));
  };
  grpc::Status status = StreamImport(*generic_, Token("school", "cqgsxx"),
                                     {chunk(0), std::string("\xff\xff\xff"), chunk(2)});
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("request message 2"), std::string::npos)
      << status.error_message();

  auto trail = AuditTrail("institutions/cqgsxx");
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].code(), "INVALID_ARGUMENT");

  // A read whose bytes are not its request is the caller's mistake too, not
  // the service's INTERNAL.
  auto reader = As("school", "cqgsxx");
  grpc::Slice garbage(std::string("\xff\xff\xff"));
  grpc::ByteBuffer request(&garbage, 1), response;
  std::promise<grpc::Status> read;
  generic_->UnaryCall(reader.get(), "/vetrack.ledger.v1.TrainingLedgerService/GetTrainingRecord",
                      grpc::StubOptions(), &request, &response,
                      [&read](grpc::Status s) { read.set_value(s); });
  grpc::Status refused = read.get_future().get();
  EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << refused.error_message();
}

// Found in review: an import was audited under its first row's institution
// only, so a search by another institution it recorded for missed it.
TEST_F(ForwardingTest, AnImportIsFoundByEveryInstitutionOfItsRows) {
  // A row naming no institution a service could have (longer than any name)
  // is the ledger's to report as bad; the stream goes on, and the trail does
  // not name it.
  grpc::Status imported =
      StreamImport(*generic_, Token("coordinator"),
                   {ImportChunk({"cqvie", "cqvie"}, "a"), ImportChunk({"cqgsxx", "cqvie"}, "b"),
                    ImportChunk({std::string(kMaxAuditedValue + 1, 'x'), "cqvie"}, "x")});
  ASSERT_TRUE(imported.ok()) << imported.error_message();
  // The attempt saw the first message only; the outcome names both.
  auto cqgsxx = AuditTrail("institutions/cqgsxx");
  ASSERT_EQ(cqgsxx.size(), 1u);
  EXPECT_EQ(cqgsxx[0].kind(), gw::AUDIT_ENTRY_KIND_OUTCOME);
  EXPECT_EQ(cqgsxx[0].code(), "OK");
  EXPECT_EQ(cqgsxx[0].resource(), "institutions/cqvie");
  EXPECT_EQ(cqgsxx[0].other_resources_size(), 1);
  EXPECT_EQ(cqgsxx[0].other_resources(0), "institutions/cqgsxx");
  EXPECT_EQ(AuditTrail("institutions/cqvie").size(), 2u);

  // A stream whose rows name more institutions than the trail holds for one
  // call is ended where they do, as the caller's mistake; so is a message
  // that alone names too many, though it names the first message's too.
  std::vector<std::string> many = {"cqvie"};
  for (size_t i = 0; i <= kMaxOtherResources; ++i) many.push_back(absl::StrCat("s", i));
  grpc::Status status = StreamImport(*generic_, Token("coordinator"),
                                     {ImportChunk({"cqvie"}, "c"), ImportChunk(many, "d")});
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("rows"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("request message 2"), std::string::npos)
      << status.error_message();
}

TEST_F(ForwardingTest, EveryChangeIsAuditedAttemptThenOutcome) {
  FileTask6("hrss", "f-hrss");
  tasks_v1::FileProgressRequest denied;
  denied.set_task(kTask6);
  denied.set_period_id(kQuarter);
  denied.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  denied.set_narrative("x");
  denied.set_request_id("f-finance");
  tasks_v1::Progress progress;
  EXPECT_EQ(Call("department", "finance", *tasks_, &TasksStub::FileProgress, denied, &progress)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  // Reads are not audited.
  tasks_v1::GetTaskRequest get;
  get.set_name(kTask6);
  tasks_v1::Task task;
  ASSERT_TRUE(Call("coordinator", "", *tasks_, &TasksStub::GetTask, get, &task).ok());

  auto trail = AuditTrail(kTask6);
  ASSERT_EQ(trail.size(), 4u);
  EXPECT_EQ(trail[0].kind(), gw::AUDIT_ENTRY_KIND_ATTEMPT);
  EXPECT_EQ(trail[0].principal(), "department:hrss");
  EXPECT_EQ(trail[0].method(), "/vetrack.tasks.v1.TaskRegistryService/FileProgress");
  EXPECT_EQ(trail[0].request_id(), "f-hrss");
  EXPECT_EQ(trail[0].holder(), "clerk@department:hrss") << "who acted, not only for which unit";
  EXPECT_EQ(trail[0].token_id().size(), 16u);
  EXPECT_EQ(trail[1].kind(), gw::AUDIT_ENTRY_KIND_OUTCOME);
  EXPECT_EQ(trail[1].attempt_sequence(), trail[0].sequence());
  EXPECT_EQ(trail[1].code(), "OK");
  EXPECT_EQ(trail[2].principal(), "department:finance");
  EXPECT_EQ(trail[3].code(), "PERMISSION_DENIED");
  gw::ListAuditEntriesRequest by_holder;
  by_holder.set_holder("clerk@department:finance");
  gw::ListAuditEntriesResponse held;
  ASSERT_TRUE(Call("coordinator", "", *gateway_, &gw::GatewayService::Stub::ListAuditEntries,
                   by_holder, &held)
                  .ok());
  ASSERT_EQ(held.entries_size(), 2);
  EXPECT_EQ(held.entries(0).request_id(), "f-finance");

  // The loads of SetUp are there too, and the chain holds.
  auto all = AuditTrail();
  EXPECT_EQ(all.size(), 6u + 4u);
  EXPECT_EQ(all.front().request_id(), "load-catalog");
  gw::VerifyAuditChainResponse verified;
  ASSERT_TRUE(Call("operator", "", *gateway_, &gw::GatewayService::Stub::VerifyAuditChain,
                   gw::VerifyAuditChainRequest(), &verified)
                  .ok());
  EXPECT_TRUE(verified.intact());
  EXPECT_EQ(verified.entries(), 10);

  // Only the coordinator and operators read the trail.
  gw::ListAuditEntriesResponse entries;
  EXPECT_EQ(Call("department", "hrss", *gateway_, &gw::GatewayService::Stub::ListAuditEntries,
                 gw::ListAuditEntriesRequest(), &entries)
                .error_code(),
            StatusCode::PERMISSION_DENIED);

  // Someone with access to Redis rewrites who filed: verification names the entry.
  redis::Client redis(audit_redis_.options());
  RedisAuditStore store(redis, "vt:gw:");
  auto stored = store.Range(1, 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(redis.Command({"DEL", store.LogKey()}).ok());
  for (auto e : *stored) {
    if (e.sequence() == 7) e.set_principal("department:edu");
    ASSERT_TRUE(redis
                    .Command({"XADD", store.LogKey(), "0-" + std::to_string(e.sequence()), "e",
                              e.SerializeAsString()})
                    .ok());
  }
  ASSERT_TRUE(Call("coordinator", "", *gateway_, &gw::GatewayService::Stub::VerifyAuditChain,
                   gw::VerifyAuditChainRequest(), &verified)
                  .ok());
  EXPECT_FALSE(verified.intact());
  EXPECT_EQ(verified.first_bad_sequence(), 7);
}

// Found in review: the trail stored whatever a change named, before the
// service could refuse it, so any token holder could fill the shared Redis.
TEST_F(ForwardingTest, AChangeNamingSomethingTooLongForAnyServiceIsRefusedUnaudited) {
  const size_t entries_before = AuditTrail().size();
  tasks_v1::FileProgressRequest request;
  request.set_task(std::string(1 << 20, 't'));
  request.set_period_id(kQuarter);
  request.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  request.set_narrative("x");
  request.set_request_id("huge-name");
  tasks_v1::Progress progress;
  grpc::Status status =
      Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_details().find("task"), std::string::npos);

  request.set_task(kTask6);
  request.set_request_id(std::string(100, 'r'));
  status = Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(AuditTrail().size(), entries_before);

  request.set_request_id("fits");
  status = Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(AuditTrail().size(), entries_before + 2);
}

TEST_F(ForwardingTest, WithoutTheAuditTrailNoChangeIsMade) {
  audit_redis_.Kill();
  tasks_v1::FileProgressRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  request.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  request.set_narrative("不应记录");
  request.set_request_id("no-audit");
  tasks_v1::Progress progress;
  grpc::Status status =
      Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_EQ(status.error_code(), StatusCode::UNAVAILABLE);
  // Its words name the trail's Redis: logged at the gateway, not shown.
  EXPECT_EQ(status.error_message().find("redis"), std::string::npos) << status.error_message();
  EXPECT_GE(GatewayMetric("vetrack_gateway_audit_write_failures_total"), 1);

  // Straight at the registry: nothing was filed.
  auto direct = Direct("coordinator");
  tasks_v1::ListProgressRequest list;
  list.set_task(kTask6);
  list.set_period_id(kQuarter);
  tasks_v1::ListProgressResponse listed;
  ASSERT_TRUE(direct_tasks_->ListProgress(direct.get(), list, &listed).ok());
  EXPECT_EQ(listed.progress_size(), 0);

  // Reads do not need the trail.
  tasks_v1::GetTaskRequest get;
  get.set_name(kTask6);
  tasks_v1::Task task;
  EXPECT_TRUE(Call("coordinator", "", *tasks_, &TasksStub::GetTask, get, &task).ok());

  audit_redis_.Start();
  status = Call("department", "hrss", *tasks_, &TasksStub::FileProgress, request, &progress);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// Found in review: nothing tied the gateway's line of a call to the line the
// service it forwarded to wrote. The caller's x-request-id (or the gateway's)
// goes to the service, comes back to the caller, and is the reference of a
// withheld cause.
TEST_F(ForwardingTest, TheCallsRequestIdTiesTheServicesLogToTheCallersAnswer) {
  tasks_v1::GetTaskRequest get;
  get.set_name(kTask6);
  tasks_v1::Task task;
  // As hrss: the gateway then holds the district's units, which it checks a
  // department's token against, when the registry's store is gone below.
  auto context = As("department", "hrss");
  context->AddMetadata("x-request-id", "dept-7:call-1");
  ASSERT_TRUE(tasks_->GetTask(context.get(), get, &task).ok());
  auto answered = context->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(answered, context->GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(answered->second.data(), answered->second.size()), "dept-7:call-1");

  auto unnamed = As("coordinator");
  unnamed->AddMetadata("x-request-id", "not one/the gateway logs");
  ASSERT_TRUE(tasks_->GetTask(unnamed.get(), get, &task).ok());
  answered = unnamed->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(answered, unnamed->GetServerInitialMetadata().end());
  EXPECT_EQ(answered->second.size(), 16u) << "a malformed id is replaced by the gateway's";

  redis_.Kill();  // the registry's store
  tasks_v1::FileProgressRequest request;
  request.set_task(kTask6);
  request.set_period_id(kQuarter);
  request.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  request.set_narrative("存储不可用");
  request.set_request_id("store-down");
  tasks_v1::Progress progress;
  auto filing = As("department", "hrss");
  filing->AddMetadata("x-request-id", "dept-7:call-2");
  grpc::Status failed = tasks_->FileProgress(filing.get(), request, &progress);
  EXPECT_EQ(failed.error_code(), StatusCode::UNAVAILABLE) << failed.error_message();
  const std::string prefix = "the cause is logged under reference ";
  ASSERT_EQ(failed.error_message().rfind(prefix, 0), 0u) << failed.error_message();
  const std::string reference = failed.error_message().substr(prefix.size());
  const std::string gateway_log = Child(Process::kGateway).LogTail(20000);
  EXPECT_NE(gateway_log.find(R"("x_request_id":"dept-7:call-2","reference":")" + reference),
            std::string::npos)
      << gateway_log;
  const std::string registry_log = Child(Process::kTasks).LogTail(20000);
  EXPECT_NE(registry_log.find(R"("x_request_id":"dept-7:call-2")"), std::string::npos)
      << registry_log;
  redis_.Start();
}

// Words a service wrote for the caller pass the gateway as they are, with
// the cause they embed withheld: school reporting cannot check a new
// institution's code against the stopped registry's departments.
TEST_F(ForwardingTest, WordsWrittenForTheCallerPassTheGateway) {
  Kill(Process::kTasks);
  schools_v1::ImportInstitutionsRequest request;
  schools_v1::Institution* opened = request.mutable_catalog()->add_institutions();
  opened->set_code("cqnew");
  opened->set_display_name("新学校");
  opened->set_type(schools_v1::INSTITUTION_TYPE_TECHNICAL);
  request.set_request_id("registry-down");
  schools_v1::ImportInstitutionsResponse imported;
  grpc::Status refused =
      Call("operator", "", *schools_, &schools_v1::SchoolReportingService::Stub::ImportInstitutions,
           request, &imported);
  EXPECT_EQ(refused.error_code(), StatusCode::UNAVAILABLE);
  const std::string& message = refused.error_message();
  EXPECT_NE(message.find("cannot check the new institutions' codes against the task registry's"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("nothing was imported"), std::string::npos) << message;
  // The channel's words, which name the registry's address, are school
  // reporting's to log.
  EXPECT_EQ(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find("UNAVAILABLE: the cause is logged under reference "), std::string::npos)
      << message;
}

}  // namespace
}  // namespace vetrack::gateway
