#include "proxy.h"

#include <grpcpp/support/byte_buffer.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "log/log.h"
#include "server/call_context.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "status/grpc_status.h"

namespace vetrack::gateway {
namespace {

// A call refused before anything is forwarded.
class Refusal final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Refusal(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

bool ParseRequest(const grpc::ByteBuffer& buffer, google::protobuf::Message* message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::string bytes;
  for (const auto& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return message->ParseFromString(bytes);
}

}  // namespace

bool MayHaveApplied(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
    // The change may have been made before the answer was lost.
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      return true;
    default:  // refused before anything was written
      return false;
  }
}

// One forwarded call: the caller's stream on one side, the service's on the
// other, one message in flight each way. Holds on the upstream reactor keep
// it alive while the gateway may still write to it (the request direction)
// or is still handing a response on (the response direction), so the
// service's status is passed on only after its last message.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(ForwardingService& service, grpc::GenericCallbackServerContext* context,
            const Route& route, TokenClaims claims)
      : service_(service),
        context_(context),
        route_(route),
        claims_(std::move(claims)),
        request_id_(RequestIdOrNew(*context)),
        upstream_(this) {
    context_->AddInitialMetadata(kRequestIdMetadataKey, request_id_);
  }

  void Begin() { StartRead(&inbound_); }

  void OnReadDone(bool ok) override {
    if (ok) ++messages_read_;
    if (!upstream_started_) {
      has_first_message_ = ok;
      if (route_.audited) {
        AuditAttempt();
      } else if (ok && !ParsesAsRequest(inbound_)) {
        Finish(NotARequest());
      } else {
        StartUpstream();
      }
      return;
    }
    if (ok) {
      if (std::optional<grpc::Status> refused = TakeLaterMessage(); refused.has_value()) {
        refusal_ = std::move(refused);
        client_context_.TryCancel();
        upstream_.RemoveHold();
        return;
      }
      upstream_.StartWrite(&inbound_);
    } else {
      upstream_.StartWritesDone();
      upstream_.RemoveHold();
    }
  }

  void OnWriteDone(bool ok) override {
    if (ok) {
      upstream_.StartRead(&outbound_);
      return;
    }
    // The caller is gone: stop the service's side too.
    client_context_.TryCancel();
    upstream_.RemoveHold();
  }

  void OnCancel() override { client_context_.TryCancel(); }
  void OnDone() override { Unref(); }

 private:
  class Upstream final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Upstream(ProxyCall* call) : call_(call) {}
    void OnReadDone(bool ok) override { call_->OnUpstreamRead(ok); }
    void OnWriteDone(bool ok) override { call_->OnUpstreamWrite(ok); }
    void OnDone(const grpc::Status& status) override { call_->OnUpstreamDone(status); }

   private:
    ProxyCall* call_;
  };

  void StartUpstream() {
    absl::Duration limit = route_.descriptor->client_streaming()
                               ? service_.options_.streaming_deadline
                               : service_.options_.unary_deadline;
    absl::Time deadline = absl::Now() + limit;
    if (context_->deadline() < absl::ToChronoTime(deadline)) {
      deadline = absl::FromChrono(context_->deadline());
    }
    Backends::Prepare(&client_context_, claims_.principal, deadline);
    client_context_.AddMetadata(kRequestIdMetadataKey, request_id_);
    refs_.fetch_add(1);
    upstream_started_ = true;
    service_.backends_.generic(route_.backend)
        .PrepareBidiStreamingCall(&client_context_, route_.method, grpc::StubOptions(), &upstream_);
    upstream_.AddHold();  // the request direction
    upstream_.AddHold();  // the response direction
    upstream_.StartRead(&outbound_);
    if (has_first_message_) {
      upstream_.StartWrite(&inbound_);
    } else {
      upstream_.StartWritesDone();
      upstream_.RemoveHold();
    }
    upstream_.StartCall();
  }

  void OnUpstreamWrite(bool ok) {
    if (ok) {
      StartRead(&inbound_);
    } else {
      upstream_.RemoveHold();  // the service ended the call; its status follows
    }
  }

  void OnUpstreamRead(bool ok) {
    if (ok) {
      StartWrite(&outbound_);
    } else {
      upstream_.RemoveHold();
    }
  }

  void OnUpstreamDone(const grpc::Status& upstream_status) {
    const grpc::Status& status = refusal_.has_value() ? *refusal_ : upstream_status;
    if (!route_.audited) {
      FinishCall(status);
      return;
    }
    // By what the service said: a stream ended for a message that did not
    // decode was cancelled there, after it may have recorded the rows before.
    if (route_.changes && MayHaveApplied(upstream_status.error_code()) && service_.on_change_) {
      service_.on_change_();
    }
    v1::AuditEntry entry = Draft(v1::AUDIT_ENTRY_KIND_OUTCOME);
    entry.set_code(CodeName(status.error_code()));
    entry.set_attempt_sequence(attempt_sequence_);
    service_.audit_.Append(std::move(entry), [this, status](absl::StatusOr<int64_t> sequence) {
      if (!sequence.ok()) {
        // The change is made (or refused) already; the attempt is on record.
        LogError("audit outcome not written", {{"method", route_.method},
                                               {"attempt", absl::StrCat(attempt_sequence_)},
                                               {"error", sequence.status().ToString()}});
      }
      FinishCall(status);
    });
  }

  // Written before anything reaches the service; if it cannot be, nothing does.
  void AuditAttempt() {
    if (has_first_message_) {
      std::unique_ptr<google::protobuf::Message> request(NewRequest());
      if (!ParseRequest(inbound_, request.get())) {
        Finish(NotARequest());
        return;
      }
      facts_ = FactsOf(route_, *request);
      if (!facts_.oversized_field.empty()) {
        Finish(ToGrpcStatus(InvalidField(facts_.oversized_field,
                                         "longer than any name or request_id a service accepts")));
        return;
      }
      if (!facts_.crowded_field.empty()) {
        Finish(ToGrpcStatus(Crowded()));
        return;
      }
    }
    service_.audit_.Append(
        Draft(v1::AUDIT_ENTRY_KIND_ATTEMPT), [this](absl::StatusOr<int64_t> sequence) {
          if (!sequence.ok()) {
            Finish(ToGrpcStatus(WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
                "change refused: ", DisclosedMessage(sequence.status(), "audit trail"))))));
            return;
          }
          attempt_sequence_ = *sequence;
          StartUpstream();
        });
  }

  // A stream's message after the first, before it is forwarded: nothing
  // when it may go on, else why the call ends there. A service reading a
  // stream cannot tell a message it cannot decode from the stream's end, and
  // would answer OK for the rows before it: the call is ended here instead,
  // as the caller's mistake. The resources its elements name join the
  // trail's (the outcome entry records them; the hold on the request
  // direction keeps the outcome from being drafted meanwhile).
  std::optional<grpc::Status> TakeLaterMessage() {
    std::unique_ptr<google::protobuf::Message> request(NewRequest());
    if (!ParseRequest(inbound_, request.get())) return NotARequest();
    if (!route_.audited) return std::nullopt;
    const std::string each = EachElementField(route_);
    if (each.empty()) return std::nullopt;
    RequestFacts more = FactsOf(route_, *request);
    // A first row naming no institution a service could have is the
    // service's to report as bad, like any other row.
    if (!more.oversized_field.empty()) more.resource.clear();
    // Crowded by itself (its own rows stop being counted there), or with what
    // the messages before named.
    if (!more.crowded_field.empty()) facts_.crowded_field = more.crowded_field;
    facts_.AddOthers(more, each);
    if (!facts_.crowded_field.empty()) return ToGrpcStatus(Crowded());
    return std::nullopt;
  }

  absl::Status Crowded() const {
    return InvalidField(
        facts_.crowded_field,
        absl::StrCat("names more than ", kMaxOtherResources + 1,
                     " resources in one call (no import concerns more institutions than the "
                     "district has)",
                     messages_read_ > 1 ? "; the stream was ended at request message " : "",
                     messages_read_ > 1 ? absl::StrCat(messages_read_) : ""));
  }

  google::protobuf::Message* NewRequest() const {
    return google::protobuf::MessageFactory::generated_factory()
        ->GetPrototype(route_.descriptor->input_type())
        ->New();
  }

  bool ParsesAsRequest(const grpc::ByteBuffer& message) const {
    std::unique_ptr<google::protobuf::Message> request(NewRequest());
    return ParseRequest(message, request.get());
  }

  // Bytes that do not decode as the method's request: the service would call
  // them INTERNAL, its own fault, or (in a stream) take them for the end.
  grpc::Status NotARequest() const {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("request message ", messages_read_, ": not a ",
                     route_.descriptor->input_type()->full_name(),
                     messages_read_ > 1 ? "; the stream was ended there, and what the service "
                                          "took before may be recorded (send it again: rows "
                                          "with the same ids are taken once)"
                                        : ""));
  }

  v1::AuditEntry Draft(v1::AuditEntryKind kind) const {
    v1::AuditEntry entry;
    entry.set_kind(kind);
    SetCaller(claims_, &entry);
    entry.set_method(route_.method);
    entry.set_resource(facts_.resource);
    entry.set_request_id(facts_.request_id);
    for (const auto& other : facts_.other_resources) entry.add_other_resources(other);
    return entry;
  }

  void FinishCall(const grpc::Status& status) {
    Finish(status);
    Unref();  // the upstream's reference
  }

  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

  ForwardingService& service_;
  grpc::GenericCallbackServerContext* context_;
  const Route& route_;
  const TokenClaims claims_;
  // The caller's x-request-id, or one made here: sent on to the service and
  // back to the caller (server/call_context.h).
  const std::string request_id_;
  RequestFacts facts_;
  int64_t attempt_sequence_ = 0;

  grpc::ClientContext client_context_;
  Upstream upstream_;
  grpc::ByteBuffer inbound_;
  grpc::ByteBuffer outbound_;
  bool has_first_message_ = false;
  bool upstream_started_ = false;
  int64_t messages_read_ = 0;
  // Set before the service's side is cancelled for a message that does not
  // decode; the caller is answered this instead of the CANCELLED that follows.
  std::optional<grpc::Status> refusal_;
  // The server side's OnDone, and the upstream's OnDone once started.
  std::atomic<int> refs_{1};
};

grpc::ServerGenericBidiReactor* ForwardingService::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  // The method first: the metrics keep a series per method answered other
  // than UNIMPLEMENTED, and a caller without a token must not be able to
  // fill their cap with names of its own.
  const Route* route = routes_.Find(context->method());
  if (route == nullptr) {
    return new Refusal(
        grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                     absl::StrCat("the gateway serves no method ", context->method())));
  }
  auto claims = authenticator_.Authenticate(*context);
  if (!claims.ok()) return new Refusal(ToGrpcStatus(claims.status()));
  auto* call = new ProxyCall(*this, context, *route, *std::move(claims));
  call->Begin();
  return call;
}

}  // namespace vetrack::gateway
