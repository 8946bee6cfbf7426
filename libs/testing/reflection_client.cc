#include "testing/reflection_client.h"

#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/unknown_field_set.h"

namespace vetrack::testing {
namespace {

constexpr char kMethod[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
// ServerReflectionRequest.file_containing_symbol; ServerReflectionResponse's
// file_descriptor_response and error_response; FileDescriptorResponse's
// file_descriptor_proto; ErrorResponse's error_message.
constexpr int kFileContainingSymbol = 4;
constexpr int kFileDescriptorResponse = 4;
constexpr int kErrorResponse = 7;
constexpr int kFileDescriptorProto = 1;
constexpr int kErrorMessage = 2;

// The single field a request holds: tag, length, bytes.
std::string EncodeRequest(const std::string& symbol) {
  std::string out;
  out.push_back(static_cast<char>(kFileContainingSymbol << 3 | 2));
  uint64_t length = symbol.size();
  do {
    uint8_t byte = length & 0x7f;
    length >>= 7;
    out.push_back(static_cast<char>(length != 0 ? byte | 0x80 : byte));
  } while (length != 0);
  return out + symbol;
}

// The length-delimited fields `number` of a message's bytes.
absl::StatusOr<std::vector<std::string>> FieldsOf(const std::string& bytes, int number) {
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes))
    return absl::DataLossError("a reflection reply does not parse");
  std::vector<std::string> out;
  for (int i = 0; i < fields.field_count(); ++i) {
    const auto& field = fields.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      out.push_back(field.length_delimited());
    }
  }
  return out;
}

// Waits for the operation tagged `tag`, the only one outstanding: whether it
// completed, and well. The queue waits a little past the call's deadline,
// by which gRPC ends every operation of the call.
bool Await(grpc::CompletionQueue& queue, absl::Time deadline, void* tag) {
  void* got = nullptr;
  bool ok = false;
  auto status = queue.AsyncNext(&got, &ok, absl::ToChronoTime(deadline + absl::Seconds(1)));
  return status == grpc::CompletionQueue::GOT_EVENT && got == tag && ok;
}

}  // namespace

absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> ReflectFileContaining(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& symbol,
    absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(deadline));
  grpc::CompletionQueue queue;
  // One tag per operation, each awaited before the next is started.
  int start_tag = 0, write_tag = 0, read_tag = 0, done_tag = 0, finish_tag = 0;
  auto call = stub.PrepareCall(&context, kMethod, &queue);
  call->StartCall(&start_tag);
  grpc::ByteBuffer reply;
  bool answered = Await(queue, deadline, &start_tag);
  if (answered) {
    grpc::Slice slice(EncodeRequest(symbol));
    grpc::ByteBuffer request(&slice, 1);
    call->Write(request, &write_tag);
    answered = Await(queue, deadline, &write_tag);
  }
  if (answered) {
    call->Read(&reply, &read_tag);
    answered = Await(queue, deadline, &read_tag);
  }
  if (answered) {
    call->WritesDone(&done_tag);
    Await(queue, deadline, &done_tag);
  } else {
    // An operation may still be under way: cancelling ends it, and no other
    // is started on it (a second write while one is pending is a misuse).
    context.TryCancel();
  }
  grpc::Status status;
  call->Finish(&status, &finish_tag);
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  if (!answered) {
    return absl::UnavailableError(
        absl::StrCat("no reflection answer for ", symbol, ": ", status.error_message()));
  }
  std::string reply_bytes;
  std::vector<grpc::Slice> slices;
  if (!reply.Dump(&slices).ok()) return absl::DataLossError("a reflection reply cannot be read");
  for (const auto& s : slices)
    reply_bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());

  auto errors = FieldsOf(reply_bytes, kErrorResponse);
  if (!errors.ok()) return errors.status();
  if (!errors->empty()) {
    auto message = FieldsOf(errors->front(), kErrorMessage);
    return absl::NotFoundError(
        absl::StrCat("reflection does not know ", symbol, ": ",
                     message.ok() && !message->empty() ? message->front() : "(no message)"));
  }
  auto files = FieldsOf(reply_bytes, kFileDescriptorResponse);
  if (!files.ok()) return files.status();
  if (files->empty()) return absl::DataLossError("a reflection reply holds no file");
  auto protos = FieldsOf(files->front(), kFileDescriptorProto);
  if (!protos.ok()) return protos.status();
  std::vector<google::protobuf::FileDescriptorProto> out;
  for (const std::string& bytes : *protos) {
    google::protobuf::FileDescriptorProto file;
    if (!file.ParseFromString(bytes)) return absl::DataLossError("a described file does not parse");
    out.push_back(std::move(file));
  }
  return out;
}

}  // namespace vetrack::testing
