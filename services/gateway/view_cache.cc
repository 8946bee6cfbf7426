#include "view_cache.h"

#include <algorithm>

namespace vetrack::gateway {

void ViewCache::Get(const std::string& key, absl::Time answer_by, const Assemble& assemble,
                    Deliver deliver) {
  const absl::Time now = clock_.Now();
  const absl::Time own_deadline = std::min(now + assembly_time_, answer_by);
  if (time_to_live_ <= absl::ZeroDuration()) {
    assemble(own_deadline,
             [deliver = std::move(deliver)](absl::StatusOr<View> view, bool) { deliver(view); });
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  Entry& entry = entries_[key];
  if (entry.view != nullptr && entry.generation == generation_ && now < entry.expiry) {
    View view = entry.view;
    std::shared_ptr<Assembly> ahead;
    if (now >= entry.expiry - time_to_live_ / 4 &&
        (entry.assembly == nullptr || entry.assembly->generation != generation_)) {
      ahead = std::make_shared<Assembly>();
      ahead->generation = generation_;
      ahead->ahead = true;
      ahead->deadline = now + assembly_time_;
      entry.assembly = ahead;
      ++ahead_running_;
    }
    // Outside the lock: delivering copies the view into the response.
    lock.unlock();
    deliver(view);
    if (ahead != nullptr) Start(key, ahead, assemble);
    return;
  }
  // Join an assembly of this generation that ends in the caller's time; a
  // hurried one only when hurried too, as it may come back partial.
  const bool hurried = own_deadline < now + assembly_time_;
  auto fits = [&](const std::shared_ptr<Assembly>& a) {
    return a != nullptr && a->generation == generation_ && a->deadline <= answer_by;
  };
  const std::shared_ptr<Assembly>* join = fits(entry.assembly)             ? &entry.assembly
                                          : hurried && fits(entry.hurried) ? &entry.hurried
                                                                           : nullptr;
  if (join != nullptr) {
    (*join)->waiting.push_back(std::move(deliver));
    return;
  }
  auto assembly = std::make_shared<Assembly>();
  assembly->generation = generation_;
  assembly->deadline = own_deadline;
  assembly->waiting.push_back(std::move(deliver));
  (hurried ? entry.hurried : entry.assembly) = assembly;
  lock.unlock();
  Start(key, assembly, assemble);
}

void ViewCache::Start(const std::string& key, const std::shared_ptr<Assembly>& assembly,
                      const Assemble& assemble) {
  assemble(assembly->deadline, [this, key, assembly](absl::StatusOr<View> view, bool keep) {
    Finish(key, assembly, std::move(view), keep);
  });
}

void ViewCache::Finish(const std::string& key, const std::shared_ptr<Assembly>& assembly,
                       absl::StatusOr<View> view, bool keep) {
  std::vector<Deliver> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiting.swap(assembly->waiting);
    Entry& entry = entries_[key];
    if (entry.assembly == assembly) entry.assembly = nullptr;
    if (entry.hurried == assembly) entry.hurried = nullptr;
    // An older assembly finishing late leaves a newer view alone; one that
    // failed leaves any view alone (Get serves only fresh ones, and eviction
    // drops the stale).
    if (assembly->generation >= entry.generation && view.ok() && keep) {
      entry.view = *view;
      entry.expiry = clock_.Now() + time_to_live_;
      entry.generation = assembly->generation;
    }
    if (entries_.size() > max_entries_) EvictLocked();
  }
  for (auto& deliver : waiting) deliver(view);
  if (assembly->ahead) {
    std::lock_guard<std::mutex> lock(mu_);
    if (--ahead_running_ == 0) ahead_done_.notify_all();
  }
}

void ViewCache::WaitForAssembliesAhead() {
  std::unique_lock<std::mutex> lock(mu_);
  ahead_done_.wait(lock, [this] { return ahead_running_ == 0; });
}

void ViewCache::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
}

void ViewCache::EvictLocked() {
  absl::Time now = clock_.Now();
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    bool idle = e.assembly == nullptr && e.hurried == nullptr;
    bool stale = e.view == nullptr || e.generation != generation_ || now >= e.expiry;
    it = idle && stale ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace vetrack::gateway
