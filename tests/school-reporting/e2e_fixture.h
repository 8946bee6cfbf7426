#ifndef VETRACK_TESTS_SCHOOL_REPORTING_E2E_FIXTURE_H_
#define VETRACK_TESTS_SCHOOL_REPORTING_E2E_FIXTURE_H_

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "testing/redis_server.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"

// The school-reporting binary on a free port with its own redis-server, the
// nine institutions loaded, and the windows of ay2024 and cy2023 set open
// until 2099, so nothing depends on today's date.
namespace vetrack::schools {

using HealthStatus = grpc::health::v1::HealthCheckResponse;

// A 中职 school's data report, used throughout.
extern const std::string kReport;

// The first BadRequest field, and the ErrorInfo reason, of a gRPC error.
std::string Field(const grpc::Status& status);
std::string Reason(const grpc::Status& status);

// A complete report for kReport with `employed` graduates in employment.
v1::DataReport Secondary(int employed);

class SchoolReportingE2ETest : public ::testing::Test {
 protected:
  using Stub = v1::SchoolReportingService::Stub;

  void SetUp() override;
  void TearDown() override;
  void StartService();
  bool PortOpen() const;
  // Polls the health of `service` ("" is the overall status) until it is `want`.
  bool WaitForHealth(HealthStatus::ServingStatus want, const std::string& service = "");

  // Calls `method` as role[:unit].
  template <typename Request, typename Response>
  grpc::Status Call(const std::string& role, const std::string& unit,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    ctx.AddMetadata("x-vetrack-role", role);
    if (!unit.empty()) ctx.AddMetadata("x-vetrack-unit", unit);
    return ((*stub_).*method)(&ctx, request, response);
  }

  grpc::Status Save(const v1::DataReport& report, const std::string& request_id,
                    v1::DataReport* out, const std::string& school = "cqgsxx");
  grpc::Status Submit(const std::string& request_id, v1::DataReport* out);
  // Accepts when `returns` (item, reason) is empty, else returns those items.
  grpc::Status Review(const std::string& request_id, v1::DataReport* out,
                      std::vector<std::pair<std::string, std::string>> returns = {});
  v1::DataReport Get(const std::string& role = "evaluator", const std::string& unit = "");
  // A cy2023 quality report stating three key figures.
  grpc::Status SubmitQuality(const std::string& school, const std::string& request_id);

  testing::RedisServer redis_;
  testing::ChildProcess service_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace vetrack::schools

#endif  // VETRACK_TESTS_SCHOOL_REPORTING_E2E_FIXTURE_H_
