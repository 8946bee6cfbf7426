#include "ledger_views.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "enum_labels.h"
#include "ledger_csv.h"
#include "output.h"
#include "rpc/resource_name.h"

namespace vetrack::vetctl {
namespace {

std::string Programme(ledger_v1::ProgrammeType programme) {
  return absl::StrCat(EnumLabel(ledger_v1::ProgrammeType_descriptor(), programme), " ",
                      ProgrammeWords(programme));
}

std::string Group(ledger_v1::TargetGroup group) {
  return absl::StrCat(EnumLabel(ledger_v1::TargetGroup_descriptor(), group), " ",
                      TargetGroupWords(group));
}

// The last segment of a resource name: the record id.

std::vector<std::string> TotalsCells(const ledger_v1::TrainingTotals& t) {
  return {std::to_string(t.records()), std::to_string(t.person_times()),
          std::to_string(t.trainee_hours()), FormatYuan(t.income_fen()),
          std::to_string(t.certificates())};
}

void PrintBreakdowns(
    std::ostream& out,
    const google::protobuf::RepeatedPtrField<ledger_v1::ProgrammeTotals>& programmes,
    const google::protobuf::RepeatedPtrField<ledger_v1::TargetGroupTotals>& groups) {
  Table by_programme({"PROGRAMME", "RECORDS", "PERSON-TIMES", "HOURS", "INCOME (元)", "CERTS"});
  for (const auto& row : programmes) {
    std::vector<std::string> cells = {Programme(row.programme())};
    for (auto& cell : TotalsCells(row.totals())) cells.push_back(std::move(cell));
    by_programme.AddRow(std::move(cells));
  }
  out << "\n";
  by_programme.Print(out);
  Table by_group({"TARGET GROUP", "RECORDS", "PERSON-TIMES", "HOURS", "INCOME (元)", "CERTS"});
  for (const auto& row : groups) {
    std::vector<std::string> cells = {Group(row.target_group())};
    for (auto& cell : TotalsCells(row.totals())) cells.push_back(std::move(cell));
    by_group.AddRow(std::move(cells));
  }
  out << "\n";
  by_group.Print(out);
}

std::string PolicyLine(const ledger_v1::AccountingPolicy& policy) {
  if (policy.name().empty()) return "none set";
  return absl::StrCat("uplift ", policy.performance_pay_uplift_rate(), ", public funds ",
                      policy.public_funds_share(), ", FTE per hour ",
                      policy.fte_per_training_hour(), " (version ", policy.version(), ")");
}

std::string ComplianceLabel(ledger_v1::Compliance compliance) {
  return EnumLabel(ledger_v1::Compliance_descriptor(), compliance);
}

void PrintNotes(std::ostream& out, const google::protobuf::RepeatedPtrField<std::string>& notes) {
  for (const std::string& note : notes) out << "note: " << note << "\n";
}

}  // namespace

void PrintTrainingRecord(std::ostream& out, const ledger_v1::TrainingRecord& r) {
  PrintField(out, "Record", r.name());
  if (!r.reverses().empty()) {
    PrintField(out, "Reverses", r.reverses());
    PrintField(out, "Reason", r.reversal_reason());
  }
  PrintField(out, "Date", r.date());
  PrintField(out, "Programme", Programme(r.programme()));
  PrintField(out, "Target group", Group(r.target_group()));
  PrintField(out, "Subsidised", YesNo(r.subsidised()));
  PrintField(out, "Trainees", absl::StrCat(r.trainees(), " × ", r.hours_per_trainee(), " h"));
  PrintField(out, "Income", absl::StrCat(FormatYuan(r.income_fen()), " 元"));
  PrintField(out, "Certificates", std::to_string(r.certificates()));
  PrintField(out, "Description", r.description());
  PrintField(out, "Recorded", absl::StrCat(r.recorded_by(), ", ", FormatDateTime(r.record_time())));
  if (!r.reversed_by().empty()) PrintField(out, "Reversed by", r.reversed_by());
}

void PrintTrainingRecords(std::ostream& out, const ledger_v1::ListTrainingRecordsResponse& list) {
  Table table({"ID", "DATE", "PROGRAMME", "GROUP", "SUBS", "TRAINEES", "HOURS", "INCOME (元)",
               "CERTS", "NOTE"});
  for (const auto& r : list.training_records()) {
    std::string note;
    std::string sign;
    if (!r.reverses().empty()) {
      note = absl::StrCat("reverses ", ResourceIdOf(r.reverses()));
      sign = "-";
    } else if (!r.reversed_by().empty()) {
      note = absl::StrCat("reversed by ", ResourceIdOf(r.reversed_by()));
    }
    // A reversal counts negatively; zero stays zero.
    auto signed_count = [&sign](int64_t n) { return (n == 0 ? "" : sign) + std::to_string(n); };
    table.AddRow(
        {r.record_id(), r.date(), EnumLabel(ledger_v1::ProgrammeType_descriptor(), r.programme()),
         EnumLabel(ledger_v1::TargetGroup_descriptor(), r.target_group()), YesNo(r.subsidised()),
         signed_count(r.trainees()), std::to_string(r.hours_per_trainee()),
         (r.income_fen() == 0 ? "" : sign) + FormatYuan(r.income_fen()),
         signed_count(r.certificates()), note});
  }
  table.Print(out);
  out << list.training_records_size() << " record(s)\n";
}

void PrintStatement(std::ostream& out, const ledger_v1::TrainingStatement& s) {
  PrintField(out, "Institution", s.institution_code());
  PrintField(out, "Year", std::to_string(s.year()));
  PrintField(out, "Person-times",
             absl::StrCat(s.totals().person_times(), " in ", s.totals().records(), " record(s), ",
                          s.subsidised().person_times(), " subsidised"));
  if (s.enrolment_status() == ledger_v1::ENROLMENT_STATUS_REPORTED) {
    PrintField(out, "Enrolled",
               absl::StrCat(s.enrolled_students(), " (", s.enrolment_period_id(), ", revision ",
                            s.enrolment_revision(), ")"));
    PrintField(out, "Required", absl::StrCat(s.required_person_times(), " (2 × enrolled)"));
    if (s.has_counted_person_times()) {
      PrintField(out, "Counted", absl::StrCat(s.counted_person_times(), " (not 职业体验活动)"));
    }
    PrintField(out, "Ratio", s.person_times_ratio());
  } else {
    PrintField(out, "Enrolled",
               EnumLabel(ledger_v1::EnrolmentStatus_descriptor(), s.enrolment_status()));
  }
  PrintField(out, "Compliance", ComplianceLabel(s.compliance()));
  PrintField(out, "Income", absl::StrCat(FormatYuan(s.totals().income_fen()), " 元"));
  PrintField(out, "Policy", PolicyLine(s.policy()));
  PrintField(out, "Pay uplift",
             absl::StrCat(FormatYuan(s.performance_pay_uplift_fen()), " 元 on ",
                          FormatYuan(s.skills_training_income_fen()), " 元 of 职业技能培训"));
  PrintField(out, "Public funds", absl::StrCat(FormatYuan(s.public_funds_fen()), " 元"));
  PrintField(out, "Workload FTE", s.workload_fte());
  PrintNotes(out, s.notes());
  PrintBreakdowns(out, s.by_programme(), s.by_target_group());
}

void PrintDistrictStatement(std::ostream& out, const ledger_v1::DistrictTrainingStatement& d) {
  Table table({"INSTITUTION", "PERSON-TIMES", "COUNTED", "ENROLLED", "REQUIRED", "RATIO",
               "COMPLIANCE", "INCOME (元)", "UPLIFT (元)", "PUBLIC (元)", "FTE"});
  for (const auto& s : d.institutions()) {
    const bool reported = s.enrolment_status() == ledger_v1::ENROLMENT_STATUS_REPORTED;
    table.AddRow({s.institution_code(), std::to_string(s.totals().person_times()),
                  s.has_counted_person_times() ? std::to_string(s.counted_person_times()) : "",
                  reported
                      ? absl::StrCat(s.enrolled_students(), " ", s.enrolment_period_id())
                      : EnumLabel(ledger_v1::EnrolmentStatus_descriptor(), s.enrolment_status()),
                  reported ? std::to_string(s.required_person_times()) : "", s.person_times_ratio(),
                  ComplianceLabel(s.compliance()), FormatYuan(s.totals().income_fen()),
                  FormatYuan(s.performance_pay_uplift_fen()), FormatYuan(s.public_funds_fen()),
                  s.workload_fte()});
  }
  table.AddRow({"district", std::to_string(d.totals().person_times()),
                std::to_string(d.counted_person_times()), std::to_string(d.enrolled_students()),
                std::to_string(d.required_person_times()), "", ComplianceLabel(d.compliance()),
                FormatYuan(d.totals().income_fen()), FormatYuan(d.performance_pay_uplift_fen()),
                FormatYuan(d.public_funds_fen()), d.workload_fte()});
  PrintField(out, "Year", std::to_string(d.year()));
  PrintField(out, "Policy", PolicyLine(d.policy()));
  PrintField(out, "Institutions",
             absl::StrCat(d.institutions_met(), " met, ", d.institutions_not_met(), " not met, ",
                          d.institutions_unknown(), " unknown"));
  PrintNotes(out, d.notes());
  out << "\n";
  table.Print(out);
  PrintBreakdowns(out, d.by_programme(), d.by_target_group());
}

void PrintPublishedStatement(std::ostream& out, const ledger_v1::PublishedTrainingStatement& p) {
  PrintField(out, "Published", absl::StrCat(p.name(), " revision ", p.revision()));
  PrintField(out, "By", absl::StrCat(p.published_by(), ", ", FormatDateTime(p.publish_time())));
  Table codes({"INSTITUTION", "NAME", "学校标识码", "统一社会信用代码"});
  for (const auto& i : p.institutions()) {
    codes.AddRow({i.institution_code(), i.display_name(), i.school_id_code(), i.credit_code()});
  }
  out << "\n";
  codes.Print(out);
  out << "\n";
  PrintDistrictStatement(out, p.statement());
}

void PrintPolicy(std::ostream& out, const ledger_v1::AccountingPolicy& p) {
  PrintField(out, "Policy", p.name());
  PrintField(out, "Uplift rate", p.performance_pay_uplift_rate());
  PrintField(out, "Public share", p.public_funds_share());
  PrintField(out, "FTE per hour", p.fte_per_training_hour());
  PrintField(out, "Note", p.note());
  PrintField(out, "Version", absl::StrCat(p.version(), " (etag ", p.etag(), ")"));
  PrintField(out, "Set", absl::StrCat(p.set_by(), ", ", FormatDateTime(p.set_time())));
}

void PrintPolicyVersions(std::ostream& out,
                         const ledger_v1::ListAccountingPolicyVersionsResponse& versions) {
  Table table({"VERSION", "UPLIFT", "PUBLIC", "FTE/HOUR", "SET BY", "SET AT", "NOTE"});
  for (const auto& p : versions.policies()) {
    table.AddRow({std::to_string(p.version()), p.performance_pay_uplift_rate(),
                  p.public_funds_share(), p.fte_per_training_hour(), p.set_by(),
                  FormatDateTime(p.set_time()), p.note()});
  }
  table.Print(out);
}

void PrintImportResult(std::ostream& out, const ledger_v1::ImportTrainingRecordsResponse& result) {
  PrintField(out, "Rows",
             absl::StrCat(result.rows_received(), " read: ", result.records_created(), " created, ",
                          result.records_unchanged(), " already recorded, ", result.rows_rejected(),
                          " rejected"));
  for (const auto& error : result.errors()) {
    std::vector<std::string> reasons;
    for (const auto& problem : error.problems()) {
      reasons.push_back(absl::StrCat(problem.field(), ": ", problem.description()));
    }
    if (reasons.empty()) reasons.push_back(error.message());
    out << "line " << error.line()
        << (error.record_id().empty() ? "" : " (" + error.record_id() + ")") << ": "
        << absl::StrJoin(reasons, "; ") << "\n";
  }
  if (result.rows_rejected() > result.errors_size()) {
    out << "… and " << result.rows_rejected() - result.errors_size() << " more rejected row(s)\n";
  }
}

}  // namespace vetrack::vetctl
