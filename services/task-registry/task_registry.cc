#include "task_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "catalog.h"
#include "idempotency/idempotency.h"
#include "periods.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::tasks {

TaskRegistry::TaskRegistry(TaskStore& store, const Clock& clock, RegistryOptions options)
    : store_(store), clock_(clock), options_(options) {}

absl::Status TaskRegistry::Once(const Principal& caller, const google::protobuf::Message& request,
                                const std::string& request_id, google::protobuf::Message* response,
                                const std::function<absl::Status(RegistryWrite*)>& prepare) {
  return Once(
      caller, request, request_id, response,
      [this](const std::string& key, const std::string& fingerprint) {
        return store_.FindAnswer(key, fingerprint);
      },
      prepare);
}

absl::Status TaskRegistry::Once(const Principal& caller, const google::protobuf::Message& request,
                                const std::string& request_id, google::protobuf::Message* response,
                                const FindAnswer& find_answer,
                                const std::function<absl::Status(RegistryWrite*)>& prepare) {
  RegistryWrite write;
  return RunOnce(
      caller, request, request_id, response, find_answer, [&] { return prepare(&write); },
      [&](const Answer& answer) {
        write.answer = answer;
        return store_.Write(write);
      });
}

bool TaskRegistry::RefusedOnStaleCopy(const absl::Status& status, const std::string& task_name,
                                      absl::Time decided_at) {
  // The refusals a task's assignments, the units or the task's etag decide
  // (FAILED_PRECONDITION: a co-unit the copy still lists has not filed). A failed write guard
  // (ABORTED without task.etag) is not one: it is decided again where the
  // caller left it to the registry (FileProgressFresh), and answered where
  // the caller asked to hear of races (an etag of its own).
  const auto violations = FieldViolationsOf(status);
  const bool task_etag =
      absl::IsAborted(status) && !violations.empty() && violations.front().field == "task.etag";
  if (!absl::IsPermissionDenied(status) && !absl::IsNotFound(status) &&
      !absl::IsFailedPrecondition(status) && !task_etag) {
    return false;
  }
  auto ref = ParseTaskName(task_name, "task");
  if (!ref.ok()) return false;
  auto dropped = store_.DropCatalogIfStale(*ref, decided_at);
  // Redis unreachable: the refusal stands, as any answer read meanwhile would.
  return dropped.ok() && *dropped;
}

absl::Status TaskRegistry::OnceOnFreshCopy(
    const Principal& caller, const google::protobuf::Message& request,
    const std::string& request_id, const std::string& task_name,
    google::protobuf::Message* response, const std::function<absl::Status(RegistryWrite*)>& prepare,
    bool again_on_failed_guard) {
  const absl::Time decided_at = clock_.Now();
  absl::Status done = Once(caller, request, request_id, response, prepare);
  if (RefusedOnStaleCopy(done, task_name, decided_at) ||
      (again_on_failed_guard && absl::IsAborted(done))) {
    response->Clear();
    done = Once(caller, request, request_id, response, prepare);
  }
  return done;
}

absl::StatusOr<v1::Plan> TaskRegistry::LoadPlan(const std::string& plan_id,
                                                const std::string& field) {
  auto plan = store_.GetPlan(plan_id);
  if (!plan.ok()) return plan.status();
  if (!plan->has_value()) {
    return NotFoundField(field, absl::StrCat("no plan plans/", plan_id));
  }
  return **plan;
}

absl::StatusOr<Stored<v1::Task>> TaskRegistry::LoadTask(const std::string& task_name,
                                                        TaskRef* ref) {
  auto parsed = ParseTaskName(task_name, "task");
  if (!parsed.ok()) return parsed.status();
  *ref = *parsed;
  auto task = store_.GetTask(*ref);
  if (!task.ok()) return task.status();
  if (!task->has_value()) return NotFoundField("task", absl::StrCat("no task ", task_name));
  return **task;
}

absl::StatusOr<Stored<v1::Task>> TaskRegistry::LoadTaskIn(const std::string& task_name,
                                                          const std::string& period_id,
                                                          TaskRef* ref) {
  auto task = LoadTask(task_name, ref);
  if (!task.ok()) return task.status();
  AssignIn(period_id, &task->value);
  return task;
}

absl::StatusOr<Stored<v1::Task>> TaskRegistry::LoadReadableTaskIn(const Principal& caller,
                                                                  const std::string& task_name,
                                                                  const std::string& period_id,
                                                                  TaskRef* ref) {
  auto task = LoadTask(task_name, ref);
  if (!task.ok()) return task.status();
  if (absl::Status allowed = CheckCanReadTaskIn(caller, task->value, period_id); !allowed.ok()) {
    return allowed;
  }
  AssignIn(period_id, &task->value);
  return task;
}

absl::Status TaskRegistry::CheckUnitExists(const std::string& unit) {
  auto units = store_.ListUnits();
  if (!units.ok()) return units.status();
  bool known = std::any_of(units->begin(), units->end(),
                           [&](const auto& u) { return u.value.code() == unit; });
  if (!known) return NotFoundField("unit", absl::StrCat("no unit '", unit, "'"));
  return absl::OkStatus();
}

absl::StatusOr<v1::Period> TaskRegistry::LoadPeriod(const std::string& plan_id,
                                                    const std::string& period_id) {
  auto plan = LoadPlan(plan_id, "task");
  if (!plan.ok()) return plan.status();
  auto period = ParsePeriod(period_id, options_.grace_after_quarter);
  if (!period.ok()) return period.status();
  if (absl::Status ok = CheckReportable(*period, *plan, clock_.Now()); !ok.ok()) return ok;
  return period;
}

v1::HistoryEntry TaskRegistry::History(const Principal& caller, const std::string& action,
                                       const std::string& period_id,
                                       const std::string& detail) const {
  v1::HistoryEntry entry;
  *entry.mutable_time() = TimeToProto(clock_.Now());
  entry.set_actor(caller.ToString());
  entry.set_action(action);
  entry.set_period_id(period_id);
  entry.set_detail(detail);
  return entry;
}

}  // namespace vetrack::tasks
