#ifndef VETRACK_SERVICES_EVALUATION_REDIS_EVALUATION_STORE_H_
#define VETRACK_SERVICES_EVALUATION_REDIS_EVALUATION_STORE_H_

#include <string>

#include "evaluation_store.h"
#include "redis/redis_client.h"

namespace vetrack::evaluation {

// EvaluationStore on Redis. Keys (prefix "vt:ev:" by default):
//   indicator:{id}, indicators (sorted set: catalog position → id)
//   statdefs (the statistic definitions, one entity)
//   stat:{key}:{year}, stats (set of "{key}:{year}")
//   round:{id}, rounds (sorted set: creation order → id)
//   answer:{request_key} (idempotency, with TTL)
// and appends finalised rounds to the exchange outbox vt:ex:outbox:evaluation.
class RedisEvaluationStore : public EvaluationStore {
 public:
  RedisEvaluationStore(redis::Client& client,
                       std::string prefix = "vt:ev:", int64_t answer_ttl_seconds = 30 * 24 * 3600);

  absl::Status Ping() override;
  absl::StatusOr<std::vector<Stored<v1::Indicator>>> ListIndicators() override;
  absl::StatusOr<std::vector<Stored<v1::Indicator>>> GetIndicators(
      const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<v1::StatisticDefinition>> StatisticDefinitions() override;
  absl::StatusOr<int64_t> CatalogVersion() override;
  absl::StatusOr<std::optional<Stored<v1::Statistic>>> GetStatistic(const std::string& key,
                                                                    int year) override;
  absl::StatusOr<std::vector<Stored<v1::Statistic>>> ListStatistics(int year) override;
  absl::StatusOr<std::vector<v1::Statistic>> ListStatisticRevisions(const std::string& key,
                                                                    int year, int offset, int limit,
                                                                    int* total) override;
  absl::StatusOr<std::optional<Stored<v1::Round>>> GetRound(const std::string& round_id) override;
  absl::StatusOr<std::vector<Stored<v1::Round>>> ListRounds() override;
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override;
  absl::StatusOr<WriteOutcome> Write(const EvaluationWrite& write) override;

 private:
  std::string Key(const std::string& suffix) const { return prefix_ + suffix; }

  redis::Client& client_;
  std::string prefix_;
  int64_t answer_ttl_seconds_;
};

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_REDIS_EVALUATION_STORE_H_
