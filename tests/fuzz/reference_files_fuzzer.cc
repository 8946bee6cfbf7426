// Reference data from outside: the municipal platform's signed document
// (services/exchange/reference_document.h, parsed once its signature holds)
// and the institution and major files vetctl imports (JSON or CSV,
// services/vetctl/reference_files.h). The first byte picks the parser, the
// rest is the text. Either the text is refused with INVALID_ARGUMENT whose
// words are valid UTF-8, or every row it yields knows the line it came from.
#include <algorithm>
#include <string>

#include "fuzz_support.h"
#include "reference_document.h"
#include "reference_files.h"
#include "status/errors.h"

namespace vetrack {
namespace {

using fuzz::Require;

void RequireCleanRefusal(const absl::Status& status) {
  Require(status.code() == absl::StatusCode::kInvalidArgument, "bad text is INVALID_ARGUMENT");
  const std::string message(status.message());
  Require(ToValidUtf8(message) == message, "the message is valid UTF-8");
  for (const auto& v : FieldViolationsOf(status)) {
    Require(ToValidUtf8(v.field) == v.field && ToValidUtf8(v.description) == v.description,
            "every violation is valid UTF-8");
  }
}

template <typename File>
void CheckLines(const absl::StatusOr<File>& file, int rows, const std::string& text) {
  if (!file.ok()) return RequireCleanRefusal(file.status());
  const int64_t lines = std::count(text.begin(), text.end(), '\n') + 1;
  Require(static_cast<int>(file->lines.size()) == rows, "one line number per row");
  for (int64_t line : file->lines)
    Require(line >= 0 && line <= lines, "a row's line is in the file");
}

void CheckDocument(const std::string& text) {
  auto document = exchange::ParseReferenceDocument(text);
  if (!document.ok()) return RequireCleanRefusal(document.status());
}

}  // namespace
}  // namespace vetrack

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  // Seeds are named by what they feed: document.*, institutions.*, majors.*.
  vetrack::fuzz::InitializeHarness(
      *argc, *argv, [](const std::string& name, const std::string& text) {
        char parser = name.rfind("institutions", 0) == 0 ? 1 : name.rfind("majors", 0) == 0 ? 2 : 0;
        return std::string(1, parser) + text;
      });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      vetrack::CheckDocument(text);
      break;
    case 1: {
      auto file = vetrack::vetctl::ParseInstitutionFile("institutions.csv", text);
      vetrack::CheckLines(file, file.ok() ? file->catalog.institutions_size() : 0, text);
      break;
    }
    default: {
      auto file = vetrack::vetctl::ParseMajorFile("majors.csv", text);
      vetrack::CheckLines(file, file.ok() ? file->catalog.majors_size() : 0, text);
      break;
    }
  }
  return 0;
}
