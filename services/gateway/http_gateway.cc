#include "http_gateway.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.pb.h"
#include "http_json.h"
#include "https_identity.h"
#include "log/log.h"
#include "loopback_call.h"
#include "rpc/resource_name.h"
#include "server/service_runner.h"
#include "status/errors.h"
#include "status/grpc_status.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"

namespace vetrack::gateway {
namespace {

constexpr char kJson[] = "application/json";

void Reply(httplib::Response& res, const grpc::Status& status) {
  res.status = HttpStatusOf(status.error_code());
  res.set_content(ErrorJson(status), kJson);
}

void Reply(httplib::Response& res, const absl::Status& status) { Reply(res, ToGrpcStatus(status)); }

// POST /v1/{package.Service}/{Method}: every forwarded and gateway method.
constexpr char kCallPath[] = R"(/v1/([A-Za-z0-9_.]+)/([A-Za-z0-9_]+))";

const google::protobuf::ServiceDescriptor* GatewayServiceDescriptor() {
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      v1::GatewayService::service_full_name());
}

std::string Header(const httplib::Request& req, const char* name) {
  return req.has_header(name) ? req.get_header_value(name) : "";
}

// Answers a request whose body stays unread. The connection must end with
// this answer, or the body's bytes would be parsed as a next request that no
// proxy in front saw. cpp-httplib 0.11 keeps a connection alive whatever the
// response's Connection header says: it ends one only when the request asks
// or when writing the response fails. So the answer goes through a provider
// that writes all of it and then reports a failure.
httplib::Server::HandlerResponse RefuseUnread(httplib::Response& res, int http_status,
                                              const grpc::Status& status) {
  res.status = http_status;
  res.set_header("Connection", "close");
  auto body = std::make_shared<const std::string>(ErrorJson(status));
  res.set_content_provider(body->size(), kJson,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return false;
                           });
  return httplib::Server::HandlerResponse::Handled;
}

// cpp-httplib 0.11 reads a request's body before routing, and holds the body
// limit only against a Content-Length: a chunked body, or one read until the
// client closes, would be read whole into memory. Those are refused (411)
// before anything is read, and so is a body whose Authorization fails
// `check_token` (401). A body with a Content-Length is read (up to the limit,
// 413 past it) even for a method nothing serves, so the connection stays in
// step: its bytes are never taken for the next request.
httplib::Server::HandlerWithResponse RefuseUnboundedBodies(
    std::function<absl::Status(const std::string&)> check_token = nullptr) {
  return [check_token](const httplib::Request& req, httplib::Response& res) {
    const bool bodiless = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
    if (!bodiless && req.method != "POST") {
      res.set_header("Allow", "GET, POST");
      return RefuseUnread(res, 405,
                          grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                       absl::StrCat(req.method,
                                                    " is not served: calls are POST "
                                                    "/v1/{service}/{method}, pages GET")));
    }
    if (req.has_header("Transfer-Encoding") || (!bodiless && !req.has_header("Content-Length"))) {
      return RefuseUnread(
          res, 411,
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "body: send it with a Content-Length (no chunked transfer encoding)"));
    }
    if (!bodiless && check_token) {
      absl::Status token = check_token(Header(req, "Authorization"));
      if (!token.ok()) return RefuseUnread(res, 401, ToGrpcStatus(token));
    }
    // The body is JSON whatever the Content-Type says (`curl -d` says a
    // form), but cpp-httplib holds a form to 8 KiB and answers a longer one
    // with an empty 413 that says nothing of why.
    size_t length = 0;
    if (absl::StartsWith(Header(req, "Content-Type"), "application/x-www-form-urlencoded") &&
        absl::SimpleAtoi(Header(req, "Content-Length"), &length) &&
        length > CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH) {
      return RefuseUnread(
          res, 415,
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                       "body: send it as Content-Type: application/json (a form-encoded body "
                       "may not be longer than 8 KiB)"));
    }
    return httplib::Server::HandlerResponse::Unhandled;
  };
}

absl::Status Bind(httplib::Server& server, const std::string& listen) {
  size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat(listen, ": expected host:port"));
  }
  std::string host = listen.substr(0, colon);
  // cpp-httplib sets only SO_REUSEPORT on Linux: a port whose last
  // connections wait in TIME_WAIT then cannot be bound (a quick restart), and
  // a second gateway on the same port would share it silently. SO_REUSEADDR
  // alone, as Redis and most servers set it, allows the one and refuses the
  // other.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  if (!server.bind_to_port(host.c_str(), port)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  return absl::OkStatus();
}

}  // namespace

int HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 400;
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:
      return 500;
  }
}

namespace {

// HTTPS when `identity` is given, taking its certificate on every handshake.
std::unique_ptr<httplib::Server> ApiServer(HttpsIdentity* identity) {
  if (identity == nullptr) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>(
      [identity](SSL_CTX& ctx) { return identity->Install(ctx); });
}

// The identity of `options`' TLS files; null without them.
absl::StatusOr<std::unique_ptr<HttpsIdentity>> IdentityOf(const HttpOptions& options) {
  if (options.tls.cert_file.empty()) return nullptr;
  return HttpsIdentity::Load(options.tls);
}

}  // namespace

HttpGateway::HttpGateway(const RouteTable& routes, std::shared_ptr<grpc::Channel> loopback,
                         HttpOptions options)
    : routes_(routes), loopback_(std::move(loopback)), options_(std::move(options)) {
  auto identity = IdentityOf(options_);
  if (identity.ok()) {
    identity_ = *std::move(identity);
  } else {
    tls_loaded_ = identity.status();
  }
  server_ = ApiServer(identity_.get());
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_pre_routing_handler(RefuseUnboundedBodies(options_.check_token));
  server_->set_read_timeout(
      std::chrono::microseconds(absl::ToInt64Microseconds(options_.read_timeout)));
  server_->new_task_queue = [threads = options_.threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  Register();
  if (!options_.probe_listen.empty()) {
    probe_server_ = std::make_unique<httplib::Server>();
    probe_server_->set_payload_max_length(4096);
    probe_server_->set_pre_routing_handler(RefuseUnboundedBodies());
    probe_server_->set_read_timeout(std::chrono::seconds(2));
    probe_server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
    RegisterHealth(*probe_server_);
  }
}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::Register() {
  // Calls `method` with request bodies `bodies` (JSON) and writes the answer.
  auto call = [this](const google::protobuf::MethodDescriptor* method,
                     const std::vector<std::string>& bodies, const httplib::Request& req,
                     httplib::Response& res) {
    std::vector<std::string> requests;
    for (const auto& body : bodies) {
      auto bytes = JsonToBinary(method->input_type(), body);
      if (!bytes.ok()) return Reply(res, bytes.status());
      requests.push_back(*std::move(bytes));
    }
    std::string name = absl::StrCat("/", method->service()->full_name(), "/", method->name());
    LoopbackResult result = Loopback(name, requests, Header(req, "Authorization"),
                                     Header(req, "X-Request-Id"), options_.call_timeout);
    if (!result.request_id.empty()) res.set_header("X-Request-Id", result.request_id);
    if (!result.status.ok()) return Reply(res, result.status);
    if (!method->server_streaming() && result.responses.size() != 1) {
      // What gRPC's own unary stubs call a call that ends OK without its one
      // answer: never a 200 with an empty body.
      return Reply(res, grpc::Status(grpc::StatusCode::INTERNAL,
                                     absl::StrCat(method->full_name(), ": answered ",
                                                  result.responses.size(), " messages, not 1")));
    }
    std::vector<std::string> json;
    for (const auto& bytes : result.responses) {
      auto text = BinaryToJson(method->output_type(), bytes);
      if (!text.ok()) return Reply(res, text.status());
      json.push_back(*std::move(text));
    }
    res.status = 200;
    if (method->server_streaming()) {
      res.set_content(absl::StrCat("[", absl::StrJoin(json, ","), "]"), kJson);
    } else {
      res.set_content(json.front(), kJson);
    }
  };

  // The gateway's own methods and every forwarded one; nothing else (health
  // and reflection stay gRPC-only).
  server_->Post(kCallPath, [this, call](const httplib::Request& req, httplib::Response& res) {
    const auto* method = FindCall(req.matches[1], req.matches[2]);
    if (method == nullptr) {
      return Reply(res, grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                     absl::StrCat("no method ", req.matches[1].str(), "/",
                                                  req.matches[2].str())));
    }
    bool is_array = false;
    auto elements = SplitJsonArray(req.body, &is_array);
    if (!elements.ok()) return Reply(res, elements.status());
    if (is_array && !method->client_streaming()) {
      return Reply(res, absl::InvalidArgumentError("body: one JSON object expected; arrays are for "
                                                   "client-streaming methods"));
    }
    call(method, is_array ? *elements : std::vector<std::string>{req.body}, req, res);
  });

  // GET pages: a gateway method, path segments as fixed fields, and the
  // query parameters as further fields (but those in `consumed`, which went
  // into the fixed fields).
  using Fields = std::map<std::string, std::string>;
  using Fixed = std::function<absl::StatusOr<Fields>(const httplib::Request&)>;
  auto get = [this, call](const std::string& pattern, const char* method_name, Fixed fixed,
                          std::set<std::string> consumed = {}) {
    const auto* method = GatewayServiceDescriptor()->FindMethodByName(method_name);
    page_patterns_.emplace_back(pattern);
    server_->Get(pattern, [call, method, fixed, consumed](const httplib::Request& req,
                                                          httplib::Response& res) {
      std::multimap<std::string, std::string> params;
      for (const auto& [name, value] : req.params) {
        if (consumed.count(name) == 0) params.emplace(name, value);
      }
      auto fixed_fields = fixed(req);
      if (!fixed_fields.ok()) return Reply(res, fixed_fields.status());
      auto json = QueryToJson(method->input_type(), params, *fixed_fields);
      if (!json.ok()) return Reply(res, json.status());
      call(method, {*json}, req, res);
    });
  };
  auto none = [](const httplib::Request&) { return std::map<std::string, std::string>{}; };
  get("/v1/whoami", "WhoAmI", none);
  get("/v1/overview", "GetDistrictOverview", none);
  get(R"(/v1/units/([a-z0-9_-]+)/workbench)", "GetDepartmentWorkbench",
      [](const httplib::Request& req) {
        return std::map<std::string, std::string>{{"unit", "units/" + req.matches[1].str()}};
      });
  get(R"(/v1/tasks/([0-9]+)/dossier)", "GetTaskDossier",
      [this](const httplib::Request& req) -> absl::StatusOr<Fields> {
        std::string plan = req.has_param("plan") ? req.get_param_value("plan") : options_.plan_id;
        // Checked here, or the error would name `task`, which the caller never sent.
        if (!IsValidResourceId(plan)) return InvalidField("plan", "not a plan id");
        return Fields{{"task", absl::StrCat("plans/", plan, "/tasks/", req.matches[1].str())}};
      },
      {"plan"});
  get(R"(/v1/institutions/([a-z0-9_-]+)/profile)", "GetInstitutionProfile",
      [](const httplib::Request& req) {
        return std::map<std::string, std::string>{
            {"institution", "institutions/" + req.matches[1].str()}};
      });
  get("/v1/audit", "ListAuditEntries", none);
  get("/v1/audit/verify", "VerifyAuditChain", none);
  get("/v1/tokens/revoked", "ListRevokedTokens", none);
  RegisterHealth(*server_);

  // What no handler answered (no route, a body past the limit, a request
  // that could not be read) comes from cpp-httplib with an empty body: a
  // JSON error, as every other answer of the API.
  const httplib::Server::HandlerWithResponse explain =
      [this](const httplib::Request& req,
             httplib::Response& res) -> httplib::Server::HandlerResponse {
    if (!res.body.empty() || res.content_provider_) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    grpc::Status status;
    if (res.status == 404) {
      status = NoRoute(req, res);
    } else if (res.status == 413) {
      status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            absl::StrCat("body: longer than ", options_.max_body_bytes, " bytes"));
    } else if (res.status >= 500) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, absl::StrCat("HTTP ", res.status));
    } else {
      status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            absl::StrCat("HTTP ", res.status, ": the request could not be read"));
    }
    res.set_content(ErrorJson(status), kJson);
    return httplib::Server::HandlerResponse::Handled;
  };
  server_->set_error_handler(explain);
}

const google::protobuf::MethodDescriptor* HttpGateway::FindCall(const std::string& service,
                                                                const std::string& method) const {
  if (const Route* route = routes_.Find(absl::StrCat("/", service, "/", method))) {
    return route->descriptor;
  }
  const auto* gateway = GatewayServiceDescriptor();
  if (service == gateway->full_name()) return gateway->FindMethodByName(method);
  return nullptr;
}

grpc::Status HttpGateway::NoRoute(const httplib::Request& req, httplib::Response& res) const {
  static const std::regex* const kCall = new std::regex(kCallPath);
  const bool page = std::any_of(page_patterns_.begin(), page_patterns_.end(),
                                [&](const std::regex& p) { return std::regex_match(req.path, p); });
  if (page && req.method != "GET") {
    res.status = 405;
    res.set_header("Allow", "GET");
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        absl::StrCat(req.path, " is a page: GET it"));
  }
  std::smatch call;
  if (!page && req.method != "POST" && std::regex_match(req.path, call, *kCall) &&
      FindCall(call[1], call[2]) != nullptr) {
    res.status = 405;
    res.set_header("Allow", "POST");
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                        absl::StrCat(req.path, " is a call: POST it a JSON body"));
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      absl::StrCat("no page or call at ", req.method, " ", req.path));
}

void HttpGateway::RegisterHealth(httplib::Server& server) {
  // The gRPC server's health, over plain HTTP: kubelet's gRPC probes cannot
  // speak TLS, so with TLS on the gRPC port this is what probes should ask.
  // /healthz is the overall status (readiness), /livez the process's own.
  auto health = [this](const std::string& service) {
    return [this, service](const httplib::Request&, httplib::Response& res) {
      grpc::health::v1::HealthCheckRequest check;
      check.set_service(service);
      LoopbackResult result = Loopback("/grpc.health.v1.Health/Check", {check.SerializeAsString()},
                                       "", "", absl::Seconds(2));
      grpc::health::v1::HealthCheckResponse answer;
      bool serving = result.status.ok() && result.responses.size() == 1 &&
                     answer.ParseFromString(result.responses.front()) &&
                     answer.status() == grpc::health::v1::HealthCheckResponse::SERVING;
      res.status = serving ? 200 : 503;
      res.set_content(serving ? "SERVING\n" : "NOT_SERVING\n", "text/plain");
    };
  };
  server.Get("/healthz", health(""));
  server.Get("/livez", health(kLivenessHealthService));
}

absl::Status HttpGateway::Start() {
  if (!tls_loaded_.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("http-listen: ", tls_loaded_.message()));
  }
  if (!server_->is_valid()) {
    return absl::InvalidArgumentError("http-listen: OpenSSL refused the TLS set-up");
  }
  if (absl::Status bound = Bind(*server_, options_.listen); !bound.ok()) {
    return absl::Status(bound.code(), absl::StrCat("http-listen ", bound.message()));
  }
  if (probe_server_ != nullptr) {
    if (absl::Status bound = Bind(*probe_server_, options_.probe_listen); !bound.ok()) {
      return absl::Status(bound.code(), absl::StrCat("http-probe-listen ", bound.message()));
    }
    probe_thread_ = std::thread([this] { probe_server_->listen_after_bind(); });
    LogInfo("serving HTTP probes", {{"listen", options_.probe_listen}});
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  LogInfo("serving HTTP/JSON", {{"listen", options_.listen}});
  return absl::OkStatus();
}

namespace {

// cpp-httplib's stop() does nothing until the listening thread has begun its
// loop, which would then run on and never be joined: a stop right after
// Start() (a failed start-up, or a test) waits for the loop first. Bounded,
// since a loop that already ended is not running either. Returns whether the
// loop was running, so the stop reached it.
bool StopAcceptingOn(httplib::Server& server, const std::thread& thread) {
  if (!thread.joinable()) return false;
  for (int waited_ms = 0; !server.is_running() && waited_ms < 2000; ++waited_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool running = server.is_running();
  server.stop();
  return running;
}

// Its loop ends once the requests under way are answered.
void StopServing(httplib::Server& server, std::thread& thread) {
  StopAcceptingOn(server, thread);
  if (thread.joinable()) thread.join();
}

}  // namespace

LoopbackResult HttpGateway::Loopback(const std::string& method,
                                     const std::vector<std::string>& requests,
                                     const std::string& authorization,
                                     const std::string& request_id, absl::Duration timeout) {
  LoopbackCall call(method, requests, authorization, request_id, timeout);
  {
    // Checked and sent under one lock: once Drain has begun, no call starts,
    // however long this thread waited between its check and its send (on
    // busy cores that once outlasted the drain, and gRPC 1.51 crashes on a
    // call that starts while its in-process server shuts down).
    std::lock_guard<std::mutex> lock(calls_mu_);
    if (draining_) {
      return {grpc::Status(grpc::StatusCode::UNAVAILABLE, "the gateway is shutting down"), {}, ""};
    }
    call.Start(loopback_);
    ++calls_;
  }
  LoopbackResult result = call.Wait();
  std::lock_guard<std::mutex> lock(calls_mu_);
  if (--calls_ == 0) calls_done_.notify_all();
  return result;
}

void HttpGateway::Drain(absl::Duration timeout) {
  // Not when the loop had yet to begin (a thread starved for seconds): the
  // stop missed it, and Stop must try again.
  api_stopped_ = StopAcceptingOn(*server_, thread_);
  std::unique_lock<std::mutex> lock(calls_mu_);
  draining_ = true;
  calls_done_.wait_for(lock, absl::ToChronoMilliseconds(timeout), [this] { return calls_ == 0; });
}

void HttpGateway::Stop() {
  // Probes stop last, so they answer while the API drains. After a drain that
  // stopped it, the API's loop may have ended already, which StopAcceptingOn
  // cannot tell from one not yet begun: it would wait its bound out for
  // nothing.
  if (!api_stopped_) StopAcceptingOn(*server_, thread_);
  if (thread_.joinable()) thread_.join();
  if (probe_server_ != nullptr) StopServing(*probe_server_, probe_thread_);
}

}  // namespace vetrack::gateway
