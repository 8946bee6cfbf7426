#ifndef VETRACK_SERVICES_GATEWAY_BACKENDS_H_
#define VETRACK_SERVICES_GATEWAY_BACKENDS_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "auth/principal.h"
#include "routes.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::gateway {

struct BackendAddresses {
  std::string tasks = "127.0.0.1:50051";
  std::string schools = "127.0.0.1:50052";
  std::string ledger = "127.0.0.1:50053";
  std::string evaluation = "127.0.0.1:50054";
};

// The four services, each one channel made at start-up and shared by every
// call (gRPC multiplexes calls over it), with a typed stub for the views and
// a generic stub for forwarding.
class Backends {
 public:
  explicit Backends(const BackendAddresses& addresses);

  grpc::GenericStub& generic(Backend backend) { return *generic_[static_cast<int>(backend)]; }
  tasks::v1::TaskRegistryService::Stub& tasks() { return *tasks_; }
  schools::v1::SchoolReportingService::Stub& schools() { return *schools_; }
  ledger::v1::TrainingLedgerService::Stub& ledger() { return *ledger_; }
  evaluation::v1::EvaluationService::Stub& evaluation() { return *evaluation_; }

  // The caller's identity, as the services read it, and the deadline.
  static void Prepare(grpc::ClientContext* context, const Principal& caller, absl::Time deadline);

 private:
  std::array<std::shared_ptr<grpc::Channel>, kBackendCount> channels_;
  std::array<std::unique_ptr<grpc::GenericStub>, kBackendCount> generic_;
  std::unique_ptr<tasks::v1::TaskRegistryService::Stub> tasks_;
  std::unique_ptr<schools::v1::SchoolReportingService::Stub> schools_;
  std::unique_ptr<ledger::v1::TrainingLedgerService::Stub> ledger_;
  std::unique_ptr<evaluation::v1::EvaluationService::Stub> evaluation_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_BACKENDS_H_
