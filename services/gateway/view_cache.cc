#include "view_cache.h"

namespace vetrack::gateway {

void ViewCache::Get(const std::string& key, const Assemble& assemble, Deliver deliver) {
  if (time_to_live_ <= absl::ZeroDuration()) {
    assemble([deliver = std::move(deliver)](absl::StatusOr<View> view, bool) { deliver(view); });
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  Entry& entry = entries_[key];
  if (entry.view != nullptr && entry.generation == generation_ && clock_.Now() < entry.expiry) {
    View view = entry.view;
    // Outside the lock: delivering copies the view into the response.
    lock.unlock();
    deliver(view);
    return;
  }
  entry.waiting.push_back(std::move(deliver));
  if (entry.assembling) return;
  entry.assembling = true;
  const uint64_t generation = generation_;
  lock.unlock();
  assemble([this, key, generation](absl::StatusOr<View> view, bool keep) {
    Finish(key, generation, std::move(view), keep);
  });
}

void ViewCache::Finish(const std::string& key, uint64_t generation, absl::StatusOr<View> view,
                       bool keep) {
  std::vector<Deliver> waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& entry = entries_[key];
    waiting.swap(entry.waiting);
    entry.assembling = false;
    if (view.ok() && keep) {
      entry.view = *view;
      entry.expiry = clock_.Now() + time_to_live_;
      entry.generation = generation;
    } else {
      entry.view = nullptr;
    }
    if (entries_.size() > max_entries_) EvictLocked();
  }
  for (auto& deliver : waiting) deliver(view);
}

void ViewCache::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
}

void ViewCache::EvictLocked() {
  absl::Time now = clock_.Now();
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    bool idle = !e.assembling && e.waiting.empty();
    bool stale = e.view == nullptr || e.generation != generation_ || now >= e.expiry;
    it = idle && stale ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace vetrack::gateway
