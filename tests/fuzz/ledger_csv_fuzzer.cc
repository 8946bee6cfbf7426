// The training-record CSV that vetctl imports into the ledger
// (services/vetctl/ledger_csv.h): any file either is refused as a whole or
// splits into readable rows and row errors, one per data line at most.
#include <algorithm>
#include <string>

#include "fuzz_support.h"
#include "ledger_csv.h"

namespace vetrack::vetctl {
namespace {

using fuzz::Require;

void CheckFile(const std::string& text) {
  absl::StatusOr<TrainingCsv> csv = ParseTrainingCsv(text);
  if (!csv.ok()) {
    Require(csv.status().code() == absl::StatusCode::kInvalidArgument, "a bad file is refused");
    return;
  }
  const int64_t lines = std::count(text.begin(), text.end(), '\n') + 1;
  for (const auto& row : csv->rows) {
    Require(row.line() >= 2 && row.line() <= lines, "a row names its line");
    Require(ledger_v1::ProgrammeType_IsValid(row.training_record().programme()) &&
                ledger_v1::TargetGroup_IsValid(row.training_record().target_group()),
            "a row's programme and group are known values");
  }
  for (const auto& error : csv->errors) {
    Require(error.line() >= 2 && error.line() <= lines, "a row error names its line");
    Require(error.problems_size() > 0, "a row error says what is wrong");
  }
  Require(csv->rows.size() + csv->errors.size() < static_cast<size_t>(lines),
          "at most one row or error per data line");
}

// Amounts in yuan read exactly and print back the same.
void CheckYuan(const std::string& text) {
  absl::StatusOr<int64_t> fen = ParseYuan(text);
  if (!fen.ok()) return;
  Require(*fen >= 0, "yuan are never negative");
  absl::StatusOr<int64_t> again = ParseYuan(FormatYuan(*fen));
  Require(again.ok() && *again == *fen, "FormatYuan reads back: " + FormatYuan(*fen));
}

}  // namespace
}  // namespace vetrack::vetctl

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  vetrack::fuzz::InitializeHarness(
      *argc, *argv, [](const std::string&, const std::string& text) { return text; });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  vetrack::vetctl::CheckFile(text);
  vetrack::vetctl::CheckYuan(text.substr(0, text.find('\n')));
  return 0;
}
