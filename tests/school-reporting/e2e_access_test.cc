// End to end over gRPC: who may call what (the permission matrix), and bad
// input refused naming its field while nothing stored changes.
#include <functional>
#include <set>
#include <tuple>

#include "e2e_fixture.h"
#include "testing/reflection_client.h"

namespace vetrack::schools {
namespace {

using grpc::StatusCode;

// Found when schools.proto was split: the service's descriptor is linked into
// the binary with it, so reflection (grpcurl, the gateway's routes) can
// describe it, its requests and its resources.
TEST_F(SchoolReportingE2ETest, ReflectionDescribesTheServiceAndWhatItUses) {
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                     grpc::InsecureChannelCredentials());
  auto files = testing::ReflectFileContaining(channel, "vetrack.schools.v1.SchoolReportingService");
  ASSERT_TRUE(files.ok()) << files.status();
  std::set<std::string> names;
  for (const auto& file : *files) names.insert(file.name());
  EXPECT_EQ(files->front().name(), "vetrack/schools/v1/schools.proto");
  ASSERT_EQ(files->front().service_size(), 1);
  EXPECT_EQ(files->front().service(0).name(), "SchoolReportingService");
  for (const std::string imported :
       {"vetrack/schools/v1/reference_data.proto", "vetrack/schools/v1/reports.proto",
        "vetrack/schools/v1/spot_checks.proto"}) {
    EXPECT_EQ(names.count(imported), 1u) << imported;
  }
  auto unknown = testing::ReflectFileContaining(channel, "vetrack.schools.v1.NoSuchService");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
}

TEST_F(SchoolReportingE2ETest, PermissionMatrix) {
  v1::DataReport report;
  ASSERT_TRUE(Save(Secondary(400), "save", &report).ok());
  ASSERT_TRUE(Submit("submit", &report).ok());
  const std::string etag = report.etag();

  struct Caller {
    std::string role, unit;
  };
  const std::vector<Caller> callers = {
      {"coordinator", ""}, {"department", "edu"}, {"evaluator", ""}, {"school", "cqgsxx"},
      {"school", "cqvie"}, {"exchange", ""},      {"operator", ""}};
  // Per operation, the callers that may (by index in `callers`).
  using Op = std::function<grpc::Status(const Caller&, const std::string& request_id)>;
  const std::vector<std::tuple<std::string, Op, std::set<int>>> ops = {
      {"read a report",
       [&](const Caller& c, const std::string&) {
         v1::GetDataReportRequest req;
         req.set_name(kReport);
         return Call(c.role, c.unit, &Stub::GetDataReport, req, &report);
       },
       {0, 1, 2, 3}},
      {"accepted figures",
       [&](const Caller& c, const std::string&) {
         v1::GetAcceptedFiguresRequest req;
         req.set_institution("institutions/cqgsxx");
         req.set_period_id("ay2024");
         v1::AcceptedFigures out;
         return Call(c.role, c.unit, &Stub::GetAcceptedFigures, req, &out);
       },
       {0, 1, 2, 3}},
      {"write a report",
       [&](const Caller& c, const std::string& id) {
         v1::UpdateDataReportRequest req;  // under review: the school itself is refused by state
         *req.mutable_data_report() = Secondary(1);
         req.set_request_id(id);
         return Call(c.role, c.unit, &Stub::UpdateDataReport, req, &report);
       },
       {3}},
      {"review",
       [&](const Caller& c, const std::string& id) {
         v1::ReviewDataReportRequest req;  // an item 中职 does not report: refused after the role
         req.set_name(kReport);
         req.set_decision(v1::REVIEW_DECISION_RETURN);
         req.add_returns()->set_item("national_virtual_simulation_bases");
         req.mutable_returns(0)->set_reason("x");
         req.set_request_id(id);
         return Call(c.role, c.unit, &Stub::ReviewDataReport, req, &report);
       },
       {0}},
      {"reopen",
       [&](const Caller& c, const std::string& id) {
         v1::ReopenDataReportRequest req;  // not accepted: refused after the role
         req.set_name(kReport);
         req.set_reason("x");
         req.set_request_id(id);
         return Call(c.role, c.unit, &Stub::ReopenDataReport, req, &report);
       },
       {0}},
      {"draw a spot check",
       [&](const Caller& c, const std::string& id) {
         v1::DrawSpotCheckRequest req;  // no quality reports yet
         req.set_period_id("cy2023");
         req.set_institutions_per_type(1);
         req.set_items_per_institution(1);
         req.set_request_id(id);
         v1::SpotCheck out;
         return Call(c.role, c.unit, &Stub::DrawSpotCheck, req, &out);
       },
       {0}},
      {"credibility",
       [&](const Caller& c, const std::string&) {
         v1::ListCredibilityResponse out;
         return Call(c.role, c.unit, &Stub::ListCredibility, v1::ListCredibilityRequest(), &out);
       },
       {0, 1, 2, 3, 4}},  // a school its own standing only
      {"import institutions",
       [&](const Caller& c, const std::string& id) {
         v1::ImportInstitutionsRequest req;  // changes nothing
         req.mutable_catalog()->add_institutions()->set_code("cqvie");
         req.set_request_id(id);
         v1::ImportInstitutionsResponse out;
         return Call(c.role, c.unit, &Stub::ImportInstitutions, req, &out);
       },
       {0, 5, 6}},
      {"list institutions",
       [&](const Caller& c, const std::string&) {
         v1::ListInstitutionsResponse out;
         return Call(c.role, c.unit, &Stub::ListInstitutions, v1::ListInstitutionsRequest(), &out);
       },
       {0, 1, 2, 3, 4, 5, 6}},
  };
  int n = 0;
  for (const auto& [what, op, allowed] : ops) {
    for (size_t i = 0; i < callers.size(); ++i) {
      grpc::Status status = op(callers[i], "m-" + std::to_string(++n));
      const bool denied = status.error_code() == StatusCode::PERMISSION_DENIED;
      EXPECT_EQ(denied, allowed.count(static_cast<int>(i)) == 0)
          << what << " as " << callers[i].role << ":" << callers[i].unit << " → "
          << status.error_code() << " " << status.error_message();
    }
  }
  const v1::DataReport after = Get();
  EXPECT_EQ(after.etag(), etag);
  EXPECT_EQ(after.state(), v1::REPORT_STATE_SUBMITTED);
}

TEST_F(SchoolReportingE2ETest, BadInputNamesTheFieldAndChangesNothing) {
  v1::DataReport report;
  ASSERT_TRUE(Save(Secondary(400), "good", &report).ok());
  const std::vector<std::pair<std::string, int64_t>> bad = {
      {"enrolled_students", -1},
      {"dual_qualified_teachers", 181},
      {"graduates_further_study", 1001},
      {"graduates_employed", 1001},
      {"classroom_revolution_cases_municipal", 3}};
  int n = 0;
  for (const auto& [item, value] : bad) {
    v1::DataReport spoilt = Secondary(400);
    (*spoilt.mutable_counts())[item] = value;
    grpc::Status refused = Save(spoilt, "bad-" + std::to_string(++n), &report);
    EXPECT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT) << item;
    EXPECT_EQ(Field(refused), "data_report.counts." + item);
  }
  v1::DataReport wrong_level = Secondary(400);
  wrong_level.mutable_majors(0)->set_catalog_code("510201");  // a 专科 code at a 中职
  EXPECT_EQ(Field(Save(wrong_level, "bad-code", &report)), "data_report.majors[0].catalog_code");
  ASSERT_TRUE(Save(Secondary(400), "good", &report).ok());  // a replay gets the first answer
  EXPECT_EQ(report.etag(), "1");
  v1::DataReport other = Secondary(400);
  other.set_etag("42");
  grpc::Status stale = Save(other, "stale", &report);
  EXPECT_EQ(stale.error_code(), StatusCode::ABORTED);
  EXPECT_EQ(Field(stale), "data_report.etag");

  v1::ImportInstitutionsRequest import;
  v1::Institution* entry = import.mutable_catalog()->add_institutions();
  entry->set_code("cqgsxx");
  entry->set_credit_code("91350100M000100Y44");
  import.set_request_id("bad-import");
  v1::ImportInstitutionsResponse imported;
  grpc::Status malformed = Call("coordinator", "", &Stub::ImportInstitutions, import, &imported);
  EXPECT_EQ(malformed.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(malformed), "catalog.institutions[0].credit_code");

  const v1::DataReport after = Get();
  EXPECT_EQ(after.etag(), "1");
  EXPECT_EQ(after.counts().at("graduates_employed"), 400);
}

}  // namespace
}  // namespace vetrack::schools
