#ifndef VETRACK_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
#define VETRACK_SERVICES_GATEWAY_GATEWAY_SERVICE_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "audit_trail.h"
#include "authenticator.h"
#include "clock/clock.h"
#include "gateway_metrics.h"
#include "server/work_queue.h"
#include "token_revocations.h"
#include "validation.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"
#include "view_cache.h"
#include "view_fetch.h"

namespace vetrack::gateway {

struct ViewOptions {
  // The plan views show when a request names none.
  std::string plan = "plans/jiangjin-vet-2021";
  // The task registry's deadline after a quarter ends (its --grace-days):
  // until it passes, views show the quarter just ended by default.
  absl::Duration grace_after_quarter = absl::Hours(24 * 10);
  // The plan's first and last years (the evaluation's --plan-start-year and
  // --horizon-end-year): a view of a year or period the caller names before
  // the first, or after the later of next year and the last, is refused on
  // that field (no service keeps one).
  int plan_start_year = 2021;
  int plan_end_year = 2025;
};

// The views take and give bytes: a kept view is served as the bytes it was
// serialized to once, with no copy or serialization per call.
using GatewayServiceBase = v1::GatewayService::WithRawCallbackMethod_GetDistrictOverview<
    v1::GatewayService::WithRawCallbackMethod_GetDepartmentWorkbench<
        v1::GatewayService::WithRawCallbackMethod_GetTaskDossier<
            v1::GatewayService::WithRawCallbackMethod_GetInstitutionProfile<
                v1::GatewayService::WithCallbackMethod_WhoAmI<
                    v1::GatewayService::WithCallbackMethod_ListAuditEntries<
                        v1::GatewayService::WithCallbackMethod_VerifyAuditChain<
                            v1::GatewayService::WithCallbackMethod_RevokeToken<
                                v1::GatewayService::WithCallbackMethod_ListRevokedTokens<
                                    v1::GatewayService::Service>>>>>>>>>;

// The gateway's own methods, on gRPC's callback API: a view waits for its
// services without holding a thread, and audit reads run on the work queue.
// Each method authenticates the token, validates the request, checks what
// the gateway alone decides, and leaves the rest to the services.
class GatewayGrpcService final : public GatewayServiceBase {
 public:
  GatewayGrpcService(const Authenticator& authenticator, ViewFetcher& views, ViewCache& cache,
                     AuditTrail& audit, TokenRevocations& revocations, WorkQueue& work,
                     const Clock& clock, GatewayMetrics& metrics, ViewOptions options)
      : authenticator_(authenticator),
        views_(views),
        cache_(cache),
        audit_(audit),
        revocations_(revocations),
        work_(work),
        clock_(clock),
        metrics_(metrics),
        options_(std::move(options)) {}

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* ctx, const v1::WhoAmIRequest* req,
                                   v1::WhoAmIResponse* resp) override;
  grpc::ServerUnaryReactor* GetDistrictOverview(grpc::CallbackServerContext* ctx,
                                                const grpc::ByteBuffer* req,
                                                grpc::ByteBuffer* resp) override;
  grpc::ServerUnaryReactor* GetDepartmentWorkbench(grpc::CallbackServerContext* ctx,
                                                   const grpc::ByteBuffer* req,
                                                   grpc::ByteBuffer* resp) override;
  grpc::ServerUnaryReactor* GetTaskDossier(grpc::CallbackServerContext* ctx,
                                           const grpc::ByteBuffer* req,
                                           grpc::ByteBuffer* resp) override;
  grpc::ServerUnaryReactor* GetInstitutionProfile(grpc::CallbackServerContext* ctx,
                                                  const grpc::ByteBuffer* req,
                                                  grpc::ByteBuffer* resp) override;
  grpc::ServerUnaryReactor* ListAuditEntries(grpc::CallbackServerContext* ctx,
                                             const v1::ListAuditEntriesRequest* req,
                                             v1::ListAuditEntriesResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyAuditChain(grpc::CallbackServerContext* ctx,
                                             const v1::VerifyAuditChainRequest* req,
                                             v1::VerifyAuditChainResponse* resp) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* ctx,
                                        const v1::RevokeTokenRequest* req,
                                        v1::RevokedToken* resp) override;
  grpc::ServerUnaryReactor* ListRevokedTokens(grpc::CallbackServerContext* ctx,
                                              const v1::ListRevokedTokensRequest* req,
                                              v1::ListRevokedTokensResponse* resp) override;

 private:
  // Authenticates; `prepare` validates the request, checks what the caller
  // may see and fills in the defaults; then the view comes from the cache or
  // `fetch` gathers it.
  template <typename Request, typename View>
  grpc::ServerUnaryReactor* ServeView(
      grpc::CallbackServerContext* ctx, const char* name, const grpc::ByteBuffer* request,
      grpc::ByteBuffer* response,
      const std::function<absl::Status(const Principal&, Request*)>& prepare,
      void (ViewFetcher::*fetch)(const Principal&, const Request&, absl::Time,
                                 ViewFetcher::Done<View>));
  // Authenticates and, when the request is `valid`, runs `run` on the work
  // queue: the audit trail and the revocations wait on Redis, which gRPC's
  // callback threads must not.
  template <typename Response>
  grpc::ServerUnaryReactor* OnWorkQueue(
      grpc::CallbackServerContext* ctx, Response* resp, const absl::Status& valid,
      std::function<absl::StatusOr<Response>(const TokenClaims&)> run);
  // The years a view can show today.
  YearsKept YearsKeptNow() const;

  const Authenticator& authenticator_;
  ViewFetcher& views_;
  ViewCache& cache_;
  AuditTrail& audit_;
  TokenRevocations& revocations_;
  WorkQueue& work_;
  const Clock& clock_;
  GatewayMetrics& metrics_;
  ViewOptions options_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_GATEWAY_SERVICE_H_
