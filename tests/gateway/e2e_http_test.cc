// End to end: the HTTP/JSON surface, with cpp-httplib's client.
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "e2e_fixture.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "testing/ports.h"

namespace vetrack::gateway {
namespace {

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct out;
  auto status = google::protobuf::util::JsonStringToMessage(json, &out);
  EXPECT_TRUE(status.ok()) << json;
  return out;
}

// A socket connected to `port` on the loopback that has sent `bytes` as they
// are, or -1. Its reads give up after 10 s, so a server that hangs fails the
// test instead of stalling it.
int SendRaw(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    close(fd);
    return -1;
  }
  return fd;
}

// What `fd` reads until the end of a response's headers, the end of the
// stream, or the read timeout.
std::string ReadHeaders(int fd) {
  std::string answer;
  char buffer[4096];
  ssize_t n = 0;
  while (answer.find("\r\n\r\n") == std::string::npos &&
         (n = read(fd, buffer, sizeof(buffer))) > 0) {
    answer.append(buffer, static_cast<size_t>(n));
  }
  return answer;
}

// Sends `bytes` as they are and returns what comes back until the end of the
// response's headers (or 10 s).
std::string RawExchange(int port, const std::string& bytes) {
  int fd = SendRaw(port, bytes);
  if (fd < 0) return "";
  std::string answer = ReadHeaders(fd);
  close(fd);
  return answer;
}

const google::protobuf::Value& Field(const google::protobuf::Struct& s, const std::string& name) {
  static const google::protobuf::Value kNull;
  auto it = s.fields().find(name);
  return it == s.fields().end() ? kNull : it->second;
}

class HttpTest : public GatewayE2ETest {
 protected:
  httplib::Result Post(const std::string& path, const std::string& body, const std::string& token,
                       const std::string& request_id = "") {
    httplib::Client client("127.0.0.1", http_port());
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (!request_id.empty()) headers.emplace("X-Request-Id", request_id);
    return client.Post(path.c_str(), headers, body, "application/json");
  }
  httplib::Result Get(const std::string& path, const std::string& token) {
    httplib::Client client("127.0.0.1", http_port());
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client.Get(path.c_str(), headers);
  }
};

TEST_F(HttpTest, ForwardedMethodsTakeAndGiveProtobufJson) {
  auto filed = Post("/v1/vetrack.tasks.v1.TaskRegistryService/FileProgress",
                    R"({"task": "plans/jiangjin-vet-2021/tasks/6", "periodId": "2025-Q2",
                        "status": "PROGRESS_STATUS_ON_TRACK", "narrative": "经由 HTTP 提交",
                        "request_id": "http-1"})",
                    Token("department", "hrss"));
  ASSERT_TRUE(filed);
  ASSERT_EQ(filed->status, 200) << filed->body;
  auto progress = Parse(filed->body);
  EXPECT_EQ(Field(progress, "filedBy").string_value(), "department:hrss");
  EXPECT_EQ(Field(progress, "narrative").string_value(), "经由 HTTP 提交");

  auto task = Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask",
                   R"({"name": "plans/jiangjin-vet-2021/tasks/6"})", Token("school", "cqvie"),
                   "school-app:4711");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, 200);
  EXPECT_EQ(Field(Parse(task->body), "leadUnit").string_value(), "hrss");
  // The caller's X-Request-Id comes back; without one, the gateway's own.
  EXPECT_EQ(task->get_header_value("X-Request-Id"), "school-app:4711");
  EXPECT_EQ(filed->get_header_value("X-Request-Id").size(), 16u);

  // The change is audited like any other.
  auto trail = AuditTrail(kTask6);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0].request_id(), "http-1");
}

TEST_F(HttpTest, ErrorsAreJsonWithTheMatchingStatus) {
  auto no_token = Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask",
                       R"({"name": "plans/jiangjin-vet-2021/tasks/6"})", "");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  EXPECT_EQ(Field(Parse(no_token->body), "code").string_value(), "UNAUTHENTICATED");

  auto denied = Post("/v1/vetrack.tasks.v1.TaskRegistryService/ReviewReport",
                     R"({"task": "plans/jiangjin-vet-2021/tasks/6", "periodId": "2025-Q2",
                         "decision": "REVIEW_DECISION_ACCEPT", "requestId": "x"})",
                     Token("department", "hrss"));
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 403);

  auto missing = Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask",
                      R"({"name": "plans/jiangjin-vet-2021/tasks/99"})", Token("coordinator"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  auto invalid = Post("/v1/vetrack.tasks.v1.TaskRegistryService/FileProgress",
                      R"({"task": "plans/jiangjin-vet-2021/tasks/6", "periodId": "2031-Q2",
                          "status": "PROGRESS_STATUS_ON_TRACK", "narrative": "x",
                          "requestId": "bad"})",
                      Token("department", "hrss"));
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400);
  auto error = Parse(invalid->body);
  EXPECT_EQ(Field(error, "code").string_value(), "INVALID_ARGUMENT");
  const auto& details = Field(error, "details").struct_value();
  const auto& violations = Field(details, "fieldViolations").list_value();
  ASSERT_GT(violations.values_size(), 0);
  EXPECT_EQ(Field(violations.values(0).struct_value(), "field").string_value(), "period_id");

  auto not_json =
      Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", "{nope", Token("coordinator"));
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);

  auto unknown =
      Post("/v1/vetrack.tasks.v1.TaskRegistryService/Nothing", "{}", Token("coordinator"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 501);

  // Health and reflection stay gRPC-only.
  auto health = Post("/v1/grpc.health.v1.Health/Check", "{}", Token("coordinator"));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 501);

  // Found in use: what no route took came back empty. A page asked with
  // POST, a call with GET (405, with what Allow-s), a path of neither: JSON.
  auto posted_page = Post("/v1/overview", "{}", Token("coordinator"));
  ASSERT_TRUE(posted_page);
  EXPECT_EQ(posted_page->status, 405);
  EXPECT_EQ(posted_page->get_header_value("Allow"), "GET");
  EXPECT_EQ(Field(Parse(posted_page->body), "code").string_value(), "UNIMPLEMENTED");
  auto got_call = Get("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", Token("coordinator"));
  ASSERT_TRUE(got_call);
  EXPECT_EQ(got_call->status, 405);
  EXPECT_EQ(got_call->get_header_value("Allow"), "POST");
  EXPECT_TRUE(absl::StrContains(Field(Parse(got_call->body), "message").string_value(), "POST"))
      << got_call->body;
  auto no_such_call = Get("/v1/vetrack.tasks.v1.TaskRegistryService/Nothing", Token("coordinator"));
  ASSERT_TRUE(no_such_call);
  EXPECT_EQ(no_such_call->status, 404) << "not a call that POST would find either";
  auto nowhere = Get("/v1/tasks/abc/dossier", Token("coordinator"));
  ASSERT_TRUE(nowhere);
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_EQ(Field(Parse(nowhere->body), "code").string_value(), "NOT_FOUND") << nowhere->body;
}

TEST_F(HttpTest, ViewsAndAuditAreFriendlyGets) {
  FileTask6("hrss", "f1");
  const std::string coordinator = Token("coordinator");
  auto overview = Get("/v1/overview?period_id=2025-Q2&year=2024", coordinator);
  ASSERT_TRUE(overview);
  ASSERT_EQ(overview->status, 200) << overview->body;
  auto view = Parse(overview->body);
  EXPECT_EQ(Field(view, "tasks").list_value().values_size(), 33);
  EXPECT_FALSE(Field(view, "partial").bool_value());
  EXPECT_EQ(Field(view, "periodId").string_value(), "2025-Q2");

  auto workbench = Get("/v1/units/hrss/workbench?periodId=2025-Q2", Token("department", "hrss"));
  ASSERT_TRUE(workbench);
  EXPECT_EQ(workbench->status, 200) << workbench->body;
  EXPECT_EQ(Field(Parse(workbench->body), "unit").string_value(), "units/hrss");
  auto others = Get("/v1/units/edu/workbench", Token("department", "hrss"));
  ASSERT_TRUE(others);
  EXPECT_EQ(others->status, 403);

  auto dossier = Get("/v1/tasks/6/dossier?period_id=2025-Q2", coordinator);
  ASSERT_TRUE(dossier);
  ASSERT_EQ(dossier->status, 200) << dossier->body;
  EXPECT_EQ(Field(Parse(dossier->body), "progress").list_value().values_size(), 1);
  auto named_plan =
      Get("/v1/tasks/6/dossier?plan=jiangjin-vet-2021&period_id=2025-Q2", coordinator);
  ASSERT_TRUE(named_plan);
  ASSERT_EQ(named_plan->status, 200) << named_plan->body;
  auto other_plan = Get("/v1/tasks/6/dossier?plan=no-such-plan", coordinator);
  ASSERT_TRUE(other_plan);
  EXPECT_EQ(other_plan->status, 404) << other_plan->body;
  auto bad_plan = Get("/v1/tasks/6/dossier?plan=a_b", coordinator);
  ASSERT_TRUE(bad_plan);
  EXPECT_EQ(bad_plan->status, 400) << bad_plan->body;
  EXPECT_EQ(Field(Parse(bad_plan->body), "details")
                .struct_value()
                .fields()
                .at("fieldViolations")
                .list_value()
                .values(0)
                .struct_value()
                .fields()
                .at("field")
                .string_value(),
            "plan")
      << bad_plan->body;

  auto profile = Get("/v1/institutions/cqgsxx/profile", Token("school", "cqgsxx"));
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->status, 200) << profile->body;

  auto bad_param = Get("/v1/overview?colour=blue", coordinator);
  ASSERT_TRUE(bad_param);
  EXPECT_EQ(bad_param->status, 400);
  auto bad_value = Get("/v1/overview?year=abc", coordinator);
  ASSERT_TRUE(bad_value);
  EXPECT_EQ(bad_value->status, 400);
  EXPECT_TRUE(absl::StrContains(bad_value->body, R"("field":"year")")) << bad_value->body;

  auto audit = Get("/v1/audit?resource=plans/jiangjin-vet-2021/tasks/6", coordinator);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200) << audit->body;
  EXPECT_EQ(Field(Parse(audit->body), "entries").list_value().values_size(), 2);
  auto audit_denied = Get("/v1/audit", Token("school", "cqgsxx"));
  ASSERT_TRUE(audit_denied);
  EXPECT_EQ(audit_denied->status, 403);

  auto verify = Get("/v1/audit/verify", Token("operator"));
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->status, 200);
  EXPECT_TRUE(Field(Parse(verify->body), "intact").bool_value());
  // A page, and then what came after an anchor, as query parameters.
  auto first_page = Get("/v1/audit/verify?page_size=1", Token("operator"));
  ASSERT_TRUE(first_page);
  ASSERT_EQ(first_page->status, 200) << first_page->body;
  const auto first = Parse(first_page->body);
  EXPECT_EQ(Field(first, "lastSequence").string_value(), "1") << first_page->body;
  EXPECT_FALSE(Field(first, "nextPageToken").string_value().empty()) << first_page->body;
  auto second_page = Get(absl::StrCat("/v1/audit/verify?page_size=1&page_token=",
                                      Field(first, "nextPageToken").string_value()),
                         Token("operator"));
  ASSERT_TRUE(second_page);
  ASSERT_EQ(second_page->status, 200) << second_page->body;
  EXPECT_EQ(Field(Parse(second_page->body), "lastSequence").string_value(), "2")
      << second_page->body;
  auto since = Get(absl::StrCat("/v1/audit/verify?after_sequence=1&after_hash=",
                                Field(first, "headHash").string_value()),
                   Token("operator"));
  ASSERT_TRUE(since);
  ASSERT_EQ(since->status, 200) << since->body;
  EXPECT_TRUE(Field(Parse(since->body), "intact").bool_value()) << since->body;
  EXPECT_EQ(Field(Parse(since->body), "lastSequence").string_value(),
            Field(Parse(verify->body), "lastSequence").string_value());

  auto health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "SERVING\n");
  auto alive = Get("/livez", "");
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);

  auto me = Get("/v1/whoami", Token("school", "cqvie"));
  ASSERT_TRUE(me);
  EXPECT_EQ(Field(Parse(me->body), "principal").string_value(), "school:cqvie");
}

TEST_F(HttpTest, ABodyPastTheLimitIsRefusedUnread) {
  const std::string huge(5 << 20, ' ');
  auto refused =
      Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", huge, Token("coordinator"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(Field(Parse(refused->body), "code").string_value(), "INVALID_ARGUMENT")
      << refused->body;
  // The connection pool is fine afterwards.
  auto health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// Found in review: a body was read and parsed (many times its size in memory)
// before its token was looked at, so anyone who could connect could make the
// gateway spend its memory limit.
TEST_F(HttpTest, ABodyWithoutAValidTokenIsRefusedUnread) {
  const std::string body = "{\"name\": \"plans/jiangjin-vet-2021/tasks/6\"}";
  for (const std::string& token : {std::string(), std::string("not-a-token")}) {
    auto refused = Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", body, token);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401) << token;
    EXPECT_EQ(refused->get_header_value("Connection"), "close");
    EXPECT_EQ(Field(Parse(refused->body), "code").string_value(), "UNAUTHENTICATED")
        << refused->body;
  }
  // Unread: the headers alone get the answer, before any of a large body is
  // sent (a client sending it then finds the connection closed).
  std::string headers_only =
      RawExchange(http_port(),
                  "POST /v1/vetrack.tasks.v1.TaskRegistryService/GetTask HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/json\r\nContent-Length: 3000000\r\n\r\n");
  EXPECT_EQ(headers_only.substr(0, 12), "HTTP/1.1 401") << headers_only;
}

// `curl -d` sends JSON as a form; past 8 KiB cpp-httplib refused that with an
// empty 413 (found in review).
TEST_F(HttpTest, ALongBodySentAsAFormIsToldToSayJson) {
  const std::string json = "{\"name\": \"plans/jiangjin-vet-2021/tasks/6\"}";
  httplib::Client client("127.0.0.1", http_port());
  client.set_read_timeout(10, 0);
  httplib::Headers headers{{"Authorization", "Bearer " + Token("coordinator")}};
  auto short_form = client.Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", headers, json,
                                "application/x-www-form-urlencoded");
  ASSERT_TRUE(short_form);
  EXPECT_EQ(short_form->status, 200) << short_form->body;

  const std::string padded = json.substr(0, json.size() - 1) + std::string(9000, ' ') + "}";
  std::string long_form =
      RawExchange(http_port(),
                  "POST /v1/vetrack.tasks.v1.TaskRegistryService/GetTask HTTP/1.1\r\nHost: x\r\n"
                  "Authorization: Bearer " +
                      Token("coordinator") +
                      "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: " +
                      std::to_string(padded.size()) + "\r\n\r\n");
  EXPECT_EQ(long_form.substr(0, 12), "HTTP/1.1 415") << long_form;
  auto as_json =
      Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", padded, Token("coordinator"));
  ASSERT_TRUE(as_json);
  EXPECT_EQ(as_json->status, 200) << as_json->body;
}

TEST_F(HttpTest, ABodyWithoutALengthIsRefusedUnread) {
  // A chunked body could grow past any limit before it was looked at.
  std::string chunked = RawExchange(
      http_port(),
      "POST /v1/vetrack.tasks.v1.TaskRegistryService/GetTask HTTP/1.1\r\nHost: x\r\n"
      "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n");
  EXPECT_EQ(chunked.substr(0, 12), "HTTP/1.1 411") << chunked;
  // So could one that runs until the client closes.
  std::string unbounded =
      RawExchange(http_port(),
                  "POST /v1/vetrack.tasks.v1.TaskRegistryService/GetTask HTTP/1.1\r\nHost: x\r\n"
                  "Content-Type: application/json\r\n\r\n{}");
  EXPECT_EQ(unbounded.substr(0, 12), "HTTP/1.1 411") << unbounded;
  // Nor by the methods nothing serves, whose bodies are read before routing:
  // refused unread, as not served, with or without a length.
  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    std::string refused = RawExchange(
        http_port(), std::string(method) + " /v1/overview HTTP/1.1\r\nHost: x\r\n\r\n{}");
    EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 405") << method << ": " << refused;
    EXPECT_TRUE(absl::StrContains(refused, "Allow: GET, POST")) << refused;
  }
  std::string with_length =
      RawExchange(http_port(),
                  "PUT /v1/overview HTTP/1.1\r\nHost: x\r\n"
                  "Authorization: Bearer " +
                      Token("coordinator") + "\r\nContent-Length: 2\r\n\r\n{}");
  EXPECT_EQ(with_length.substr(0, 12), "HTTP/1.1 405") << with_length;
  // A GET has no body to send.
  auto health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(HttpTest, ARefusedBodyEndsTheConnection) {
  // The 411 leaves the body unread: were the connection kept, its bytes would
  // be taken for a next request, one that no proxy in front of the gateway saw.
  // They follow the 411, as a slow client's would: sent with the headers,
  // cpp-httplib buffers them with the refused request and never parses them,
  // so the test could not tell a kept connection from a closed one.
  int fd = SendRaw(http_port(),
                   "POST /v1/vetrack.tasks.v1.TaskRegistryService/GetTask HTTP/1.1\r\nHost: x\r\n"
                   "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n");
  ASSERT_GE(fd, 0);
  std::string answer = ReadHeaders(fd);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 411") << answer;
  EXPECT_TRUE(absl::StrContains(answer, "\r\nConnection: close\r\n")) << answer;
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  // A server that has closed may refuse the bytes: only its answer counts.
  (void)send(fd, smuggled.data(), smuggled.size(), MSG_NOSIGNAL);
  std::string after;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
    after.append(buffer, static_cast<size_t>(n));
  }
  const int read_error = errno;
  close(fd);
  EXPECT_EQ(after.find("HTTP/1.1"), std::string::npos)
      << "answered the smuggled request: " << after;
  EXPECT_EQ(n, 0) << "no end of stream: " << strerror(read_error);
}

TEST_F(HttpTest, AnAuthorizationWithBytesNoTokenHasIsRefusedAndTheGatewayLives) {
  // cpp-httplib percent-decodes header values; gRPC aborts the process on a
  // metadata value that is not printable ASCII.
  for (const char* authorization : {"Bearer%01x", "Bearer \x7f", "Bearer 令牌"}) {
    httplib::Client client("127.0.0.1", http_port());
    client.set_read_timeout(10, 0);
    auto refused = client.Get("/v1/whoami", {{"Authorization", authorization}});
    ASSERT_TRUE(refused) << authorization;
    EXPECT_EQ(refused->status, 401) << authorization;
  }
  auto health = Get("/healthz", "");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

TEST_F(HttpTest, AClientStreamTakesAJsonArray) {
  auto imported = Post("/v1/vetrack.ledger.v1.TrainingLedgerService/ImportTrainingRecords",
                       R"([{"rows": [{"line": 1, "trainingRecord": {"institutionCode": "cqgsxx",
                            "recordId": "h-1", "date": "2025-03-01",
                            "programme": "PROGRAMME_TYPE_COMMUNITY_EDUCATION",
                            "targetGroup": "TARGET_GROUP_ELDERLY", "trainees": 10,
                            "hoursPerTrainee": 4}}]},
                           {"rows": [{"line": 2, "trainingRecord": {"institutionCode": "cqgsxx",
                            "recordId": "h-2", "date": "2025-03-02",
                            "programme": "PROGRAMME_TYPE_COMMUNITY_EDUCATION",
                            "targetGroup": "TARGET_GROUP_ELDERLY", "trainees": 12,
                            "hoursPerTrainee": 4}}]}])",
                       Token("school", "cqgsxx"));
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->status, 200) << imported->body;
  EXPECT_EQ(Field(Parse(imported->body), "recordsCreated").string_value(), "2");

  auto array_to_unary =
      Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask", "[{}, {}]", Token("coordinator"));
  ASSERT_TRUE(array_to_unary);
  EXPECT_EQ(array_to_unary->status, 400);
}

// SIGTERM while an HTTP request waits on a backend that answers nothing: the
// HTTP drain waits for it up to the drain time (1 s), then gRPC's drain ends
// its call (1 s more), so the gateway exits then, not when the call's own
// 40 s deadline passes.
class HttpDrainTest : public HttpTest {
 protected:
  std::vector<std::string> GatewayFlags() const override { return {"--forward-deadline-ms=40000"}; }
};

TEST_F(HttpDrainTest, ARequestStuckOnABackendDoesNotHoldTheShutdownPastTheDrain) {
  Pause(Process::kTasks);
  const int64_t unread_before = testing::UnreadBytesAt(tasks_port());
  std::optional<httplib::Result> stuck;
  std::thread client([&] {
    httplib::Client http("127.0.0.1", http_port());
    http.set_read_timeout(60, 0);
    stuck = http.Post("/v1/vetrack.tasks.v1.TaskRegistryService/GetTask",
                      {{"Authorization", "Bearer " + Token("coordinator")}},
                      R"({"name": "plans/jiangjin-vet-2021/tasks/6"})", "application/json");
  });
  // The call is under way once its bytes wait at the stopped registry: its
  // request alone (the task's name) is longer than the stray HTTP/2 frames a
  // connection may carry meanwhile (a ping, a window update, a settings ack).
  constexpr int64_t kCallBytes = 40;
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  auto reached = [&] { return testing::UnreadBytesAt(tasks_port()) >= unread_before + kCallBytes; };
  while (!reached() && absl::Now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const bool call_under_way = reached();
  const absl::Time signalled = absl::Now();
  int status = Child(Process::kGateway).Signal(SIGTERM);  // waits for the exit
  const absl::Duration took = absl::Now() - signalled;
  Resume(Process::kTasks);
  client.join();
  ASSERT_TRUE(call_under_way) << "the call never reached the registry";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(took, absl::Seconds(20)) << "held by the stuck request";
  ASSERT_TRUE(stuck.has_value() && *stuck) << httplib::to_string(stuck->error());
  EXPECT_NE((*stuck)->status, 200);
}

}  // namespace
}  // namespace vetrack::gateway
