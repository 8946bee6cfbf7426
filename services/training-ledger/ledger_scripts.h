#ifndef VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_SCRIPTS_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_SCRIPTS_H_

#include "redis/redis_client.h"

// The ledger's two Lua scripts. Each runs atomically in Redis and reaches the
// AOF as one transaction, so a record, its idempotency check and its
// aggregates are written together or not at all.
namespace vetrack::ledger {

// Appends a batch of records, grouped by institution and year. Per record,
// SET NX GET on its key decides between created, unchanged (same
// fingerprint) and conflict. The caller sends each group's counter sums as
// if every record were new; the script subtracts the records that were not,
// then adds the sums with one BITFIELD call per group and pushes the new ids
// with one RPUSH, so a record costs one SET and a share of two calls.
//
// KEYS: the n record keys, group by group; then the groups' id lists and
// aggregate strings.
// ARGV: n, G; per group: id list key index, aggregate key index, first and
// last record index, length of the record key before the id, C, then C
// BITFIELD arguments "INCRBY" "i64" "#counter" "sum" (non-zero sums only);
// then per record: stored value (fingerprint then record bytes) and
// "counter-base person-times hours income certificates" (what to subtract if
// it is not new).
// Returns one letter per record: n (created), u (unchanged), c (conflict).
const redis::Script& AppendRecordsScript();

// Appends a reversal: checks the reversal id (replay or taken), that the
// original exists and is not reversed yet, then writes the reversal, marks the
// original and subtracts its amounts from its counters.
//
// KEYS: original, reversal, the original's reversal mark, aggregate, id list.
// ARGV: stored reversal value, original fingerprint, reversal id, then up to 5
// (counter, negative amount) pairs.
// Returns {applied} | {replayed, stored} | {taken} | {missing} | {changed} |
// {reversed, by}.
const redis::Script& AppendReversalScript();

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_LEDGER_SCRIPTS_H_
