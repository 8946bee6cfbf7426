#ifndef VETRACK_SERVICES_GATEWAY_VIEW_CACHE_H_
#define VETRACK_SERVICES_GATEWAY_VIEW_CACHE_H_

#include <grpcpp/support/byte_buffer.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clock/clock.h"

namespace vetrack::gateway {

// Assembled views, kept for a short time per (view, request, caller): a
// dashboard polled by many is assembled once, not once per poll. Requests
// that miss while the same view is being assembled wait for that assembly
// instead of starting their own. A kept view in the last quarter of its life
// is assembled again in the background by the request that finds it so, and
// that request (and those after it) are served the kept view meanwhile: a
// polled view is then always at hand, and no caller waits for its expiry
// (that wait was the view's p99). Any change forwarded through the gateway
// drops everything, so a caller sees its own change at once; changes made
// around the gateway show after at most the time to live. Partial views and
// errors are never kept. A zero time to live turns the cache off altogether:
// every request assembles its own view, shared with no other (what a
// benchmark of the views' real cost needs).
//
// A shared assembly runs to the view's own deadline (`assembly_time` after it
// starts), so that one caller's short deadline cannot cut it short for all.
// A caller that must have its answer before a shared assembly would end gets
// a hurried assembly, cut at its time: a poller allowing 300 ms gets a
// partial view in time rather than DEADLINE_EXCEEDED. Other hurried callers
// whose time it fits join it (pollers after a change do not each start one);
// callers with time to wait for the whole view never do. Its view is kept
// when it is whole.
//
// The clock must be the wall clock that callers' deadlines are on (it is
// injected for tests of expiry, which pass deadlines on the same clock).
class ViewCache {
 public:
  // A view as the bytes it was serialized to once.
  using View = std::shared_ptr<const grpc::ByteBuffer>;
  using Deliver = std::function<void(const absl::StatusOr<View>& view)>;
  // Assembles the view and hands it to `store`, with whether it may be kept.
  using Store = std::function<void(absl::StatusOr<View> view, bool keep)>;
  // Assembles the view, leaving out what is not at hand by `deadline`.
  using Assemble = std::function<void(absl::Time deadline, Store store)>;

  ViewCache(const Clock& clock, absl::Duration time_to_live, absl::Duration assembly_time,
            size_t max_entries = 1024)
      : clock_(clock),
        time_to_live_(time_to_live),
        assembly_time_(assembly_time),
        max_entries_(max_entries) {}

  // `deliver` runs once, on this thread (a fresh view) or on the thread that
  // finished the assembly, by `answer_by` (when the caller must have its
  // answer) as far as the assembly keeps its deadline.
  void Get(const std::string& key, absl::Time answer_by, const Assemble& assemble, Deliver deliver);
  // Every kept view is stale from now on.
  void Invalidate();
  // Waits until no assembly started ahead of an expiry is under way. Such an
  // assembly belongs to no call, so the server's drain does not wait for it:
  // call this after the server stopped, before what the assemblies use (the
  // backends, the service's metrics, this cache) goes away.
  void WaitForAssembliesAhead();

 private:
  // One assembly under way and the requests waiting for it. Only requests of
  // its generation join it: one arriving after a change must not be handed a
  // view assembled before it.
  // Whether it is shared or hurried is the slot of Entry that holds it.
  struct Assembly {
    uint64_t generation = 0;
    // Started ahead of the kept view's expiry, for no caller: counted, so
    // that shutting down can wait for it.
    bool ahead = false;
    absl::Time deadline;
    std::vector<Deliver> waiting;
  };
  struct Entry {
    View view;
    absl::Time expiry;
    uint64_t generation = 0;
    // The newest shared (or ahead) assembly under way, if any: whoever asks
    // meanwhile with the time to wait for it joins it.
    std::shared_ptr<Assembly> assembly;
    // The newest hurried one, cut at its first caller's time: joined only by
    // hurried callers whose time it fits.
    std::shared_ptr<Assembly> hurried;
  };
  // Runs `assemble` for `assembly` (outside the lock).
  void Start(const std::string& key, const std::shared_ptr<Assembly>& assembly,
             const Assemble& assemble);
  void Finish(const std::string& key, const std::shared_ptr<Assembly>& assembly,
              absl::StatusOr<View> view, bool keep);
  void EvictLocked();

  const Clock& clock_;
  const absl::Duration time_to_live_;
  const absl::Duration assembly_time_;
  const size_t max_entries_;
  std::mutex mu_;
  std::condition_variable ahead_done_;
  int ahead_running_ = 0;  // guarded by mu_
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VIEW_CACHE_H_
