#ifndef VETRACK_TESTS_GATEWAY_E2E_FIXTURE_H_
#define VETRACK_TESTS_GATEWAY_E2E_FIXTURE_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "auth/token.h"
#include "testing/redis_server.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

// All five binaries on free ports: the four services sharing one
// redis-server, the gateway with a redis-server of its own (the audit trail,
// so a test can take it away alone), a token key in a temporary file. The
// plan's catalog, the institutions and the indicators are loaded through
// the gateway by an operator. Every stub below talks to the gateway.
namespace vetrack::gateway {

namespace gw = ::vetrack::gateway::v1;
namespace tasks_v1 = ::vetrack::tasks::v1;
namespace schools_v1 = ::vetrack::schools::v1;
namespace ledger_v1 = ::vetrack::ledger::v1;
namespace evaluation_v1 = ::vetrack::evaluation::v1;

// A past quarter and years, so nothing depends on today's date.
inline constexpr char kPlan[] = "plans/jiangjin-vet-2021";
inline constexpr char kTask6[] = "plans/jiangjin-vet-2021/tasks/6";  // hrss leads, edu shares
inline constexpr char kQuarter[] = "2025-Q2";
inline constexpr char kDataReport[] = "institutions/cqgsxx/dataReports/ay2024";

// kDataReport with every item a 中职 school must report, and one major (710201).
void CompleteDataReport(schools_v1::DataReport* report);

// The first BadRequest field of a gRPC error.
std::string ViolatedField(const grpc::Status& status);

// Whether a view names `name` among its missing sections.
bool Missing(const google::protobuf::RepeatedPtrField<std::string>& sections,
             const std::string& name);

class GatewayE2ETest : public ::testing::Test {
 protected:
  enum class Process { kTasks, kSchools, kLedger, kEvaluation, kGateway };

  void SetUp() override;
  void TearDown() override;

  std::string Token(const std::string& role, const std::string& unit = "") const;
  // A context with the caller's bearer token and a 10-second deadline.
  std::unique_ptr<grpc::ClientContext> As(const std::string& role,
                                          const std::string& unit = "") const;
  // A context for a service called directly, around the gateway: the
  // principal in the metadata the gateway would have set.
  std::unique_ptr<grpc::ClientContext> Direct(const std::string& role,
                                              const std::string& unit = "") const;

  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(const std::string& role, const std::string& unit, Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    auto context = As(role, unit);
    return (stub.*method)(context.get(), request, response);
  }

 public:
  // The plan's data, as in services/*/data.
  static tasks_v1::Catalog Catalog();
  static schools_v1::InstitutionCatalog Institutions();
  static evaluation_v1::IndicatorCatalog Indicators();

 protected:
  // Progress on task 6 in kQuarter by hrss (the lead) and edu.
  void FileTask6(const std::string& unit, const std::string& request_id);
  // hrss consolidates task 6's report for kQuarter.
  void SubmitTask6();
  // Round rounds/2024-annual: cqgsxx 88 and cqjnzx 92 on one dimension, final.
  void FinalRound2024();

  // The audit trail, oldest first, as the coordinator reads it.
  std::vector<gw::AuditEntry> AuditTrail(const std::string& resource = "");

  testing::ChildProcess& Child(Process process);
  void Kill(Process process);
  // SIGSTOP: the process keeps its port but answers nothing.
  void Pause(Process process);
  void Resume(Process process);

  // More flags for the gateway, for a suite that needs other settings.
  virtual std::vector<std::string> GatewayFlags() const { return {}; }
  // The gateway as in prod: gRPC over TLS only, asking systems for a
  // certificate from its client CA. The certificates are in tls_dir()
  // (ca.pem; server.pem for "localhost"; client.pem and client.key), and the
  // fixture's own calls present the client certificate.
  virtual bool GatewayOverTls() const { return false; }
  const std::string& tls_dir() const { return dir_; }

  int gateway_port() const { return ports_.gateway; }
  // A series' value from the gateway's /metrics: the first line of `name`
  // holding every one of `labels` (e.g. `view="overview"`); 0 when none
  // does, -1 when /metrics does not answer.
  double GatewayMetric(const std::string& name, const std::vector<std::string>& labels = {});
  int http_port() const { return ports_.http; }
  int tasks_port() const { return ports_.tasks; }

  testing::RedisServer redis_;
  testing::RedisServer audit_redis_;
  std::unique_ptr<TokenKeys> keys_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<tasks_v1::TaskRegistryService::Stub> tasks_;
  std::unique_ptr<schools_v1::SchoolReportingService::Stub> schools_;
  std::unique_ptr<ledger_v1::TrainingLedgerService::Stub> ledger_;
  std::unique_ptr<evaluation_v1::EvaluationService::Stub> evaluation_;
  std::unique_ptr<gw::GatewayService::Stub> gateway_;
  std::unique_ptr<grpc::GenericStub> generic_;
  // The task registry itself, bypassing the gateway.
  std::unique_ptr<tasks_v1::TaskRegistryService::Stub> direct_tasks_;

 private:
  struct Ports {
    int tasks = 0, schools = 0, ledger = 0, evaluation = 0, gateway = 0, http = 0,
        gateway_metrics = 0;
  };
  void Start(Process process, const std::vector<std::string>& argv, int port);

  std::string dir_;
  Ports ports_;
  testing::ChildProcess children_[5];
};

}  // namespace vetrack::gateway

#endif  // VETRACK_TESTS_GATEWAY_E2E_FIXTURE_H_
