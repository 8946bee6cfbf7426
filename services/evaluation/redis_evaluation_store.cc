#include "redis_evaluation_store.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "exchange_entry.h"
#include "redis/atomic_write.h"

namespace vetrack::evaluation {
namespace {

// Reads the entities named in a sorted set or set, in that order.
template <typename T>
absl::StatusOr<std::vector<Stored<T>>> ReadAll(redis::Client& client,
                                               const std::vector<std::string>& keys) {
  auto got = redis::GetVersionedMany(client, keys);
  if (!got.ok()) return got.status();
  std::vector<Stored<T>> out;
  for (const auto& v : *got) {
    if (!v.has_value()) continue;
    auto decoded = redis::DecodeStored<T>(*v);
    if (!decoded.ok()) return decoded.status();
    out.push_back(*std::move(decoded));
  }
  return out;
}

// A figure stored before it carried its revision: the version is the revision.
void WithRevision(Stored<v1::Statistic>& statistic) {
  if (statistic.value.revision() == 0) {
    statistic.value.set_revision(static_cast<int32_t>(statistic.version));
  }
}

}  // namespace

RedisEvaluationStore::RedisEvaluationStore(redis::Client& client, std::string prefix,
                                           int64_t answer_ttl_seconds)
    : client_(client), prefix_(std::move(prefix)), answer_ttl_seconds_(answer_ttl_seconds) {}

absl::Status RedisEvaluationStore::Ping() { return client_.Ping(); }

absl::StatusOr<std::vector<Stored<v1::Indicator>>> RedisEvaluationStore::ListIndicators() {
  auto listed = client_.Command({"ZRANGE", Key("indicators"), "0", "-1"});
  if (!listed.ok()) return listed.status();
  std::vector<std::string> ids;
  for (const auto& id : listed->elements) ids.push_back(id.str);
  return GetIndicators(ids);
}

absl::StatusOr<std::vector<Stored<v1::Indicator>>> RedisEvaluationStore::GetIndicators(
    const std::vector<std::string>& ids) {
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back(Key("indicator:" + id));
  return ReadAll<v1::Indicator>(client_, keys);
}

absl::StatusOr<int64_t> RedisEvaluationStore::CatalogVersion() {
  auto got = redis::GetVersioned(client_, Key("statdefs"));
  if (!got.ok()) return got.status();
  return got->has_value() ? (*got)->version : 0;
}

absl::StatusOr<std::vector<v1::StatisticDefinition>> RedisEvaluationStore::StatisticDefinitions() {
  auto got = redis::GetVersioned(client_, Key("statdefs"));
  if (!got.ok()) return got.status();
  if (!got->has_value()) return std::vector<v1::StatisticDefinition>();
  auto list = redis::DecodeMessage<v1::IndicatorCatalog>((*got)->data);
  if (!list.ok()) return list.status();
  return std::vector<v1::StatisticDefinition>(list->statistics().begin(), list->statistics().end());
}

absl::StatusOr<std::optional<Stored<v1::Statistic>>> RedisEvaluationStore::GetStatistic(
    const std::string& key, int year) {
  auto got = redis::GetVersioned(client_, Key(absl::StrCat("stat:", key, ":", year)));
  if (!got.ok()) return got.status();
  auto statistic = redis::DecodeStoredOptional<v1::Statistic>(*got);
  if (statistic.ok() && statistic->has_value()) WithRevision(**statistic);
  return statistic;
}

absl::StatusOr<std::vector<Stored<v1::Statistic>>> RedisEvaluationStore::ListStatistics(int year) {
  auto members = client_.Command({"SMEMBERS", Key("stats")});
  if (!members.ok()) return members.status();
  std::vector<std::string> keys;
  for (const auto& m : members->elements) {
    if (year != 0 && !absl::EndsWith(m.str, absl::StrCat(":", year))) continue;
    keys.push_back(Key("stat:" + m.str));
  }
  std::sort(keys.begin(), keys.end());
  auto statistics = ReadAll<v1::Statistic>(client_, keys);
  if (statistics.ok()) {
    for (auto& statistic : *statistics) WithRevision(statistic);
  }
  return statistics;
}

absl::StatusOr<std::vector<v1::Statistic>> RedisEvaluationStore::ListStatisticRevisions(
    const std::string& key, int year, int offset, int limit, int* total) {
  const std::string log = Key(absl::StrCat("stat-log:", key, ":", year));
  auto length = client_.Command({"LLEN", log});
  if (!length.ok()) return length.status();
  *total = static_cast<int>(length->integer);
  std::vector<v1::Statistic> revisions;
  if (offset >= *total || limit <= 0) return revisions;
  auto range =
      client_.Command({"LRANGE", log, absl::StrCat(offset), absl::StrCat(offset + limit - 1)});
  if (!range.ok()) return range.status();
  for (const auto& element : range->elements) {
    auto statistic = redis::DecodeMessage<v1::Statistic>(element.str);
    if (!statistic.ok()) return statistic.status();
    revisions.push_back(*std::move(statistic));
  }
  return revisions;
}

absl::StatusOr<std::optional<Stored<v1::Round>>> RedisEvaluationStore::GetRound(
    const std::string& round_id) {
  auto got = redis::GetVersioned(client_, Key("round:" + round_id));
  if (!got.ok()) return got.status();
  return redis::DecodeStoredOptional<v1::Round>(*got);
}

absl::StatusOr<std::vector<Stored<v1::Round>>> RedisEvaluationStore::ListRounds() {
  auto ids = client_.Command({"ZRANGE", Key("rounds"), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const auto& id : ids->elements) keys.push_back(Key("round:" + id.str));
  return ReadAll<v1::Round>(client_, keys);
}

absl::StatusOr<std::optional<std::string>> RedisEvaluationStore::FindAnswer(
    const std::string& request_key, const std::string& fingerprint) {
  return redis::LookupIdempotent(client_, Key("answer:" + request_key), fingerprint);
}

absl::StatusOr<WriteOutcome> RedisEvaluationStore::Write(const EvaluationWrite& write) {
  redis::AtomicWrite w;
  if (write.answer.has_value()) {
    w.RecordIdempotent(Key("answer:" + write.answer->request_key), write.answer->fingerprint,
                       write.answer->response, answer_ttl_seconds_);
  }
  for (const auto& put : write.indicators) {
    w.PutGuarded(Key("indicator:" + put.value.id()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value), put.value.name());
  }
  if (write.indicator_order.has_value()) {
    for (size_t i = 0; i < write.indicator_order->size(); ++i) {
      w.SortedSetAdd(Key("indicators"), static_cast<double>(i), (*write.indicator_order)[i]);
    }
  }
  for (const auto& id : write.retired_indicators) w.SortedSetRemove(Key("indicators"), id);
  if (write.statistic_definitions.has_value()) {
    v1::IndicatorCatalog defs;
    for (const auto& d : *write.statistic_definitions) *defs.add_statistics() = d;
    w.PutGuarded(Key("statdefs"), write.catalog_version, defs.SerializeAsString(),
                 "the catalog of statistics");
  }
  for (const auto& unlogged : write.unlogged_statistics) {
    w.ListAppend(Key(absl::StrCat("stat-log:", unlogged.key(), ":", unlogged.year())),
                 redis::EncodeWithoutEtag(unlogged));
  }
  for (const auto& put : write.statistics) {
    std::string member = absl::StrCat(put.value.key(), ":", put.value.year());
    std::string bytes = redis::EncodeWithoutEtag(put.value);
    w.PutGuarded(Key("stat:" + member), put.expected_version, bytes, put.value.name());
    w.ListAppend(Key("stat-log:" + member), std::move(bytes));
    w.SetAdd(Key("stats"), member);
  }
  for (const auto& read : write.statistics_read) {
    w.ExpectVersion(Key(absl::StrCat("stat:", read.key, ":", read.year)), read.version,
                    absl::StrCat("statistics/", read.key, "/years/", read.year));
  }
  for (const auto& put : write.rounds) {
    std::string id = put.value.name().substr(std::string("rounds/").size());
    w.PutGuarded(Key("round:" + id), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
    if (put.expected_version == 0) {
      w.SortedSetAdd(Key("rounds"), static_cast<double>(put.value.create_time().seconds()), id);
    }
  }
  for (const auto& entry : write.outbox) w.ListAppend(EvaluationOutboxKey(), entry);
  auto committed = redis::Commit(client_, w);
  if (!committed.ok()) return committed.status();
  return WriteOutcome{committed->replayed, committed->response};
}

}  // namespace vetrack::evaluation
