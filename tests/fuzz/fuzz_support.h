#ifndef VETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define VETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

// What the libFuzzer harnesses share. A validator harness reads its input as
// one byte choosing a request type from its table and that request's wire
// bytes; it validates the request and checks the answer's shape (only OK or
// INVALID_ARGUMENT, every violation naming a field of the request) and, when
// the answer is OK, what the domain relies on.
namespace vetrack::fuzz {

// Aborts (so libFuzzer keeps the input) when `condition` is false.
void Require(bool condition, const std::string& what);

struct RequestCase {
  const google::protobuf::Descriptor* type = nullptr;
  std::function<absl::Status(const google::protobuf::Message&)> validate;
  // What an accepted request guarantees the domain; may be empty.
  std::function<void(const google::protobuf::Message&)> when_ok;
};

template <typename Request>
RequestCase Case(absl::Status (*validate)(const Request&),
                 std::function<void(const Request&)> when_ok = nullptr) {
  RequestCase c;
  c.type = Request::descriptor();
  c.validate = [validate](const google::protobuf::Message& m) {
    return validate(static_cast<const Request&>(m));
  };
  if (when_ok) {
    c.when_ok = [when_ok](const google::protobuf::Message& m) {
      when_ok(static_cast<const Request&>(m));
    };
  }
  return c;
}

// The body of LLVMFuzzerTestOneInput for a validator table; -1 for bytes
// that are no request (libFuzzer then keeps them out of the corpus).
int RunValidatorInput(const std::vector<RequestCase>& cases, const uint8_t* data, size_t size);

// A seed file's text as the harness's input bytes.
using SeedConverter =
    std::function<std::string(const std::string& file_name, const std::string& text)>;

// For LLVMFuzzerInitialize: silences protobuf's log (invalid UTF-8 in a
// string field is an everyday input here). With `--make-seeds=SRC:DST` among
// the arguments (libFuzzer ignores flags that start with "--"), then writes
// every file of SRC converted into DST and exits.
void InitializeHarness(int argc, char** argv, const SeedConverter& convert);

// A validator harness's seed: a text-format request whose first line is
// "# proto-message: full.type.Name", which must validate OK.
std::string ValidatorSeed(const std::vector<RequestCase>& cases, const std::string& text);

}  // namespace vetrack::fuzz

// The two entry points of a validator harness over its table `cases_fn()`.
#define VETRACK_VALIDATOR_FUZZER(cases_fn)                                                        \
  extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {                                  \
    ::vetrack::fuzz::InitializeHarness(*argc, *argv,                                              \
                                       [](const std::string&, const std::string& text) {          \
                                         return ::vetrack::fuzz::ValidatorSeed(cases_fn(), text); \
                                       });                                                        \
    return 0;                                                                                     \
  }                                                                                               \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {                       \
    return ::vetrack::fuzz::RunValidatorInput(cases_fn(), data, size);                            \
  }

#endif  // VETRACK_TESTS_FUZZ_FUZZ_SUPPORT_H_
