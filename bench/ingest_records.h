#ifndef VETRACK_BENCH_INGEST_RECORDS_H_
#define VETRACK_BENCH_INGEST_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vetrack/ledger/v1/ledger.pb.h"

// Training records for the ledger benchmarks, as stream messages.
namespace vetrack::bench {

// The nine institutions the plan names, sorted.
const std::vector<std::string>& Institutions();

enum class RecordMix {
  // Files of 5,000 rows of one institution, each school running a few
  // programmes for a few groups (a dozen aggregate cells a year).
  kFiles,
  // Nearly every record of a batch in an aggregate cell of its own.
  kWorstCase,
  // A district's years of training: small files (1–30 rows: one session)
  // from every institution and year 2021 … now, larger schools and later
  // years recording more, each school with its own programmes and groups.
  // The first files visit every institution-year once, so even a small
  // ledger has every statement's aggregates.
  kSpread,
};

// "files" (also "realistic"), "worst-case" or "spread"; false if neither.
bool ParseRecordMix(const std::string& text, RecordMix* mix);

// `count` records as messages of `rows_per_message` rows. Ids are
// "{run}-{n}", so runs with distinct `run`s never collide; `seed` makes a
// spread repeatable.
std::vector<ledger::v1::ImportTrainingRecordsRequest> BuildMessages(
    RecordMix mix, const std::string& run, int64_t count, int rows_per_message, uint64_t seed);

}  // namespace vetrack::bench

#endif  // VETRACK_BENCH_INGEST_RECORDS_H_
