#ifndef VETRACK_SERVICES_GATEWAY_ROUTES_H_
#define VETRACK_SERVICES_GATEWAY_ROUTES_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

// Where each forwarded method goes, known from the generated descriptors of
// the four services' contracts (linked into the gateway), so adding an RPC to
// a service needs no change here.
namespace vetrack::gateway {

enum class Backend { kTasks = 0, kSchools = 1, kLedger = 2, kEvaluation = 3 };
inline constexpr int kBackendCount = 4;

// "task-registry", "school-reporting", "training-ledger", "evaluation".
const char* BackendName(Backend backend);

struct Route {
  // "/vetrack.tasks.v1.TaskRegistryService/FileProgress"
  std::string method;
  Backend backend;
  const google::protobuf::MethodDescriptor* descriptor = nullptr;
  // Written to the audit trail: every change, and every export.
  bool audited = false;
  // May change something, so a forwarded call drops the views' cache.
  bool changes = false;
};

class RouteTable {
 public:
  // Every method of every service in the packages vetrack.tasks.v1 (task
  // registry), vetrack.schools.v1, vetrack.ledger.v1 and vetrack.evaluation.v1.
  static RouteTable Build();

  // nullptr for a method of no known service.
  const Route* Find(absl::string_view method) const;
  std::vector<const Route*> All() const;
  // Known services whose descriptor the program does not hold (its proto file
  // was not linked in): the gateway would answer UNIMPLEMENTED for them, so
  // it refuses to start instead.
  const std::vector<std::string>& missing_services() const { return missing_services_; }

 private:
  std::unordered_map<std::string, Route> routes_;
  std::vector<std::string> missing_services_;
};

// True unless the method's name starts with Get, List, BatchGet (AIP-231),
// Diff (a comparison of stored revisions) or Export (a read of a whole round
// for the performance assessment): what may change something.
bool Changes(absl::string_view method_name);
// What the audit trail records: every change, and every export, since an
// export takes the data out of the system as a whole.
bool IsAudited(absl::string_view method_name);

// What the audit trail records of a request besides who sent it.
struct RequestFacts {
  // The resource the call concerns, e.g. plans/jiangjin-vet-2021/tasks/6.
  std::string resource;
  // The others, when the request names several (a training import's rows of
  // other institutions): each once, in the order named, at most
  // kMaxOtherResources.
  std::vector<std::string> other_resources;
  // Its idempotency key.
  std::string request_id;
  // The first field whose value is too long to be written to the trail
  // (kMaxAuditedValue, kMaxAuditedRequestId); "" when none. The call is then
  // refused before anything is written: every change is audited, and an
  // unbounded value would let any caller fill the Redis every service shares.
  std::string oversized_field;
  // The repeated field whose elements name more than kMaxOtherResources
  // others; "" when none. The call is refused then too: no import concerns
  // more institutions than the district has.
  std::string crowded_field;

  // Adds `more`'s resource and others to the others, each once and not
  // `resource`; sets crowded_field to `field` when they grow past the bound.
  void AddOthers(const RequestFacts& more, const std::string& field);
};
// No service accepts a name part or a request_id longer than these.
inline constexpr size_t kMaxAuditedValue = 256;
inline constexpr size_t kMaxAuditedRequestId = 64;
inline constexpr size_t kMaxOtherResources = 32;

// Read from the request by the method's rule (a few methods name their
// resource in their own way), else from its first non-empty field among
// name, task, round, report, parent, institution.
RequestFacts FactsOf(const Route& route, const google::protobuf::Message& request);

// The repeated field whose every element names a resource of the method
// (ImportTrainingRecords: "rows"); "" for a method whose request names one.
std::string EachElementField(const Route& route);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_ROUTES_H_
