#include "exchange_entry.h"

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"

namespace vetrack::schools {
namespace {

constexpr char kSource[] = "school-reporting";

google::protobuf::Value Text(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  return value;
}

// "MAJOR_STATUS_NEW" -> "NEW": the status words the schema documents.
std::string StatusWord(v1::MajorStatus status) {
  const std::string& name = v1::MajorStatus_Name(status);
  const std::string prefix = "MAJOR_STATUS_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

}  // namespace

std::string SchoolReportingOutboxKey() { return exchange::OutboxKey(kSource); }

std::string AcceptedDataReportEntry(const v1::Institution& institution,
                                    const v1::DataReport& report,
                                    const v1::DataReport& revision, absl::Time accepted_time) {
  google::protobuf::Struct data;
  auto& fields = *data.mutable_fields();
  fields["institution_code"] = Text(institution.code());
  fields["institution_name"] = Text(institution.display_name());
  fields["school_id_code"] = Text(institution.school_id_code());
  fields["credit_code"] = Text(institution.credit_code());
  fields["period_id"] = Text(report.period_id());
  fields["revision"].set_number_value(revision.revision());
  auto& counts = *fields["counts"].mutable_struct_value()->mutable_fields();
  for (const auto& [item, count] : revision.counts()) {
    counts[item].set_number_value(static_cast<double>(count));
  }
  auto* majors = fields["majors"].mutable_list_value();
  for (const auto& major : revision.majors()) {
    google::protobuf::Struct entry;
    (*entry.mutable_fields())["catalog_code"] = Text(major.catalog_code());
    (*entry.mutable_fields())["name"] = Text(major.display_name());
    (*entry.mutable_fields())["status"] = Text(StatusWord(major.status()));
    *majors->add_values()->mutable_struct_value() = entry;
  }
  fields["reviewed_by"] = Text(report.reviewed_by());
  // The etag grows with every write, so name + etag names this acceptance.
  return exchange::OutboxEntry(kSource, "data_report.accepted",
                               absl::StrCat(report.name(), "@", report.etag()), accepted_time,
                               data);
}

}  // namespace vetrack::schools
