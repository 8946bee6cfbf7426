#include "fuzz_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "idempotency/idempotency.h"
#include "status/errors.h"
#include "status/grpc_status.h"

namespace vetrack::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Named in a failure's message, so a bad seed file is easy to find.
std::string& CurrentSeed() {
  static auto* seed = new std::string();
  return *seed;
}

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// "catalog.tasks[3].text" -> "catalog".
std::string RootField(const std::string& path) { return path.substr(0, path.find_first_of(".[")); }

void CheckRefusal(const Descriptor* type, const absl::Status& status) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  Require(!violations.empty(), "a refusal names at least one field: " + status.ToString());
  for (const auto& v : violations) {
    Require(type->FindFieldByName(RootField(v.field)) != nullptr,
            absl::StrCat("violation '", v.field, "' names a field of ", type->full_name()));
    Require(!v.description.empty(), "violation '" + v.field + "' says what is wrong");
  }
  // What a gRPC caller gets back must carry the same violations.
  absl::Status back = FromGrpcStatus(ToGrpcStatus(status));
  Require(back.code() == status.code(), "the gRPC status keeps the code");
  Require(FieldViolationsOf(back).size() == violations.size(),
          "the gRPC status keeps every violation");
}

// What every accepted request promises, whatever its type.
void CheckAccepted(const Message& request) {
  const Descriptor* type = request.GetDescriptor();
  const auto* reflection = request.GetReflection();
  if (const FieldDescriptor* id = type->FindFieldByName("request_id");
      id != nullptr && id->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !id->is_repeated()) {
    Require(ValidateRequestId(reflection->GetString(request, id)).ok(),
            type->full_name() + " accepted without a usable request_id");
  }
  if (const FieldDescriptor* size = type->FindFieldByName("page_size");
      size != nullptr && size->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
    Require(reflection->GetInt32(request, size) >= 0, "accepted with a negative page_size");
  }
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void Require(bool condition, const std::string& what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed%s%s: %s\n", CurrentSeed().empty() ? "" : " in seed ",
               CurrentSeed().c_str(), what.c_str());
  std::abort();
}

int RunValidatorInput(const std::vector<RequestCase>& cases, const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  const RequestCase& c = cases[data[0] % cases.size()];
  std::unique_ptr<Message> request = NewMessage(c.type);
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return -1;
  absl::Status status = c.validate(*request);
  if (status.ok()) {
    CheckAccepted(*request);
    if (c.when_ok) c.when_ok(*request);
  } else {
    Require(status.code() == absl::StatusCode::kInvalidArgument,
            "a validator answers OK or INVALID_ARGUMENT, not " + status.ToString());
    CheckRefusal(c.type, status);
  }
  return 0;
}

void InitializeHarness(int argc, char** argv, const SeedConverter& convert) {
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  const std::string flag = "--make-seeds=";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (!absl::StartsWith(arg, flag)) continue;
    arg = arg.substr(flag.size());
    const size_t colon = arg.find(':');
    Require(colon != std::string::npos, "--make-seeds=SRC:DST");
    const std::filesystem::path source = arg.substr(0, colon);
    const std::filesystem::path target = arg.substr(colon + 1);
    std::filesystem::create_directories(target);
    int written = 0;
    for (const auto& entry : std::filesystem::directory_iterator(source)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      CurrentSeed() = entry.path().string();
      std::ofstream(target / name, std::ios::binary) << convert(name, ReadFile(entry.path()));
      ++written;
    }
    CurrentSeed().clear();
    Require(written > 0, "no seed files in " + source.string());
    std::fprintf(stderr, "%d seeds from %s into %s\n", written, source.c_str(), target.c_str());
    std::exit(0);
  }
}

std::string ValidatorSeed(const std::vector<RequestCase>& cases, const std::string& text) {
  const std::string header = "# proto-message: ";
  Require(absl::StartsWith(text, header), "the first line is " + header + "TYPE");
  const std::string type_name = text.substr(header.size(), text.find('\n') - header.size());
  auto it = std::find_if(cases.begin(), cases.end(),
                         [&](const RequestCase& c) { return c.type->full_name() == type_name; });
  Require(it != cases.end(), type_name + " is not validated by this harness");
  std::unique_ptr<Message> request = NewMessage(it->type);
  Require(google::protobuf::TextFormat::ParseFromString(text, request.get()),
          "the seed is a " + type_name + " in text format");
  absl::Status status = it->validate(*request);
  Require(status.ok(), "a seed is a valid request: " + status.ToString());
  return std::string(1, static_cast<char>(it - cases.begin())) + request->SerializeAsString();
}

}  // namespace vetrack::fuzz
