#include "exchange_worker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "log/log.h"

namespace vetrack::exchange {

ExchangeWorker::ExchangeWorker(std::vector<OutboxStore*> sources, BatchSender& sender,
                               WorkerOptions options, std::function<bool(absl::Duration)> sleep)
    : sources_(std::move(sources)),
      sender_(sender),
      options_(options),
      sleep_(std::move(sleep)),
      random_(std::random_device{}()) {
  // No attempt would defer every batch unsent, and an empty batch move nothing.
  options_.max_attempts = std::max(1, options_.max_attempts);
  options_.batch_size = std::max(1, options_.batch_size);
}

namespace {

void Add(prometheus::Counter* counter) {
  if (counter != nullptr) counter->Increment();
}

// What a failed send means for the batch, by the codes of AnswerStatus.
bool CredentialsRefused(const absl::Status& sent) {
  return absl::IsUnauthenticated(sent) || absl::IsPermissionDenied(sent);
}

// Only an explicit refusal parks a batch: anything else (a sender's
// unexpected error included) keeps it in order in the outbox.
bool BatchRefused(const absl::Status& sent) {
  return absl::IsInvalidArgument(sent) || absl::IsFailedPrecondition(sent);
}

}  // namespace

void ExchangeWorker::ExportMetrics(prometheus::Registry& registry) {
  auto& batches = prometheus::BuildCounter()
                      .Name("vetrack_exchange_batches_total")
                      .Help("Outbox batches by outcome")
                      .Register(registry);
  delivered_ = &batches.Add({{"outcome", "delivered"}});
  parked_ = &batches.Add({{"outcome", "parked"}});
  redelivered_ = &batches.Add({{"outcome", "redelivered"}});
  deferred_ = &batches.Add({{"outcome", "deferred"}});
  unauthorized_ = &batches.Add({{"outcome", "unauthorized"}});
  failed_attempts_ = &prometheus::BuildCounter()
                          .Name("vetrack_exchange_failed_attempts_total")
                          .Help("Delivery attempts the receiver did not take")
                          .Register(registry)
                          .Add({});
  auto& pending = prometheus::BuildGauge()
                      .Name("vetrack_exchange_outbox_pending")
                      .Help("Outbox entries not yet delivered or parked, by source")
                      .Register(registry);
  for (OutboxStore* source : sources_) {
    pending_[source] = &pending.Add({{"source", source->source()}});
  }
}

absl::Duration ExchangeWorker::Backoff(int attempt) {
  absl::Duration wait = options_.initial_backoff;
  for (int i = 1; i < attempt && wait < options_.max_backoff; ++i) wait *= 2;
  wait = std::min(wait, options_.max_backoff);
  std::uniform_real_distribution<double> half(0.5, 1.0);
  return wait * half(random_);
}

absl::Status ExchangeWorker::SendWithRetries(const std::string& batch_id, const std::string& body,
                                             int attempts) {
  absl::Status last;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    last = sender_.Send(batch_id, body);
    if (last.ok()) return last;
    Add(failed_attempts_);
    // A refusal ends the attempts, and the caller logs what it does about it.
    if (CredentialsRefused(last) || BatchRefused(last)) return last;
    LogWarn("exchange delivery failed", {{"batch_id", batch_id},
                                         {"attempt", std::to_string(attempt)},
                                         {"error", std::string(last.message())}});
    if (attempt < attempts && !sleep_(Backoff(attempt))) {
      return absl::CancelledError("exchange worker stopping");
    }
  }
  return last;
}

absl::StatusOr<int> ExchangeWorker::DeliverOnce() {
  int moved = 0;
  // A source whose outbox cannot be read (or its checkpoint stored) is
  // skipped, not allowed to stop the sources after it.
  absl::Status first_failure;
  auto skip = [&](const OutboxStore& source, const absl::Status& failed) {
    LogError("exchange source skipped this cycle",
             {{"source", source.source()}, {"error", std::string(failed.message())}});
    if (first_failure.ok()) first_failure = failed;
  };
  for (OutboxStore* source : sources_) {
    if (options_.may_continue && !options_.may_continue()) break;
    auto batch = source->NextBatch(options_.batch_size);
    if (!batch.ok()) {
      skip(*source, batch.status());
      continue;
    }
    if (!batch->has_value()) {
      waiting_.erase(source);
      continue;
    }
    auto deferral = waiting_.find(source);
    const bool deferred_before =
        deferral != waiting_.end() && deferral->second.batch_id == (*batch)->id;
    if (deferred_before && options_.now() < deferral->second.retry_at) {
      // Its backoff runs on while the other sources go on.
      if (first_failure.ok()) {
        first_failure = absl::UnavailableError(
            absl::StrCat("batch ", (*batch)->id, " waits to be tried again"));
      }
      continue;
    }
    absl::Status sent =
        SendWithRetries((*batch)->id, (*batch)->body, deferred_before ? 1 : options_.max_attempts);
    if (absl::IsCancelled(sent)) return sent;
    if (!sent.ok() && !BatchRefused(sent)) {
      Deferral& next = waiting_[source];
      if (next.batch_id != (*batch)->id) next = Deferral{(*batch)->id, 0, absl::InfinitePast()};
      ++next.cycles;
      next.refused_cycles = CredentialsRefused(sent) ? next.refused_cycles + 1 : 0;
      // A refused credential waits for the operator, not for a backoff.
      next.retry_at =
          CredentialsRefused(sent) ? absl::InfinitePast() : options_.now() + Backoff(next.cycles);
      // Parking here would reorder the outbox and, for a wrong secret, park
      // all of it: the batch stays in flight (same id next cycle) and only
      // its source waits.
      if (CredentialsRefused(sent)) {
        Add(unauthorized_);
        // Tried each poll until the secret is fixed: logged when it starts
        // and then at doubling intervals, not every few seconds; the
        // unauthorized counter has each one.
        if ((next.refused_cycles & (next.refused_cycles - 1)) != 0) {
          if (first_failure.ok()) first_failure = sent;
          continue;
        }
        LogError("exchange receiver refused the credentials; check the signing secret and access",
                 {{"source", source->source()},
                  {"batch_id", (*batch)->id},
                  {"refused_cycles", std::to_string(next.refused_cycles)},
                  {"code", absl::StatusCodeToString(sent.code())},
                  {"error", std::string(sent.message())}});
      } else {
        Add(deferred_);
        LogWarn("exchange batch deferred to the next cycle",
                {{"source", source->source()},
                 {"batch_id", (*batch)->id},
                 {"error", std::string(sent.message())}});
      }
      if (first_failure.ok()) first_failure = sent;
      continue;
    }
    const int deferred_cycles = deferred_before ? deferral->second.cycles : 0;
    waiting_.erase(source);
    absl::Status stored =
        sent.ok() ? source->MarkDelivered(**batch) : source->ParkDeadLetter(**batch);
    if (absl::IsAborted(stored)) {
      // Another worker moved on; the receiver drops the repeat by batch id.
      LogWarn("exchange batch taken over by another worker", {{"batch_id", (*batch)->id}});
      continue;
    }
    if (!stored.ok()) {
      skip(*source, stored);
      continue;
    }
    if (sent.ok()) {
      Add(delivered_);
      if (deferred_cycles > 0) {
        LogInfo("exchange delivery resumed",
                {{"source", source->source()},
                 {"batch_id", (*batch)->id},
                 {"deferred_cycles", std::to_string(deferred_cycles)}});
      }
      LogInfo("exchange batch delivered",
              {{"batch_id", (*batch)->id},
               {"entries", std::to_string((*batch)->end - (*batch)->first)}});
    } else {
      Add(parked_);
      LogError("exchange batch parked as dead letter",
               {{"batch_id", (*batch)->id}, {"error", std::string(sent.message())}});
    }
    ++moved;
  }
  ExportPending();
  if (moved == 0 && !first_failure.ok()) return first_failure;
  return moved;
}

void ExchangeWorker::ExportPending() {
  for (const auto& [source, gauge] : pending_) {
    // Unknown while the source's Redis does not answer: the gauge keeps its
    // last value, and the lease or the skipped source is logged.
    if (auto pending = source->Pending(); pending.ok()) gauge->Set(static_cast<double>(*pending));
  }
}

absl::StatusOr<Redelivery> ExchangeWorker::RedeliverDeadLetters() {
  Redelivery done;
  for (OutboxStore* source : sources_) {
    auto letters = source->DeadLetters();
    if (!letters.ok()) return letters.status();
    for (const auto& [batch_id, body] : *letters) {
      if (options_.may_continue && !options_.may_continue()) {
        return absl::CancelledError(absl::StrCat("told to stop after ", done.redelivered,
                                                 " dead-letter batch(es) redelivered; run it "
                                                 "again for the rest"));
      }
      absl::Status sent = SendWithRetries(batch_id, body, options_.max_attempts);
      // Every other letter would fail the same way: refused credentials, or
      // a platform that does not answer (after the retries).
      if (absl::IsCancelled(sent) || CredentialsRefused(sent)) return sent;
      if (!sent.ok() && !BatchRefused(sent)) {
        return absl::Status(sent.code(),
                            absl::StrCat("stopped after ", done.redelivered,
                                         " dead-letter batch(es) redelivered: ", sent.message()));
      }
      if (!sent.ok()) {
        // Found in use: a run whose every batch was refused again said "0
        // redelivered" and exited 0, so a script could not tell.
        ++done.still_parked;
        done.last_refusal = absl::StrCat(batch_id, ": ", sent.message());
        LogWarn("exchange dead letter refused again; it stays parked",
                {{"batch_id", batch_id}, {"error", std::string(sent.message())}});
        continue;
      }
      if (absl::Status removed = source->RemoveDeadLetter(batch_id); !removed.ok()) {
        return removed;
      }
      Add(redelivered_);
      ++done.redelivered;
    }
  }
  return done;
}

}  // namespace vetrack::exchange
