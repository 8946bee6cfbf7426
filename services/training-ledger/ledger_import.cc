// Bulk import for TrainingLedger: every row checked like a single record,
// good rows appended in batches, bad rows reported with their lines.
#include <algorithm>
#include <mutex>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "import_pipeline.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "training_ledger.h"
#include "validation.h"

namespace vetrack::ledger {
namespace {

// What a row's failure says about the row, not about the service: such rows
// are reported and the import goes on; any other failure stops it.
bool IsRowProblem(const absl::Status& status) {
  return absl::IsInvalidArgument(status) || absl::IsNotFound(status) ||
         absl::IsPermissionDenied(status);
}

// The import's counts and rejected rows, filled from the reading thread and
// the writers. Keeps the `max_errors` earliest rejections in stream order.
class ImportTally {
 public:
  explicit ImportTally(int max_errors) : max_errors_(std::max(max_errors, 0)) {}

  void Count(AppendOutcome outcome) {
    std::lock_guard<std::mutex> lock(mu_);
    if (outcome == AppendOutcome::kCreated) ++created_;
    if (outcome == AppendOutcome::kUnchanged) ++unchanged_;
  }

  void Reject(int64_t sequence, int64_t line, const std::string& record_id,
              const absl::Status& status) {
    v1::RowError error;
    error.set_line(line);
    error.set_record_id(record_id);
    error.set_code(absl::StatusCodeToString(status.code()));
    error.set_message(std::string(status.message()));
    for (const auto& violation : FieldViolationsOf(status)) {
      auto* problem = error.add_problems();
      problem->set_field(violation.field);
      problem->set_description(violation.description);
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++rejected_;
    errors_.emplace_back(sequence, std::move(error));
    // Writers report out of stream order; trimming to the earliest keeps
    // exactly those that can still be among the first max_errors.
    if (errors_.size() > 2 * static_cast<size_t>(max_errors_) + 64) Trim();
  }

  struct Counts {
    int64_t created = 0;
    int64_t unchanged = 0;
    int64_t rejected = 0;
  };
  Counts Current() {
    std::lock_guard<std::mutex> lock(mu_);
    return {created_, unchanged_, rejected_};
  }

  v1::ImportTrainingRecordsResponse Response(int64_t rows_received) {
    std::lock_guard<std::mutex> lock(mu_);
    Trim();
    v1::ImportTrainingRecordsResponse response;
    response.set_rows_received(rows_received);
    response.set_records_created(created_);
    response.set_records_unchanged(unchanged_);
    response.set_rows_rejected(rejected_);
    for (auto& [sequence, error] : errors_) *response.add_errors() = std::move(error);
    return response;
  }

 private:
  void Trim() {
    std::sort(errors_.begin(), errors_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (errors_.size() > static_cast<size_t>(max_errors_)) errors_.resize(max_errors_);
  }

  const int max_errors_;
  std::mutex mu_;
  int64_t created_ = 0;
  int64_t unchanged_ = 0;
  int64_t rejected_ = 0;
  std::vector<std::pair<int64_t, v1::RowError>> errors_;
};

// `cause` with `message` instead of its own, keeping its code, fields and reason.
absl::Status Restated(const absl::Status& cause, const std::string& message) {
  absl::Status status(cause.code(), message);
  cause.ForEachPayload([&status](absl::string_view url, const absl::Cord& payload) {
    status.SetPayload(url, payload);
  });
  return status;
}

std::string Account(const ImportTally::Counts& counts) {
  return absl::StrCat(counts.created, " were stored as new records, ", counts.unchanged,
                      " were already recorded and ", counts.rejected, " were rejected");
}

constexpr char kSendAgain[] =
    "send the whole stream again: stored records are found unchanged, never added twice";

// A stream that stops loses its response, while what was appended before
// stays (each batch is atomic, and ids make sending again harmless). So the
// error itself says where the import stopped and what it stored, keeping the
// cause's code and the fields it names. `written` is how the rows before
// `where` fared in the store.
absl::Status StoppedAt(const std::string& where, const absl::Status& cause, int64_t rows_before,
                       const ImportTally::Counts& counts, const absl::Status& written) {
  std::string message =
      absl::StrCat(where, ": ", DisclosedMessage(cause, "training-ledger import"),
                   ". The import stopped there and recorded ", "nothing from it on; of the ",
                   rows_before, " row(s) before it, ", Account(counts));
  if (!written.ok()) {
    absl::StrAppend(&message, "; the ledger's store failed meanwhile (",
                    DisclosedMessage(written, "training-ledger store"),
                    "), so rows not counted as stored may or may not be");
  }
  absl::StrAppend(&message, ". Once that is put right, ", kSendAgain);
  return WrittenForTheCaller(Restated(cause, message));
}

// The store failed under a batch: what earlier batches stored is known, the
// batches being written at the time may or may not have been applied.
absl::Status StoreFailed(const absl::Status& cause, int64_t rows_received,
                         const ImportTally::Counts& counts) {
  return WrittenForTheCaller(Restated(
      cause,
      absl::StrCat("the ledger's store failed after ", rows_received,
                   " row(s) were received: ", DisclosedMessage(cause, "training-ledger store"),
                   ". Of them, ", Account(counts), "; rows not counted here may be stored ",
                   "too, as their batch was being written. Once the store is back, ", kSendAgain)));
}

}  // namespace

absl::StatusOr<v1::ImportTrainingRecordsResponse> TrainingLedger::ImportTrainingRecords(
    const Principal& caller, const ImportReader& next) {
  ImportTally tally(options_.max_import_errors);
  ImportPipeline pipeline(
      store_, {options_.import_writers, options_.import_batch_size, options_.import_queue_depth},
      [&tally](const PreparedRecord& record, int64_t line, int64_t sequence,
               AppendOutcome outcome) {
        if (outcome == AppendOutcome::kConflict) {
          tally.Reject(
              sequence, line, record.ref.record_id,
              InvalidField("record_id", absl::StrCat("already used by a different record of ",
                                                     record.ref.institution_code)));
        } else {
          tally.Count(outcome);
        }
      });
  // The rows before the point of failure are written first, so the counts
  // the error gives are final.
  auto stop = [&](const std::string& where, const absl::Status& cause, int64_t rows_before) {
    absl::Status written = pipeline.Finish();
    return StoppedAt(where, cause, rows_before, tally.Current(), written);
  };
  KnownCodes known;
  int64_t rows_received = 0;
  int64_t messages = 0;
  v1::ImportTrainingRecordsRequest message;
  while (!pipeline.failed() && next(&message)) {
    ++messages;
    if (absl::Status shape = Validate(message); !shape.ok()) {
      std::string where = absl::StrCat("stream message ", messages);
      if (message.rows_size() > 0 && message.rows(0).line() != 0) {
        absl::StrAppend(&where, " (from line ", message.rows(0).line(), ")");
      }
      return stop(where, shape, rows_received);
    }
    const AppendContext context = ContextFor(caller);
    for (const v1::ImportRow& row : message.rows()) {
      const int64_t sequence = rows_received++;
      auto prepared = Prepare(caller, row.training_record(), "", context, &known);
      if (prepared.ok()) {
        pipeline.Add(*std::move(prepared), row.line(), sequence);
      } else if (IsRowProblem(prepared.status())) {
        tally.Reject(sequence, row.line(), row.training_record().record_id(), prepared.status());
      } else {
        return stop(absl::StrCat("line ", row.line(), " (", row.training_record().record_id(), ")"),
                    prepared.status(), sequence);
      }
    }
  }
  if (absl::Status written = pipeline.Finish(); !written.ok()) {
    return StoreFailed(written, rows_received, tally.Current());
  }
  return tally.Response(rows_received);
}

}  // namespace vetrack::ledger
