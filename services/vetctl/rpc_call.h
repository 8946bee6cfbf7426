#ifndef VETRACK_SERVICES_VETCTL_RPC_CALL_H_
#define VETRACK_SERVICES_VETCTL_RPC_CALL_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "args.h"
#include "status/grpc_status.h"

// How vetctl calls any vetrack service: every call carries the caller's
// identity and the deadline, and fails as an absl::Status with the server's
// details (field violations, reason) preserved.
namespace vetrack::vetctl {

// A channel to `address`, over TLS when the options name TLS files.
std::shared_ptr<grpc::Channel> ChannelTo(const GlobalOptions& options, const std::string& address);

// Identity metadata and deadline from the global options.
void PrepareCall(const GlobalOptions& options, grpc::ClientContext* context);

template <typename Stub, typename Request, typename Response>
using UnaryMethod = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Response*);

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallUnary(Stub& stub, UnaryMethod<Stub, Request, Response> method,
                                   const GlobalOptions& options, const Request& request) {
  grpc::ClientContext context;
  PrepareCall(options, &context);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

// Follows next_page_token and returns every page in one response, with
// next_page_token cleared. Large pages: listing everything is the point.
template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> CallAllPages(Stub& stub, UnaryMethod<Stub, Request, Response> method,
                                      const GlobalOptions& options, Request request) {
  request.set_page_size(200);
  Response all;
  // A server handing out a token twice would otherwise keep vetctl busy forever.
  std::set<std::string> tokens_seen;
  for (;;) {
    absl::StatusOr<Response> page = CallUnary(stub, method, options, request);
    if (!page.ok()) return page.status();
    all.MergeFrom(*page);  // appends the repeated items, keeps the latest totals
    if (page->next_page_token().empty()) break;
    if (!tokens_seen.insert(page->next_page_token()).second) {
      return absl::InternalError("the server returned the same page token twice");
    }
    request.set_page_token(page->next_page_token());
  }
  all.clear_next_page_token();
  return all;
}

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_RPC_CALL_H_
