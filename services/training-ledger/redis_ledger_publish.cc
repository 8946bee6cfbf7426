// The published statements of RedisLedgerStore: each revision is kept whole,
// and a publication enters the exchange outbox in the same commit.
#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"
#include "redis/atomic_write.h"
#include "redis_ledger_store.h"

namespace vetrack::ledger {
namespace {

constexpr char kOutboxSource[] = "training-ledger";

absl::StatusOr<v1::PublishedTrainingStatement> DecodePublished(const std::string& bytes, int year) {
  v1::PublishedTrainingStatement published;
  if (!published.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("a published statement of ", year, " does not parse"));
  }
  return published;
}

}  // namespace

std::string RedisLedgerStore::PublishedKey(int year) const {
  return absl::StrCat(prefix_, "published:", year);
}
std::string RedisLedgerStore::PublishedLogKey(int year) const {
  return absl::StrCat(prefix_, "published-log:", year);
}

absl::StatusOr<std::optional<v1::PublishedTrainingStatement>>
RedisLedgerStore::GetPublishedStatement(int year, int revision) {
  using Found = std::optional<v1::PublishedTrainingStatement>;
  if (revision == 0) {
    auto latest = redis::GetVersioned(client_, PublishedKey(year));
    if (!latest.ok()) return latest.status();
    if (!latest->has_value()) return Found();
    auto decoded = DecodePublished((*latest)->data, year);
    if (!decoded.ok()) return decoded.status();
    return Found(*std::move(decoded));
  }
  auto entry = client_.Command({"LINDEX", PublishedLogKey(year), std::to_string(revision - 1)});
  if (!entry.ok()) return entry.status();
  if (entry->is_nil()) return Found();
  auto decoded = DecodePublished(entry->str, year);
  if (!decoded.ok()) return decoded.status();
  return Found(*std::move(decoded));
}

absl::StatusOr<PolicyWriteOutcome> RedisLedgerStore::WritePublication(const PublishWrite& write) {
  redis::AtomicWrite w;
  w.RecordIdempotent(AnswerKey(write.answer.request_key), write.answer.fingerprint,
                     write.answer.response, answer_ttl_seconds_);
  if (write.published.has_value()) {
    const int year = write.published->year();
    const std::string key = PublishedKey(year);
    std::string bytes = write.published->SerializeAsString();
    // The revision is the version: two publications racing cannot both
    // become revision n.
    w.ExpectVersion(key, write.expected_revision,
                    absl::StrCat("the published statement of ", year));
    w.PutVersioned(key, write.expected_revision + 1, bytes);
    w.ListAppend(PublishedLogKey(year), std::move(bytes));
    w.ListAppend(exchange::OutboxKey(kOutboxSource), write.outbox_entry);
  }
  auto committed = redis::Commit(client_, w);
  if (!committed.ok()) return committed.status();
  return PolicyWriteOutcome{committed->replayed, committed->response};
}

}  // namespace vetrack::ledger
