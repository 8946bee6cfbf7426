#include "exchange_entry.h"

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"

namespace vetrack::tasks {
namespace {

constexpr char kSource[] = "task-registry";

}  // namespace

std::string TaskRegistryOutboxKey() { return exchange::OutboxKey(kSource); }

std::string AcceptedReportEntry(const v1::Task& task, const v1::TaskReport& report,
                                absl::Time accepted_time) {
  using exchange::TextValue;
  google::protobuf::Struct data;
  auto& fields = *data.mutable_fields();
  fields["task"] = TextValue(report.task());
  fields["task_number"].set_number_value(task.number());
  fields["task_text"] = TextValue(task.text());
  fields["period_id"] = TextValue(report.period_id());
  fields["summary"] = TextValue(report.summary());
  fields["lead_unit_code"] = TextValue(task.lead_unit());
  auto* co_units = fields["co_unit_codes"].mutable_list_value();
  for (const auto& unit : task.co_units()) *co_units->add_values() = TextValue(unit);
  fields["revision"].set_number_value(report.revision());
  fields["reviewed_by"] = TextValue(report.reviewed_by());
  // The etag grows with every write, so name + etag names this acceptance.
  return exchange::OutboxEntry(kSource, "task_report.accepted",
                               absl::StrCat(report.name(), "@", report.etag()), accepted_time,
                               data);
}

}  // namespace vetrack::tasks
