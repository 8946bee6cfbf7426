#ifndef VETRACK_SERVICES_EVALUATION_ROUNDS_H_
#define VETRACK_SERVICES_EVALUATION_ROUNDS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

// The rules of a third-party evaluation round, as pure functions.
namespace vetrack::evaluation {

// At most this many dimensions, each titled in at most so many characters.
inline constexpr size_t kMaxDimensions = 20;
inline constexpr int kMaxDimensionTitle = 100;

// INVALID_ARGUMENT on `field` unless there are 1 to kMaxDimensions dimensions
// with unique ids, titles of at most kMaxDimensionTitle characters, positive
// weights, and weights that sum to exactly 100% (10000 bp).
absl::Status CheckDimensions(const std::vector<v1::Dimension>& dimensions,
                             const std::string& field);

// Adds or replaces scores (one per subject × dimension); INVALID_ARGUMENT on
// scores[i] for an unknown subject or dimension or a score outside 0–100.
absl::Status ApplyScores(const std::vector<v1::Score>& scores, v1::Round* round);

// Composite scores (Σ weight × score, rounded half-up to two decimals) and
// ranks, best first, equal composites sharing a rank. FAILED_PRECONDITION
// naming what is missing unless every subject has every dimension scored.
absl::StatusOr<std::vector<v1::Standing>> Standings(const v1::Round& round);

// For performance assessment: CSV (UTF-8 with BOM) or JSON.
std::string ExportCsv(const v1::Round& round);
std::string ExportJson(const v1::Round& round);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_ROUNDS_H_
