#include "sampling.h"

#include <algorithm>
#include <numeric>

#include "names.h"

namespace vetrack::schools {

uint64_t SeededRandom::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t SeededRandom::Below(uint64_t n) {
  // Rejects the low values that would make some residues more likely.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t r = Next();
    if (r >= threshold) return r % n;
  }
}

std::vector<size_t> ChooseIndices(size_t n, size_t k, SeededRandom& random) {
  std::vector<size_t> pool(n);
  std::iota(pool.begin(), pool.end(), 0);
  k = std::min(k, n);
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + static_cast<size_t>(random.Below(n - i));
    std::swap(pool[i], pool[j]);
  }
  pool.resize(k);
  return pool;
}

std::vector<v1::Check> DrawChecks(std::vector<Candidate> candidates, uint64_t seed,
                                  int institutions_per_type, int items_per_institution) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.institution.code() < b.institution.code();
  });
  for (Candidate& c : candidates) {
    std::sort(c.figures.begin(), c.figures.end(),
              [](const v1::KeyFigure& a, const v1::KeyFigure& b) { return a.key() < b.key(); });
  }
  SeededRandom random(seed);
  std::vector<v1::Check> checks;
  for (v1::InstitutionType type :
       {v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL, v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL,
        v1::INSTITUTION_TYPE_TECHNICAL}) {
    std::vector<const Candidate*> stratum;
    for (const Candidate& c : candidates) {
      if (c.institution.type() == type) stratum.push_back(&c);
    }
    for (size_t i : ChooseIndices(stratum.size(), institutions_per_type, random)) {
      const Candidate& chosen = *stratum[i];
      for (size_t f : ChooseIndices(chosen.figures.size(), items_per_institution, random)) {
        v1::Check check;
        check.set_institution(InstitutionName(chosen.institution.code()));
        check.set_institution_type(type);
        check.set_report_revision(chosen.report_revision);
        check.set_item(chosen.figures[f].key());
        check.set_stated_value(chosen.figures[f].value());
        check.set_outcome(v1::CHECK_OUTCOME_PENDING);
        checks.push_back(std::move(check));
      }
    }
  }
  return checks;
}

}  // namespace vetrack::schools
