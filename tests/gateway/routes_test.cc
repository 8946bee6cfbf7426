// Where the gateway sends each method, what it records of a request, and how
// query parameters become a request.
#include "routes.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "http_json.h"
#include "proxy.h"
#include "status/errors.h"
#include "vetrack/gateway/v1/gateway.pb.h"
#include "vetrack/ledger/v1/ledger.pb.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::gateway {
namespace {

// Found in review: the views' cache was kept after a change whose answer was
// lost (a deadline), though the service may have made it.
TEST(RoutesTest, AChangeMayHaveBeenMadeUnlessItWasRefused) {
  for (auto code :
       {grpc::StatusCode::OK, grpc::StatusCode::DEADLINE_EXCEEDED, grpc::StatusCode::CANCELLED,
        grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::INTERNAL, grpc::StatusCode::UNKNOWN}) {
    EXPECT_TRUE(MayHaveApplied(code)) << code;
  }
  for (auto code : {grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::PERMISSION_DENIED,
                    grpc::StatusCode::FAILED_PRECONDITION, grpc::StatusCode::ABORTED,
                    grpc::StatusCode::NOT_FOUND, grpc::StatusCode::UNAUTHENTICATED}) {
    EXPECT_FALSE(MayHaveApplied(code)) << code;
  }
}

TEST(RoutesTest, EveryServiceOfTheFourPackagesIsRouted) {
  RouteTable routes = RouteTable::Build();
  EXPECT_TRUE(routes.missing_services().empty());
  const Route* file = routes.Find("/vetrack.tasks.v1.TaskRegistryService/FileProgress");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->backend, Backend::kTasks);
  EXPECT_TRUE(file->audited);
  EXPECT_TRUE(file->changes);
  const Route* get = routes.Find("/vetrack.schools.v1.SchoolReportingService/GetDataReport");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->backend, Backend::kSchools);
  EXPECT_FALSE(get->audited);
  EXPECT_FALSE(get->changes);
  const Route* import =
      routes.Find("/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords");
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

TEST(RoutesTest, OnlyGetListBatchGetDiffAndExportAreReads) {
  EXPECT_FALSE(Changes("GetTask"));
  EXPECT_FALSE(Changes("ListEscalations"));
  EXPECT_FALSE(Changes("BatchGetAcceptedFigures"));
  // Found in review: a diff was audited as a change, and cleared the views.
  EXPECT_FALSE(Changes("DiffQualityReportRevisions"));
  EXPECT_TRUE(Changes("FileProgress"));
  // An export changes nothing (it no longer clears the views), but who took
  // a round's scores out is on record.
  EXPECT_FALSE(Changes("ExportRound"));
  EXPECT_TRUE(IsAudited("ExportRound"));
  EXPECT_TRUE(IsAudited("FileProgress"));
  EXPECT_FALSE(IsAudited("GetTask"));
  EXPECT_FALSE(IsAudited("DiffQualityReportRevisions"));
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
  facts =
      FactsOf(*routes.Find("/vetrack.ledger.v1.TrainingLedgerService/SetAccountingPolicy"), policy);
  EXPECT_EQ(facts.resource, "accountingPolicies/2025");

  // A half-named resource is left out rather than recorded wrong.
  ledger::v1::CreateTrainingRecordRequest unnamed;
  unnamed.mutable_training_record()->set_record_id("t-9");
  facts = FactsOf(*routes.Find("/vetrack.ledger.v1.TrainingLedgerService/CreateTrainingRecord"),
                  unnamed);
  EXPECT_EQ(facts.resource, "");
  EXPECT_EQ(facts.oversized_field, "");
}

// A training import's rows may concern several institutions: the first is
// the resource, each other is named once; past the bound the call is refused.
TEST(RoutesTest, AnImportNamesEveryInstitutionOfItsRows) {
  RouteTable routes = RouteTable::Build();
  const Route& import =
      *routes.Find("/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords");
  EXPECT_EQ(EachElementField(import), "rows");
  EXPECT_EQ(EachElementField(
                *routes.Find("/vetrack.ledger.v1.TrainingLedgerService/CreateTrainingRecord")),
            "");
  auto rows = [](std::vector<std::string> codes) {
    ledger::v1::ImportTrainingRecordsRequest request;
    for (const auto& code : codes) {
      request.add_rows()->mutable_training_record()->set_institution_code(code);
    }
    return request;
  };
  RequestFacts facts = FactsOf(import, rows({"cqvie", "cqgsxx", "cqvie", "", "cqepc"}));
  EXPECT_EQ(facts.resource, "institutions/cqvie");
  EXPECT_EQ(facts.other_resources,
            (std::vector<std::string>{"institutions/cqgsxx", "institutions/cqepc"}));
  EXPECT_EQ(facts.crowded_field, "");

  // A later message of the stream adds only what is new.
  facts.AddOthers(FactsOf(import, rows({"cqepc", "cqjtgj"})), "rows");
  EXPECT_EQ(facts.other_resources,
            (std::vector<std::string>{"institutions/cqgsxx", "institutions/cqepc",
                                      "institutions/cqjtgj"}));

  std::vector<std::string> many;
  for (size_t i = 0; i <= kMaxOtherResources; ++i) many.push_back(absl::StrCat("s", i));
  RequestFacts bounded = FactsOf(import, rows(many));
  EXPECT_EQ(bounded.other_resources.size(), kMaxOtherResources);
  EXPECT_EQ(bounded.crowded_field, "");
  many.push_back("one-more");
  RequestFacts crowded = FactsOf(import, rows(many));
  EXPECT_EQ(crowded.other_resources.size(), kMaxOtherResources);
  EXPECT_EQ(crowded.crowded_field, "rows");
}

// Every change is audited before it is forwarded: a value longer than any
// service accepts is named, so the call is refused before the trail stores it.
TEST(RoutesTest, FactsNameAFieldTooLongForTheTrail) {
  RouteTable routes = RouteTable::Build();
  const Route& file = *routes.Find("/vetrack.tasks.v1.TaskRegistryService/FileProgress");
  tasks::v1::FileProgressRequest progress;
  progress.set_task(std::string(kMaxAuditedValue, 't'));
  progress.set_request_id(std::string(kMaxAuditedRequestId, 'r'));
  EXPECT_EQ(FactsOf(file, progress).oversized_field, "");
  progress.set_request_id(std::string(kMaxAuditedRequestId + 1, 'r'));
  EXPECT_EQ(FactsOf(file, progress).oversized_field, "request_id");
  progress.set_task(std::string(3 << 20, 't'));
  EXPECT_EQ(FactsOf(file, progress).oversized_field, "task");

  const Route& create =
      *routes.Find("/vetrack.ledger.v1.TrainingLedgerService/CreateTrainingRecord");
  ledger::v1::CreateTrainingRecordRequest record;
  record.mutable_training_record()->set_institution_code("cqvie");
  record.mutable_training_record()->set_record_id(std::string(1000, 'x'));
  EXPECT_EQ(FactsOf(create, record).oversized_field, "training_record.record_id");
}

// Both found by the HTTP/JSON fuzzer: "1-2" went into the JSON unquoted, and
// a parameter given twice made a JSON object with a key twice.
TEST(HttpJsonTest, QueryParametersMakeJsonAndEachIsGivenOnce) {
  const auto* type = v1::ListAuditEntriesRequest::descriptor();
  auto json = QueryToJson(type, {{"pageSize", "20"}, {"principal", "department:hrss"}}, {});
  ASSERT_TRUE(json.ok()) << json.status();
  auto bytes = JsonToBinary(type, *json);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  v1::ListAuditEntriesRequest request;
  ASSERT_TRUE(request.ParseFromString(*bytes));
  EXPECT_EQ(request.page_size(), 20);
  EXPECT_EQ(request.principal(), "department:hrss");

  // A value its field cannot take is blamed on the parameter (there is no body).
  json = QueryToJson(type, {{"page_size", "1-2"}}, {});
  ASSERT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(json.status())[0].field, "page_size");

  json = QueryToJson(type, {{"principal", "a"}, {"principal", "b"}}, {});
  ASSERT_EQ(json.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(json.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(json.status())[0].field, "principal");
}

// Found by the HTTP/JSON fuzzer: "[{},,{}]" was read as three requests, the
// empty one as {}.
// Found by the HTTP/JSON fuzzer: the typed parser let a key given twice pass,
// the last one silently winning.
TEST(HttpJsonTest, ABodyGivingAKeyTwiceIsRefused) {
  const auto* type = v1::ListAuditEntriesRequest::descriptor();
  ASSERT_TRUE(JsonToBinary(type, R"({"principal":"a","pageSize":5})").ok());
  auto twice = JsonToBinary(type, R"({"principal":"a","principal":"b"})");
  ASSERT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(twice.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(twice.status())[0].field, "body");
}

// Found in use: every mistake in a body was blamed on "body", a map's entry
// was named by number and an enum's values were not said.
TEST(HttpJsonTest, AValueItsFieldCannotTakeIsBlamedOnThatField) {
  auto field_of = [](const absl::Status& status) {
    auto violations = FieldViolationsOf(status);
    return violations.empty() ? std::string("(none)") : violations[0].field;
  };
  auto words_of = [](const absl::Status& status) {
    auto violations = FieldViolationsOf(status);
    return violations.empty() ? std::string() : violations[0].description;
  };
  const auto* filing = vetrack::tasks::v1::FileProgressRequest::descriptor();
  auto bad_enum = JsonToBinary(filing, R"({"task":"plans/p/tasks/6","status":"ON_TRACK"})");
  EXPECT_EQ(field_of(bad_enum.status()), "status") << bad_enum.status();
  EXPECT_NE(words_of(bad_enum.status()).find("PROGRESS_STATUS_"), std::string::npos)
      << bad_enum.status();
  auto bad_type = JsonToBinary(filing, R"({"task":6})");
  EXPECT_EQ(field_of(bad_type.status()), "task") << bad_type.status();
  auto nested = JsonToBinary(filing, R"({"figures":[{"value":"many"}]})");
  EXPECT_EQ(field_of(nested.status()).rfind("figures", 0), 0u) << nested.status();

  const auto* audit = v1::ListAuditEntriesRequest::descriptor();
  auto date = QueryToJson(audit, {{"start_time", "2026-12-02"}}, {});
  EXPECT_EQ(field_of(date.status()), "start_time");
  EXPECT_NE(words_of(date.status()).find("RFC 3339"), std::string::npos) << date.status();
  // Not a field path protobuf gives: the body as a whole.
  EXPECT_EQ(field_of(JsonToBinary(audit, "{").status()), "body");
  // Found in review: advice added to every complaint misled. A whole number
  // out of its range says the range; an unknown name keeps protobuf's words.
  auto too_big = JsonToBinary(audit, R"({"pageSize":3000000000})");
  EXPECT_EQ(field_of(too_big.status()), "page_size");
  EXPECT_NE(words_of(too_big.status()).find("to 2147483647"), std::string::npos)
      << too_big.status();
  auto unknown = JsonToBinary(filing, R"({"figures":[{"valu":1}]})");
  EXPECT_EQ(words_of(unknown.status()).find("expected"), std::string::npos) << unknown.status();
  auto not_a_list = JsonToBinary(filing, R"({"figures":5})");
  EXPECT_NE(words_of(not_a_list.status()).find("a list of"), std::string::npos)
      << not_a_list.status();
}

TEST(HttpJsonTest, ArraysWithAnEmptyElementAreNotJson) {
  bool is_array = false;
  auto elements = SplitJsonArray(R"([{"a":[1,2]}, {"b":"]"}])", &is_array);
  ASSERT_TRUE(elements.ok());
  EXPECT_TRUE(is_array);
  EXPECT_EQ(*elements, (std::vector<std::string>{R"({"a":[1,2]})", R"({"b":"]"})"}));
  EXPECT_TRUE(SplitJsonArray("[ ]", &is_array).ok());
  for (const char* bad : {"[{},,{}]", "[,{}]", "[{},]", "[{}", "[}", R"([{"rows":[]}})", "[{]}"}) {
    EXPECT_EQ(SplitJsonArray(bad, &is_array).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace vetrack::gateway
