#include "exchange_entry.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clock/timestamp.h"
#include "exchange/outbox.h"

namespace vetrack::evaluation {
namespace {

using exchange::EnumWord;
using exchange::NumberValue;
using exchange::TextValue;
using exchange::TimeText;
using Fields = google::protobuf::Map<std::string, google::protobuf::Value>;
// An institution's name and national codes, by code: the codes from school
// reporting at finalisation, the name as the round froze it at creation (as
// its CSV export shows it), else school reporting's.
struct Directory {
  std::map<std::string, const Institution*> institutions;
  const google::protobuf::Map<std::string, std::string>* frozen_names;
};

constexpr char kSource[] = "evaluation";
constexpr char kInstitutionScopePrefix[] = "institution:";

// The four institution fields, the national codes where school reporting
// has them (an institution it does not know keeps only its code, and the
// name the round froze, if any).
void SetInstitution(const std::string& code, const Directory& directory,
                    google::protobuf::Struct* data) {
  auto frozen = directory.frozen_names->find(code);
  auto found = directory.institutions.find(code);
  std::string name = frozen != directory.frozen_names->end() ? frozen->second : "";
  if (found == directory.institutions.end()) {
    exchange::SetInstitutionFields(code, name, "", "", data);
    return;
  }
  const Institution& i = *found->second;
  if (name.empty()) name = i.display_name;
  exchange::SetInstitutionFields(code, name, i.school_id_code, i.credit_code, data);
}

google::protobuf::Value Target(const v1::Target& target) {
  google::protobuf::Value value;
  auto& fields = *value.mutable_struct_value()->mutable_fields();
  fields["comparator"] =
      TextValue(EnumWord(v1::Comparator_Name(target.comparator()), "COMPARATOR_"));
  fields["value"] = NumberValue(target.value());
  if (target.comparator() == v1::COMPARATOR_BETWEEN) fields["upper"] = NumberValue(target.upper());
  return value;
}

google::protobuf::Value Result(const v1::Result& result, const Directory& directory) {
  google::protobuf::Value value;
  google::protobuf::Struct& data = *value.mutable_struct_value();
  Fields& fields = *data.mutable_fields();
  if (result.scope() == v1::SCOPE_INSTITUTION) {
    absl::string_view code = result.scope_key();
    absl::ConsumePrefix(&code, kInstitutionScopePrefix);
    SetInstitution(std::string(code), directory, &data);
  }
  fields["indicator"] = TextValue(result.indicator());
  fields["year"] = NumberValue(result.year());
  fields["scope"] = TextValue(EnumWord(v1::Scope_Name(result.scope()), "SCOPE_"));
  fields["scope_key"] = TextValue(result.scope_key());
  fields["has_value"].set_bool_value(result.has_value());
  if (result.has_value()) {
    fields["value"] = NumberValue(result.value());
    fields["gap"] = NumberValue(result.gap());
  }
  if (result.has_projection()) fields["projected_value"] = NumberValue(result.projected_value());
  fields["unit"] = TextValue(result.unit());
  fields["target"] = Target(result.target());
  fields["status"] = TextValue(EnumWord(v1::ResultStatus_Name(result.status()), "RESULT_STATUS_"));
  fields["rule"] = TextValue(result.rule());
  auto* sources = fields["sources"].mutable_list_value();
  for (const auto& source : result.sources()) {
    auto& entry = *sources->add_values()->mutable_struct_value()->mutable_fields();
    entry["ref"] = TextValue(source.ref());
    entry["institution_code"] = TextValue(source.institution());
    entry["value"] = NumberValue(source.value());
    entry["origin"] = TextValue(source.origin());
  }
  return value;
}

google::protobuf::Value Standing(const v1::Round& round, const v1::Standing& standing,
                                 const Directory& directory) {
  google::protobuf::Value value;
  google::protobuf::Struct& data = *value.mutable_struct_value();
  Fields& fields = *data.mutable_fields();
  if (round.subject_kind() == v1::SUBJECT_KIND_INSTITUTION) {
    SetInstitution(standing.subject(), directory, &data);
  } else if (auto name = round.subject_names().find(standing.subject());
             name != round.subject_names().end()) {
    fields["unit_name"] = TextValue(name->second);
  }
  fields["subject"] = TextValue(standing.subject());
  fields["rank"] = NumberValue(standing.rank());
  fields["composite"] = NumberValue(standing.composite());
  auto& scores = *fields["scores"].mutable_struct_value()->mutable_fields();
  for (const auto& score : round.scores()) {
    if (score.subject() == standing.subject())
      scores[score.dimension()] = NumberValue(score.score());
  }
  return value;
}

}  // namespace

std::string EvaluationOutboxKey() { return exchange::OutboxKey(kSource); }

std::string FinalizedRoundEntry(const v1::Round& round,
                                const std::vector<Institution>& institutions) {
  Directory directory{{}, &round.subject_names()};
  for (const auto& institution : institutions) {
    directory.institutions[institution.code] = &institution;
  }
  google::protobuf::Struct data;
  Fields& fields = *data.mutable_fields();
  fields["round"] = TextValue(round.name());
  fields["title"] = TextValue(round.title());
  fields["year"] = NumberValue(round.year());
  fields["subject_kind"] =
      TextValue(EnumWord(v1::SubjectKind_Name(round.subject_kind()), "SUBJECT_KIND_"));
  fields["snapshot_time"] = TextValue(TimeText(TimeFromProto(round.create_time())));
  fields["finalized_by"] = TextValue(round.finalized_by());
  auto* dimensions = fields["dimensions"].mutable_list_value();
  for (const auto& dimension : round.dimensions()) {
    auto& entry = *dimensions->add_values()->mutable_struct_value()->mutable_fields();
    entry["id"] = TextValue(dimension.id());
    entry["title"] = TextValue(dimension.title());
    entry["weight_bp"] = NumberValue(dimension.weight_bp());
  }
  auto* standings = fields["standings"].mutable_list_value();
  for (const auto& standing : round.standings()) {
    *standings->add_values() = Standing(round, standing, directory);
  }
  auto* results = fields["results"].mutable_list_value();
  for (const auto& result : round.snapshot()) *results->add_values() = Result(result, directory);
  // A final round never changes again, so its etag names this finalisation.
  return exchange::OutboxEntry(kSource, "evaluation_round.finalized",
                               absl::StrCat(round.name(), "@", round.etag()),
                               TimeFromProto(round.finalize_time()), data);
}

}  // namespace vetrack::evaluation
