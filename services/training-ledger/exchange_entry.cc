#include "exchange_entry.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "exchange/outbox.h"

namespace vetrack::ledger {
namespace {

using exchange::EnumWord;
using exchange::NumberValue;
using exchange::TextValue;
using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;

constexpr char kSource[] = "training-ledger";

// Amounts are integers far below 2^53, so a JSON number holds them exactly.
google::protobuf::Value Totals(const v1::TrainingTotals& totals) {
  google::protobuf::Value value;
  auto& fields = *value.mutable_struct_value()->mutable_fields();
  fields["records"] = NumberValue(static_cast<double>(totals.records()));
  fields["person_times"] = NumberValue(static_cast<double>(totals.person_times()));
  fields["trainee_hours"] = NumberValue(static_cast<double>(totals.trainee_hours()));
  fields["income_fen"] = NumberValue(static_cast<double>(totals.income_fen()));
  fields["certificates"] = NumberValue(static_cast<double>(totals.certificates()));
  return value;
}

std::string ComplianceWord(v1::Compliance compliance) {
  return EnumWord(v1::Compliance_Name(compliance), "COMPLIANCE_");
}

// The money and workload figures both a line and the district carry.
template <typename Statement>
void SetAccounting(const Statement& statement, Fields* fields) {
  (*fields)["totals"] = Totals(statement.totals());
  (*fields)["subsidised"] = Totals(statement.subsidised());
  (*fields)["enrolled_students"] = NumberValue(static_cast<double>(statement.enrolled_students()));
  (*fields)["required_person_times"] =
      NumberValue(static_cast<double>(statement.required_person_times()));
  (*fields)["counted_person_times"] =
      NumberValue(static_cast<double>(statement.counted_person_times()));
  (*fields)["skills_training_income_fen"] =
      NumberValue(static_cast<double>(statement.skills_training_income_fen()));
  (*fields)["compliance"] = TextValue(ComplianceWord(statement.compliance()));
  (*fields)["performance_pay_uplift_fen"] =
      NumberValue(static_cast<double>(statement.performance_pay_uplift_fen()));
  (*fields)["public_funds_fen"] = NumberValue(static_cast<double>(statement.public_funds_fen()));
  (*fields)["workload_fte"] = TextValue(statement.workload_fte());
  auto* notes = (*fields)["notes"].mutable_list_value();
  for (const auto& note : statement.notes()) *notes->add_values() = TextValue(note);
}

google::protobuf::Value InstitutionLine(const v1::TrainingStatement& line,
                                        const v1::InstitutionIdentity& identity) {
  google::protobuf::Value value;
  google::protobuf::Struct& data = *value.mutable_struct_value();
  exchange::SetInstitutionFields(line.institution_code(), identity.display_name(),
                                 identity.school_id_code(), identity.credit_code(), &data);
  Fields& fields = *data.mutable_fields();
  SetAccounting(line, &fields);
  fields["enrolment_status"] =
      TextValue(EnumWord(v1::EnrolmentStatus_Name(line.enrolment_status()), "ENROLMENT_STATUS_"));
  fields["enrolment_period_id"] = TextValue(line.enrolment_period_id());
  fields["person_times_ratio"] = TextValue(line.person_times_ratio());
  return value;
}

void SetPolicy(const v1::DistrictTrainingStatement& statement, Fields* fields) {
  if (!statement.has_policy()) return;
  auto& policy = *(*fields)["policy"].mutable_struct_value()->mutable_fields();
  policy["version"] = NumberValue(statement.policy().version());
  policy["performance_pay_uplift_rate"] =
      TextValue(statement.policy().performance_pay_uplift_rate());
  policy["public_funds_share"] = TextValue(statement.policy().public_funds_share());
  policy["fte_per_training_hour"] = TextValue(statement.policy().fte_per_training_hour());
}

void SetBreakdowns(const v1::DistrictTrainingStatement& statement, Fields* fields) {
  auto* programmes = (*fields)["by_programme"].mutable_list_value();
  for (const auto& row : statement.by_programme()) {
    auto& entry = *programmes->add_values()->mutable_struct_value()->mutable_fields();
    entry["programme"] =
        TextValue(EnumWord(v1::ProgrammeType_Name(row.programme()), "PROGRAMME_TYPE_"));
    entry["totals"] = Totals(row.totals());
  }
  auto* groups = (*fields)["by_target_group"].mutable_list_value();
  for (const auto& row : statement.by_target_group()) {
    auto& entry = *groups->add_values()->mutable_struct_value()->mutable_fields();
    entry["target_group"] =
        TextValue(EnumWord(v1::TargetGroup_Name(row.target_group()), "TARGET_GROUP_"));
    entry["totals"] = Totals(row.totals());
  }
}

}  // namespace

std::string PublishedStatementEntry(const v1::PublishedTrainingStatement& published) {
  const v1::DistrictTrainingStatement& statement = published.statement();
  google::protobuf::Struct data;
  Fields& fields = *data.mutable_fields();
  fields["statement"] = TextValue(published.name());
  fields["year"] = NumberValue(published.year());
  fields["revision"] = NumberValue(published.revision());
  fields["published_by"] = TextValue(published.published_by());
  SetAccounting(statement, &fields);
  fields["institutions_met"] = NumberValue(statement.institutions_met());
  fields["institutions_not_met"] = NumberValue(statement.institutions_not_met());
  fields["institutions_unknown"] = NumberValue(statement.institutions_unknown());
  SetPolicy(statement, &fields);
  SetBreakdowns(statement, &fields);
  std::map<std::string, const v1::InstitutionIdentity*> identities;
  for (const auto& identity : published.institutions()) {
    identities[identity.institution_code()] = &identity;
  }
  const v1::InstitutionIdentity unknown;
  auto* lines = fields["institutions"].mutable_list_value();
  for (const auto& line : statement.institutions()) {
    auto identity = identities.find(line.institution_code());
    *lines->add_values() =
        InstitutionLine(line, identity == identities.end() ? unknown : *identity->second);
  }
  return exchange::OutboxEntry(kSource, "training_statement.published",
                               absl::StrCat(published.name(), "@", published.revision()),
                               TimeFromProto(published.publish_time()), data);
}

}  // namespace vetrack::ledger
