// The engine's test fixture: the plan's real indicator catalog, the nine
// institutions, and a 2025 scenario whose every figure can be worked out by
// hand (compute_test.cc, compute_edge_test.cc).
#ifndef VETRACK_TESTS_EVALUATION_COMPUTE_FIXTURE_H_
#define VETRACK_TESTS_EVALUATION_COMPUTE_FIXTURE_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "compute.h"

namespace vetrack::evaluation {

inline constexpr auto kHigher = v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL;
inline constexpr auto kSecondary = v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
inline constexpr auto kTechnical = v1::INSTITUTION_TYPE_TECHNICAL;
inline constexpr auto MET = v1::RESULT_STATUS_MET;
inline constexpr auto MISSED = v1::RESULT_STATUS_MISSED;
inline constexpr auto NO_DATA = v1::RESULT_STATUS_NO_DATA;

// The district's time zone, in which deadlines fall.
absl::TimeZone DistrictTz();
// The nine institutions: five 高职, two 中职, two 技工.
std::vector<Institution> Institutions();
// A statistic as the 人社局 enters it.
v1::Statistic Stat(const std::string& key, double value);
// The 2025 scenario.
YearInputs Scenario2025();

class ComputeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Results by "indicator id@scope key".
  std::map<std::string, v1::Result> Run(const std::map<int, YearInputs>& years, int year,
                                        absl::Time now);

  std::vector<v1::Indicator> indicators_;
};

struct Expected {
  const char* key;  // indicator id @ scope key
  double value;
  v1::ResultStatus status;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_TESTS_EVALUATION_COMPUTE_FIXTURE_H_
