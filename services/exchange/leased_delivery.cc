#include "leased_delivery.h"

#include <algorithm>

#include "log/log.h"

namespace vetrack::exchange {

LeasedDelivery::LeasedDelivery(ExchangeWorker& worker, WorkerLease& lease, absl::Duration poll,
                               std::function<bool(absl::Duration)> sleep)
    : worker_(worker), lease_(lease), poll_(poll), sleep_(std::move(sleep)) {}

void LeasedDelivery::ExportMetrics(prometheus::Registry& registry) {
  held_ = &prometheus::BuildGauge()
               .Name("vetrack_exchange_lease_held")
               .Help("1 while this worker holds the exchange lease and delivers")
               .Register(registry)
               .Add({});
  waits_ = &prometheus::BuildCounter()
                .Name("vetrack_exchange_lease_waits_total")
                .Help("Polls spent waiting for the lease another worker holds")
                .Register(registry)
                .Add({});
}

void LeasedDelivery::Run() {
  absl::Duration wait;
  do {
    wait = Cycle() ? absl::ZeroDuration() : poll_;
  } while (sleep_(wait));
  if (state_ == State::kHolding) {
    if (absl::Status released = lease_.Release(); !released.ok()) {
      LogWarn("exchange lease not released; it expires on its own",
              {{"owner", lease_.owner()}, {"error", std::string(released.message())}});
    } else {
      LogInfo("exchange lease released", {{"owner", lease_.owner()}});
    }
  }
}

bool LeasedDelivery::Cycle() {
  auto held = lease_.Hold();
  if (!held.ok()) {
    // Without an answer this worker cannot know it is alone: it stops
    // delivering until it can.
    std::string error(held.status().message());
    if (state_ != State::kUnsure || error != unsure_error_) {
      LogError("exchange lease check failed; delivery paused until Redis answers",
               {{"error", error}});
      unsure_error_ = std::move(error);
    }
    Become(State::kUnsure, "");
    return false;
  }
  if (!*held) {
    if (waits_ != nullptr) waits_->Increment();
    worker_.ExportPending();
    if (state_ != State::kWaiting) {
      auto holder = lease_.Holder();
      Become(State::kWaiting, holder.ok() ? *holder : "unknown");
    }
    return false;
  }
  Become(State::kHolding, lease_.owner());
  auto moved = worker_.DeliverOnce();
  // A failure was logged by the worker where it happened (each attempt, a
  // refusal, a source it could not read). Logging it here too repeated each
  // one, and then each poll's "waits to be tried again".
  if (!moved.ok()) return false;
  return *moved > 0;
}

void LeasedDelivery::Become(State state, const std::string& holder) {
  if (state == state_) return;
  if (state_ == State::kUnsure) unsure_error_.clear();
  if (state == State::kHolding) {
    LogInfo("exchange lease acquired; delivering", {{"owner", lease_.owner()}});
  } else if (state == State::kWaiting) {
    LogWarn("exchange lease held by another worker; waiting",
            {{"owner", lease_.owner()}, {"holder", holder}});
  }
  state_ = state;
  if (held_ != nullptr) held_->Set(state == State::kHolding ? 1 : 0);
}

bool SleepRenewingLease(WorkerLease& lease, absl::Duration wait,
                        const std::function<bool(absl::Duration)>& sleep) {
  const absl::Duration step = std::max(lease.ttl() / 3, absl::Milliseconds(1));
  while (wait > absl::ZeroDuration()) {
    const absl::Duration slice = std::min(wait, step);
    if (!sleep(slice)) return false;
    wait -= slice;
    auto held = lease.Hold();
    if (!held.ok() || !*held) {
      LogWarn("exchange lease lost while waiting to retry; leaving the batch to its holder",
              {{"owner", lease.owner()}});
      return false;
    }
  }
  return true;
}

}  // namespace vetrack::exchange
