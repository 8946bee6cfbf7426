#include "fault_plan.h"

#include <cstdlib>

namespace vetrack::reliability {

int FromEnvironment(const char* name, int short_form) {
  const char* text = std::getenv(name);
  if (text == nullptr) return short_form;
  char* end = nullptr;
  long value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && value > 0 && value < 1000000 ? static_cast<int>(value)
                                                                     : short_form;
}

int Rounds() { return FromEnvironment("VETRACK_RELIABILITY_ROUNDS", 1); }

int LedgerBatches() { return FromEnvironment("VETRACK_RELIABILITY_BATCHES", 12); }

int StrikePoint(int round, int rounds, int low, int high) {
  if (rounds <= 1 || high <= low) return (low + high) / 2;
  // Evenly spaced by round, then shuffled a little by a fixed stride so that
  // consecutive rounds do not always strike in the same phase of a call.
  const int span = high - low;
  const int base = low + static_cast<int>(static_cast<long>(span) * round / (rounds - 1));
  const int jitter = (round * 37) % 11 - 5;
  return base + jitter < low ? low : base + jitter > high ? high : base + jitter;
}

}  // namespace vetrack::reliability
