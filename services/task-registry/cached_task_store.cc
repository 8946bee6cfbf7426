#include "cached_task_store.h"

namespace vetrack::tasks {

CachedTaskStore::CachedTaskStore(TaskStore& store, const Clock& clock, absl::Duration ttl)
    : store_(store), clock_(clock), ttl_(ttl) {}

absl::StatusOr<std::shared_ptr<const CachedTaskStore::PlanCopy>> CachedTaskStore::Plan(
    const std::string& plan_id) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = plans_.find(plan_id);
    if (it != plans_.end() && Fresh(it->second->read_at)) return it->second;
    generation = generation_;
  }
  // Read outside the lock: a slow Redis must not stall readers of other plans.
  auto copy = std::make_shared<PlanCopy>();
  copy->read_at = clock_.Now();
  auto plan = store_.GetPlan(plan_id);
  if (!plan.ok()) return plan.status();
  copy->plan = *std::move(plan);
  if (copy->plan.has_value()) {
    auto sections = store_.ListSections(plan_id);
    if (!sections.ok()) return sections.status();
    copy->sections = *std::move(sections);
    auto tasks = store_.ListTasks(plan_id);
    if (!tasks.ok()) return tasks.status();
    copy->tasks = *std::move(tasks);
    for (size_t i = 0; i < copy->tasks.size(); ++i) {
      copy->task_index_by_number[copy->tasks[i].value.number()] = i;
    }
  }
  std::shared_ptr<const PlanCopy> shared = std::move(copy);
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) plans_[plan_id] = shared;
  return shared;
}

absl::StatusOr<std::optional<v1::Plan>> CachedTaskStore::GetPlan(const std::string& plan_id) {
  auto copy = Plan(plan_id);
  if (!copy.ok()) return copy.status();
  return (*copy)->plan;
}

absl::StatusOr<std::vector<v1::Section>> CachedTaskStore::ListSections(const std::string& plan_id) {
  auto copy = Plan(plan_id);
  if (!copy.ok()) return copy.status();
  return (*copy)->sections;
}

absl::StatusOr<std::vector<Stored<v1::Task>>> CachedTaskStore::ListTasks(
    const std::string& plan_id) {
  auto copy = Plan(plan_id);
  if (!copy.ok()) return copy.status();
  return (*copy)->tasks;
}

absl::StatusOr<std::optional<Stored<v1::Task>>> CachedTaskStore::GetTask(const TaskRef& ref) {
  auto copy = Plan(ref.plan_id);
  if (!copy.ok()) return copy.status();
  const PlanCopy& catalog = **copy;
  auto it = catalog.task_index_by_number.find(ref.number);
  if (it == catalog.task_index_by_number.end()) return std::optional<Stored<v1::Task>>();
  return std::optional<Stored<v1::Task>>(catalog.tasks[it->second]);
}

absl::StatusOr<std::vector<Stored<v1::Unit>>> CachedTaskStore::ListUnits() {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (units_.has_value() && Fresh(units_->read_at)) return units_->units;
    generation = generation_;
  }
  UnitsCopy copy;
  copy.read_at = clock_.Now();
  auto units = store_.ListUnits();
  if (!units.ok()) return units.status();
  copy.units = *std::move(units);
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) units_ = copy;
  return copy.units;
}

absl::StatusOr<WriteOutcome> CachedTaskStore::Write(const RegistryWrite& write) {
  auto outcome = store_.Write(write);
  if (write.plan.has_value() || write.sections.has_value() || !write.tasks.empty() ||
      !write.units.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    plans_.clear();
    units_.reset();
  }
  return outcome;
}

}  // namespace vetrack::tasks
