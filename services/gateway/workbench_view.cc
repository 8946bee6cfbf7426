#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "views.h"

namespace vetrack::gateway {
namespace {

bool ReportSettled(tasks_v1::ReportState state) {
  return state == tasks_v1::REPORT_STATE_SUBMITTED || state == tasks_v1::REPORT_STATE_ACCEPTED;
}

}  // namespace

absl::StatusOr<v1::DepartmentWorkbench> AssembleWorkbench(const WorkbenchInputs& in) {
  if (!in.tasks.ok() && FailsWholeView(in.tasks.status())) return in.tasks.status();
  v1::DepartmentWorkbench view;
  view.set_unit(absl::StrCat("units/", in.unit));
  view.set_period_id(in.period_id);
  view.set_year(in.year);
  MissingSections missing;

  // The progress section is there only when every task's answer is.
  bool progress_known = true;
  for (const auto& [task, progress] : in.progress) {
    if (!progress.ok()) {
      if (progress_known) missing.Add("progress", progress.status());
      progress_known = false;
    }
  }
  if (missing.Have("tasks", in.tasks)) {
    std::vector<v1::WorkbenchTask> tasks;
    for (const auto& task : in.tasks->tasks()) {
      v1::WorkbenchTask t;
      t.set_task(task.name());
      t.set_number(task.number());
      t.set_text(task.text());
      t.set_lead_unit(task.lead_unit());
      bool leads = task.lead_unit() == in.unit;
      t.set_role(leads ? tasks_v1::RESPONSIBILITY_ROLE_LEAD : tasks_v1::RESPONSIBILITY_ROLE_CO);
      t.set_report_state(task.report_state());
      t.set_completed_before_period(task.completed_before_period());
      // Submitted or accepted, or the task completed in an earlier quarter:
      // the lead owes no report (the registry's ladder raises no 督办 either).
      const bool report_settled =
          ReportSettled(task.report_state()) || task.completed_before_period();
      auto progress = in.progress.find(task.name());
      if (progress_known && progress != in.progress.end()) {
        const auto& filings = progress->second->progress();
        bool filed = std::any_of(filings.begin(), filings.end(),
                                 [&in](const auto& p) { return p.unit() == in.unit; });
        t.set_progress_filed(filed);
        // As the registry's ladder: a co-unit owes its filing until the
        // report is accepted (the lead, after the deadline, may submit
        // without it, and it may file while the report is under review).
        const bool accepted = task.report_state() == tasks_v1::REPORT_STATE_ACCEPTED ||
                              task.completed_before_period();
        if (!filed && !leads && !accepted) t.add_owed("PROGRESS");
      }
      t.set_report_hidden(task.report_state_hidden());
      if (leads && !report_settled && !task.report_state_hidden()) t.add_owed("REPORT");
      view.set_owed(view.owed() + t.owed_size());
      tasks.push_back(std::move(t));
    }
    std::stable_sort(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) {
      if (a.role() != b.role()) return a.role() < b.role();  // LEAD before CO
      return a.number() < b.number();
    });
    for (auto& t : tasks) *view.add_tasks() = std::move(t);
  }
  if (missing.Have("escalations", in.escalations)) {
    *view.mutable_escalations() = in.escalations->escalations();
  }
  // A lead answers for its tasks' indicators too: task 6's training ratio
  // is the education commission's to report, but 区人力社保局 leads the task.
  std::set<int> led_tasks;
  if (in.tasks.ok()) {
    for (const auto& task : in.tasks->tasks()) {
      if (task.lead_unit() == in.unit) led_tasks.insert(task.number());
    }
  }
  missing.Have("indicators", in.indicators);
  missing.HaveResults(in.results);
  // Without the indicators, the results (every unit's) cannot be told apart:
  // none are shown rather than the district's.
  if (in.indicators.ok()) {
    for (auto& s : IndicatorStatuses(
             in.indicators, in.results,
             [&](const evaluation_v1::Indicator& i) {
               return i.responsible_unit() == in.unit ||
                      (i.task_number() != 0 && led_tasks.count(i.task_number()) > 0);
             },
             [](const evaluation_v1::Result&) { return true; }, true)) {
      *view.add_indicators() = std::move(s);
    }
  }
  missing.WriteTo(&view);
  return view;
}

}  // namespace vetrack::gateway
