// Where the gateway sends each method, and what it records of a request.
#include "routes.h"

#include <gtest/gtest.h>

#include "vetrack/ledger/v1/ledger.pb.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::gateway {
namespace {

TEST(RoutesTest, EveryServiceOfTheFourPackagesIsRouted) {
  RouteTable routes = RouteTable::Build();
  const Route* file = routes.Find("/vetrack.tasks.v1.TaskRegistryService/FileProgress");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->backend, Backend::kTasks);
  EXPECT_TRUE(file->mutating);
  const Route* get = routes.Find("/vetrack.schools.v1.SchoolReportingService/GetDataReport");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->backend, Backend::kSchools);
  EXPECT_FALSE(get->mutating);
  const Route* import = routes.Find("/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords");
  ASSERT_NE(import, nullptr);
  EXPECT_EQ(import->backend, Backend::kLedger);
  EXPECT_TRUE(import->descriptor->client_streaming());
  const Route* round = routes.Find("/vetrack.evaluation.v1.EvaluationService/FinalizeRound");
  ASSERT_NE(round, nullptr);
  EXPECT_EQ(round->backend, Backend::kEvaluation);
  // The gateway's own service, health and unknown methods are not forwarded.
  EXPECT_EQ(routes.Find("/vetrack.gateway.v1.GatewayService/WhoAmI"), nullptr);
  EXPECT_EQ(routes.Find("/grpc.health.v1.Health/Check"), nullptr);
  EXPECT_EQ(routes.Find("/vetrack.tasks.v1.TaskRegistryService/Nothing"), nullptr);
  EXPECT_GT(routes.All().size(), 50u);
}

TEST(RoutesTest, OnlyGetAndListAreReads) {
  EXPECT_FALSE(IsMutating("GetTask"));
  EXPECT_FALSE(IsMutating("ListEscalations"));
  EXPECT_TRUE(IsMutating("FileProgress"));
  EXPECT_TRUE(IsMutating("ExportRound"));
}

TEST(RoutesTest, FactsNameTheResourceAndTheIdempotencyKey) {
  RouteTable routes = RouteTable::Build();
  tasks::v1::FileProgressRequest progress;
  progress.set_task("plans/p/tasks/6");
  progress.set_request_id("r-1");
  RequestFacts facts =
      FactsOf(*routes.Find("/vetrack.tasks.v1.TaskRegistryService/FileProgress"), progress);
  EXPECT_EQ(facts.resource, "plans/p/tasks/6");
  EXPECT_EQ(facts.request_id, "r-1");

  ledger::v1::CreateTrainingRecordRequest record;
  record.mutable_training_record()->set_institution_code("cqvie");
  record.mutable_training_record()->set_record_id("t-9");
  facts = FactsOf(*routes.Find("/vetrack.ledger.v1.TrainingLedgerService/CreateTrainingRecord"),
                  record);
  EXPECT_EQ(facts.resource, "institutions/cqvie/trainingRecords/t-9");
  EXPECT_EQ(facts.request_id, "t-9");

  ledger::v1::SetAccountingPolicyRequest policy;
  policy.mutable_policy()->set_year(2025);
  facts = FactsOf(*routes.Find("/vetrack.ledger.v1.TrainingLedgerService/SetAccountingPolicy"),
                  policy);
  EXPECT_EQ(facts.resource, "accountingPolicies/2025");

  // A half-named resource is left out rather than recorded wrong.
  ledger::v1::CreateTrainingRecordRequest unnamed;
  unnamed.mutable_training_record()->set_record_id("t-9");
  facts = FactsOf(*routes.Find("/vetrack.ledger.v1.TrainingLedgerService/CreateTrainingRecord"),
                  unnamed);
  EXPECT_EQ(facts.resource, "");
}

}  // namespace
}  // namespace vetrack::gateway
