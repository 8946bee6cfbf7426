#include "validation.h"

#include <map>
#include <mutex>
#include <regex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "auth/token.h"
#include "clock/timestamp.h"
#include "idempotency/idempotency.h"
#include "rpc/resource_name.h"
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

// `collection/{id}` with an id every service accepts (IsValidResourceId), so
// a name the gateway lets through is never refused downstream under a field
// the caller did not send.
bool IsNameIn(absl::string_view name, absl::string_view collection) {
  return absl::ConsumePrefix(&name, collection) && absl::ConsumePrefix(&name, "/") &&
         IsValidResourceId(name);
}

void CheckPlan(Violations& v, const std::string& plan) {
  if (!plan.empty() && !IsNameIn(plan, "plans")) v.Add("plan", "must be plans/{plan_id}");
}

// plans/{plan_id}/tasks/{number}
bool IsTaskName(absl::string_view name) {
  size_t tasks = name.rfind("/tasks/");
  return tasks != absl::string_view::npos && IsNameIn(name.substr(0, tasks), "plans") &&
         Matches(std::string(name.substr(tasks + 7)), "[1-9][0-9]{0,3}");
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

// The year of "2025-Q3", "ay2025" or "cy2025" (Validate has checked the
// shape); 0 for an empty id.
int YearOfPeriodId(const std::string& id) {
  absl::string_view digits = id;
  if (!absl::ConsumePrefix(&digits, "ay")) absl::ConsumePrefix(&digits, "cy");
  int year = 0;
  return absl::SimpleAtoi(digits.substr(0, 4), &year) ? year : 0;
}

void CheckKept(Violations& v, const char* field, int year, YearsKept kept) {
  if (year == 0) return;
  if (year < kept.first) {
    v.Add(field, absl::StrCat(year, " is before the plan's first year ", kept.first,
                              ": no service keeps it"));
  } else if (year > kept.last) {
    v.Add(field, absl::StrCat(year, " is after ", kept.last, ": no service keeps it yet"));
  }
}

}  // namespace

absl::Status CheckYearsKept(const v1::GetDistrictOverviewRequest& req, YearsKept kept) {
  Violations v;
  CheckKept(v, "period_id", YearOfPeriodId(req.period_id()), kept);
  CheckKept(v, "year", req.year(), kept);
  CheckKept(v, "data_period_id", YearOfPeriodId(req.data_period_id()), kept);
  CheckKept(v, "quality_period_id", YearOfPeriodId(req.quality_period_id()), kept);
  return v.ToStatus();
}

absl::Status CheckYearsKept(const v1::GetDepartmentWorkbenchRequest& req, YearsKept kept) {
  Violations v;
  CheckKept(v, "period_id", YearOfPeriodId(req.period_id()), kept);
  CheckKept(v, "year", req.year(), kept);
  return v.ToStatus();
}

absl::Status CheckYearsKept(const v1::GetTaskDossierRequest& req, YearsKept kept) {
  Violations v;
  CheckKept(v, "period_id", YearOfPeriodId(req.period_id()), kept);
  CheckKept(v, "year", req.year(), kept);
  return v.ToStatus();
}

absl::Status CheckYearsKept(const v1::GetInstitutionProfileRequest& req, YearsKept kept) {
  Violations v;
  CheckKept(v, "year", req.year(), kept);
  CheckKept(v, "training_year", req.training_year(), kept);
  CheckKept(v, "data_period_id", YearOfPeriodId(req.data_period_id()), kept);
  CheckKept(v, "quality_period_id", YearOfPeriodId(req.quality_period_id()), kept);
  return v.ToStatus();
}

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
  if (!IsNameIn(req.unit(), "units")) {
    v.Add("unit", "must be units/{code}, e.g. units/edu");
  }
  CheckPlan(v, req.plan());
  CheckQuarter(v, req.period_id());
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetTaskDossierRequest& req) {
  Violations v;
  if (!IsTaskName(req.task())) {
    v.Add("task", "must be plans/{plan_id}/tasks/{number}");
  }
  CheckQuarter(v, req.period_id());
  CheckYear(v, "year", req.year());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetInstitutionProfileRequest& req) {
  Violations v;
  if (!IsNameIn(req.institution(), "institutions")) {
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
  if (req.holder().size() > kMaxTokenHolderBytes) {
    v.Add("holder", absl::StrCat("at most ", kMaxTokenHolderBytes, " bytes, as a token's holder"));
  }
  if (req.page_size() < 0) v.Add("page_size", "must not be negative");
  if (req.has_start_time() && req.has_end_time() &&
      TimeFromProto(req.end_time()) <= TimeFromProto(req.start_time())) {
    v.Add("end_time", "must be after start_time");
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::RevokeTokenRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  if (!IsTokenId(req.token_id())) {
    v.Add("token_id", "16 lower-case hex digits, as WhoAmI shows a token's id");
  }
  v.CheckText("reason", req.reason(), 500, true);
  return v.ToStatus();
}

absl::Status Validate(const v1::ListRevokedTokensRequest& req) {
  Violations v;
  if (req.page_size() < 0) v.Add("page_size", "must not be negative");
  return v.ToStatus();
}

}  // namespace vetrack::gateway
