#include "views.h"

namespace vetrack::gateway {

absl::StatusOr<v1::TaskDossier> AssembleDossier(const DossierInputs& in) {
  if (!in.task.ok() && FailsWholeView(in.task.status())) return in.task.status();
  // The task is public; its filings are not: a caller the registry does not
  // let read them gets no dossier, rather than one with them left out.
  for (const absl::Status& section : {in.progress.status(), in.history.status()}) {
    if (absl::IsPermissionDenied(section)) return section;
  }
  // A quarter the registry does not take (not begun, before the plan) is the
  // caller's to correct, not a section missing.
  if (absl::IsInvalidArgument(in.progress.status())) return in.progress.status();
  v1::TaskDossier view;
  view.set_period_id(in.period_id);
  view.set_year(in.year);
  MissingSections missing;
  if (missing.Have("task", in.task)) {
    *view.mutable_task() = *in.task;
    // As ListTasks says it for a period (GetTask gives the period's units,
    // not this).
    const std::string& completed = in.task->completed_period_id();
    view.mutable_task()->set_completed_before_period(!completed.empty() &&
                                                     in.period_id > completed);
  }
  if (missing.Have("progress", in.progress)) {
    *view.mutable_progress() = in.progress->progress();
    *view.mutable_missing_units() = in.progress->missing_units();
  }
  if (in.report.ok()) {
    *view.mutable_report() = *in.report;
    // As ListTasks says it for a period (found in use: the task's state was
    // unset beside the report's "accepted").
    if (view.has_task()) view.mutable_task()->set_report_state(in.report->state());
  } else if (in.report.status().code() != absl::StatusCode::kNotFound) {
    missing.Add("report", in.report.status());
  }
  if (missing.Have("history", in.history)) *view.mutable_history() = in.history->entries();
  missing.Have("indicators", in.indicators);
  missing.HaveResults(in.results);
  const int number = in.task.ok() ? in.task->number() : 0;
  if (in.indicators.ok()) {
    for (auto& s : IndicatorStatuses(
             in.indicators, in.results,
             [&](const evaluation_v1::Indicator& i) {
               return number != 0 && i.task_number() == number;
             },
             [](const evaluation_v1::Result&) { return true; }, true)) {
      *view.add_indicators() = std::move(s);
    }
  }
  missing.WriteTo(&view);
  return view;
}

}  // namespace vetrack::gateway
