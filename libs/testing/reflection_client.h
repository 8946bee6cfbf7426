#ifndef VETRACK_LIBS_TESTING_REFLECTION_CLIENT_H_
#define VETRACK_LIBS_TESTING_REFLECTION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.pb.h"

namespace vetrack::testing {

// Asks a server's reflection service (grpc.reflection.v1alpha, what gRPC 1.51
// serves) for the file that declares `symbol`, as a tool such as grpcurl
// would: the file first, then the files it imports. NOT_FOUND when the server
// does not know the symbol, e.g. a service whose proto file was not linked
// into it. The messages are encoded by hand: the generated reflection classes
// live inside libgrpc++_reflection, and a second copy would clash with them.
absl::StatusOr<std::vector<google::protobuf::FileDescriptorProto>> ReflectFileContaining(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& symbol,
    absl::Duration timeout = absl::Seconds(5));

}  // namespace vetrack::testing

#endif  // VETRACK_LIBS_TESTING_REFLECTION_CLIENT_H_
