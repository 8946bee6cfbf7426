#ifndef VETRACK_SERVICES_GATEWAY_HTTP_JSON_H_
#define VETRACK_SERVICES_GATEWAY_HTTP_JSON_H_

#include <grpcpp/support/status.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

// JSON for the HTTP front end: protobuf's JSON mapping of requests and
// responses, query parameters as request fields, and errors.
namespace vetrack::gateway {

// The elements of a top-level JSON array, each as JSON text; nullopt-like
// empty result with *is_array false when `json` is not an array.
absl::StatusOr<std::vector<std::string>> SplitJsonArray(const std::string& json, bool* is_array);

// Serialized `type` from JSON text (unknown fields refused); INVALID_ARGUMENT
// naming the body when it does not parse.
absl::StatusOr<std::string> JsonToBinary(const google::protobuf::Descriptor* type,
                                         const std::string& json);
// JSON text of serialized `type`, default values included.
absl::StatusOr<std::string> BinaryToJson(const google::protobuf::Descriptor* type,
                                         const std::string& bytes);

// A JSON object of `type` from query parameters (field names as in the
// proto or in lowerCamelCase); INVALID_ARGUMENT for a parameter that is no
// field or is given twice.
absl::StatusOr<std::string> QueryToJson(const google::protobuf::Descriptor* type,
                                        const std::multimap<std::string, std::string>& params,
                                        const std::map<std::string, std::string>& fixed);

// {"code": "NOT_FOUND", "message": …, "details": {"reason": …,
//  "fieldViolations": [{"field": …, "description": …}]}}
std::string ErrorJson(const grpc::Status& status);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_HTTP_JSON_H_
