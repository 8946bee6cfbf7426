// Bulk import for TrainingLedger: every row checked like a single record,
// good rows appended in batches, bad rows reported with their lines.
#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "import_pipeline.h"
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

}  // namespace

absl::StatusOr<v1::ImportTrainingRecordsResponse> TrainingLedger::ImportTrainingRecords(
    const Principal& caller, const ImportReader& next) {
  ImportTally tally(options_.max_import_errors);
  ImportPipeline pipeline(
      store_,
      {options_.import_writers, options_.import_batch_size, options_.import_queue_depth},
      [&tally](const PreparedRecord& record, int64_t line, int64_t sequence,
               AppendOutcome outcome) {
        if (outcome == AppendOutcome::kConflict) {
          tally.Reject(sequence, line, record.ref.record_id,
                       InvalidField("record_id",
                                    absl::StrCat("already used by a different record of ",
                                                 record.ref.institution_code)));
        } else {
          tally.Count(outcome);
        }
      });
  KnownCodes known;
  int64_t rows_received = 0;
  v1::ImportTrainingRecordsRequest message;
  while (!pipeline.failed() && next(&message)) {
    if (absl::Status shape = Validate(message); !shape.ok()) {
      (void)pipeline.Finish();
      return shape;
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
        (void)pipeline.Finish();
        return prepared.status();
      }
    }
  }
  if (absl::Status written = pipeline.Finish(); !written.ok()) return written;
  return tally.Response(rows_received);
}

}  // namespace vetrack::ledger
