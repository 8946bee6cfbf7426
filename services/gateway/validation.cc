#include "validation.h"

#include <map>
#include <mutex>
#include <regex>

#include "clock/timestamp.h"
#include "status/errors.h"

namespace vetrack::gateway {
namespace {

// Compiled once: validation runs on every view request.
bool Matches(const std::string& text, const std::string& pattern) {
  static std::mutex mu;
  static auto* compiled = new std::map<std::string, std::regex>();
  const std::regex* re;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = compiled->find(pattern);
    if (it == compiled->end()) it = compiled->emplace(pattern, std::regex(pattern)).first;
    re = &it->second;
  }
  return std::regex_match(text, *re);
}

const std::string kCode = "[a-z0-9][a-z0-9_-]{0,63}";

void CheckPlan(Violations& v, const std::string& plan) {
  if (!plan.empty() && !Matches(plan, "plans/[a-z0-9][a-z0-9_-]{0,63}")) {
    v.Add("plan", "must be plans/{plan_id}");
  }
}

void CheckQuarter(Violations& v, const std::string& period_id) {
  if (!period_id.empty() && !Matches(period_id, "20[0-9]{2}-Q[1-4]")) {
    v.Add("period_id", "must be a quarter such as 2026-Q3");
  }
}

void CheckYear(Violations& v, const char* field, int year) {
  if (year != 0 && (year < 2000 || year > 2099)) v.Add(field, "must be a year 2000–2099");
}

void CheckPeriod(Violations& v, const char* field, const std::string& id, const char* prefix) {
  if (!id.empty() && !Matches(id, std::string(prefix) + "20[0-9]{2}")) {
    v.Add(field, std::string("must be ") + prefix + " and a year, e.g. " + prefix + "2025");
  }
}

}  // namespace

absl::Status Validate(const v1::GetDistrictOverviewRequest& req) {
  Violations v;
  CheckPlan(v, req.plan());
  CheckQuarter(v, req.period_id());
  CheckYear(v, "year", req.year());
  CheckPeriod(v, "data_period_id", req.data_period_id(), "ay");
  CheckPeriod(v, "quality_period_id", req.quality_period_id(), "cy");
  return v.ToStatus();
}

absl::Status Validate(const v1::GetDepartmentWorkbenchRequest& req) {
  Violations v;
  if (!Matches(req.unit(), "units/" + kCode)) {
    v.Add("unit", "must be units/{code}, e.g. units/edu");
  }
  CheckPlan(v, req.plan());
  CheckQuarter(v, req.period_id());
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetTaskDossierRequest& req) {
  Violations v;
  if (!Matches(req.task(), "plans/[a-z0-9][a-z0-9_-]{0,63}/tasks/[1-9][0-9]{0,3}")) {
    v.Add("task", "must be plans/{plan_id}/tasks/{number}");
  }
  CheckQuarter(v, req.period_id());
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetInstitutionProfileRequest& req) {
  Violations v;
  if (!Matches(req.institution(), "institutions/" + kCode)) {
    v.Add("institution", "must be institutions/{code}, e.g. institutions/cqvie");
  }
  CheckYear(v, "year", req.year());
  CheckYear(v, "training_year", req.training_year());
  CheckPeriod(v, "data_period_id", req.data_period_id(), "ay");
  CheckPeriod(v, "quality_period_id", req.quality_period_id(), "cy");
  return v.ToStatus();
}

absl::Status Validate(const v1::ListAuditEntriesRequest& req) {
  Violations v;
  if (req.page_size() < 0) v.Add("page_size", "must not be negative");
  if (req.has_start_time() && req.has_end_time() &&
      TimeFromProto(req.end_time()) <= TimeFromProto(req.start_time())) {
    v.Add("end_time", "must be after start_time");
  }
  return v.ToStatus();
}

}  // namespace vetrack::gateway
