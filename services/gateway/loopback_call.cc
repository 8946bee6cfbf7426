#include "loopback_call.h"

#include <grpcpp/generic/generic_stub.h>

#include <future>

#include "auth/token.h"
#include "server/call_context.h"

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

}  // namespace

// Writes the requests one after another, then reads until the end.
class LoopbackCall::Stream final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Stream(std::string method, const std::vector<std::string>& requests, std::string authorization,
         std::string request_id, absl::Duration timeout)
      : method_(std::move(method)),
        authorization_(std::move(authorization)),
        request_id_(std::move(request_id)),
        timeout_(timeout) {
    for (const auto& r : requests) requests_.push_back(ToBuffer(r));
  }

  void Start(const std::shared_ptr<grpc::Channel>& channel) {
    if (started_) return;
    started_ = true;
    // gRPC aborts the process on a metadata value outside printable ASCII,
    // and an HTTP header can carry any byte (cpp-httplib percent-decodes
    // them). No token has such bytes.
    for (unsigned char c : authorization_) {
      if (c < 0x20 || c > 0x7e) {
        End(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                         "authorization: not a bearer token (a byte that is not "
                         "printable ASCII)"));
        return;
      }
    }
    if (!authorization_.empty()) context_.AddMetadata(kAuthorizationMetadataKey, authorization_);
    if (IsWellFormedRequestId(request_id_)) {
      context_.AddMetadata(kRequestIdMetadataKey, request_id_);
    }
    context_.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
    channel_ = channel;  // the call's: a stub would have held it
    grpc::GenericStub stub(channel);
    stub.PrepareBidiStreamingCall(&context_, method_, grpc::StubOptions(), this);
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
    // Only a call that went out has an answer's metadata to read.
    const auto& sent = context_.GetServerInitialMetadata();
    auto id = sent.find(kRequestIdMetadataKey);
    if (id != sent.end()) result_.request_id.assign(id->second.data(), id->second.size());
    End(status);
  }

  LoopbackResult Wait() {
    if (!started_) {
      return {grpc::Status(grpc::StatusCode::UNAVAILABLE, "the call was never sent"), {}, ""};
    }
    WaitForEnd();
    return std::move(result_);
  }

  void WaitForEnd() {
    if (started_ && !waited_) {
      waited_ = true;
      done_.get_future().wait();
    }
  }

 private:
  void WriteNext() {
    if (next_ < requests_.size()) {
      StartWrite(&requests_[next_++]);
    } else {
      StartWritesDone();
    }
  }
  void End(const grpc::Status& status) {
    result_.status = status;
    done_.set_value();
  }

  const std::string method_;
  const std::string authorization_;
  const std::string request_id_;
  const absl::Duration timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  grpc::ClientContext context_;
  std::vector<grpc::ByteBuffer> requests_;
  size_t next_ = 0;
  grpc::ByteBuffer incoming_;
  LoopbackResult result_;
  std::promise<void> done_;
  bool started_ = false;
  bool waited_ = false;
};

LoopbackCall::LoopbackCall(std::string method, const std::vector<std::string>& requests,
                           std::string authorization, std::string request_id,
                           absl::Duration timeout)
    : stream_(std::make_unique<Stream>(std::move(method), requests, std::move(authorization),
                                       std::move(request_id), timeout)) {}

LoopbackCall::~LoopbackCall() { stream_->WaitForEnd(); }

void LoopbackCall::Start(const std::shared_ptr<grpc::Channel>& channel) { stream_->Start(channel); }

LoopbackResult LoopbackCall::Wait() { return stream_->Wait(); }

}  // namespace vetrack::gateway
