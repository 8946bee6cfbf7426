#ifndef VETRACK_SERVICES_EVALUATION_GRPC_SOURCES_H_
#define VETRACK_SERVICES_EVALUATION_GRPC_SOURCES_H_

#include <map>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "sources.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::evaluation {

// The sources over gRPC. The evaluation reads as the evaluator (role
// "evaluator"), which school-reporting and the ledger let read everything:
// indicators are district figures, whoever asks for them. The task registry
// is asked only for its units and the plan's task numbers, reference data
// anyone reads.
class GrpcEvaluationSources : public EvaluationSources {
 public:
  GrpcEvaluationSources(const std::string& schools_address, const std::string& ledger_address,
                        const std::string& tasks_address, const std::string& plan_id,
                        absl::Duration timeout = absl::Seconds(5));

  absl::StatusOr<std::vector<Institution>> Institutions(absl::Time answer_by) override;
  absl::StatusOr<SchoolYear> DataReports(const std::vector<Institution>& institutions,
                                         const std::string& period_id,
                                         absl::Time answer_by) override;
  absl::StatusOr<LedgerYear> Ledger(int year, absl::Time answer_by) override;
  absl::StatusOr<std::map<std::string, std::string>> DistrictUnits(absl::Time answer_by) override;
  absl::StatusOr<std::set<int>> TaskNumbers(absl::Time answer_by) override;
  absl::StatusOr<std::set<std::string>> CountItems(absl::Time answer_by) override;

 private:
  // As the evaluator, with the call's deadline: `timeout` from now, or
  // `answer_by` when that comes first.
  void Prepare(grpc::ClientContext* context, absl::Duration timeout, absl::Time answer_by) const;
  std::unique_ptr<grpc::ClientContext> Context(absl::Time answer_by) const;

  std::unique_ptr<vetrack::schools::v1::SchoolReportingService::Stub> schools_;
  std::unique_ptr<vetrack::ledger::v1::TrainingLedgerService::Stub> ledger_;
  std::unique_ptr<vetrack::tasks::v1::TaskRegistryService::Stub> tasks_;
  std::string plan_;  // plans/{plan_id}
  absl::Duration timeout_;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_GRPC_SOURCES_H_
