#ifndef VETRACK_SERVICES_EVALUATION_SOURCES_H_
#define VETRACK_SERVICES_EVALUATION_SOURCES_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "inputs.h"

namespace vetrack::evaluation {

// Where the figures come from: the other services, read-only. UNAVAILABLE
// when a service does not answer, DEADLINE_EXCEEDED when it has not by
// `answer_by` (the caller's deadline, less the time to answer it); the
// results that need it are then NO_DATA. Called from several threads at
// once: a computation fetches every year of both services in parallel.
class EvaluationSources {
 public:
  virtual ~EvaluationSources() = default;
  // The plan's institutions and their types (school-reporting).
  virtual absl::StatusOr<std::vector<Institution>> Institutions(absl::Time answer_by) = 0;
  // The accepted data reports of an academic year, and the types of those
  // submitted but not accepted, by institution code (school-reporting).
  virtual absl::StatusOr<SchoolYear> DataReports(const std::vector<Institution>& institutions,
                                                 const std::string& period_id,
                                                 absl::Time answer_by) = 0;
  // Training person-times and the enrolment they are judged against, by
  // institution, for a calendar year (training-ledger).
  virtual absl::StatusOr<LedgerYear> Ledger(int year, absl::Time answer_by) = 0;
  // The district's units, the departments the plan tasks, code to name
  // (task-registry): what a round of units may score.
  virtual absl::StatusOr<std::map<std::string, std::string>> DistrictUnits(
      absl::Time answer_by) = 0;
  // The numbers of the plan's tasks (task-registry): what an indicator's
  // task_number may name.
  virtual absl::StatusOr<std::set<int>> TaskNumbers(absl::Time answer_by) = 0;
  // The ids of the counts a data report holds (school-reporting's items of
  // type COUNT): what an indicator's `school:` reference may name.
  virtual absl::StatusOr<std::set<std::string>> CountItems(absl::Time answer_by) = 0;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_SOURCES_H_
