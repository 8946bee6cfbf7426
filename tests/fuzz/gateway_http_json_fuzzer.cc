// The gateway's HTTP/JSON decoding (http_json.h, routes.h): a POST body or a
// GET query string, for any method the HTTP front end serves. The input is
// one byte choosing the method, one byte choosing body (even) or query (odd),
// and the text; or, as kept regression inputs are, "@" the method's full name,
// " json" or " query", a newline, and the text.
#include <httplib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "http_gateway.h"
#include "http_json.h"
#include "routes.h"
#include "status/errors.h"
#include "status/grpc_status.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"

namespace vetrack::gateway {
namespace {

using fuzz::Require;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

struct Method {
  const MethodDescriptor* descriptor;
  const Route* route;  // nullptr for the gateway's own methods
};

const RouteTable& Routes() {
  static const auto* routes = new RouteTable(RouteTable::Build());
  return *routes;
}

// Every method the HTTP front end serves, in a stable order.
const std::vector<Method>& Methods() {
  static const auto* methods = [] {
    auto* out = new std::vector<Method>();
    for (const Route* route : Routes().All()) out->push_back({route->descriptor, route});
    // Naming a message of gateway.proto links its descriptors in.
    const auto* own =
        v1::GetDistrictOverviewRequest::descriptor()->file()->pool()->FindServiceByName(
            v1::GatewayService::service_full_name());
    Require(own != nullptr, "the gateway's own service is known");
    for (int m = 0; m < own->method_count(); ++m) out->push_back({own->method(m), nullptr});
    std::sort(out->begin(), out->end(), [](const Method& a, const Method& b) {
      return a.descriptor->full_name() < b.descriptor->full_name();
    });
    return out;
  }();
  return *methods;
}

bool IsJson(const std::string& text) {
  google::protobuf::Value value;
  return google::protobuf::util::JsonStringToMessage(text, &value).ok();
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// What an HTTP caller gets for a refused request: a 4xx with a JSON body.
void CheckRefusal(const absl::Status& status) {
  Require(status.code() == absl::StatusCode::kInvalidArgument,
          "bad input is INVALID_ARGUMENT, not " + status.ToString());
  Require(!FieldViolationsOf(status).empty(), "a refusal names the field: " + status.ToString());
  grpc::Status answer = ToGrpcStatus(status);
  Require(HttpStatusOf(answer.error_code()) == 400, "bad input is HTTP 400");
  Require(IsJson(ErrorJson(answer)), "the error body is JSON: " + ErrorJson(answer));
}

// One request body: refused cleanly, or decoded into a request that reads
// back the same from the JSON the gateway would write of it.
void CheckBody(const Method& method, const std::string& body) {
  const auto* type = method.descriptor->input_type();
  absl::StatusOr<std::string> bytes = JsonToBinary(type, body);
  if (!bytes.ok()) return CheckRefusal(bytes.status());
  Require(body.empty() || IsJson(body), "only JSON is decoded: " + body);
  std::unique_ptr<Message> request = NewMessage(type);
  Require(request->ParseFromString(*bytes), "a decoded body is a " + type->full_name());
  if (method.route != nullptr) FactsOf(*method.route, *request);
  absl::StatusOr<std::string> json = BinaryToJson(type, *bytes);
  Require(json.ok(), "a decoded request prints as JSON");
  absl::StatusOr<std::string> again = JsonToBinary(type, *json);
  Require(again.ok(), "the JSON the gateway writes reads back: " + *json);
  std::unique_ptr<Message> reread = NewMessage(type);
  Require(reread->ParseFromString(*again) &&
              google::protobuf::util::MessageDifferencer::Equals(*request, *reread),
          "JSON round trip keeps the request: " + *json);
}

void CheckPost(const Method& method, const std::string& body) {
  bool is_array = false;
  absl::StatusOr<std::vector<std::string>> elements = SplitJsonArray(body, &is_array);
  if (!elements.ok()) return CheckRefusal(elements.status());
  if (!is_array) return CheckBody(method, body);
  for (const auto& element : *elements) {
    Require(!element.empty(), "an array element is never empty: " + body);
    CheckBody(method, element);
  }
}

void CheckQuery(const Method& method, const std::string& query) {
  httplib::Params params;
  httplib::detail::parse_query_text(query, params);
  absl::StatusOr<std::string> json =
      QueryToJson(method.descriptor->input_type(), {params.begin(), params.end()}, {});
  if (!json.ok()) return CheckRefusal(json.status());
  Require(IsJson(*json), "query parameters make JSON: " + *json);
  CheckBody(method, *json);
}

}  // namespace
}  // namespace vetrack::gateway

namespace {

std::string GatewaySeed(const std::string& file_name, const std::string& text) {
  using vetrack::gateway::Methods;
  const size_t dot = file_name.rfind('.');
  const std::string method = file_name.substr(0, dot);
  const std::string kind = file_name.substr(dot + 1);
  vetrack::fuzz::Require(kind == "json" || kind == "query", "seeds are .json or .query files");
  auto it = std::find_if(Methods().begin(), Methods().end(),
                         [&](const auto& m) { return m.descriptor->full_name() == method; });
  vetrack::fuzz::Require(it != Methods().end(), method + " is served over HTTP");
  std::string body = text;
  while (!body.empty() && body.back() == '\n') body.pop_back();
  return std::string(1, static_cast<char>(it - Methods().begin())) +
         (kind == "json" ? '\0' : '\1') + body;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  vetrack::fuzz::InitializeHarness(*argc, *argv, GatewaySeed);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vetrack::gateway;
  const std::string input(reinterpret_cast<const char*>(data), size);
  // A regression input names its method ("@vetrack.….Method json|query\n"
  // and the text): a method's index moves whenever one is added before it,
  // and an input kept by index would then test another method.
  if (!input.empty() && input[0] == '@') {
    const size_t space = input.find(' '), newline = input.find('\n');
    if (space == std::string::npos || newline == std::string::npos || space > newline) return -1;
    const std::string name = input.substr(1, space - 1),
                      kind = input.substr(space + 1, newline - space - 1);
    auto it = std::find_if(Methods().begin(), Methods().end(),
                           [&](const Method& m) { return m.descriptor->full_name() == name; });
    if (it == Methods().end() || (kind != "json" && kind != "query")) return -1;
    const std::string text = input.substr(newline + 1);
    if (kind == "json") {
      CheckPost(*it, text);
    } else {
      CheckQuery(*it, text);
    }
    return 0;
  }
  if (size < 2) return -1;
  const Method& method = Methods()[data[0] % Methods().size()];
  const std::string text = input.substr(2);
  if (data[1] % 2 == 0) {
    CheckPost(method, text);
  } else {
    CheckQuery(method, text);
  }
  return 0;
}
