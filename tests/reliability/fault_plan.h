#ifndef VETRACK_TESTS_RELIABILITY_FAULT_PLAN_H_
#define VETRACK_TESTS_RELIABILITY_FAULT_PLAN_H_

#include <vector>

// How hard the fault tests push. `make test` runs the short forms (the
// defaults below); `make reliability` sets the environment for the long ones:
//   VETRACK_RELIABILITY_ROUNDS   faults per test (kills, restarts), default 1
//   VETRACK_RELIABILITY_BATCHES  500-record batches per ledger ingest, default 12
namespace vetrack::reliability {

// The variable's value if it is a positive integer, else `short_form`.
int FromEnvironment(const char* name, int short_form);
int Rounds();
int LedgerBatches();

// Where fault `round` (0 … rounds-1) of `rounds` strikes, within [low, high]:
// rounds spread over the range, each landing at a different place, and the
// short form (one round) in the middle.
int StrikePoint(int round, int rounds, int low, int high);

}  // namespace vetrack::reliability

#endif  // VETRACK_TESTS_RELIABILITY_FAULT_PLAN_H_
