// gateway: wires config, the token keys, Redis (the audit trail), the
// services' channels, the gRPC edge (own methods and the forwarding proxy)
// and the HTTP/JSON front end together.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit_trail.h"
#include "authenticator.h"
#include "backends.h"
#include "clock/clock.h"
#include "gateway_service.h"
#include "http_gateway.h"
#include "log/log.h"
#include "proxy.h"
#include "redis/durability.h"
#include "redis/redis_client.h"
#include "redis_audit_store.h"
#include "routes.h"
#include "server/config.h"
#include "server/service_runner.h"
#include "server/signals.h"
#include "server/tls.h"
#include "server/work_queue.h"
#include "view_cache.h"
#include "view_fetch.h"

int main(int argc, char** argv) {
  // First: the threads started below (Redis, channels, queues) inherit it,
  // and SIGTERM is left to ServiceRunner::RunUntilSignalled.
  vetrack::BlockShutdownSignals();
  using namespace vetrack::gateway;
  auto config = vetrack::Config::FromArgs(argc, argv);
  if (!config.ok()) {
    std::cerr << config.status().message() << "\n";
    return 2;
  }
  auto keys = vetrack::TokenKeys::FromFile(config->Get("token-key-file", ""));
  if (!keys.ok()) {
    std::cerr << "gateway: --token-key-file: " << keys.status().message() << "\n";
    return 2;
  }
  vetrack::SystemClock clock;
  Authenticator authenticator(*std::move(keys), clock);

  vetrack::redis::Client redis(config->RedisOptions());
  RedisAuditStore store(redis, config->Get("redis-prefix", "vt:gw:"));
  auto registry = std::make_shared<prometheus::Registry>();
  GatewayMetrics metrics(*registry);
  AuditOptions audit_options;
  audit_options.on_write_failed = [&metrics](int entries) { metrics.AuditWriteFailed(entries); };
  // Anchors for `vetctl audit verify --after`, in logs kept outside Redis.
  audit_options.checkpoint_interval =
      absl::Seconds(config->GetInt("audit-checkpoint-seconds", 600, 1));
  audit_options.on_checkpoint = [](const ChainHead& head) {
    vetrack::LogInfo("audit head", {{"sequence", absl::StrCat(head.sequence)},
                                    {"hash", head.hash},
                                    {"anchor", absl::StrCat(head.sequence, ":", head.hash)}});
  };
  AuditTrail audit(store, clock, audit_options);
  RedisRevocationStore revocation_store(redis, config->Get("redis-prefix", "vt:gw:"));
  TokenRevocations revocations(revocation_store, audit, clock);
  authenticator.RefuseRevoked(&revocations);
  // Tokens issued before they named a holder cannot be revoked one by one:
  // once all are reissued, 0 refuses them.
  if (config->GetInt("accept-holderless-tokens", 1, 0) == 0) authenticator.RefuseHolderless();
  // 0: no limit. 366 is the most `vetctl token issue` signs: a token beyond
  // it was signed by something else holding the key.
  if (int days = config->GetInt("max-token-ttl-days", 366, 0); days > 0) {
    authenticator.RefuseValidLongerThan(absl::Hours(24) * days);
  }

  BackendAddresses addresses;
  addresses.tasks = config->Get("tasks", addresses.tasks);
  addresses.schools = config->Get("schools", addresses.schools);
  addresses.ledger = config->Get("ledger", addresses.ledger);
  addresses.evaluation = config->Get("evaluation", addresses.evaluation);
  Backends backends(addresses);
  BackendUnitSource unit_source(backends);
  UnitDirectory units(unit_source, clock);
  authenticator.CheckUnits(&units);
  RouteTable routes = RouteTable::Build();
  if (!routes.missing_services().empty()) {
    std::cerr << "no descriptor linked for " << absl::StrJoin(routes.missing_services(), ", ")
              << ": its calls could not be routed\n";
    return 1;
  }

  ViewCache cache(clock, absl::Milliseconds(config->GetInt("view-cache-ms", 1000)),
                  absl::Milliseconds(config->GetInt("view-deadline-ms", 1000)));
  ForwardOptions forward;
  forward.unary_deadline = absl::Milliseconds(config->GetInt("forward-deadline-ms", 30000));
  forward.streaming_deadline =
      absl::Milliseconds(config->GetInt("stream-deadline-ms", 10 * 60 * 1000));
  ForwardingService proxy(routes, backends, authenticator, audit, forward,
                          [&cache] { cache.Invalidate(); });
  ViewOptions view_options;
  std::string plan_id = config->Get("plan", "jiangjin-vet-2021");
  view_options.plan = "plans/" + plan_id;
  view_options.grace_after_quarter = absl::Hours(24 * config->GetInt("grace-days", 10));
  view_options.plan_start_year = config->GetInt("first-year", view_options.plan_start_year);
  view_options.plan_end_year = config->GetInt("horizon-end-year", view_options.plan_end_year);
  ViewFetcher fetcher(backends, clock, view_options.grace_after_quarter,
                      config->GetInt("view-page-size", 500, 1));
  vetrack::WorkQueue work(config->GetInt("audit-read-threads", 2, 1));
  GatewayGrpcService service(authenticator, fetcher, cache, audit, revocations, work, clock,
                             metrics, view_options);

  vetrack::ServerOptions server_options;
  server_options.name = "gateway";
  server_options.grpc_address = config->Get("listen", "0.0.0.0:50050");
  server_options.metrics_address = config->Get("metrics", "0.0.0.0:9100");
  server_options.outside_callers = true;
  server_options.drain_timeout = absl::Seconds(config->GetInt("drain-seconds", 10, 1));
  server_options.readiness = [&audit, &revocations]() -> absl::Status {
    if (absl::Status ping = audit.Ping(); !ping.ok()) return ping;
    return revocations.Loaded();
  };
  server_options.durability = [&redis] { return vetrack::redis::CheckDurable(redis); };
  server_options.on_probe = [&units] { units.Prime(); };
  // TLS when --tls-cert and --tls-key are given; with --tls-client-ca as
  // well, callers must present a certificate that CA signed (mTLS for systems).
  vetrack::TlsFiles tls{config->Get("tls-cert", ""), config->Get("tls-key", ""),
                        config->Get("tls-client-ca", "")};
  tls.ca_flag = "tls-client-ca";
  // A renewed certificate (cert-manager rewrites the mounted secret) serves
  // new connections after at most this long, on both ports.
  tls.reload_interval = absl::Seconds(config->GetInt("tls-reload-seconds", 60, 1));
  auto credentials = vetrack::ServerCredentialsFromFiles(tls);
  if (!credentials.ok()) {
    std::cerr << "gateway: " << credentials.status().message() << "\n";
    return 2;
  }
  server_options.credentials = *credentials;
  server_options.registry = registry;

  // HTTP/JSON starts once gRPC listens (it calls in over the in-process
  // channel); how it stops is below.
  HttpOptions http_options;
  http_options.listen = config->Get("http-listen", "0.0.0.0:8080");
  http_options.plan_id = plan_id;
  http_options.probe_listen = config->Get("http-probe-listen", "");
  if (!config->EveryFlagWasRead()) return 2;
  // HTTP/JSON is the same API: it gets the same TLS and client CA, or it would
  // be the way round them.
  http_options.tls = tls;
  http_options.check_token = [&authenticator](const std::string& authorization) {
    return authenticator.AuthenticateHeader(authorization).status();
  };
  std::unique_ptr<HttpGateway> http;
  vetrack::ServiceRunner* running = nullptr;
  server_options.after_start = [&] {
    if (http_options.listen.empty()) return absl::OkStatus();
    http = std::make_unique<HttpGateway>(routes, running->InProcessChannel(), http_options);
    return http->Start();
  };
  // HTTP drains first (its calls under way finish, new requests get 503),
  // within the drain's time, then gRPC's drain ends what is left, and the
  // HTTP threads are joined after it: a request stuck on a slow backend
  // cannot hold the shutdown past the two drains.
  const absl::Duration drain = server_options.drain_timeout;
  server_options.before_stop = [&http, drain] {
    if (http != nullptr) http->Drain(drain);
  };
  server_options.after_drain = [&] {
    if (http != nullptr) http->Stop();
  };
  vetrack::ServiceRunner runner(server_options);
  running = &runner;
  runner.AddService(&service);
  runner.AddGenericService(&proxy);
  int status = runner.RunUntilSignalled();
  // A view assembled ahead of its expiry belongs to no call the drain waited
  // for; it ends within the view deadline, before what it uses goes away.
  cache.WaitForAssembliesAhead();
  return status;
}
