#ifndef VETRACK_SERVICES_TRAINING_LEDGER_IMPORT_PIPELINE_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_IMPORT_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "ledger_store.h"

namespace vetrack::ledger {

// Appends the records of an import in batches on a few writer threads, so
// that reading and checking the stream overlaps with Redis. A writer sends
// every batch waiting for it in one pipelined round trip, and batches from
// several writers share an fsync. Records go to the writer of their
// institution: an institution's records are appended in stream order (its
// listing follows the file), and the same id twice keeps the first. The
// first store error stops every writer.
class ImportPipeline {
 public:
  struct Settings {
    int writers = 4;
    int batch_size = 500;
    // Full batches a writer may have waiting before Add blocks; it sends
    // them all in one round trip.
    int queue_depth = 4;
  };
  // Told the outcome of every record; called from the writer threads.
  using OutcomeSink = std::function<void(const PreparedRecord& record, int64_t line,
                                         int64_t sequence, AppendOutcome outcome)>;

  ImportPipeline(LedgerStore& store, Settings settings, OutcomeSink sink);
  ~ImportPipeline();
  ImportPipeline(const ImportPipeline&) = delete;
  ImportPipeline& operator=(const ImportPipeline&) = delete;

  // Queues a record; blocks while its writer is behind, which slows the
  // stream down through gRPC flow control.
  void Add(PreparedRecord record, int64_t line, int64_t sequence);
  // Writes what is left and waits for the writers. The first store error, if any.
  absl::Status Finish();
  bool failed() const { return failed_.load(); }

 private:
  struct Batch {
    std::vector<PreparedRecord> records;
    std::vector<int64_t> lines;
    std::vector<int64_t> sequences;
    // The year of each record ("institution/id") in the batch. The store
    // applies a batch year by year, so one id in two years must go in two
    // batches for the first line to win.
    std::unordered_map<std::string, int> year_of;
  };
  void Write(std::vector<Batch>& batches);
  struct Writer;

  void Enqueue(Writer& writer);
  void Run(Writer& writer);
  void Fail(const absl::Status& status);

  LedgerStore& store_;
  Settings settings_;
  OutcomeSink sink_;
  std::vector<std::unique_ptr<Writer>> writers_;
  std::atomic<bool> failed_{false};
  std::mutex error_mu_;
  absl::Status first_error_;
  bool finished_ = false;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_IMPORT_PIPELINE_H_
