// The catalog half of TaskRegistry: loading the plan, reading tasks and units,
// correcting a task.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "catalog.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "idempotency/idempotency.h"
#include "paging/paging.h"
#include "periods.h"
#include "status/errors.h"
#include "task_registry.h"
#include "workflow.h"

namespace vetrack::tasks {
namespace {

bool CanManageCatalog(const Principal& caller) {
  return caller.role == Role::kCoordinator || caller.role == Role::kOperator;
}

// The catalog's part of a task, for telling whether an import changes it.
std::string CatalogBytes(v1::Task task) {
  task.clear_etag();
  task.clear_report_state();
  task.clear_completed_before_period();
  task.clear_completed_period_id();  // the coordinator's, not the catalog's
  task.clear_former_units();         // the registry's record of changes
  return task.SerializeAsString();
}

std::string UnitBytes(v1::Unit unit) { return unit.SerializeAsString(); }

}  // namespace

absl::StatusOr<v1::ImportCatalogResponse> TaskRegistry::ImportCatalog(
    const Principal& caller, const v1::ImportCatalogRequest& req) {
  if (!CanManageCatalog(caller)) {
    return absl::PermissionDeniedError("only the coordinator or an operator loads the catalog");
  }
  auto resolved = ResolveCatalog(req.catalog());
  if (!resolved.ok()) return resolved.status();
  auto plan_id = PlanIdFromName(resolved->plan.name());
  if (!plan_id.ok()) return plan_id.status();

  v1::ImportCatalogResponse response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](RegistryWrite* write) {
    auto units = store_.ListUnits();
    if (!units.ok()) return units.status();
    std::map<std::string, Stored<v1::Unit>> existing_units;
    for (auto& u : *units) existing_units.emplace(u.value.code(), u);
    auto tasks = store_.ListTasks(*plan_id);
    if (!tasks.ok()) return tasks.status();
    std::map<int, Stored<v1::Task>> existing_tasks;
    for (auto& t : *tasks) existing_tasks.emplace(t.value.number(), t);

    response.set_plan(resolved->plan.name());
    write->plan = resolved->plan;
    write->sections = resolved->sections;
    // Tracking starts with the plan's first load. A plan loaded before that
    // was recorded started with its tasks: their first history entry says
    // when. The first quarter tracked is the oldest whose filings were still
    // due then (a load in early October tracks the third quarter too).
    auto since = store_.TrackedSince(*plan_id);
    if (!since.ok()) return since.status();
    if (!since->has_value()) {
      std::optional<absl::Time> started;
      if (existing_tasks.empty()) {
        started = clock_.Now();
      } else {
        int total = 0;
        auto first =
            store_.ListHistory(TaskRef{*plan_id, existing_tasks.begin()->first}, 0, 1, &total);
        if (!first.ok()) return first.status();
        if (!first->empty()) started = TimeFromProto(first->front().time());
      }
      if (started.has_value()) {
        write->tracked_quarter = QuarterIdAt(*started - options_.grace_after_quarter);
      }
    }
    for (const auto& unit : resolved->units) {
      auto it = existing_units.find(unit.code());
      if (it != existing_units.end()) {
        v1::Unit stored = it->second.value;
        stored.clear_etag();
        if (UnitBytes(stored) == UnitBytes(unit)) {
          response.set_units_unchanged(response.units_unchanged() + 1);
          continue;
        }
      }
      int64_t version = it == existing_units.end() ? 0 : it->second.version;
      if (version == 0) response.set_units_created(response.units_created() + 1);
      write->units.push_back({unit, version});
    }
    for (const auto& task : resolved->tasks) {
      auto it = existing_tasks.find(task.number());
      if (it != existing_tasks.end() && !it->second.value.corrected_by().empty()) {
        response.set_tasks_kept_corrected(response.tasks_kept_corrected() + 1);
        continue;
      }
      if (it != existing_tasks.end() && CatalogBytes(it->second.value) == CatalogBytes(task)) {
        response.set_tasks_unchanged(response.tasks_unchanged() + 1);
        continue;
      }
      bool created = it == existing_tasks.end();
      (created ? response.set_tasks_created(response.tasks_created() + 1)
               : response.set_tasks_updated(response.tasks_updated() + 1));
      v1::Task loaded = task;
      if (!created) {
        loaded.set_completed_period_id(it->second.value.completed_period_id());
        NoteFormerUnits(it->second.value, &loaded);
      }
      write->tasks.push_back({std::move(loaded), created ? 0 : it->second.version});
      write->history.push_back({TaskRef{*plan_id, task.number()},
                                History(caller, created ? "CREATE_TASK" : "UPDATE_TASK", "",
                                        "loaded from the plan catalog")});
    }
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Plan> TaskRegistry::GetPlan(const Principal&, const v1::GetPlanRequest& req) {
  auto plan_id = PlanIdFromName(req.name());
  if (!plan_id.ok()) return plan_id.status();
  return LoadPlan(*plan_id, "name");
}

absl::StatusOr<v1::ListUnitsResponse> TaskRegistry::ListUnits(const Principal&,
                                                              const v1::ListUnitsRequest& req) {
  auto units = store_.ListUnits();
  if (!units.ok()) return units.status();
  v1::ListUnitsResponse response;
  for (const auto& u : *units) {
    if (req.kind() == v1::UNIT_KIND_UNSPECIFIED || u.value.kind() == req.kind()) {
      *response.add_units() = u.value;
    }
  }
  return response;
}

absl::StatusOr<v1::ListSectionsResponse> TaskRegistry::ListSections(
    const Principal&, const v1::ListSectionsRequest& req) {
  auto plan_id = PlanIdFromName(req.plan());
  if (!plan_id.ok()) return plan_id.status();
  if (auto plan = LoadPlan(*plan_id, "plan"); !plan.ok()) return plan.status();
  auto sections = store_.ListSections(*plan_id);
  if (!sections.ok()) return sections.status();
  v1::ListSectionsResponse response;
  for (const auto& s : *sections) *response.add_sections() = s;
  return response;
}

absl::StatusOr<v1::Task> TaskRegistry::GetTask(const Principal&, const v1::GetTaskRequest& req) {
  auto ref = ParseTaskName(req.name(), "name");
  if (!ref.ok()) return ref.status();
  auto task = store_.GetTask(*ref);
  if (!task.ok()) return task.status();
  if (!task->has_value()) return NotFoundField("name", "no task " + req.name());
  if (req.period_id().empty()) return (*task)->value;
  auto period = LoadPeriod(ref->plan_id, req.period_id());
  if (!period.ok()) return period.status();
  return AssignedIn((*task)->value, req.period_id());
}

void TaskRegistry::GetTaskAsync(const Principal& caller, const v1::GetTaskRequest& req,
                                TaskCallback done) {
  auto ref = ParseTaskName(req.name(), "name");
  if (!options_.run_blocking || !ref.ok()) return done(GetTask(caller, req));
  auto on_a_thread_that_may_wait = [this, caller, req, done] { done(GetTask(caller, req)); };
  if (!store_.HoldsFreshCatalog(ref->plan_id))
    return options_.run_blocking(on_a_thread_that_may_wait);
  absl::StatusOr<v1::Task> task;
  {
    // The copy can expire between the check and the read: then the read is
    // refused rather than made from Redis on a gRPC callback thread.
    MemoryOnlyReads on_a_callback_thread;
    task = GetTask(caller, req);
  }
  if (absl::IsUnavailable(task.status())) return options_.run_blocking(on_a_thread_that_may_wait);
  done(std::move(task));
}

absl::StatusOr<v1::ListTasksResponse> TaskRegistry::ListTasks(const Principal& caller,
                                                              const v1::ListTasksRequest& req) {
  auto plan_id = PlanIdFromName(req.parent());
  if (!plan_id.ok()) return InvalidField("parent", "must be plans/{plan_id}");
  // By task number, not offset: a task reviewed between two pages of the
  // coordinator's SUBMITTED queue leaves it, and must not push another out of
  // sight.
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  auto plan = LoadPlan(*plan_id, "parent");
  if (!plan.ok()) return plan.status();
  auto tasks = store_.ListTasks(*plan_id);
  if (!tasks.ok()) return tasks.status();

  if (!req.unit().empty()) {
    auto units = store_.ListUnits();
    if (!units.ok()) return units.status();
    bool known = false;
    for (const auto& u : *units) known = known || u.value.code() == req.unit();
    if (!known) return NotFoundField("unit", absl::StrCat("no unit '", req.unit(), "'"));
  }
  std::vector<std::optional<Stored<v1::TaskReport>>> reports;
  if (!req.period_id().empty()) {
    auto period = ParsePeriod(req.period_id(), options_.grace_after_quarter);
    if (!period.ok()) return period.status();
    // As everywhere a quarter is named: the views ask with theirs, and a
    // quarter not begun would show every report as owed.
    if (absl::Status ok = CheckReportable(*period, *plan, clock_.Now()); !ok.ok()) return ok;
    std::vector<TaskRef> refs;
    for (const auto& t : *tasks) refs.push_back({*plan_id, t.value.number()});
    auto got = store_.GetReports(refs, req.period_id());
    if (!got.ok()) return got.status();
    reports = *std::move(got);
  }

  std::vector<v1::Task> matching;
  for (size_t i = 0; i < tasks->size(); ++i) {
    v1::Task task = (*tasks)[i].value;
    // The catalog is public; a report's state is the report's, shown (and
    // filtered on) only to those who may read it.
    const bool readable = req.period_id().empty() ? CanReadTask(caller, task)
                                                  : CanReadTaskIn(caller, task, req.period_id());
    // Who answers for the quarter named, as its filings and 督办 have it.
    if (!req.period_id().empty()) AssignIn(req.period_id(), &task);
    if (!reports.empty() && reports[i].has_value() && readable) {
      task.set_report_state(reports[i]->value.state());
    }
    // Found in use: an unset state read as "no report" to a caller who may
    // not see it, and a view then had the lead owe an accepted report.
    if (!req.period_id().empty() && !readable) task.set_report_state_hidden(true);
    if (!req.period_id().empty()) {
      task.set_completed_before_period(CompletedBefore(task, req.period_id()));
    }
    if (!req.unit().empty()) {
      bool lead = task.lead_unit() == req.unit();
      bool co = IsResponsible(task, req.unit()) && !lead;
      if (req.role() == v1::RESPONSIBILITY_ROLE_LEAD && !lead) continue;
      if (req.role() == v1::RESPONSIBILITY_ROLE_CO && !co) continue;
      if (!lead && !co) continue;
    }
    if (!req.section_prefix().empty() &&
        !absl::StartsWith(task.section_code(), req.section_prefix())) {
      continue;
    }
    if (req.report_state() != v1::REPORT_STATE_UNSPECIFIED &&
        (!readable || task.report_state() != req.report_state())) {
      continue;
    }
    matching.push_back(std::move(task));
  }

  std::sort(matching.begin(), matching.end(),
            [](const auto& a, const auto& b) { return a.number() < b.number(); });
  // Zero-padded, so the keys order as the numbers do.
  auto key = [](const v1::Task& task) { return absl::StrFormat("%06d", task.number()); };
  v1::ListTasksResponse response;
  for (const auto& task : matching) {
    if (!page->after.empty() && key(task) <= page->after) continue;
    if (response.tasks_size() == page->size) {
      response.set_next_page_token(KeyPageToken(*page, key(*response.tasks().rbegin())));
      break;
    }
    *response.add_tasks() = task;
  }
  response.set_total_size(static_cast<int>(matching.size()));
  return response;
}

absl::Status TaskRegistry::CheckNoReportInReview(const TaskRef& ref, const std::string& period_id,
                                                 RegistryWrite* write) {
  auto report = store_.GetReport(ref, period_id);
  if (!report.ok()) return report.status();
  write->unchanged_reports.push_back(
      {ref, period_id, report->has_value() ? (*report)->version : 0});
  if (!report->has_value() || (*report)->value.state() != v1::REPORT_STATE_SUBMITTED) {
    return absl::OkStatus();
  }
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        "the ", period_id, " report awaits review, consolidated by ",
                        (*report)->value.submitted_by(),
                        ": review or return it before the task's units change, so that the units "
                        "that wrote it answer for it")),
                    "REPORT_IN_REVIEW");
}

absl::StatusOr<v1::Task> TaskRegistry::UpdateTask(const Principal& caller,
                                                  const v1::UpdateTaskRequest& req) {
  if (caller.role != Role::kCoordinator) {
    return absl::PermissionDeniedError("only the coordinator corrects tasks");
  }
  v1::Task response;
  auto prepare = [&](RegistryWrite* write) -> absl::Status {
    TaskRef ref;
    auto current = LoadTask(req.task().name(), &ref);
    if (!current.ok()) return current.status();
    if (req.task().etag() != current->value.etag()) return StaleEtag("task.etag");
    auto units = store_.ListUnits();
    if (!units.ok()) return units.status();
    auto known_unit = [&](const std::string& code) {
      for (const auto& u : *units) {
        if (u.value.code() == code) return true;
      }
      return false;
    };
    v1::Task updated = current->value;
    // What the history says; only a change of the catalog's own fields keeps
    // the task from later loads of the plan's file.
    std::vector<std::string> changes;
    bool catalog_changed = false;
    for (const auto& path : req.update_mask()) {
      if (path != "completed_period_id") {
        changes.push_back(absl::StrCat("changed ", path));
        catalog_changed = true;
      }
      if (path == "text") {
        updated.set_text(req.task().text());
      } else if (path == "section_code") {
        auto sections = store_.ListSections(ref.plan_id);
        if (!sections.ok()) return sections.status();
        bool known = false;
        for (const auto& s : *sections) known = known || s.code() == req.task().section_code();
        if (!known) return InvalidField("task.section_code", "unknown section");
        updated.set_section_code(req.task().section_code());
      } else if (path == "lead_unit") {
        if (!known_unit(req.task().lead_unit())) {
          return NotFoundField("task.lead_unit", "unknown unit");
        }
        updated.set_lead_unit(req.task().lead_unit());
      } else if (path == "co_units") {
        for (const auto& code : req.task().co_units()) {
          if (!known_unit(code)) return NotFoundField("task.co_units", "unknown unit " + code);
        }
        *updated.mutable_co_units() = req.task().co_units();
      } else if (path == "completed_period_id") {
        const std::string& completed = req.task().completed_period_id();
        if (!completed.empty()) {
          auto plan = LoadPlan(ref.plan_id, "task.name");
          if (!plan.ok()) return plan.status();
          auto period = ParsePeriod(completed, options_.grace_after_quarter);
          absl::Status reportable =
              period.ok() ? CheckReportable(*period, *plan, clock_.Now()) : period.status();
          if (!reportable.ok()) {
            const auto violations = FieldViolationsOf(reportable);
            return InvalidField("task.completed_period_id", violations.empty()
                                                                ? std::string(reportable.message())
                                                                : violations.front().description);
          }
        }
        changes.push_back(
            completed.empty()
                ? absl::StrCat("reopened (completed in ", current->value.completed_period_id(), ")")
                : absl::StrCat("completed in ", completed));
        updated.set_completed_period_id(completed);
      }
    }
    // Whichever of the two changed, the result must still name each
    // responsible unit once: the lead files and consolidates, co-units file.
    std::set<std::string> co_units;
    for (const auto& code : updated.co_units()) {
      if (code == updated.lead_unit()) {
        return InvalidField("task.co_units", code + " leads the task and cannot also share it");
      }
      if (!co_units.insert(code).second) {
        return InvalidField("task.co_units", code + " is named twice");
      }
    }
    const bool units_change = updated.lead_unit() != current->value.lead_unit() ||
                              updated.co_units().size() != current->value.co_units().size() ||
                              !std::equal(updated.co_units().begin(), updated.co_units().end(),
                                          current->value.co_units().begin());
    if (units_change) {
      // From the quarter it is made in: the quarters before stay owed by the
      // units that answered for them (found in use: a correction had the new
      // units chased for a quarter their predecessor led, 53 days overdue).
      auto plan = LoadPlan(ref.plan_id, "task.name");
      if (!plan.ok()) return plan.status();
      const auto quarters = ReportablePeriods(*plan, clock_.Now(), options_.grace_after_quarter);
      const std::string in_force_from = quarters.empty() ? "" : quarters.back().id();
      if (!in_force_from.empty()) {
        if (absl::Status quiet = CheckNoReportInReview(ref, in_force_from, write); !quiet.ok()) {
          return quiet;
        }
        changes.push_back(absl::StrCat("units in force from ", in_force_from));
      }
      NoteEarlierAssignment(current->value, in_force_from, &updated);
    }
    NoteFormerUnits(current->value, &updated);
    if (catalog_changed) updated.set_corrected_by(caller.ToString());
    updated.set_etag(std::to_string(current->version + 1));
    write->tasks.push_back({updated, current->version});
    // A completion or reopening is filed under the quarter it concerns.
    const std::string& quarter = updated.completed_period_id().empty()
                                     ? current->value.completed_period_id()
                                     : updated.completed_period_id();
    write->history.push_back(
        {ref, History(caller, "UPDATE_TASK", quarter, absl::StrJoin(changes, ", "))});
    response = updated;
    return absl::OkStatus();
  };
  v1::UpdateTaskRequest asked = req;  // as its fingerprint sees it
  std::vector<std::string> fields(req.update_mask().begin(), req.update_mask().end());
  fields.push_back("name");
  KeepOnlyFields(fields, asked.mutable_task());
  absl::Status done =
      OnceOnFreshCopy(caller, asked, req.request_id(), req.task().name(), &response, prepare);
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListPeriodsResponse> TaskRegistry::ListPeriods(
    const Principal&, const v1::ListPeriodsRequest& req) {
  auto plan_id = PlanIdFromName(req.plan());
  if (!plan_id.ok()) return plan_id.status();
  auto plan = LoadPlan(*plan_id, "plan");
  if (!plan.ok()) return plan.status();
  v1::ListPeriodsResponse response;
  for (auto& p : ReportablePeriods(*plan, clock_.Now(), options_.grace_after_quarter)) {
    *response.add_periods() = std::move(p);
  }
  return response;
}

}  // namespace vetrack::tasks
