#include "loopback_call.h"

#include <grpcpp/generic/generic_stub.h>

#include <future>

#include "auth/token.h"

namespace vetrack::gateway {
namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// Writes the requests one after another, then reads until the end.
class StreamCall final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit StreamCall(const std::vector<std::string>& requests) {
    for (const auto& r : requests) requests_.push_back(ToBuffer(r));
  }

  void Start(grpc::GenericStub& stub, grpc::ClientContext* context, const std::string& method) {
    stub.PrepareBidiStreamingCall(context, method, grpc::StubOptions(), this);
    StartRead(&incoming_);
    WriteNext();
    StartCall();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) return;  // the call ended; OnDone has its status
    WriteNext();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    result_.responses.push_back(FromBuffer(incoming_));
    StartRead(&incoming_);
  }
  void OnDone(const grpc::Status& status) override {
    result_.status = status;
    done_.set_value();
  }

  LoopbackResult Wait() {
    done_.get_future().wait();
    return std::move(result_);
  }

 private:
  void WriteNext() {
    if (next_ < requests_.size()) {
      StartWrite(&requests_[next_++]);
    } else {
      StartWritesDone();
    }
  }

  std::vector<grpc::ByteBuffer> requests_;
  size_t next_ = 0;
  grpc::ByteBuffer incoming_;
  LoopbackResult result_;
  std::promise<void> done_;
};

}  // namespace

LoopbackResult CallLoopback(const std::shared_ptr<grpc::Channel>& channel,
                            const std::string& method, const std::vector<std::string>& requests,
                            const std::string& authorization, absl::Duration timeout) {
  // gRPC aborts the process on a metadata value outside printable ASCII, and
  // an HTTP header can carry any byte (cpp-httplib percent-decodes them). No
  // token has such bytes.
  for (unsigned char c : authorization) {
    if (c < 0x20 || c > 0x7e) {
      return LoopbackResult{grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                         "authorization: not a bearer token (a byte that is not "
                                         "printable ASCII)"),
                            {}};
    }
  }
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  if (!authorization.empty()) context.AddMetadata(kAuthorizationMetadataKey, authorization);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  StreamCall call(requests);
  call.Start(stub, &context, method);
  return call.Wait();
}

}  // namespace vetrack::gateway
