#include "audit_trail.h"

#include <algorithm>
#include <future>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clock/timestamp.h"
#include "log/log.h"
#include "paging/paging.h"
#include "status/disclosure.h"
#include "status/errors.h"

namespace vetrack::gateway {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kScanBatch = 200;
constexpr int kDefaultVerifyPage = 10000;
constexpr int kMaxVerifyPage = 100000;

// The sequence number a page token says was scanned last.
absl::StatusOr<int64_t> LastScanned(const KeyPage& page) {
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(page.after, &sequence) || sequence < 0 ||
      sequence == std::numeric_limits<int64_t>::max()) {
    return InvalidField("page_token", "not a token this service gave out");
  }
  return sequence;
}

bool Matches(const v1::AuditEntry& entry, const v1::ListAuditEntriesRequest& req) {
  absl::Time time = TimeFromProto(entry.time());
  if (req.has_start_time() && time < TimeFromProto(req.start_time())) return false;
  if (req.has_end_time() && time >= TimeFromProto(req.end_time())) return false;
  if (!req.principal().empty() && entry.principal() != req.principal()) return false;
  if (!req.holder().empty() && entry.holder() != req.holder()) return false;
  if (!req.resource().empty() && entry.resource() != req.resource() &&
      std::find(entry.other_resources().begin(), entry.other_resources().end(), req.resource()) ==
          entry.other_resources().end()) {
    return false;
  }
  return true;
}

bool IsChainHash(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Sequences at or past this are refused: no trail gets there, and one more
// would overflow.
constexpr int64_t kSequenceBound = std::numeric_limits<int64_t>::max() / 2;

// Where a page of verification stopped, carried in its token: the last entry
// checked, and the furthest head the pages before saw (the trail must still
// reach it).
struct ResumePoint {
  ChainHead last;
  int64_t seen_head = 0;
};

std::string EncodeResumePoint(const ResumePoint& point) {
  return absl::StrCat(point.last.sequence, ":", point.last.hash, ":", point.seen_head);
}

absl::StatusOr<ResumePoint> ParseResumePoint(absl::string_view text) {
  std::vector<std::string> parts = absl::StrSplit(text, ':');
  ResumePoint point;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &point.last.sequence) ||
      !absl::SimpleAtoi(parts[2], &point.seen_head) || point.last.sequence < 0 ||
      point.seen_head < point.last.sequence || point.seen_head >= kSequenceBound ||
      !IsChainHash(parts[1])) {
    return InvalidField("page_token", "not a token this service gave out");
  }
  point.last.hash = parts[1];
  return point;
}

}  // namespace

absl::Status CheckCanReadAudit(const Principal& caller) {
  if (caller.role == Role::kCoordinator || caller.role == Role::kOperator) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      caller.ToString(), " may not read the audit trail: the coordinator and operators do"));
}

void SetCaller(const TokenClaims& caller, v1::AuditEntry* entry) {
  entry->set_principal(caller.principal.ToString());
  entry->set_key_id(caller.key_id);
  entry->set_holder(caller.holder);
  entry->set_token_id(caller.token_id);
}

AuditTrail::AuditTrail(AuditStore& store, const Clock& clock, AuditOptions options)
    : store_(store), clock_(clock), options_(options), writer_([this] { WriterLoop(); }) {}

AuditTrail::~AuditTrail() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  queued_.notify_all();
  writer_.join();
}

void AuditTrail::Append(v1::AuditEntry entry, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({std::move(entry), std::move(done)});
  }
  queued_.notify_one();
}

absl::StatusOr<int64_t> AuditTrail::AppendAndWait(v1::AuditEntry entry) {
  std::promise<absl::StatusOr<int64_t>> written;
  Append(std::move(entry), [&written](absl::StatusOr<int64_t> s) { written.set_value(s); });
  return written.get_future().get();
}

void AuditTrail::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    // Whatever is queued at shutdown is still written: callers wait for it.
    if (queue_.empty()) return;
    std::vector<Pending> batch;
    while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    Write(batch);
    lock.lock();
  }
}

absl::Status AuditTrail::WriteOnce(std::vector<Pending>& batch, bool* conflict) {
  *conflict = false;
  if (!head_.has_value()) {
    auto head = store_.Head();
    if (!head.ok()) return head.status();
    head_ = *head;
  }
  const google::protobuf::Timestamp now = TimeToProto(clock_.Now());
  std::vector<v1::AuditEntry> entries;
  ChainHead head = *head_;
  for (auto& pending : batch) {
    v1::AuditEntry entry = pending.entry;
    *entry.mutable_time() = now;
    head = Link(head, &entry);
    entries.push_back(std::move(entry));
  }
  auto result = store_.Append(*head_, entries);
  if (!result.ok()) {
    // The script may have run before the connection failed: read the head again.
    head_.reset();
    return result.status();
  }
  head_ = result->head;
  if (!result->appended) {
    *conflict = true;
    return absl::AbortedError("the audit trail moved on meanwhile");
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].entry = std::move(entries[i]);
  return absl::OkStatus();
}

void AuditTrail::Write(std::vector<Pending>& batch) {
  absl::Status status;
  for (int attempt = 0; attempt <= options_.max_conflicts; ++attempt) {
    bool conflict = false;
    status = WriteOnce(batch, &conflict);
    if (!conflict) break;
  }
  if (!status.ok()) {
    // Its words name the trail's Redis and keys: the callers get this line's
    // reference instead (status/disclosure.h).
    const std::string reference = NewReferenceId();
    LogError("audit trail not written", {{"error", status.ToString()},
                                         {"entries", absl::StrCat(batch.size())},
                                         {"reference", reference}});
    if (options_.on_write_failed) options_.on_write_failed(static_cast<int>(batch.size()));
    status = WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
        "the audit trail cannot be written (", WithheldCauseText(status.code(), reference), ")")));
  }
  if (status.ok() && options_.on_checkpoint && head_.has_value() &&
      clock_.Now() - last_checkpoint_ >= options_.checkpoint_interval) {
    last_checkpoint_ = clock_.Now();
    options_.on_checkpoint(*head_);
  }
  for (auto& pending : batch) {
    if (status.ok()) {
      pending.done(pending.entry.sequence());
    } else {
      pending.done(status);
    }
  }
}

absl::StatusOr<v1::ListAuditEntriesResponse> AuditTrail::List(
    const Principal& caller, const v1::ListAuditEntriesRequest& req) {
  if (absl::Status allowed = CheckCanReadAudit(caller); !allowed.ok()) return allowed;
  // Bound to the filters it was issued for, as every list's token is.
  auto page = ParseKeyPage(req, kDefaultPageSize, kMaxPageSize);
  if (!page.ok()) return page.status();
  const int page_size = page->size;
  int64_t first = 1;
  if (!page->after.empty()) {
    auto after = LastScanned(*page);
    if (!after.ok()) return after.status();
    first = *after + 1;
  }
  auto head = store_.Head();
  if (!head.ok()) return head.status();
  int64_t last = head->sequence;
  v1::ListAuditEntriesResponse response;
  if (req.has_start_time()) {
    auto bound = store_.FirstAtOrAfter(TimeFromProto(req.start_time()));
    if (!bound.ok()) return bound.status();
    if (!bound->has_value()) return response;
    first = std::max(first, **bound);
  }
  if (req.has_end_time()) {
    // An entry from a replica whose clock is behind is indexed later than
    // its own time (audit_store.h); the entries scanned past the end are
    // filtered out by their own time.
    // Indexed at most at the store's clock plus the skew, which is at most
    // the entry's own time plus twice the skew.
    auto bound = store_.LastBefore(TimeFromProto(req.end_time()) + 2 * kAuditClockSkew);
    if (!bound.ok()) return bound.status();
    if (!bound->has_value()) return response;
    last = std::min(last, **bound);
  }

  int64_t cursor = first;
  int scanned = 0;
  while (cursor <= last && scanned < options_.max_scan && response.entries_size() < page_size) {
    absl::StatusOr<std::vector<v1::AuditEntry>> entries;
    if (!req.resource().empty() || !req.principal().empty()) {
      bool by_resource = !req.resource().empty();
      auto sequences =
          store_.Lookup(by_resource ? AuditStore::Index::kResource : AuditStore::Index::kPrincipal,
                        by_resource ? req.resource() : req.principal(), cursor, last, kScanBatch);
      if (!sequences.ok()) return sequences.status();
      if (sequences->empty()) {
        cursor = last + 1;
        break;
      }
      entries = store_.Get(*sequences);
    } else {
      entries = store_.Range(cursor, kScanBatch);
    }
    if (!entries.ok()) return entries.status();
    if (entries->empty()) {
      cursor = last + 1;
      break;
    }
    for (const auto& entry : *entries) {
      if (entry.sequence() > last) {
        cursor = last + 1;
        break;
      }
      cursor = entry.sequence() + 1;
      ++scanned;
      if (Matches(entry, req)) *response.add_entries() = entry;
      if (response.entries_size() >= page_size) break;
    }
  }
  if (cursor <= last) response.set_next_page_token(KeyPageToken(*page, absl::StrCat(cursor - 1)));
  return response;
}

absl::StatusOr<v1::VerifyAuditChainResponse> AuditTrail::Verify(
    const Principal& caller, const v1::VerifyAuditChainRequest& req, absl::Time answer_by) {
  if (absl::Status allowed = CheckCanReadAudit(caller); !allowed.ok()) return allowed;
  const bool anchored = req.after_sequence() != 0 || !req.after_hash().empty();
  if (anchored) {
    if (req.after_sequence() < 1 || req.after_sequence() >= kSequenceBound) {
      return InvalidField("after_sequence", "an entry's sequence (from 1), which after_hash needs");
    }
    if (!IsChainHash(req.after_hash())) {
      return InvalidField("after_hash", "not a hash of the trail (64 lower-case hex digits)");
    }
  }
  auto page = ParseKeyPage(req, kDefaultVerifyPage, kMaxVerifyPage);
  if (!page.ok()) return page.status();
  ResumePoint from;
  if (!page->after.empty()) {
    auto resumed = ParseResumePoint(page->after);
    if (!resumed.ok()) return resumed.status();
    from = *resumed;
  } else if (anchored) {
    from.last = ChainHead{req.after_sequence(), req.after_hash()};
    from.seen_head = req.after_sequence();
  }
  if (clock_.Now() >= answer_by) {
    return absl::DeadlineExceededError("the call's deadline leaves no time to verify");
  }
  // Entries appended while this runs are beyond the head read here, and left
  // for the next page or verification.
  auto head = store_.Head();
  if (!head.ok()) return head.status();
  ChainVerifier verifier(from.last);
  if (head->sequence < from.seen_head) {
    // An anchor past the end, or a head that went back between two pages.
    verifier.Fail(head->sequence + 1,
                  absl::StrCat("the trail ends at entry ", head->sequence, " but entry ",
                               from.seen_head, " was seen before: entries were removed"));
    return verifier.Partial();
  }
  // The anchor is confirmed by the first page; later ones go on from what
  // the pages before computed, which a rewrite since would not link to.
  if (page->after.empty() && anchored) {
    absl::Status confirmed = ConfirmAnchor(from.last, verifier);
    if (!confirmed.ok()) return confirmed;
    if (verifier.failed()) {
      v1::VerifyAuditChainResponse refused = verifier.Partial();
      // Nothing was checked: the caller's anchor is not an answer.
      refused.clear_head_hash();
      refused.clear_last_sequence();
      return refused;
    }
  }
  const int64_t seen_head = std::max(from.seen_head, head->sequence);
  int64_t next = from.last.sequence + 1;
  int checked = 0;
  // A failed check ends the verification: no token goes on past it.
  while (!verifier.failed() && next <= head->sequence) {
    // The deadline is looked at only after a first read, so that every page
    // moves on, however short the caller's deadline.
    if (checked >= page->size || (checked > 0 && clock_.Now() >= answer_by)) {
      v1::VerifyAuditChainResponse result = verifier.Partial();
      result.set_next_page_token(
          KeyPageToken(*page, EncodeResumePoint({verifier.last(), seen_head})));
      return result;
    }
    auto entries = store_.Range(next, std::min(options_.verify_batch, page->size - checked));
    if (!entries.ok()) return entries.status();
    const int64_t before = next;
    for (const auto& entry : *entries) {
      if (entry.sequence() > head->sequence || !verifier.Add(entry)) break;
      next = entry.sequence() + 1;
      ++checked;
    }
    if (next == before) break;  // a gap or a bad entry: Finish says which
  }
  return verifier.Finish(*head);
}

absl::Status AuditTrail::ConfirmAnchor(const ChainHead& anchor, ChainVerifier& verifier) {
  auto stored = store_.Get({anchor.sequence});
  if (!stored.ok()) return stored.status();
  if (stored->empty() || stored->front().sequence() != anchor.sequence) {
    verifier.Fail(anchor.sequence, absl::StrCat("entry ", anchor.sequence,
                                                " was verified before and is missing now"));
  } else if (stored->front().hash() != anchor.hash ||
             ChainHash(stored->front().previous_hash(), stored->front()) != anchor.hash) {
    // Its content is checked too: the next entry links to the hash field
    // alone, which a change of the content could leave as it was.
    verifier.Fail(anchor.sequence,
                  absl::StrCat("entry ", anchor.sequence,
                               " is not the entry verified before: the trail was rewritten"));
  }
  return absl::OkStatus();
}

}  // namespace vetrack::gateway
