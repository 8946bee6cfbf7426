#include "validation.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "catalog.h"
#include "idempotency/idempotency.h"
#include "names.h"
#include "notices.h"
#include "numbers/units.h"
#include "periods.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

void CheckTask(Violations& v, const std::string& name, const std::string& field = "task") {
  v.AddFrom(ParseTaskName(name, field).status());
}

void CheckPeriod(Violations& v, const std::string& period_id) {
  v.AddFrom(ParsePeriod(period_id, absl::ZeroDuration()).status());
}

void CheckUnitCode(Violations& v, const std::string& field, const std::string& code) {
  if (!code.empty() && !IsValidResourceId(code)) v.Add(field, "a unit code: lower-case [a-z0-9-]");
}

void CheckPlan(Violations& v, const std::string& field, const std::string& name) {
  if (!PlanIdFromName(name).ok()) v.Add(field, "must be plans/{plan_id}");
}

// Any line break: \n \r \v \f, NEL (U+0085), and the line and paragraph
// separators (U+2028, U+2029).
bool BreaksLines(const std::string& text) {
  if (text.find_first_of("\r\n\v\f") != std::string::npos) return true;
  for (const char* mark : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    if (text.find(mark) != std::string::npos) return true;
  }
  return false;
}

void CheckRequestId(Violations& v, const std::string& request_id) {
  v.AddFrom(ValidateRequestId(request_id));
}

void CheckPageSize(Violations& v, int page_size) {
  if (page_size < 0) v.Add("page_size", "must not be negative");
}

}  // namespace

absl::Status Validate(const v1::ImportCatalogRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  if (!req.has_catalog()) v.Add("catalog", "required");
  if (req.catalog().tasks_size() > 1000) v.Add("catalog.tasks", "at most 1000 tasks");
  for (int i = 0; i < req.catalog().tasks_size(); ++i) {
    v.CheckText(absl::StrCat("catalog.tasks[", i, "].text"), req.catalog().tasks(i).text(),
                kMaxTaskTextChars, true);
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::GetPlanRequest& req) {
  Violations v;
  CheckPlan(v, "name", req.name());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListSectionsRequest& req) {
  Violations v;
  CheckPlan(v, "plan", req.plan());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListUnitsRequest& req) {
  Violations v;
  if (!v1::UnitKind_IsValid(req.kind())) v.Add("kind", "unknown value");
  return v.ToStatus();
}

absl::Status Validate(const v1::GetTaskRequest& req) {
  Violations v;
  CheckTask(v, req.name(), "name");
  if (!req.period_id().empty()) CheckPeriod(v, req.period_id());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListTasksRequest& req) {
  Violations v;
  CheckPlan(v, "parent", req.parent());
  CheckPageSize(v, req.page_size());
  CheckUnitCode(v, "unit", req.unit());
  if (req.role() != v1::RESPONSIBILITY_ROLE_UNSPECIFIED && req.unit().empty()) {
    v.Add("role", "filters by role need a unit");
  }
  if (!v1::ResponsibilityRole_IsValid(req.role())) v.Add("role", "unknown value");
  if (!v1::ReportState_IsValid(req.report_state())) v.Add("report_state", "unknown value");
  if (req.report_state() != v1::REPORT_STATE_UNSPECIFIED && req.period_id().empty()) {
    v.Add("report_state", "filters by report state need a period_id");
  }
  if (!req.period_id().empty()) CheckPeriod(v, req.period_id());
  if (req.section_prefix().size() > 64) v.Add("section_prefix", "at most 64 bytes");
  return v.ToStatus();
}

absl::Status Validate(const v1::UpdateTaskRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckTask(v, req.task().name(), "task.name");
  if (req.task().etag().empty()) {
    v.Add("task.etag", "required: the etag of the task as last read");
  }
  v.CheckEtagShape("task.etag", req.task().etag());
  if (req.update_mask().empty()) v.Add("update_mask", "name at least one field");
  for (const auto& path : req.update_mask()) {
    if (path == "text") {
      v.CheckText("task.text", req.task().text(), kMaxTaskTextChars, true);
    } else if (path == "lead_unit") {
      if (req.task().lead_unit().empty()) v.Add("task.lead_unit", "required");
      CheckUnitCode(v, "task.lead_unit", req.task().lead_unit());
    } else if (path == "co_units") {
      for (const auto& code : req.task().co_units()) CheckUnitCode(v, "task.co_units", code);
    } else if (path == "completed_period_id") {
      const std::string& period = req.task().completed_period_id();
      if (!period.empty() && !ParsePeriod(period, absl::ZeroDuration()).ok()) {
        v.Add("task.completed_period_id",
              absl::StrCat("'", period.substr(0, 32), "' is not a quarter like 2026-Q3"));
      }
    } else if (path != "section_code") {
      v.Add("update_mask",
            absl::StrCat("'", path.substr(0, 64),
                         "' cannot be updated; use text, section_code, lead_unit, co_units or "
                         "completed_period_id"));
    }
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::ListPeriodsRequest& req) {
  Violations v;
  CheckPlan(v, "plan", req.plan());
  return v.ToStatus();
}

absl::Status Validate(const v1::FileProgressRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  CheckUnitCode(v, "unit", req.unit());
  if (req.status() == v1::PROGRESS_STATUS_UNSPECIFIED ||
      !v1::ProgressStatus_IsValid(req.status())) {
    v.Add("status", "required: NOT_STARTED, ON_TRACK, DELAYED or COMPLETED");
  }
  v.CheckText("narrative", req.narrative(), kMaxNarrativeChars, true);
  if (req.figures_size() > kMaxFigures) v.Add("figures", absl::StrCat("at most ", kMaxFigures));
  std::set<std::string> keys;
  for (int i = 0; i < req.figures_size() && i < kMaxFigures; ++i) {
    const auto& f = req.figures(i);
    std::string field = absl::StrCat("figures[", i, "]");
    if (f.key().empty() || Utf8Length(f.key()) > 64) {
      v.Add(field + ".key", "1–64 characters");
    } else if (IsBlank(f.key()) || HasControlCharacters(f.key()) || BreaksLines(f.key())) {
      v.Add(field + ".key", "a name on one line, without control characters");
    } else if (!keys.insert(f.key()).second) {
      v.Add(field + ".key", "given twice: which value would count?");
    }
    // Found in use: "教师 = -5 人" was taken. A count is whole and not
    // negative; a figure in another unit (%, 万元) may fall (a growth rate).
    if (!std::isfinite(f.value()) || std::fabs(f.value()) > kMaxFigure) {
      v.Add(field + ".value", "must be a finite number within ±1e12");
    } else if (CountsThings(f.unit()) && (f.value() < 0 || f.value() != std::floor(f.value()))) {
      v.Add(field + ".value",
            absl::StrCat("a count of ", f.unit(), ": a whole number, not negative"));
    }
    if (Utf8Length(f.unit()) > 16) v.Add(field + ".unit", "at most 16 characters");
  }
  if (req.evidence_refs_size() > kMaxEvidenceRefs) {
    v.Add("evidence_refs", absl::StrCat("at most ", kMaxEvidenceRefs));
  }
  for (int i = 0; i < req.evidence_refs_size() && i < kMaxEvidenceRefs; ++i) {
    const std::string& ref = req.evidence_refs(i);
    if (ref.empty() || ref.size() > 512) {
      v.Add(absl::StrCat("evidence_refs[", i, "]"), "1–512 bytes");
    }
  }
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListProgressRequest& req) {
  Violations v;
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  return v.ToStatus();
}

absl::Status Validate(const v1::SubmitReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  v.CheckText("summary", req.summary(), kMaxSummaryChars, true);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetReportRequest& req) {
  Violations v;
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  return v.ToStatus();
}

absl::Status Validate(const v1::ReviewReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  if (req.decision() != v1::REVIEW_DECISION_ACCEPT &&
      req.decision() != v1::REVIEW_DECISION_RETURN) {
    v.Add("decision", "required: ACCEPT or RETURN");
  }
  if (req.decision() == v1::REVIEW_DECISION_RETURN && req.reasons().empty()) {
    v.Add("reasons", "a returned report needs at least one reason");
  }
  // They would be dropped: the history of an acceptance says "accepted" only.
  if (req.decision() == v1::REVIEW_DECISION_ACCEPT && !req.reasons().empty()) {
    v.Add("reasons", "an acceptance returns nothing, so it gives no reasons");
  }
  if (req.reasons_size() > kMaxReasons) v.Add("reasons", absl::StrCat("at most ", kMaxReasons));
  for (int i = 0; i < req.reasons_size() && i < kMaxReasons; ++i) {
    v.CheckText(absl::StrCat("reasons[", i, "]"), req.reasons(i), kMaxReasonChars, true);
  }
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListTaskHistoryRequest& req) {
  Violations v;
  CheckTask(v, req.task());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListReportRevisionsRequest& req) {
  Violations v;
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListProgressRevisionsRequest& req) {
  Violations v;
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  if (req.unit().empty()) v.Add("unit", "required: the unit whose filings to list");
  CheckUnitCode(v, "unit", req.unit());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListEscalationsRequest& req) {
  Violations v;
  CheckPlan(v, "plan", req.plan());
  CheckUnitCode(v, "unit", req.unit());
  if (!v1::EscalationLevel_IsValid(req.min_level())) v.Add("min_level", "unknown value");
  if (!req.period_id().empty()) CheckPeriod(v, req.period_id());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::IssueNoticeRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckTask(v, req.task());
  CheckPeriod(v, req.period_id());
  if (req.unit().empty()) v.Add("unit", "required: the unit that owes it");
  CheckUnitCode(v, "unit", req.unit());
  if (!IsOwedKind(req.owed())) v.Add("owed", "PROGRESS or REPORT");
  if (req.level() != v1::ESCALATION_LEVEL_UNSPECIFIED &&
      req.level() != v1::ESCALATION_LEVEL_YELLOW && req.level() != v1::ESCALATION_LEVEL_RED) {
    v.Add("level", "YELLOW or RED, or unspecified for the ladder's level");
  }
  v.CheckText("message", req.message(), kMaxNoticeChars, true);
  if (req.has_respond_by() && (req.respond_by().seconds() <= 0 || req.respond_by().nanos() < 0 ||
                               req.respond_by().nanos() > 999999999)) {
    v.Add("respond_by", "not a valid time");
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::GetNoticeRequest& req) {
  Violations v;
  v.AddFrom(ParseNoticeName(req.name(), "name").status());
  return v.ToStatus();
}

absl::Status Validate(const v1::AcknowledgeNoticeRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  v.AddFrom(ParseNoticeName(req.name(), "name").status());
  v.CheckText("response", req.response(), kMaxNoticeChars, true);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListNoticesRequest& req) {
  Violations v;
  CheckPlan(v, "plan", req.plan());
  if (!req.task().empty()) CheckTask(v, req.task());
  CheckUnitCode(v, "unit", req.unit());
  if (!req.period_id().empty()) CheckPeriod(v, req.period_id());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

}  // namespace vetrack::tasks
