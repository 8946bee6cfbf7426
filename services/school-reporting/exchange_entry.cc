#include "exchange_entry.h"

#include "absl/strings/str_cat.h"
#include "exchange/outbox.h"
#include "report_rules.h"

namespace vetrack::schools {
namespace {

using exchange::TextValue;

constexpr char kSource[] = "school-reporting";

// The etag grows with every write, so name + etag names this acceptance.
template <typename Report>
std::string ChangeId(const Report& report) {
  return absl::StrCat(report.name(), "@", report.etag());
}

void SetInstitution(const v1::Institution& institution, google::protobuf::Struct* data) {
  exchange::SetInstitutionFields(institution.code(), institution.display_name(),
                                 institution.school_id_code(), institution.credit_code(), data);
}

}  // namespace

std::string SchoolReportingOutboxKey() { return exchange::OutboxKey(kSource); }

std::string AcceptedDataReportEntry(const v1::Institution& institution,
                                    const v1::DataReport& report, const v1::DataReport& revision,
                                    absl::Time accepted_time) {
  google::protobuf::Struct data;
  SetInstitution(institution, &data);
  auto& fields = *data.mutable_fields();
  fields["period_id"] = TextValue(report.period_id());
  fields["revision"].set_number_value(revision.revision());
  fields["institution_type"] = TextValue(exchange::EnumWord(
      v1::InstitutionType_Name(SubmittedType(revision, institution.type())), "INSTITUTION_TYPE_"));
  auto& counts = *fields["counts"].mutable_struct_value()->mutable_fields();
  for (const auto& [item, count] : revision.counts()) {
    counts[item].set_number_value(static_cast<double>(count));
  }
  auto* majors = fields["majors"].mutable_list_value();
  for (const auto& major : revision.majors()) {
    auto& entry = *majors->add_values()->mutable_struct_value()->mutable_fields();
    entry["catalog_code"] = TextValue(major.catalog_code());
    entry["name"] = TextValue(major.display_name());
    entry["status"] =
        TextValue(exchange::EnumWord(v1::MajorStatus_Name(major.status()), "MAJOR_STATUS_"));
  }
  fields["reviewed_by"] = TextValue(report.reviewed_by());
  return exchange::OutboxEntry(kSource, "data_report.accepted", ChangeId(report), accepted_time,
                               data);
}

std::string AcceptedQualityReportEntry(const v1::Institution& institution,
                                       const v1::QualityReport& report,
                                       const v1::QualityReport& revision,
                                       absl::Time accepted_time) {
  google::protobuf::Struct data;
  SetInstitution(institution, &data);
  auto& fields = *data.mutable_fields();
  fields["period_id"] = TextValue(report.period_id());
  fields["revision"].set_number_value(revision.revision());
  fields["title"] = TextValue(revision.title());
  fields["document_uri"] = TextValue(revision.document_uri());
  fields["document_sha256"] = TextValue(revision.document_sha256());
  auto* figures = fields["key_figures"].mutable_list_value();
  for (const auto& figure : revision.key_figures()) {
    auto& entry = *figures->add_values()->mutable_struct_value()->mutable_fields();
    entry["key"] = TextValue(figure.key());
    entry["name"] = TextValue(figure.display_name());
    entry["value"].set_number_value(figure.value());
    entry["unit"] = TextValue(figure.unit());
  }
  fields["late"].set_bool_value(revision.late());
  fields["reviewed_by"] = TextValue(report.reviewed_by());
  return exchange::OutboxEntry(kSource, "quality_report.accepted", ChangeId(report), accepted_time,
                               data);
}

}  // namespace vetrack::schools
