#include "workflow.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "periods.h"
#include "status/errors.h"

namespace vetrack::tasks {

namespace {

// A report's state as a message says it (not REPORT_STATE_SUBMITTED).
std::string StateInWords(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_SUBMITTED:
      return "under review";
    case v1::REPORT_STATE_ACCEPTED:
      return "accepted";
    case v1::REPORT_STATE_RETURNED:
      return "returned";
    default:
      return "not submitted";
  }
}

// `task` as `assignment` had it.
v1::Task WithUnitsOf(const v1::Task& task, const v1::UnitAssignment& assignment) {
  v1::Task assigned = task;
  assigned.set_lead_unit(assignment.lead_unit());
  *assigned.mutable_co_units() = assignment.co_units();
  return assigned;
}

}  // namespace

std::vector<std::string> ResponsibleUnits(const v1::Task& task) {
  std::vector<std::string> units = {task.lead_unit()};
  units.insert(units.end(), task.co_units().begin(), task.co_units().end());
  return units;
}

bool IsResponsible(const v1::Task& task, const std::string& unit) {
  return task.lead_unit() == unit ||
         std::find(task.co_units().begin(), task.co_units().end(), unit) != task.co_units().end();
}

bool WasResponsible(const v1::Task& task, const std::string& unit) {
  const auto& former = task.former_units();
  return std::find(former.begin(), former.end(), unit) != former.end();
}

void NoteFormerUnits(const v1::Task& before, v1::Task* after) {
  std::vector<std::string> former(before.former_units().begin(), before.former_units().end());
  for (const auto& unit : ResponsibleUnits(before)) {
    if (!IsResponsible(*after, unit) && !WasResponsible(before, unit)) former.push_back(unit);
  }
  after->clear_former_units();
  for (auto& unit : former) {
    if (!IsResponsible(*after, unit)) after->add_former_units(std::move(unit));
  }
}

v1::Task AssignedIn(const v1::Task& task, const std::string& period_id) {
  v1::Task assigned = task;
  AssignIn(period_id, &assigned);
  return assigned;
}

void AssignIn(const std::string& period_id, v1::Task* task) {
  for (const v1::UnitAssignment& earlier : task->earlier_assignments()) {
    // Quarter ids order as strings (see CompletedBefore).
    if (period_id < earlier.replaced_in_period_id()) {
      task->set_lead_unit(earlier.lead_unit());
      *task->mutable_co_units() = earlier.co_units();
      // Those who answer for the quarter are not former in it.
      auto* former = task->mutable_former_units();
      former->erase(
          std::remove_if(former->begin(), former->end(),
                         [&](const std::string& unit) { return IsResponsible(*task, unit); }),
          former->end());
      return;
    }
  }
}

void NoteEarlierAssignment(const v1::Task& before, const std::string& correction_period_id,
                           v1::Task* after) {
  if (correction_period_id.empty()) return;
  const auto& earlier = before.earlier_assignments();
  if (!earlier.empty() && earlier.rbegin()->replaced_in_period_id() >= correction_period_id) {
    // Corrected back to the units before this quarter's first correction:
    // nothing changed hands.
    const v1::UnitAssignment& last = *earlier.rbegin();
    if (last.lead_unit() == after->lead_unit() &&
        std::equal(last.co_units().begin(), last.co_units().end(), after->co_units().begin(),
                   after->co_units().end())) {
      after->mutable_earlier_assignments()->RemoveLast();
    }
    return;
  }
  v1::UnitAssignment* replaced = after->add_earlier_assignments();
  replaced->set_lead_unit(before.lead_unit());
  *replaced->mutable_co_units() = before.co_units();
  replaced->set_replaced_in_period_id(correction_period_id);
}

std::vector<std::string> MissingCoUnits(const v1::Task& task, const std::set<std::string>& filed) {
  std::vector<std::string> missing;
  for (const auto& unit : task.co_units()) {
    if (filed.count(unit) == 0) missing.push_back(unit);
  }
  return missing;
}

bool CanReadTask(const Principal& caller, const v1::Task& task) {
  switch (caller.role) {
    case Role::kCoordinator:
    case Role::kDepartment:
    case Role::kEvaluator:
      return true;
    case Role::kSchool:
      return IsResponsible(task, caller.unit);
    case Role::kExchange:  // receives accepted reports through the outbox
    case Role::kOperator:
      return false;
  }
  return false;
}

bool CanReadTaskIn(const Principal& caller, const v1::Task& task, const std::string& period_id) {
  // Found in review: a school added by a correction read the quarters before
  // it joined, other schools' filings in them included.
  return CanReadTask(caller, AssignedIn(task, period_id));
}

bool CanReadSomeQuarter(const Principal& caller, const v1::Task& task) {
  if (CanReadTask(caller, task)) return true;
  for (const v1::UnitAssignment& earlier : task.earlier_assignments()) {
    if (CanReadTask(caller, WithUnitsOf(task, earlier))) return true;
  }
  return false;
}

bool CanReadUnitsPart(const Principal& caller, const v1::Task& task, const std::string& unit,
                      const std::string& period_id) {
  if (CanReadTaskIn(caller, task, period_id)) return true;
  return caller.role == Role::kSchool && caller.unit == unit &&
         (WasResponsible(task, unit) || IsResponsible(task, unit));
}

absl::Status CheckCanReadUnitsPart(const Principal& caller, const v1::Task& task,
                                   const std::string& unit, const std::string& period_id) {
  if (CanReadUnitsPart(caller, task, unit, period_id)) return absl::OkStatus();
  return CheckCanReadTaskIn(caller, task, period_id);
}

absl::Status CheckCanReadTaskIn(const Principal& caller, const v1::Task& task,
                                const std::string& period_id) {
  if (CanReadTaskIn(caller, task, period_id)) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat(caller.ToString(),
                                                             " may not read the filings of task ",
                                                             task.number(), " in ", period_id)),
                    "NOT_RESPONSIBLE");
}

absl::Status CheckCanFileProgress(const Principal& caller, const v1::Task& task,
                                  const std::string& unit,
                                  const std::optional<v1::TaskReport>& report, bool has_filed) {
  if (caller.role != Role::kDepartment && caller.role != Role::kSchool) {
    return absl::PermissionDeniedError("only a responsible unit files progress");
  }
  if (caller.unit != unit) {
    return absl::PermissionDeniedError(
        absl::StrCat(caller.unit, " cannot file progress on behalf of ", unit));
  }
  if (!IsResponsible(task, unit)) {
    return WithReason(absl::PermissionDeniedError(
                          absl::StrCat(unit, " is not responsible for task ", task.number())),
                      "NOT_RESPONSIBLE");
  }
  const bool missed_the_report = report.has_value() &&
                                 report->state() == v1::REPORT_STATE_SUBMITTED &&
                                 unit != task.lead_unit() && !has_filed;
  if (report.has_value() && !missed_the_report &&
      (report->state() == v1::REPORT_STATE_SUBMITTED ||
       report->state() == v1::REPORT_STATE_ACCEPTED)) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "the report for ", report->period_id(), " is ", StateInWords(report->state()),
            report->state() == v1::REPORT_STATE_ACCEPTED
                ? "; its filings stay as they were"
                : "; filings are locked until it is returned")),
        "REPORT_LOCKED");
  }
  return absl::OkStatus();
}

absl::Status CheckCanSubmitReport(const Principal& caller, const v1::Task& task,
                                  const std::optional<v1::TaskReport>& current,
                                  const std::vector<std::string>& missing_units,
                                  const v1::Period& period, absl::Time now) {
  if ((caller.role != Role::kDepartment && caller.role != Role::kSchool) ||
      caller.unit != task.lead_unit()) {
    return WithReason(
        absl::PermissionDeniedError(absl::StrCat("only the lead unit ", task.lead_unit(),
                                                 " consolidates task ", task.number())),
        "NOT_LEAD_UNIT");
  }
  if (current.has_value() && current->state() != v1::REPORT_STATE_RETURNED) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat("the report is already ", StateInWords(current->state()))),
                      "REPORT_ALREADY_SUBMITTED");
  }
  if (!missing_units.empty() && now < TimeFromProto(period.deadline())) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "co-units have not filed yet: ", absl::StrJoin(missing_units, ", "),
                          "; before the deadline every co-unit must file first")),
                      "CO_UNITS_MISSING");
  }
  return absl::OkStatus();
}

absl::Status CheckCanReview(const Principal& caller, const std::optional<v1::TaskReport>& report) {
  if (caller.role != Role::kCoordinator) {
    return absl::PermissionDeniedError("only the coordinator reviews task reports");
  }
  if (!report.has_value()) {
    return WithReason(absl::FailedPreconditionError("no report has been submitted"),
                      "REPORT_NOT_SUBMITTED");
  }
  if (report->state() != v1::REPORT_STATE_SUBMITTED) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat("the report is ", StateInWords(report->state()),
                                                   ", not waiting for review")),
        "REPORT_NOT_SUBMITTED");
  }
  return absl::OkStatus();
}

namespace {

// The ladder by date alone; UNSPECIFIED while nothing is due yet.
v1::EscalationLevel LevelByDate(absl::Time deadline, absl::Time now,
                                const EscalationPolicy& policy) {
  if (now >= deadline + policy.red_after) return v1::ESCALATION_LEVEL_RED;
  if (now >= deadline) return v1::ESCALATION_LEVEL_YELLOW;
  if (now >= deadline - policy.remind_before) return v1::ESCALATION_LEVEL_REMINDER;
  return v1::ESCALATION_LEVEL_UNSPECIFIED;
}

std::string DateReason(v1::EscalationLevel level, absl::Time deadline, absl::Time now) {
  if (level == v1::ESCALATION_LEVEL_REMINDER) return "due soon";
  return absl::StrCat("overdue by ", absl::ToInt64Hours(now - deadline) / 24, " days");
}

}  // namespace

// Quarter ids are validated as "YYYY-Qn" with four-digit years wherever they
// come in (ParsePeriod), so their order as strings is their order in time.
bool CompletedBefore(const v1::Task& task, const std::string& period_id) {
  return !task.completed_period_id().empty() && period_id > task.completed_period_id();
}

std::vector<v1::Escalation> EscalationsFor(const v1::Task& task, const v1::Period& period,
                                           const std::set<std::string>& filed_units,
                                           const std::optional<v1::TaskReport>& report,
                                           absl::Time now, const EscalationPolicy& policy) {
  std::vector<v1::Escalation> out;
  if (CompletedBefore(task, period.id())) return out;
  absl::Time deadline = TimeFromProto(period.deadline());
  v1::EscalationLevel by_date = LevelByDate(deadline, now, policy);
  bool report_done = report.has_value() && report->state() != v1::REPORT_STATE_RETURNED;
  bool report_accepted = report.has_value() && report->state() == v1::REPORT_STATE_ACCEPTED;
  int times_returned = report.has_value() ? report->times_returned() : 0;
  bool red_by_returns = !report_done && times_returned >= policy.red_after_returns;

  auto add = [&](const std::string& unit, const std::string& owed, v1::EscalationLevel level,
                 std::string reason) {
    v1::Escalation e;
    e.set_task(task.name());
    e.set_task_number(task.number());
    e.set_period_id(period.id());
    e.set_unit(unit);
    e.set_level(level);
    e.set_owed(owed);
    e.set_reason(std::move(reason));
    *e.mutable_deadline() = period.deadline();
    out.push_back(std::move(e));
  };

  // A co-unit's filing is owed until the report is accepted: after the
  // deadline the lead may submit without it, and it may still file while the
  // report is under review (CheckCanFileProgress). The lead owes the report,
  // which is its account: submission waits for co-units only before the
  // deadline.
  if (!report_accepted && by_date != v1::ESCALATION_LEVEL_UNSPECIFIED) {
    for (const auto& unit : task.co_units()) {
      if (filed_units.count(unit) == 0) {
        add(unit, "PROGRESS", by_date, DateReason(by_date, deadline, now));
      }
    }
  }
  if (!report_done) {
    if (red_by_returns) {
      add(task.lead_unit(), "REPORT", v1::ESCALATION_LEVEL_RED,
          absl::StrCat("returned ", times_returned, " times"));
    } else if (by_date != v1::ESCALATION_LEVEL_UNSPECIFIED) {
      add(task.lead_unit(), "REPORT", by_date, DateReason(by_date, deadline, now));
    }
  }
  return out;
}

}  // namespace vetrack::tasks
