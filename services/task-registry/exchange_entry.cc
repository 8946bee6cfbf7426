#include "exchange_entry.h"

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"

namespace vetrack::tasks {
namespace {

constexpr char kSource[] = "task-registry";

google::protobuf::Value Text(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  return value;
}

}  // namespace

std::string TaskRegistryOutboxKey() { return exchange::OutboxKey(kSource); }

std::string AcceptedReportEntry(const v1::Task& task, const v1::TaskReport& report,
                                absl::Time accepted_time) {
  google::protobuf::Struct data;
  auto& fields = *data.mutable_fields();
  fields["task"] = Text(report.task());
  fields["task_number"].set_number_value(task.number());
  fields["task_text"] = Text(task.text());
  fields["period_id"] = Text(report.period_id());
  fields["summary"] = Text(report.summary());
  fields["lead_unit_code"] = Text(task.lead_unit());
  auto* co_units = fields["co_unit_codes"].mutable_list_value();
  for (const auto& unit : task.co_units()) *co_units->add_values() = Text(unit);
  fields["revision"].set_number_value(report.revision());
  fields["reviewed_by"] = Text(report.reviewed_by());
  // The etag grows with every write, so name + etag names this acceptance.
  return exchange::OutboxEntry(kSource, "task_report.accepted",
                               absl::StrCat(report.name(), "@", report.etag()), accepted_time,
                               data);
}

}  // namespace vetrack::tasks
