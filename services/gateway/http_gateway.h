#ifndef VETRACK_SERVICES_GATEWAY_HTTP_GATEWAY_H_
#define VETRACK_SERVICES_GATEWAY_HTTP_GATEWAY_H_

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "routes.h"
#include "server/tls.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace vetrack::gateway {

struct LoopbackResult;  // loopback_call.h
class HttpsIdentity;    // https_identity.h

struct HttpOptions {
  // host:port
  std::string listen = "0.0.0.0:8080";
  // The plan id of GET /v1/tasks/{n}/dossier.
  std::string plan_id = "jiangjin-vet-2021";
  // Longest a call may take (a view ends sooner by its own deadline).
  absl::Duration call_timeout = absl::Minutes(10);
  // A larger body is refused (413) before it is read: bodies are held whole
  // in memory, and the pod has a memory limit. It is gRPC's default limit on
  // a message, which the gateway's server keeps: a request made from a larger
  // body (JSON is larger than the protobuf it becomes) could be refused only
  // after costing its reading and parsing, and then as RESOURCE_EXHAUSTED,
  // which HTTP clients read as "retry later" (429).
  size_t max_body_bytes = 4 << 20;
  // Checks an Authorization header. When set, a request that carries a body
  // is refused (401) before its body is read unless it passes: parsing JSON
  // costs many times the body's size in memory, which nobody without a token
  // may make the gateway spend. (Bodiless requests are authenticated by the
  // call they make.)
  std::function<absl::Status(const std::string& authorization)> check_token;
  // Connections served at once; more wait in the kernel's backlog. Probes
  // (/healthz) share them, so a few slow clients must not take them all.
  int threads = 32;
  // host:port of a second listener that serves only /healthz and /livez on
  // threads of its own, so probes are answered while slow or idle clients
  // hold every worker above (which would otherwise fail the liveness probe
  // and restart a pod that is only busy). Empty: probes share `listen`.
  std::string probe_listen;
  // Longest wait for the next bytes of a request before the connection is
  // dropped (cpp-httplib's read timeout).
  absl::Duration read_timeout = absl::Seconds(5);
  // PEM files: with cert and key, `listen` speaks HTTPS, with the gRPC port's
  // certificate; with the client CA as well, callers must present a
  // certificate it signed (mTLS), as on the gRPC port. The probe listener
  // stays plain HTTP: kubelet's probes present no certificate.
  // Read again every tls.reload_interval, so that a renewed certificate or
  // CA serves new connections without a restart (see HttpsIdentity).
  TlsFiles tls;
};

// The same API over HTTP/JSON (protobuf's JSON mapping), served by
// cpp-httplib:
//   POST /v1/{package.Service}/{Method}   any forwarded or gateway method; the
//                                          body is the request (a JSON array
//                                          of requests for a client stream)
//   GET  /v1/overview, /v1/units/{unit}/workbench, /v1/tasks/{n}/dossier,
//        /v1/institutions/{code}/profile, /v1/audit, /v1/audit/verify,
//        /v1/whoami                       the gateway's reads, request fields
//                                          as query parameters
//   GET  /healthz, /livez                  the gRPC health, overall and of the
//                                          process (200 SERVING, else 503), for
//                                          probes that cannot speak TLS; also
//                                          on `probe_listen` when set
// Bearer tokens come in the Authorization header. Each request is made into
// a gRPC call on `loopback` (the gateway's in-process channel), so HTTP and
// gRPC callers get exactly the same checks, audit and answers. Errors are
// {"code", "message", "details": {"reason", "fieldViolations"}} with the HTTP
// status of the gRPC code.
class HttpGateway {
 public:
  HttpGateway(const RouteTable& routes, std::shared_ptr<grpc::Channel> loopback,
              HttpOptions options);
  ~HttpGateway();

  // Binds `listen` (and `probe_listen`) and serves each on a thread of its own.
  absl::Status Start();
  // Before the gRPC server shuts down: stops accepting on `listen`, answers
  // every request from now on 503 (probes NOT_SERVING) without calling in,
  // and waits up to `timeout` for the calls under way to finish. No call may
  // start on the in-process channel once its server shuts down (gRPC 1.51
  // crashes on one), and those under way then are cancelled by its drain.
  void Drain(absl::Duration timeout);
  // Stops accepting and waits for the requests under way.
  void Stop();

 private:
  void Register();
  void RegisterHealth(httplib::Server& server);
  // The error for a request no route took; 405 (and Allow) for a page or a
  // call asked with the other method.
  grpc::Status NoRoute(const httplib::Request& req, httplib::Response& res) const;
  // The forwarded or gateway method `service`/`method`, or null.
  const google::protobuf::MethodDescriptor* FindCall(const std::string& service,
                                                     const std::string& method) const;

  const RouteTable& routes_;
  std::shared_ptr<grpc::Channel> loopback_;
  HttpOptions options_;
  // A loopback call, unless draining: the one way requests reach gRPC.
  LoopbackResult Loopback(const std::string& method, const std::vector<std::string>& requests,
                          const std::string& authorization, const std::string& request_id,
                          absl::Duration timeout);

  // Null without TLS; when it cannot load, tls_loaded_ says why and Start fails.
  std::unique_ptr<HttpsIdentity> identity_;
  absl::Status tls_loaded_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<httplib::Server> probe_server_;  // null without probe_listen
  std::vector<std::regex> page_patterns_;          // the GET pages' paths
  std::mutex calls_mu_;
  std::condition_variable calls_done_;
  int calls_ = 0;          // guarded by calls_mu_: loopback calls under way
  bool draining_ = false;  // guarded by calls_mu_
  // Drain has stopped `listen` accepting (touched by the stopping thread only).
  bool api_stopped_ = false;
  std::thread thread_;
  std::thread probe_thread_;
};

// The HTTP status for a gRPC code (as Google's APIs map them).
int HttpStatusOf(grpc::StatusCode code);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_HTTP_GATEWAY_H_
