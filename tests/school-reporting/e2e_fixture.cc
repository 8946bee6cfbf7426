#include "e2e_fixture.h"

#include <signal.h>

#include <thread>

#include "clock/timestamp.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "institution_file.h"

namespace vetrack::schools {
namespace {

const std::string kInstitutionsPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/school-reporting/data/institutions.json";
const absl::TimeZone kTz = absl::FixedTimeZone(8 * 3600);
google::protobuf::Timestamp Day(int y, int m, int d) {
  return TimeToProto(absl::FromCivil(absl::CivilDay(y, m, d), kTz));
}

// The first BadRequest field and the ErrorInfo reason of a gRPC error.
std::string Detail(const grpc::Status& status, bool want_reason) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::ErrorInfo info;
    if (!want_reason && any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      return bad_request.field_violations(0).field();
    }
    if (want_reason && any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

}  // namespace

const std::string kReport = "institutions/cqgsxx/dataReports/ay2024";  // a 中职 school

std::string Field(const grpc::Status& status) { return Detail(status, false); }
std::string Reason(const grpc::Status& status) { return Detail(status, true); }

v1::DataReport Secondary(int employed) {
  v1::DataReport report;
  report.set_name(kReport);
  auto& c = *report.mutable_counts();
  c["enrolled_students"] = 3200;
  c["fulltime_professional_teachers"] = 180;
  c["dual_qualified_teachers"] = 130;
  c["industry_parttime_teachers"] = 40;
  c["graduates"] = 1000;
  c["graduates_further_study"] = 520;
  c["graduates_employed"] = employed;
  c["training_person_times"] = 6400;
  c["classroom_revolution_cases"] = 2;
  c["classroom_revolution_cases_municipal"] = 1;
  v1::Major* major = report.add_majors();
  major->set_catalog_code("710201");
  major->set_status(v1::MAJOR_STATUS_UPGRADED);
  return report;
}

void SchoolReportingE2ETest::SetUp() {
  grpc_port_ = testing::FreePort();
  metrics_port_ = testing::FreePort();
  StartService();
  ASSERT_TRUE(WaitForHealth(HealthStatus::SERVING)) << service_.LogTail();
  auto catalog = ReadInstitutionFile(kInstitutionsPath);
  ASSERT_TRUE(catalog.ok());
  v1::ImportInstitutionsRequest load;
  *load.mutable_catalog() = *catalog;
  load.set_request_id("load");
  v1::ImportInstitutionsResponse loaded;
  ASSERT_TRUE(Call("operator", "", &Stub::ImportInstitutions, load, &loaded).ok());
  ASSERT_EQ(loaded.created(), 9);
  // ay2024 is open with its close far ahead; cy2023 likewise.
  for (const auto& [id, open] :
       {std::pair<std::string, google::protobuf::Timestamp>{"ay2024", Day(2024, 9, 1)},
        {"cy2023", Day(2024, 1, 1)}}) {
    v1::UpdatePeriodRequest window;
    window.mutable_period()->set_name("periods/" + id);
    *window.mutable_period()->mutable_open_time() = open;
    *window.mutable_period()->mutable_close_time() = Day(2099, 1, 1);
    window.set_request_id("window-" + id);
    v1::Period period;
    ASSERT_TRUE(Call("coordinator", "", &Stub::UpdatePeriod, window, &period).ok());
  }
}

void SchoolReportingE2ETest::TearDown() {
  if (service_.running()) service_.Signal(SIGKILL);
}

void SchoolReportingE2ETest::StartService() {
  ASSERT_TRUE(
      service_.Start({SCHOOL_REPORTING_BINARY, "--listen=127.0.0.1:" + std::to_string(grpc_port_),
                      "--metrics=127.0.0.1:" + std::to_string(metrics_port_),
                      "--redis=" + redis_.address(), "--drain-seconds=2"},
                     testing::TempLogPath("school-reporting-e2e")));
  // Connect only once the port listens: a channel that fails its first
  // connect backs off for a second or more before trying again.
  for (int i = 0; i < 400 && !PortOpen(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  stub_ = v1::SchoolReportingService::NewStub(channel);
  health_ = grpc::health::v1::Health::NewStub(channel);
}

bool SchoolReportingE2ETest::PortOpen() const { return ::vetrack::testing::PortOpen(grpc_port_); }

bool SchoolReportingE2ETest::WaitForHealth(HealthStatus::ServingStatus want,
                                           const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  for (int i = 0; i < 200; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    HealthStatus resp;
    if (health_->Check(&ctx, request, &resp).ok() && resp.status() == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

grpc::Status SchoolReportingE2ETest::Save(const v1::DataReport& report,
                                          const std::string& request_id, v1::DataReport* out,
                                          const std::string& school) {
  v1::UpdateDataReportRequest req;
  *req.mutable_data_report() = report;
  req.set_request_id(request_id);
  return Call("school", school, &Stub::UpdateDataReport, req, out);
}

grpc::Status SchoolReportingE2ETest::Submit(const std::string& request_id, v1::DataReport* out) {
  v1::SubmitDataReportRequest req;
  req.set_name(kReport);
  req.set_request_id(request_id);
  return Call("school", "cqgsxx", &Stub::SubmitDataReport, req, out);
}

grpc::Status SchoolReportingE2ETest::Review(
    const std::string& request_id, v1::DataReport* out,
    std::vector<std::pair<std::string, std::string>> returns) {
  v1::ReviewDataReportRequest req;
  req.set_name(kReport);
  req.set_decision(returns.empty() ? v1::REVIEW_DECISION_ACCEPT : v1::REVIEW_DECISION_RETURN);
  for (const auto& [item, reason] : returns) {
    v1::ItemReturn* r = req.add_returns();
    r->set_item(item);
    r->set_reason(reason);
  }
  req.set_request_id(request_id);
  return Call("coordinator", "", &Stub::ReviewDataReport, req, out);
}

v1::DataReport SchoolReportingE2ETest::Get(const std::string& role, const std::string& unit) {
  v1::GetDataReportRequest req;
  req.set_name(kReport);
  v1::DataReport report;
  EXPECT_TRUE(Call(role, unit, &Stub::GetDataReport, req, &report).ok());
  return report;
}

grpc::Status SchoolReportingE2ETest::SubmitQuality(const std::string& school,
                                                   const std::string& request_id) {
  v1::SubmitQualityReportRequest req;
  v1::QualityReport* report = req.mutable_quality_report();
  report->set_name("institutions/" + school + "/qualityReports/cy2023");
  report->set_title("2023年度质量年报");
  report->set_document_uri("doc://zlnb/2023/" + school);
  report->set_document_sha256(std::string(64, 'b'));
  for (const char* key : {"enrolled_students", "employment_rate", "graduates"}) {
    v1::KeyFigure* figure = report->add_key_figures();
    figure->set_key(key);
    figure->set_value(school.size() * 100.0 + std::string(key).size());
  }
  req.set_request_id(request_id);
  v1::QualityReport out;
  return Call("school", school, &Stub::SubmitQualityReport, req, &out);
}

}  // namespace vetrack::schools
