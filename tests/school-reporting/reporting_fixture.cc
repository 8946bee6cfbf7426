#include "reporting_fixture.h"

#include "institution_file.h"
#include "status/errors.h"

namespace vetrack::schools {

const std::string kInstitutionsPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/school-reporting/data/institutions.json";
const std::string kCqvie2025 = "institutions/cqvie/dataReports/ay2025";

std::string FirstField(const absl::Status& status) {
  auto violations = FieldViolationsOf(status);
  return violations.empty() ? "" : violations.front().field;
}

v1::DataReport Complete(const std::string& name) {
  v1::DataReport report;
  report.set_name(name);
  auto& c = *report.mutable_counts();
  c["enrolled_students"] = 12000;
  c["fulltime_professional_teachers"] = 500;
  c["dual_qualified_teachers"] = 320;
  c["industry_parttime_teachers"] = 150;
  c["graduates"] = 3800;
  c["graduates_further_study"] = 600;
  c["graduates_employed"] = 3000;
  c["training_person_times"] = 25000;
  c["integration_training_bases"] = 3;
  v1::Major* major = report.add_majors();
  major->set_catalog_code("510201");
  major->set_status(v1::MAJOR_STATUS_CONTINUING);
  return report;
}

ReportingTest::ReportingTest()
    : client_(redis_.options()),
      store_(client_),
      clock_(
          absl::FromCivil(absl::CivilSecond(2026, 9, 10, 10, 0, 0), absl::FixedTimeZone(8 * 3600))),
      reporting_(store_, clock_) {}

void ReportingTest::SetUp() {
  auto loaded = Import(ReadInstitutionFile(kInstitutionsPath), "load-1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->created(), 9);
}

absl::StatusOr<v1::ImportInstitutionsResponse> ReportingTest::Import(
    const absl::StatusOr<v1::InstitutionCatalog>& catalog, const std::string& request_id,
    const Principal& caller) {
  if (!catalog.ok()) return catalog.status();
  v1::ImportInstitutionsRequest req;
  *req.mutable_catalog() = *catalog;
  req.set_request_id(request_id);
  return reporting_.ImportInstitutions(caller, req);
}

absl::StatusOr<v1::DataReport> ReportingTest::Save(const v1::DataReport& report,
                                                   const std::string& request_id,
                                                   const std::string& school) {
  v1::UpdateDataReportRequest req;
  *req.mutable_data_report() = report;
  req.set_request_id(request_id);
  return reporting_.UpdateDataReport({Role::kSchool, school}, req);
}

absl::StatusOr<v1::DataReport> ReportingTest::Submit(const std::string& name,
                                                     const std::string& request_id,
                                                     const std::string& school) {
  v1::SubmitDataReportRequest req;
  req.set_name(name);
  req.set_request_id(request_id);
  return reporting_.SubmitDataReport({Role::kSchool, school}, req);
}

absl::StatusOr<v1::DataReport> ReportingTest::Review(
    const std::string& name, const std::string& request_id,
    std::vector<std::pair<std::string, std::string>> returns) {
  v1::ReviewDataReportRequest req;
  req.set_name(name);
  req.set_decision(returns.empty() ? v1::REVIEW_DECISION_ACCEPT : v1::REVIEW_DECISION_RETURN);
  for (const auto& [item, reason] : returns) {
    v1::ItemReturn* r = req.add_returns();
    r->set_item(item);
    r->set_reason(reason);
  }
  req.set_request_id(request_id);
  return reporting_.ReviewDataReport(coordinator_, req);
}

v1::DataReport ReportingTest::Get(const std::string& name) {
  v1::GetDataReportRequest req;
  req.set_name(name);
  auto report = reporting_.GetDataReport(coordinator_, req);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : v1::DataReport();
}

v1::AcceptedFigures ReportingTest::Figures(const std::string& code, const std::string& period_id) {
  v1::GetAcceptedFiguresRequest req;
  req.set_institution("institutions/" + code);
  req.set_period_id(period_id);
  auto figures = reporting_.GetAcceptedFigures({Role::kEvaluator, ""}, req);
  EXPECT_TRUE(figures.ok()) << figures.status();
  return figures.ok() ? *figures : v1::AcceptedFigures();
}

void ReportingTest::Accepted(const v1::DataReport& report, const std::string& prefix,
                             const std::string& school) {
  ASSERT_TRUE(Save(report, prefix + "-save", school).ok());
  ASSERT_TRUE(Submit(report.name(), prefix + "-submit", school).ok());
  ASSERT_TRUE(Review(report.name(), prefix + "-accept", {}).ok());
}

absl::StatusOr<v1::QualityReport> ReportingTest::SubmitQuality(
    const std::string& school, const std::vector<std::pair<std::string, double>>& figures,
    const std::string& request_id) {
  v1::SubmitQualityReportRequest req;
  v1::QualityReport* report = req.mutable_quality_report();
  report->set_name("institutions/" + school + "/qualityReports/cy2025");
  report->set_title(school + " 2025年度职业教育质量年度报告");
  report->set_document_uri("https://jj.example.gov.cn/zlnb/2025/" + school + ".pdf");
  report->set_document_sha256(std::string(64, 'a'));
  for (const auto& [key, value] : figures) {
    v1::KeyFigure* figure = report->add_key_figures();
    figure->set_key(key);
    figure->set_value(value);
  }
  req.set_request_id(request_id);
  return reporting_.SubmitQualityReport({Role::kSchool, school}, req);
}

}  // namespace vetrack::schools
