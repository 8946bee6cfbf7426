#ifndef VETRACK_SERVICES_TASK_REGISTRY_WORKFLOW_H_
#define VETRACK_SERVICES_TASK_REGISTRY_WORKFLOW_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// The rules of joint responsibility, as pure functions of the state they look
// at: who may file, consolidate and review, and what the 督办 ladder says.
namespace vetrack::tasks {

// Thresholds of the escalation ladder.
struct EscalationPolicy {
  // A reminder goes out this long before a deadline while something is owed.
  absl::Duration remind_before = absl::Hours(24 * 7);
  // Overdue by this much turns yellow into red.
  absl::Duration red_after = absl::Hours(24 * 30);
  // A report returned this many times is red whatever the date.
  int red_after_returns = 2;
};

// Lead first, then co-units.
std::vector<std::string> ResponsibleUnits(const v1::Task& task);
bool IsResponsible(const v1::Task& task, const std::string& unit);
// Responsible once and removed since (Task.former_units).
bool WasResponsible(const v1::Task& task, const std::string& unit);
// Keeps `after.former_units` as `before`'s, plus each unit responsible in
// `before` and not in `after`, less each responsible in `after`.
void NoteFormerUnits(const v1::Task& before, v1::Task* after);

// `task` with the lead_unit and co_units that answer for `period_id` (a
// valid quarter id): those of the earlier assignment replaced after it
// (Task.earlier_assignments), else the task's own.
v1::Task AssignedIn(const v1::Task& task, const std::string& period_id);
// AssignedIn in place: the busiest write (a filing) copies no task for it.
void AssignIn(const std::string& period_id, v1::Task* task);
// Records in `after` that `before`'s units answered for the quarters before
// `correction_period_id`, the quarter a correction of the units is made in;
// nothing when the plan has no quarter yet (empty) or when `before`'s units
// took over in that same quarter (nothing earlier is theirs), and when
// `after` goes back to the units that answered before it, that record goes.
void NoteEarlierAssignment(const v1::Task& before, const std::string& correction_period_id,
                           v1::Task* after);

// Whether `task` was completed in a quarter before `period_id` (quarter ids
// "2026-Q3" order as strings): nothing is owed for that period.
bool CompletedBefore(const v1::Task& task, const std::string& period_id);

// Co-units of `task` that are not in `filed`.
std::vector<std::string> MissingCoUnits(const v1::Task& task, const std::set<std::string>& filed);

// Who may read a task, by its current units: the coordinator, the
// departments (the district's units run the plan together) and the
// evaluator; a school only the tasks it leads or shares. The municipal
// exchange receives accepted reports through the outbox, and operators run
// the system: neither reads them. What belongs to one quarter (filings,
// reports, 督办, history entries) goes by CanReadTaskIn instead: a school
// added by a correction reads the quarters from it on only.
bool CanReadTask(const Principal& caller, const v1::Task& task);
// What a task's quarter holds (its filings, report and 督办): the roles that
// read every task, and a school among the units that answer for that quarter
// (who files and consolidates it even when a correction has removed it
// since; one added by a correction reads the quarters from it on).
bool CanReadTaskIn(const Principal& caller, const v1::Task& task, const std::string& period_id);
// What concerns `unit` alone in a quarter (its filings' revisions, the 督办
// addressed to it): whoever reads the quarter (CanReadTaskIn), and a school
// of the task, now or removed since, for its own part (found in use: a
// school removed from a task could no longer see what it had filed, nor the
// 督办 addressed to it). Nothing else of the quarter opens to it.
bool CanReadUnitsPart(const Principal& caller, const v1::Task& task, const std::string& unit,
                      const std::string& period_id);
// CanReadTaskIn for one quarter or more.
bool CanReadSomeQuarter(const Principal& caller, const v1::Task& task);
// CanReadUnitsPart as a status: PERMISSION_DENIED as CheckCanReadTaskIn.
absl::Status CheckCanReadUnitsPart(const Principal& caller, const v1::Task& task,
                                   const std::string& unit, const std::string& period_id);
// CanReadTaskIn as a status: PERMISSION_DENIED naming the task and quarter.
absl::Status CheckCanReadTaskIn(const Principal& caller, const v1::Task& task,
                                const std::string& period_id);

// PERMISSION_DENIED unless the caller is a unit responsible for the task
// filing for itself; FAILED_PRECONDITION while the period's report is under
// review or accepted (the period is then locked for that task). One filing
// gets through a report under review: a co-unit's first (`has_filed` false),
// which the lead, submitting after the deadline, had to go without.
absl::Status CheckCanFileProgress(const Principal& caller, const v1::Task& task,
                                  const std::string& unit,
                                  const std::optional<v1::TaskReport>& report, bool has_filed);

// PERMISSION_DENIED unless the caller is the lead unit; FAILED_PRECONDITION
// when a report is already submitted or accepted, or when co-units are still
// missing before the deadline (after it, the lead may submit without them).
absl::Status CheckCanSubmitReport(const Principal& caller, const v1::Task& task,
                                  const std::optional<v1::TaskReport>& current,
                                  const std::vector<std::string>& missing_units,
                                  const v1::Period& period, absl::Time now);

// PERMISSION_DENIED unless the caller is the coordinator; FAILED_PRECONDITION
// unless the report is waiting for review.
absl::Status CheckCanReview(const Principal& caller, const std::optional<v1::TaskReport>& report);

// What the ladder says for one task in one period: one escalation per co-unit
// that has not filed its progress while the report is not accepted, and one
// for the lead unit while the report is not submitted (never submitted, or
// returned). Nothing is escalated
// earlier than `remind_before` ahead of the deadline.
std::vector<v1::Escalation> EscalationsFor(const v1::Task& task, const v1::Period& period,
                                           const std::set<std::string>& filed_units,
                                           const std::optional<v1::TaskReport>& report,
                                           absl::Time now, const EscalationPolicy& policy);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_WORKFLOW_H_
