#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_REGISTRY_DEPARTMENTS_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_REGISTRY_DEPARTMENTS_H_

#include <functional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vetrack::schools {

// ReportingOptions::department_codes read from the task registry at
// `address` (its ListUnits, as an operator: reference data anyone reads),
// each read by the importing caller's time and within `longest` of its start
// at most: a registry that takes longer is as good as down, and a caller
// without a deadline must not wait forever.
std::function<absl::StatusOr<std::set<std::string>>(absl::Time answer_by)> RegistryDepartmentCodes(
    const std::string& address, absl::Duration longest = absl::Seconds(5));

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_REGISTRY_DEPARTMENTS_H_
