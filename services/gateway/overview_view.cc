#include <map>
#include <set>

#include "views.h"

namespace vetrack::gateway {
namespace {

void AddTasks(const OverviewInputs& in, v1::DistrictOverview* view) {
  // The highest escalation of each task, when that section is there.
  std::map<int, tasks_v1::EscalationLevel> highest;
  if (in.escalations.ok()) {
    for (const auto& e : in.escalations->escalations()) {
      auto& level = highest[e.task_number()];
      if (e.level() > level) level = e.level();
    }
  }
  std::map<tasks_v1::ReportState, int> by_state;
  for (int s = tasks_v1::ReportState_MIN; s <= tasks_v1::ReportState_MAX; ++s) {
    if (tasks_v1::ReportState_IsValid(s)) by_state[static_cast<tasks_v1::ReportState>(s)] = 0;
  }
  for (const auto& task : in.tasks->tasks()) {
    auto* status = view->add_tasks();
    status->set_task(task.name());
    status->set_number(task.number());
    status->set_section_code(task.section_code());
    status->set_lead_unit(task.lead_unit());
    *status->mutable_co_units() = task.co_units();
    status->set_report_state(task.report_state());
    status->set_completed_before_period(task.completed_before_period());
    status->set_report_hidden(task.report_state_hidden());
    auto it = highest.find(task.number());
    if (it != highest.end()) status->set_escalation_level(it->second);
    if (task.completed_before_period()) {
      view->set_tasks_completed(view->tasks_completed() + 1);
    } else if (task.report_state_hidden()) {
      view->set_tasks_report_hidden(view->tasks_report_hidden() + 1);
    } else {
      ++by_state[task.report_state()];
    }
  }
  for (const auto& [state, count] : by_state) {
    auto* c = view->add_tasks_by_report_state();
    c->set_state(state);
    c->set_tasks(count);
  }
}

void AddEscalations(const tasks_v1::ListEscalationsResponse& escalations,
                    v1::DistrictOverview* view) {
  std::map<tasks_v1::EscalationLevel, v1::EscalationLevelCount> by_level;
  for (auto level : {tasks_v1::ESCALATION_LEVEL_REMINDER, tasks_v1::ESCALATION_LEVEL_YELLOW,
                     tasks_v1::ESCALATION_LEVEL_RED}) {
    by_level[level].set_level(level);
  }
  for (const auto& e : escalations.escalations()) {
    v1::EscalationLevelCount& count = by_level[e.level()];
    count.set_level(e.level());
    count.set_escalations(count.escalations() + 1);
    if (e.notice().empty()) continue;
    count.set_with_notice(count.with_notice() + 1);
    if (e.notice_state() == tasks_v1::NOTICE_STATE_ISSUED) {
      count.set_notice_unanswered(count.notice_unanswered() + 1);
    }
  }
  for (const auto& [level, count] : by_level) *view->add_escalations_by_level() = count;
}

void AddInstitutions(const OverviewInputs& in, v1::DistrictOverview* view) {
  std::map<std::string, const schools_v1::DataReport*> data;
  if (in.data_reports.ok()) {
    for (const auto& r : in.data_reports->data_reports()) data[r.institution()] = &r;
  }
  std::map<std::string, const schools_v1::QualityReport*> quality;
  if (in.quality_reports.ok()) {
    for (const auto& r : in.quality_reports->quality_reports()) quality[r.institution()] = &r;
  }
  // A school reads only its own reports; the others are neither reported nor
  // missing to it, and are left out rather than shown as having no report.
  std::set<std::string> visible;
  if (in.data_reports.ok()) {
    for (const auto& [name, report] : data) visible.insert(name);
    visible.insert(in.data_reports->missing_institutions().begin(),
                   in.data_reports->missing_institutions().end());
  }
  for (const auto& institution : in.institutions->institutions()) {
    if (in.data_reports.ok() && visible.count(institution.name()) == 0) continue;
    auto* status = view->add_institutions();
    status->set_institution(institution.name());
    status->set_display_name(institution.display_name());
    status->set_type(institution.type());
    if (auto it = data.find(institution.name()); it != data.end()) {
      status->set_data_report_state(it->second->state());
      status->set_data_report_late(it->second->late());
    }
    if (auto it = quality.find(institution.name()); it != quality.end()) {
      status->set_quality_report_state(it->second->state());
    }
  }
}

}  // namespace

absl::StatusOr<v1::DistrictOverview> AssembleOverview(const OverviewInputs& in) {
  // A plan that does not exist (or is no plan name) is the caller's error,
  // not a backend's: the whole view fails, as the other views do.
  if (!in.tasks.ok() && FailsWholeView(in.tasks.status())) return in.tasks.status();
  v1::DistrictOverview view;
  view.set_plan(in.plan);
  view.set_period_id(in.period_id);
  view.set_year(in.year);
  view.set_data_period_id(in.data_period_id);
  view.set_quality_period_id(in.quality_period_id);
  MissingSections missing;
  if (missing.Have("tasks", in.tasks)) AddTasks(in, &view);
  if (missing.Have("escalations", in.escalations)) AddEscalations(*in.escalations, &view);
  missing.Have("indicators", in.indicators);
  missing.HaveResults(in.results);
  // District-wide figures; per-institution ones belong to the profiles.
  auto statuses = IndicatorStatuses(
      in.indicators, in.results, [](const evaluation_v1::Indicator&) { return true; },
      [](const evaluation_v1::Result& r) { return r.scope() != evaluation_v1::SCOPE_INSTITUTION; },
      true);
  // Found in use: an indicator measured only per institution showed no
  // status at all; its institutions' results are counted instead.
  std::map<std::string, std::map<evaluation_v1::ResultStatus, int>> per_institution;
  if (in.results.ok()) {
    for (const auto& r : in.results->results()) {
      if (r.scope() == evaluation_v1::SCOPE_INSTITUTION)
        ++per_institution[r.indicator()][r.status()];
    }
  }
  std::map<evaluation_v1::ResultStatus, int> by_status;
  for (auto& s : statuses) {
    for (const auto& r : s.results()) ++by_status[r.status()];
    if (s.results().empty()) {
      for (const auto& [status, count] : per_institution[s.indicator()]) {
        auto* c = s.add_institution_results_by_status();
        c->set_status(status);
        c->set_results(count);
      }
    }
    *view.add_indicators() = std::move(s);
  }
  for (const auto& [status, count] : by_status) {
    auto* c = view.add_results_by_status();
    c->set_status(status);
    c->set_results(count);
  }
  if (missing.Have("institutions", in.institutions)) AddInstitutions(in, &view);
  missing.Have("data_reports", in.data_reports);
  missing.Have("quality_reports", in.quality_reports);
  missing.WriteTo(&view);
  return view;
}

}  // namespace vetrack::gateway
