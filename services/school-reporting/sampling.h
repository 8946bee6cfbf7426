#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_SAMPLING_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_SAMPLING_H_

#include <cstdint>
#include <vector>

#include "vetrack/schools/v1/schools.pb.h"

// The spot-check draw (审查抽查), reproducible from its seed: the draw is a
// pure function of the seed, the population and the sizes.
namespace vetrack::schools {

// SplitMix64: the same seed gives the same sequence on every platform. The
// standard library's distributions are implementation-defined, so a recorded
// seed would not reproduce a draw made by another build.
class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n) for n > 0, without modulo bias.
  uint64_t Below(uint64_t n);

 private:
  uint64_t state_;
};

// min(k, n) distinct indices of [0, n), uniformly, in drawing order.
std::vector<size_t> ChooseIndices(size_t n, size_t k, SeededRandom& random);

// An institution the draw may choose, with the figures its quality report states.
struct Candidate {
  v1::Institution institution;
  int report_revision = 0;
  std::vector<v1::KeyFigure> figures;
};

// Stratum by stratum (高职, 中职, 技工): up to `institutions_per_type` of the
// stratum's candidates, then up to `items_per_institution` of each chosen
// one's key figures. Candidates are put in code order and figures in key
// order first, so the order they come in does not change the draw.
std::vector<v1::Check> DrawChecks(std::vector<Candidate> candidates, uint64_t seed,
                                  int institutions_per_type, int items_per_institution);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_SAMPLING_H_
