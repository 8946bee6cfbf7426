// What the task registry holds once the plan's catalog is loaded, read from
// the registry's own data file: the fakes of the evaluation's tests answer
// with the real departments and task numbers, so the indicator catalog is
// checked against what a deployment loads.
#ifndef VETRACK_TESTS_EVALUATION_PLAN_REGISTRY_H_
#define VETRACK_TESTS_EVALUATION_PLAN_REGISTRY_H_

#include <map>
#include <set>
#include <string>

namespace vetrack::evaluation {

// The plan's departments, code to display name (the registry's
// UNIT_KIND_DEPARTMENT units).
std::map<std::string, std::string> PlanDepartments();
// The numbers of the plan's tasks (1–33).
std::set<int> PlanTaskNumbers();

}  // namespace vetrack::evaluation

#endif  // VETRACK_TESTS_EVALUATION_PLAN_REGISTRY_H_
