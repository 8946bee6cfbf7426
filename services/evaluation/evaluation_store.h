#ifndef VETRACK_SERVICES_EVALUATION_EVALUATION_STORE_H_
#define VETRACK_SERVICES_EVALUATION_EVALUATION_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "idempotency/idempotency.h"
#include "redis/stored_entity.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

namespace vetrack::evaluation {

using redis::GuardedPut;
using redis::Stored;

// A statistic a write was decided on, at the version read (0: none yet).
struct StatisticRead {
  std::string key;
  int year = 0;
  int64_t version = 0;
};

// One change to the evaluation's state, applied all or nothing.
struct EvaluationWrite {
  std::vector<GuardedPut<v1::Indicator>> indicators;
  // Every indicator id in catalog order, the order listings follow; with the
  // ids listed before and no longer in the catalog, which leave the listing.
  std::optional<std::vector<std::string>> indicator_order;
  std::vector<std::string> retired_indicators;
  // A catalog import writes its statistic definitions last read at
  // `catalog_version` (0: none yet): two imports at once cannot mix their
  // indicator lists; the later one is ABORTED.
  std::optional<std::vector<v1::StatisticDefinition>> statistic_definitions;
  int64_t catalog_version = 0;
  std::vector<GuardedPut<v1::Statistic>> statistics;
  // Statistics checked against and left as they are (the whole a part must not
  // exceed): the write is ABORTED if one of them changed since it was read,
  // so a part and its whole recorded at once cannot both pass.
  std::vector<StatisticRead> statistics_read;
  // Figures stored before revisions were kept, logged first as their own
  // revision, so that correcting one keeps what it replaced.
  std::vector<v1::Statistic> unlogged_statistics;
  std::vector<GuardedPut<v1::Round>> rounds;
  // Exchange entries (JSON) appended to the outbox, so a finalised round
  // reaches the municipality if and only if it is stored.
  std::vector<std::string> outbox;
  std::optional<Answer> answer;
};

class EvaluationStore {
 public:
  virtual ~EvaluationStore() = default;
  virtual absl::Status Ping() = 0;

  // In catalog order.
  virtual absl::StatusOr<std::vector<Stored<v1::Indicator>>> ListIndicators() = 0;
  // Those of `ids` stored, listed or retired from the catalog, in that order.
  virtual absl::StatusOr<std::vector<Stored<v1::Indicator>>> GetIndicators(
      const std::vector<std::string>& ids) = 0;
  virtual absl::StatusOr<std::vector<v1::StatisticDefinition>> StatisticDefinitions() = 0;
  // Grows by one with every catalog import (EvaluationWrite::catalog_version).
  virtual absl::StatusOr<int64_t> CatalogVersion() = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::Statistic>>> GetStatistic(const std::string& key,
                                                                            int year) = 0;
  // year 0: every year.
  virtual absl::StatusOr<std::vector<Stored<v1::Statistic>>> ListStatistics(int year) = 0;
  // The figures a statistic of a year has had, oldest first, from `offset`;
  // `total` gets how many were kept. Every statistic written is kept.
  virtual absl::StatusOr<std::vector<v1::Statistic>> ListStatisticRevisions(const std::string& key,
                                                                            int year, int offset,
                                                                            int limit,
                                                                            int* total) = 0;
  virtual absl::StatusOr<std::optional<Stored<v1::Round>>> GetRound(
      const std::string& round_id) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<Stored<v1::Round>>> ListRounds() = 0;

  virtual absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                                const std::string& fingerprint) = 0;
  virtual absl::StatusOr<WriteOutcome> Write(const EvaluationWrite& write) = 0;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_EVALUATION_STORE_H_
