#ifndef VETRACK_SERVICES_GATEWAY_FANOUT_H_
#define VETRACK_SERVICES_GATEWAY_FANOUT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "backends.h"
#include "status/grpc_status.h"

namespace vetrack::gateway {

// Calls several services at once, as the caller, each call with the same
// absolute deadline, and runs `done` once every call has answered or failed.
// A stopped or slow service makes its call fail at the latest at the
// deadline, so `done` always runs in time. Calls may be added from a
// call's `then` (a second wave that needs the first one's answer).
class Fanout : public std::enable_shared_from_this<Fanout> {
 public:
  template <typename Async, typename Request, typename Response>
  using AsyncMethod = void (Async::*)(grpc::ClientContext*, const Request*, Response*,
                                      std::function<void(grpc::Status)>);

  static std::shared_ptr<Fanout> Create(Principal caller, absl::Time deadline,
                                        std::function<void()> done) {
    return std::shared_ptr<Fanout>(new Fanout(std::move(caller), deadline, std::move(done)));
  }

  // Starts `method` on the stub's async interface; its answer or error goes
  // to `out`, then `then` runs.
  template <typename Async, typename Request, typename Response>
  void Call(Async* async,
            void (Async::*method)(grpc::ClientContext*, const Request*, Response*,
                                  std::function<void(grpc::Status)>),
            const Request& request, absl::StatusOr<Response>* out,
            std::function<void()> then = nullptr) {
    struct State {
      grpc::ClientContext context;
      Request request;
      Response response;
    };
    auto state = std::make_shared<State>();
    state->request = request;
    Backends::Prepare(&state->context, caller_, deadline_);
    pending_.fetch_add(1);
    auto self = shared_from_this();
    (async->*method)(&state->context, &state->request, &state->response,
                     [self, state, out, then = std::move(then)](grpc::Status status) {
                       if (status.ok()) {
                         *out = std::move(state->response);
                       } else {
                         *out = FromGrpcStatus(status);
                       }
                       if (then) then();
                       self->Release();
                     });
  }

  // Call for a List method: follows next_page_token to the last page, and
  // `out` gets every page's items in one response (no next_page_token). A
  // failed page fails the list: counts from part of a list would be wrong.
  // `then` runs once, when the list is whole or has failed.
  template <typename Async, typename Request, typename Response>
  void CallEveryPage(Async* async, AsyncMethod<Async, Request, Response> method,
                     const Request& request, absl::StatusOr<Response>* out,
                     std::function<void()> then = nullptr) {
    NextPage(async, method, request, out, std::make_shared<Response>(), std::move(then));
  }

  // Call once the first wave is started.
  void Seal() { Release(); }

 private:
  template <typename Async, typename Request, typename Response>
  void NextPage(Async* async, AsyncMethod<Async, Request, Response> method, Request request,
                absl::StatusOr<Response>* out, std::shared_ptr<Response> so_far,
                std::function<void()> then) {
    auto page = std::make_shared<absl::StatusOr<Response>>();
    auto self = shared_from_this();
    Call(async, method, request, page.get(), [=]() mutable {
      if (!page->ok()) {
        *out = page->status();
        if (then) then();
        return;
      }
      std::string token = (*page)->next_page_token();
      so_far->MergeFrom(**page);  // appends the repeated items
      if (token.empty()) {
        so_far->clear_next_page_token();
        *out = std::move(*so_far);
        if (then) then();
        return;
      }
      request.set_page_token(token);
      self->NextPage(async, method, request, out, so_far, then);
    });
  }

  Fanout(Principal caller, absl::Time deadline, std::function<void()> done)
      : caller_(std::move(caller)), deadline_(deadline), done_(std::move(done)) {}

  void Release() {
    if (pending_.fetch_sub(1) == 1) done_();
  }

  const Principal caller_;
  const absl::Time deadline_;
  std::function<void()> done_;
  // The calls under way, plus one until Seal.
  std::atomic<int> pending_{1};
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_FANOUT_H_
