#ifndef VETRACK_TESTS_SCHOOL_REPORTING_REPORTING_FIXTURE_H_
#define VETRACK_TESTS_SCHOOL_REPORTING_REPORTING_FIXTURE_H_

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "redis_school_store.h"
#include "school_reporting.h"
#include "testing/redis_server.h"

// The domain on a fresh redis-server with a fake clock at 2026-09-10 10:00 in
// the district, the nine institutions loaded; helpers call it as its users do.
namespace vetrack::schools {

extern const std::string kInstitutionsPath;
extern const std::string kCqvie2025;

// The first field a status names, or "".
std::string FirstField(const absl::Status& status);

// A complete, valid ay data report of a 高职 institution.
v1::DataReport Complete(const std::string& name);

class ReportingTest : public ::testing::Test {
 protected:
  ReportingTest();
  void SetUp() override;

  absl::StatusOr<v1::ImportInstitutionsResponse> Import(
      const absl::StatusOr<v1::InstitutionCatalog>& catalog, const std::string& request_id,
      const Principal& caller = Principal{Role::kCoordinator, ""});
  absl::StatusOr<v1::DataReport> Save(const v1::DataReport& report, const std::string& request_id,
                                      const std::string& school = "cqvie");
  absl::StatusOr<v1::DataReport> Submit(const std::string& name, const std::string& request_id,
                                        const std::string& school = "cqvie");
  // Accepts when `returns` (item, reason) is empty, else returns those items.
  absl::StatusOr<v1::DataReport> Review(const std::string& name, const std::string& request_id,
                                        std::vector<std::pair<std::string, std::string>> returns);
  v1::DataReport Get(const std::string& name);
  v1::AcceptedFigures Figures(const std::string& code, const std::string& period_id);
  // Saved, submitted and accepted.
  void Accepted(const v1::DataReport& report, const std::string& prefix,
                const std::string& school = "cqvie");
  // A cy2025 quality report of `school` stating `figures` (key, value).
  absl::StatusOr<v1::QualityReport> SubmitQuality(
      const std::string& school, const std::vector<std::pair<std::string, double>>& figures,
      const std::string& request_id);

  testing::RedisServer redis_;
  redis::Client client_;
  RedisSchoolStore store_;
  FakeClock clock_;
  SchoolReporting reporting_;
  const Principal coordinator_{Role::kCoordinator, ""};
};

}  // namespace vetrack::schools

#endif  // VETRACK_TESTS_SCHOOL_REPORTING_REPORTING_FIXTURE_H_
