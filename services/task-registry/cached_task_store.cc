#include "cached_task_store.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "names.h"

namespace vetrack::tasks {
namespace {

thread_local bool memory_only_reads = false;

absl::Status WouldWaitForRedis(const char* what) {
  return absl::UnavailableError(
      absl::StrCat("the ", what, " copy has expired; it is read again on a thread that may wait"));
}

// Whether two lists hold the same units at the same versions, in any order.
bool SameVersions(const std::vector<Stored<v1::Unit>>& a, const std::vector<Stored<v1::Unit>>& b) {
  if (a.size() != b.size()) return false;
  std::map<std::string, int64_t> versions;
  for (const auto& unit : a) versions[unit.value.name()] = unit.version;
  for (const auto& unit : b) {
    auto it = versions.find(unit.value.name());
    if (it == versions.end() || it->second != unit.version) return false;
  }
  return true;
}

}  // namespace

MemoryOnlyReads::MemoryOnlyReads() : was_active_(memory_only_reads) { memory_only_reads = true; }
MemoryOnlyReads::~MemoryOnlyReads() { memory_only_reads = was_active_; }
bool MemoryOnlyReads::active() { return memory_only_reads; }

CachedTaskStore::CachedTaskStore(TaskStore& store, const Clock& clock, absl::Duration ttl)
    : store_(store), clock_(clock), ttl_(ttl) {}

bool CachedTaskStore::HoldsFreshCatalog(const std::string& plan_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = plans_.find(plan_id);
  return it != plans_.end() && Fresh(it->second->read_at);
}

absl::StatusOr<bool> CachedTaskStore::DropCatalogIfStale(const TaskRef& ref,
                                                         absl::Time decided_at) {
  int64_t copied = 0;  // 0: the copy has no such task
  std::optional<std::vector<Stored<v1::Unit>>> copied_units;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = plans_.find(ref.plan_id);
    // Dropped, or read again, since the decision began (another request
    // found it stale): what the decision saw is not here to compare.
    if (it == plans_.end() || it->second->read_at > decided_at) return true;
    const PlanCopy& copy = *it->second;
    auto task = copy.task_index_by_number.find(ref.number);
    if (task != copy.task_index_by_number.end()) copied = copy.tasks[task->second].version;
    if (units_.has_value()) {
      if (units_->read_at > decided_at) return true;
      copied_units = units_->units;
    }
  }
  auto stored = store_.GetTask(ref);
  if (!stored.ok()) return stored.status();
  bool same = (stored->has_value() ? (*stored)->version : 0) == copied;
  // A unit added or changed elsewhere (an import) leaves the task as it was
  // but can decide a refusal ("unknown unit") too.
  if (same && copied_units.has_value()) {
    auto stored_units = store_.ListUnits();
    if (!stored_units.ok()) return stored_units.status();
    same = SameVersions(*stored_units, *copied_units);
  }
  if (same) return false;
  std::lock_guard<std::mutex> lock(mu_);
  plans_.erase(ref.plan_id);
  units_.reset();  // a unit added with the change may be missing from it too
  ++generation_;
  return true;
}

absl::StatusOr<std::shared_ptr<const CachedTaskStore::PlanCopy>> CachedTaskStore::Plan(
    const std::string& plan_id) {
  uint64_t generation = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = plans_.find(plan_id);
    if (it != plans_.end() && Fresh(it->second->read_at)) return it->second;
    generation = generation_;
  }
  if (MemoryOnlyReads::active()) return WouldWaitForRedis("catalog");
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
  // Only plans that exist are kept: any caller may name any plan id, and
  // each would otherwise stay in memory.
  if (!shared->plan.has_value()) return shared;
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
  if (MemoryOnlyReads::active()) return WouldWaitForRedis("units");
  UnitsCopy copy;
  copy.read_at = clock_.Now();
  auto units = store_.ListUnits();
  if (!units.ok()) return units.status();
  copy.units = *std::move(units);
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) units_ = copy;
  return copy.units;
}

namespace {

std::string ReportMemoryKey(const TaskRef& ref, const std::string& period_id) {
  return absl::StrCat(ref.plan_id, "/", ref.number, "/", period_id);
}
std::string ProgressMemoryKey(const TaskRef& ref, const std::string& period_id,
                              const std::string& unit) {
  return absl::StrCat(ReportMemoryKey(ref, period_id), "/", unit);
}

// The entity as a read would return it: its etag is its version.
template <typename T>
Stored<T> Versioned(T value, int64_t version) {
  value.set_etag(std::to_string(version));
  return Stored<T>{std::move(value), version};
}

}  // namespace

void CachedTaskStore::RememberReport(const std::string& key,
                                     std::optional<Stored<v1::TaskReport>> report) {
  if (recent_reports_.size() >= kMaxRemembered) recent_reports_.clear();
  recent_reports_[key] = std::move(report);
}

void CachedTaskStore::RememberProgress(const std::string& key,
                                       std::optional<Stored<v1::Progress>> progress) {
  if (recent_progress_.size() >= kMaxRemembered) recent_progress_.clear();
  recent_progress_[key] = std::move(progress);
}

absl::StatusOr<FilingReads> CachedTaskStore::ReadForFiling(const std::string& request_key,
                                                           const std::string& fingerprint,
                                                           const TaskRef& ref,
                                                           const std::string& period_id,
                                                           const std::string& unit) {
  auto reads = store_.ReadForFiling(request_key, fingerprint, ref, period_id, unit);
  if (!reads.ok()) return reads;
  // Possibly older than a write of this replica that raced it: the guarded
  // write that uses it then fails once and reads again.
  std::lock_guard<std::mutex> lock(filing_mu_);
  RememberReport(ReportMemoryKey(ref, period_id), reads->report);
  RememberProgress(ProgressMemoryKey(ref, period_id, unit), reads->progress);
  return reads;
}

std::optional<FilingReads> CachedTaskStore::RecentFilingReads(const TaskRef& ref,
                                                              const std::string& period_id,
                                                              const std::string& unit) {
  std::lock_guard<std::mutex> lock(filing_mu_);
  auto report = recent_reports_.find(ReportMemoryKey(ref, period_id));
  auto progress = recent_progress_.find(ProgressMemoryKey(ref, period_id, unit));
  if (report == recent_reports_.end() || progress == recent_progress_.end()) return std::nullopt;
  return FilingReads{std::nullopt, report->second, progress->second};
}

CachedTaskStore::WrittenFilings CachedTaskStore::WrittenBy(const RegistryWrite& write) {
  WrittenFilings written;
  if (!write.progress.empty() || !write.reports.empty()) {
    written.progress = write.progress;
    written.reports = write.reports;
    written.unchanged_reports = write.unchanged_reports;
  }
  written.catalog = write.plan.has_value() || write.sections.has_value() || !write.tasks.empty() ||
                    !write.units.empty();
  written.decided_on_catalog = !write.unchanged_tasks.empty();
  return written;
}

absl::StatusOr<WriteOutcome> CachedTaskStore::Write(const RegistryWrite& write) {
  auto outcome = store_.Write(write);
  AfterWrite(WrittenBy(write), outcome);
  return outcome;
}

void CachedTaskStore::WriteAsync(const RegistryWrite& write, WriteCallback done) {
  store_.WriteAsync(write, [this, written = WrittenBy(write),
                            done = std::move(done)](absl::StatusOr<WriteOutcome> outcome) {
    AfterWrite(written, outcome);
    done(std::move(outcome));
  });
}

void CachedTaskStore::AfterWrite(const WrittenFilings& written,
                                 const absl::StatusOr<WriteOutcome>& outcome) {
  if (!written.progress.empty() || !written.reports.empty()) {
    // Stored (and not an earlier answer replayed): the new versions are known.
    // Otherwise what was remembered may be what made the guard fail.
    const bool stored = outcome.ok() && !outcome->replayed;
    std::lock_guard<std::mutex> lock(filing_mu_);
    for (const auto& put : written.progress) {
      auto ref = ParseTaskName(put.value.task(), "progress.task");
      if (!ref.ok()) continue;
      const std::string key = ProgressMemoryKey(*ref, put.value.period_id(), put.value.unit());
      if (stored) {
        RememberProgress(key, Versioned(put.value, put.expected_version + 1));
      } else {
        recent_progress_.erase(key);
      }
    }
    for (const auto& put : written.reports) {
      auto ref = ParseTaskName(put.value.task(), "report.task");
      if (!ref.ok()) continue;
      const std::string key = ReportMemoryKey(*ref, put.value.period_id());
      if (stored) {
        RememberReport(key, Versioned(put.value, put.expected_version + 1));
      } else {
        recent_reports_.erase(key);
      }
    }
    if (!stored) {
      for (const auto& guard : written.unchanged_reports) {
        recent_reports_.erase(ReportMemoryKey(guard.ref, guard.period_id));
      }
    }
  }
  // A failed guard (ABORTED) of a write decided on the catalog copy may be the
  // task's: read the catalog again rather than decide the retry on it.
  if (written.catalog || (written.decided_on_catalog && absl::IsAborted(outcome.status()))) {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    plans_.clear();
    units_.reset();
  }
}

}  // namespace vetrack::tasks
