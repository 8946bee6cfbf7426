#ifndef VETRACK_SERVICES_GATEWAY_PROXY_H_
#define VETRACK_SERVICES_GATEWAY_PROXY_H_

#include <grpcpp/generic/async_generic_service.h>

#include <functional>

#include "absl/time/time.h"
#include "audit_trail.h"
#include "authenticator.h"
#include "backends.h"
#include "routes.h"

namespace vetrack::gateway {

struct ForwardOptions {
  // Deadline of a forwarded call (the caller's own, when sooner, wins).
  absl::Duration unary_deadline = absl::Seconds(30);
  // For client-streaming methods (bulk imports), which run longer.
  absl::Duration streaming_deadline = absl::Minutes(10);
};

// Every method the gateway does not implement itself arrives here: the caller
// is authenticated, a change is audited, and the call is forwarded byte for
// byte to the service that owns the method, its answer (or error, with its
// details) back. Unary and streaming calls alike are proxied as streams,
// which is what they are on the wire.
class ForwardingService final : public grpc::CallbackGenericService {
 public:
  ForwardingService(const RouteTable& routes, Backends& backends,
                    const Authenticator& authenticator, AuditTrail& audit, ForwardOptions options,
                    std::function<void()> on_change)
      : routes_(routes),
        backends_(backends),
        authenticator_(authenticator),
        audit_(audit),
        options_(options),
        on_change_(std::move(on_change)) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override;

 private:
  friend class ProxyCall;

  const RouteTable& routes_;
  Backends& backends_;
  const Authenticator& authenticator_;
  AuditTrail& audit_;
  ForwardOptions options_;
  // Runs after a change went through, or may have (the views' cache is
  // dropped): see MayHaveApplied.
  std::function<void()> on_change_;
};

// Whether a change answered with `code` may have been made: OK, and the
// codes that can end a call after the service wrote (a deadline, a lost
// connection, a crash). A refusal (INVALID_ARGUMENT, PERMISSION_DENIED, …)
// wrote nothing. The views' cache is dropped for every such change, so that a
// caller sees its own change even when its answer was lost.
bool MayHaveApplied(grpc::StatusCode code);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_PROXY_H_
