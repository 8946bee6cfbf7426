#include "routes.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"
#include "vetrack/ledger/v1/ledger.grpc.pb.h"
#include "vetrack/schools/v1/schools.grpc.pb.h"
#include "vetrack/tasks/v1/tasks.grpc.pb.h"

namespace vetrack::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// How a method names its resource and idempotency key, where the default
// rule does not fit: "{a.b}" is a field path (a repeated message field
// stands for its first element). With `each`, every element of that repeated
// field names a resource by the same pattern: the first is the resource, the
// others go to other_resources.
struct FactRule {
  const char* resource;
  const char* request_id;
  const char* each = nullptr;
};

const std::map<std::string, FactRule>& FactRules() {
  static const auto* rules = new std::map<std::string, FactRule>{
      {"ImportCatalog", {"{catalog.plan.name}", "{request_id}"}},
      {"UpdateTask", {"{task.name}", "{request_id}"}},
      {"ImportInstitutions", {"institutions", "{request_id}"}},
      {"ImportMajorCatalog", {"catalogMajors", "{request_id}"}},
      {"UpdatePeriod", {"{period.name}", "{request_id}"}},
      {"UpdateDataReport", {"{data_report.name}", "{request_id}"}},
      {"SubmitQualityReport", {"{quality_report.name}", "{request_id}"}},
      {"DrawSpotCheck", {"spotChecks", "{request_id}"}},
      {"CreateTrainingRecord",
       {"institutions/{training_record.institution_code}/trainingRecords/"
        "{training_record.record_id}",
        "{training_record.record_id}"}},
      {"ImportTrainingRecords",
       {"institutions/{rows.training_record.institution_code}", "", "rows"}},
      {"ReverseTrainingRecord", {"{name}", "{reversal_id}"}},
      {"SetAccountingPolicy", {"accountingPolicies/{policy.year}", "{request_id}"}},
      {"ImportIndicators", {"indicators", "{request_id}"}},
      {"RecordStatistic", {"statistics/{key}/years/{year}", "{request_id}"}},
      {"CreateRound", {"rounds/{round_id}", "{request_id}"}},
  };
  return *rules;
}

// The field at `path` as text; "" when absent, empty or not a scalar.
std::string FieldText(const Message& message, absl::string_view path) {
  const Message* current = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field = current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) return "";
    const auto* reflection = current->GetReflection();
    bool last = i + 1 == parts.size();
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (last) return "";
      if (field->is_repeated()) {
        if (reflection->FieldSize(*current, field) == 0) return "";
        current = &reflection->GetRepeatedMessage(*current, field, 0);
      } else {
        if (!reflection->HasField(*current, field)) return "";
        current = &reflection->GetMessage(*current, field);
      }
      continue;
    }
    if (!last || field->is_repeated()) return "";
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return reflection->GetString(*current, field);
      case FieldDescriptor::CPPTYPE_INT32: {
        int32_t v = reflection->GetInt32(*current, field);
        return v == 0 ? "" : absl::StrCat(v);
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t v = reflection->GetInt64(*current, field);
        return v == 0 ? "" : absl::StrCat(v);
      }
      default:
        return "";
    }
  }
  return "";
}

// The value of `path`, noting it in `oversized` when longer than `limit`.
std::string BoundedFieldText(const Message& message, absl::string_view path, size_t limit,
                             std::string* oversized) {
  std::string value = FieldText(message, path);
  if (value.size() > limit && oversized->empty()) *oversized = std::string(path);
  return value;
}

// Expands "{path}" placeholders; "" when any of them is empty, so a
// half-named resource never enters the trail.
std::string Expand(const Message& message, absl::string_view pattern, size_t limit,
                   std::string* oversized) {
  std::string out;
  size_t pos = 0;
  while (pos < pattern.size()) {
    size_t open = pattern.find('{', pos);
    if (open == absl::string_view::npos) {
      absl::StrAppend(&out, pattern.substr(pos));
      break;
    }
    size_t close = pattern.find('}', open);
    if (close == absl::string_view::npos) return "";
    absl::StrAppend(&out, pattern.substr(pos, open - pos));
    std::string value =
        BoundedFieldText(message, pattern.substr(open + 1, close - open - 1), limit, oversized);
    if (value.empty()) return "";
    out.append(value);
    pos = close + 1;
  }
  return out;
}

// Adds the resource each element of `rule.each` names to facts' others. A
// value longer than any name is left out, not refused: the service reports
// that row as bad and keeps the others, and the trail names no resource the
// service could not have.
void AddEachElement(const Message& request, const FactRule& rule, RequestFacts* facts) {
  const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName(rule.each);
  if (field == nullptr || !field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    return;
  }
  const std::string pattern =
      absl::StrReplaceAll(rule.resource, {{absl::StrCat("{", rule.each, "."), "{"}});
  const auto* reflection = request.GetReflection();
  for (int i = 0; i < reflection->FieldSize(request, field) && facts->crowded_field.empty(); ++i) {
    std::string oversized;
    RequestFacts element;
    element.resource = Expand(reflection->GetRepeatedMessage(request, field, i), pattern,
                              kMaxAuditedValue, &oversized);
    if (oversized.empty()) facts->AddOthers(element, rule.each);
  }
}

}  // namespace

void RequestFacts::AddOthers(const RequestFacts& more, const std::string& field) {
  auto add = [&](const std::string& named) {
    if (named.empty() || named == resource) return;
    if (resource.empty()) {
      resource = named;
      return;
    }
    if (std::find(other_resources.begin(), other_resources.end(), named) != other_resources.end()) {
      return;
    }
    if (other_resources.size() >= kMaxOtherResources) {
      if (crowded_field.empty()) crowded_field = field;
      return;
    }
    other_resources.push_back(named);
  };
  add(more.resource);
  for (const auto& named : more.other_resources) add(named);
}

const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kTasks:
      return "task-registry";
    case Backend::kSchools:
      return "school-reporting";
    case Backend::kLedger:
      return "training-ledger";
    case Backend::kEvaluation:
      return "evaluation";
  }
  return "unknown";
}

bool Changes(absl::string_view method_name) {
  for (absl::string_view read : {"Get", "List", "BatchGet", "Diff", "Export"}) {
    if (absl::StartsWith(method_name, read)) return false;
  }
  return true;
}

bool IsAudited(absl::string_view method_name) {
  return Changes(method_name) || absl::StartsWith(method_name, "Export");
}

RouteTable RouteTable::Build() {
  // One service of each package, and a request of its file: asking for that
  // request's descriptor links the file's generated code into whatever links
  // this (a service's descriptor is registered only by its file's code, which
  // a program that calls none of its methods would otherwise leave out, as
  // the HTTP/JSON fuzzer did). Every service of the file is routed to the
  // same backend.
  struct Known {
    const char* service;
    const google::protobuf::FileDescriptor* file;
    Backend backend;
  };
  const Known known[] = {
      {tasks::v1::TaskRegistryService::service_full_name(),
       tasks::v1::GetTaskRequest::descriptor()->file(), Backend::kTasks},
      {schools::v1::SchoolReportingService::service_full_name(),
       schools::v1::ListInstitutionsRequest::descriptor()->file(), Backend::kSchools},
      {ledger::v1::TrainingLedgerService::service_full_name(),
       ledger::v1::GetTrainingRecordRequest::descriptor()->file(), Backend::kLedger},
      {evaluation::v1::EvaluationService::service_full_name(),
       evaluation::v1::ListResultsRequest::descriptor()->file(), Backend::kEvaluation},
  };
  RouteTable table;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& [service_name, file, backend] : known) {
    const auto* service = pool->FindServiceByName(service_name);
    if (service == nullptr || service->file() != file) {
      table.missing_services_.push_back(service_name);
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* svc = file->service(s);
      for (int m = 0; m < svc->method_count(); ++m) {
        const auto* method = svc->method(m);
        Route route;
        route.method = absl::StrCat("/", svc->full_name(), "/", method->name());
        route.backend = backend;
        route.descriptor = method;
        route.audited = IsAudited(method->name());
        route.changes = Changes(method->name());
        table.routes_.emplace(route.method, route);
      }
    }
  }
  return table;
}

const Route* RouteTable::Find(absl::string_view method) const {
  auto it = routes_.find(std::string(method));
  return it == routes_.end() ? nullptr : &it->second;
}

std::vector<const Route*> RouteTable::All() const {
  std::vector<const Route*> out;
  for (const auto& [name, route] : routes_) out.push_back(&route);
  return out;
}

RequestFacts FactsOf(const Route& route, const Message& request) {
  RequestFacts facts;
  auto rule = FactRules().find(route.descriptor->name());
  if (rule != FactRules().end()) {
    facts.resource =
        Expand(request, rule->second.resource, kMaxAuditedValue, &facts.oversized_field);
    facts.request_id =
        Expand(request, rule->second.request_id, kMaxAuditedRequestId, &facts.oversized_field);
    if (rule->second.each != nullptr) AddEachElement(request, rule->second, &facts);
    return facts;
  }
  for (const char* field : {"name", "task", "round", "report", "parent", "institution"}) {
    facts.resource = BoundedFieldText(request, field, kMaxAuditedValue, &facts.oversized_field);
    if (!facts.resource.empty()) break;
  }
  facts.request_id =
      BoundedFieldText(request, "request_id", kMaxAuditedRequestId, &facts.oversized_field);
  return facts;
}

std::string EachElementField(const Route& route) {
  auto rule = FactRules().find(route.descriptor->name());
  if (rule == FactRules().end() || rule->second.each == nullptr) return "";
  return rule->second.each;
}

}  // namespace vetrack::gateway
