#include "gateway_service.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "rpc/resource_name.h"
#include "server/call_context.h"
#include "status/grpc_status.h"
#include "validation.h"

namespace vetrack::gateway {
namespace {

// Logged, with its method, by the server's interceptor (server/metrics.h).
void Fail(grpc::ServerUnaryReactor* reactor, const absl::Status& status) {
  reactor->Finish(ToGrpcStatus(status));
}

// Departments and schools see their own unit's pages; everyone else any.
absl::Status CheckOwnUnit(const Principal& caller, const std::string& name, const char* what) {
  bool tied = caller.role == Role::kDepartment || caller.role == Role::kSchool;
  if (!tied || caller.unit == ResourceIdOf(name)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(caller.ToString(), " may see only its own ", what, ", not ", name));
}

}  // namespace

// Views served from the cache are not counted again: these series say how
// the services answered when a view was put together.
template <typename View>
void CountView(GatewayMetrics& metrics, const std::string& name, const absl::StatusOr<View>& view) {
  if (!view.ok() && FailsWholeView(view.status())) {
    metrics.ViewRefused(name);
  } else if (!view.ok()) {
    metrics.ViewFailed(name);
  } else if (!view->partial()) {
    metrics.ViewComplete(name);
  } else {
    metrics.ViewPartial(name);
    for (const auto& e : view->section_errors())
      metrics.SectionMissing(name, e.section(), e.code());
  }
}

template <typename Request, typename View>
grpc::ServerUnaryReactor* GatewayGrpcService::ServeView(
    grpc::CallbackServerContext* ctx, const char* name, const grpc::ByteBuffer* request_bytes,
    grpc::ByteBuffer* response,
    const std::function<absl::Status(const Principal&, Request*)>& prepare,
    void (ViewFetcher::*fetch)(const Principal&, const Request&, absl::Time,
                               ViewFetcher::Done<View>)) {
  auto* reactor = ctx->DefaultReactor();
  auto claims = authenticator_.Authenticate(*ctx);
  if (!claims.ok()) {
    Fail(reactor, claims.status());
    return reactor;
  }
  Request request;
  grpc::ByteBuffer copy(*request_bytes);  // shares the slices
  if (!grpc::SerializationTraits<Request>::Deserialize(&copy, &request).ok()) {
    Fail(reactor, absl::InvalidArgumentError("the request cannot be parsed"));
    return reactor;
  }
  const Principal caller = claims->principal;
  if (absl::Status ready = prepare(caller, &request); !ready.ok()) {
    Fail(reactor, ready);
    return reactor;
  }
  // The services answer each caller by its own rules, so a view is kept per caller.
  std::string key = absl::StrCat(name, "|", caller.ToString(), "|", request.SerializeAsString());
  const absl::Time answer_by = AnswerBy(*ctx, clock_.Now());
  if (answer_by <= clock_.Now()) {
    Fail(reactor, absl::DeadlineExceededError("the call's deadline leaves no time for the view"));
    return reactor;
  }
  cache_.Get(
      key, answer_by,
      [this, name, caller, request, fetch](absl::Time deadline, ViewCache::Store store) {
        (views_.*fetch)(caller, request, deadline, [this, name, store](absl::StatusOr<View> view) {
          CountView(metrics_, name, view);
          if (!view.ok()) {
            store(view.status(), false);
            return;
          }
          auto bytes = std::make_shared<grpc::ByteBuffer>();
          bool own_buffer = false;
          grpc::Status serialized =
              grpc::SerializationTraits<View>::Serialize(*view, bytes.get(), &own_buffer);
          if (!serialized.ok()) {
            store(absl::InternalError("the view cannot be serialized"), false);
            return;
          }
          store(ViewCache::View(std::move(bytes)), !view->partial());
        });
      },
      [reactor, response](const absl::StatusOr<ViewCache::View>& view) {
        if (!view.ok()) {
          Fail(reactor, view.status());
          return;
        }
        *response = **view;  // shares the slices
        reactor->Finish(grpc::Status::OK);
      });
  return reactor;
}

YearsKept GatewayGrpcService::YearsKeptNow() const {
  const int current = static_cast<int>(absl::ToCivilYear(clock_.Now(), DistrictTimeZone()).year());
  // As the evaluation bounds its results: next year's targets show against
  // what is known, and a plan's later years before they come.
  return YearsKept{options_.plan_start_year, std::max(options_.plan_end_year, current + 1)};
}

grpc::ServerUnaryReactor* GatewayGrpcService::WhoAmI(grpc::CallbackServerContext* ctx,
                                                     const v1::WhoAmIRequest*,
                                                     v1::WhoAmIResponse* resp) {
  auto* reactor = ctx->DefaultReactor();
  auto claims = authenticator_.Authenticate(*ctx);
  if (!claims.ok()) {
    Fail(reactor, claims.status());
    return reactor;
  }
  resp->set_principal(claims->principal.ToString());
  resp->set_role(RoleName(claims->principal.role));
  resp->set_unit(claims->principal.unit);
  *resp->mutable_expire_time() = TimeToProto(claims->expiry);
  resp->set_key_id(claims->key_id);
  resp->set_holder(claims->holder);
  resp->set_token_id(claims->token_id);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetDistrictOverview(grpc::CallbackServerContext* ctx,
                                                                  const grpc::ByteBuffer* req,
                                                                  grpc::ByteBuffer* resp) {
  return ServeView<v1::GetDistrictOverviewRequest, v1::DistrictOverview>(
      ctx, "overview", req, resp,
      [this](const Principal&, v1::GetDistrictOverviewRequest* r) {
        if (absl::Status valid = Validate(*r); !valid.ok()) return valid;
        if (absl::Status kept = CheckYearsKept(*r, YearsKeptNow()); !kept.ok()) return kept;
        ViewPeriods periods = DefaultPeriods(clock_.Now(), options_.grace_after_quarter);
        if (r->year() != 0) periods = PeriodsOfYear(periods, r->year());
        if (r->plan().empty()) r->set_plan(options_.plan);
        if (r->period_id().empty()) r->set_period_id(periods.quarter);
        if (r->data_period_id().empty()) r->set_data_period_id(periods.data_period_id);
        if (r->quality_period_id().empty()) r->set_quality_period_id(periods.quality_period_id);
        // As documented: the results of the data reports' year.
        if (r->year() == 0) r->set_year(YearOfDataPeriod(r->data_period_id()));
        return absl::OkStatus();
      },
      &ViewFetcher::Overview);
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetDepartmentWorkbench(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* req, grpc::ByteBuffer* resp) {
  return ServeView<v1::GetDepartmentWorkbenchRequest, v1::DepartmentWorkbench>(
      ctx, "workbench", req, resp,
      [this](const Principal& caller, v1::GetDepartmentWorkbenchRequest* r) {
        if (absl::Status valid = Validate(*r); !valid.ok()) return valid;
        if (absl::Status kept = CheckYearsKept(*r, YearsKeptNow()); !kept.ok()) return kept;
        if (absl::Status ok = CheckOwnUnit(caller, r->unit(), "workbench"); !ok.ok()) return ok;
        ViewPeriods periods = DefaultPeriods(clock_.Now(), options_.grace_after_quarter);
        if (r->plan().empty()) r->set_plan(options_.plan);
        if (r->period_id().empty()) r->set_period_id(periods.quarter);
        if (r->year() == 0) r->set_year(periods.results_year);
        return absl::OkStatus();
      },
      &ViewFetcher::Workbench);
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetTaskDossier(grpc::CallbackServerContext* ctx,
                                                             const grpc::ByteBuffer* req,
                                                             grpc::ByteBuffer* resp) {
  return ServeView<v1::GetTaskDossierRequest, v1::TaskDossier>(
      ctx, "dossier", req, resp,
      [this](const Principal&, v1::GetTaskDossierRequest* r) {
        if (absl::Status valid = Validate(*r); !valid.ok()) return valid;
        if (absl::Status kept = CheckYearsKept(*r, YearsKeptNow()); !kept.ok()) return kept;
        ViewPeriods periods = DefaultPeriods(clock_.Now(), options_.grace_after_quarter);
        if (r->period_id().empty()) r->set_period_id(periods.quarter);
        if (r->year() == 0) r->set_year(periods.results_year);
        return absl::OkStatus();
      },
      &ViewFetcher::Dossier);
}

grpc::ServerUnaryReactor* GatewayGrpcService::GetInstitutionProfile(
    grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* req, grpc::ByteBuffer* resp) {
  return ServeView<v1::GetInstitutionProfileRequest, v1::InstitutionProfile>(
      ctx, "profile", req, resp,
      [this](const Principal& caller, v1::GetInstitutionProfileRequest* r) {
        if (absl::Status valid = Validate(*r); !valid.ok()) return valid;
        if (absl::Status kept = CheckYearsKept(*r, YearsKeptNow()); !kept.ok()) return kept;
        if (caller.role == Role::kSchool) {
          if (absl::Status ok = CheckOwnUnit(caller, r->institution(), "profile"); !ok.ok()) {
            return ok;
          }
        }
        ViewPeriods periods = DefaultPeriods(clock_.Now(), options_.grace_after_quarter);
        if (r->year() != 0) periods = PeriodsOfYear(periods, r->year());
        if (r->training_year() == 0) r->set_training_year(periods.training_year);
        if (r->data_period_id().empty()) r->set_data_period_id(periods.data_period_id);
        if (r->quality_period_id().empty()) r->set_quality_period_id(periods.quality_period_id);
        if (r->year() == 0) r->set_year(YearOfDataPeriod(r->data_period_id()));
        return absl::OkStatus();
      },
      &ViewFetcher::Profile);
}

grpc::ServerUnaryReactor* GatewayGrpcService::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
    v1::ListAuditEntriesResponse* resp) {
  return OnWorkQueue<v1::ListAuditEntriesResponse>(
      ctx, resp, Validate(*req),
      [this, req](const TokenClaims& caller) { return audit_.List(caller.principal, *req); });
}

grpc::ServerUnaryReactor* GatewayGrpcService::VerifyAuditChain(
    grpc::CallbackServerContext* ctx, const v1::VerifyAuditChainRequest* req,
    v1::VerifyAuditChainResponse* resp) {
  // The verification checks its own request (its anchor is read from the trail).
  return OnWorkQueue<v1::VerifyAuditChainResponse>(
      ctx, resp, absl::OkStatus(),
      [this, req, answer_by = AnswerBy(*ctx, clock_.Now())](const TokenClaims& caller) {
        return audit_.Verify(caller.principal, *req, answer_by);
      });
}

grpc::ServerUnaryReactor* GatewayGrpcService::RevokeToken(grpc::CallbackServerContext* ctx,
                                                          const v1::RevokeTokenRequest* req,
                                                          v1::RevokedToken* resp) {
  return OnWorkQueue<v1::RevokedToken>(
      ctx, resp, Validate(*req),
      [this, req](const TokenClaims& caller) { return revocations_.Revoke(caller, *req); });
}

grpc::ServerUnaryReactor* GatewayGrpcService::ListRevokedTokens(
    grpc::CallbackServerContext* ctx, const v1::ListRevokedTokensRequest* req,
    v1::ListRevokedTokensResponse* resp) {
  return OnWorkQueue<v1::ListRevokedTokensResponse>(
      ctx, resp, Validate(*req),
      [this, req](const TokenClaims& caller) { return revocations_.List(caller.principal, *req); });
}

template <typename Response>
grpc::ServerUnaryReactor* GatewayGrpcService::OnWorkQueue(
    grpc::CallbackServerContext* ctx, Response* resp, const absl::Status& valid,
    std::function<absl::StatusOr<Response>(const TokenClaims&)> run) {
  auto* reactor = ctx->DefaultReactor();
  auto claims = authenticator_.Authenticate(*ctx);
  if (!claims.ok()) {
    Fail(reactor, claims.status());
    return reactor;
  }
  if (!valid.ok()) {
    Fail(reactor, valid);
    return reactor;
  }
  work_.Post([reactor, resp, caller = *std::move(claims), run = std::move(run)] {
    auto answer = run(caller);
    if (!answer.ok()) {
      Fail(reactor, answer.status());
      return;
    }
    *resp = *std::move(answer);
    reactor->Finish(grpc::Status::OK);
  });
  return reactor;
}

}  // namespace vetrack::gateway
