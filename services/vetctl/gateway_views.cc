#include "gateway_views.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "enum_labels.h"
#include "evaluation_commands.h"
#include "output.h"
#include "rpc/resource_name.h"
#include "views.h"

namespace vetrack::vetctl {
namespace {

namespace tasks = ::vetrack::tasks::v1;
namespace schools = ::vetrack::schools::v1;
namespace ev = ::vetrack::evaluation::v1;

// A partial view says so first, with what is missing and why.
template <typename View>
void PrintMissing(std::ostream& out, const View& view) {
  if (!view.partial()) return;
  out << "PARTIAL: some sections could not be shown\n";
  for (const auto& e : view.section_errors()) {
    out << "  missing " << e.section() << ": " << e.code() << ": " << e.message() << "\n";
  }
  out << "\n";
}

// Whether the view names `section` among those it could not fill.
template <typename View>
bool Missing(const View& view, const std::string& section) {
  return std::find(view.missing_sections().begin(), view.missing_sections().end(), section) !=
         view.missing_sections().end();
}

// Which year the results are of, said above them: a profile's training
// figures are of another year (found in use: this year's person-times read
// beside last year's ratio, neither labelled).
void PrintIndicators(std::ostream& out, int year,
                     const google::protobuf::RepeatedPtrField<gw::IndicatorStatus>& indicators) {
  out << "indicators, results of " << year << ":\n";
  Table table({"INDICATOR", "TITLE", "SCOPE", "VALUE", "STATUS"});
  for (const auto& i : indicators) {
    if (i.results().empty()) {
      std::vector<std::string> counts;
      for (const auto& c : i.institution_results_by_status()) {
        counts.push_back(
            absl::StrCat(EnumLabel(ev::ResultStatus_descriptor(), c.status()), " ", c.results()));
      }
      table.AddRow({ResourceIdOf(i.indicator()), i.title(), counts.empty() ? "" : "institutions",
                    "", absl::StrJoin(counts, ", ")});
      continue;
    }
    for (const auto& r : i.results()) {
      table.AddRow({ResourceIdOf(i.indicator()), i.title(), r.scope_key(), ValueText(r),
                    EnumLabel(ev::ResultStatus_descriptor(), r.status())});
    }
  }
  table.Print(out);
}

}  // namespace

void PrintOverview(std::ostream& out, const gw::DistrictOverview& view) {
  PrintMissing(out, view);
  PrintField(out, "period", view.period_id());
  std::vector<std::string> states;
  for (const auto& c : view.tasks_by_report_state()) {
    std::string label = EnumLabel(tasks::ReportState_descriptor(), c.state());
    states.push_back(absl::StrCat(label == "-" ? "no report" : label, " ", c.tasks()));
  }
  if (view.tasks_completed() > 0)
    states.push_back(absl::StrCat("completed ", view.tasks_completed()));
  if (view.tasks_report_hidden() > 0)
    states.push_back(absl::StrCat("not yours to see ", view.tasks_report_hidden()));
  PrintField(out, "tasks", absl::StrJoin(states, ", "));
  std::vector<std::string> levels;
  for (const auto& c : view.escalations_by_level()) {
    std::string level = absl::StrCat(EnumLabel(tasks::EscalationLevel_descriptor(), c.level()), " ",
                                     c.escalations());
    if (c.with_notice() > 0) {
      absl::StrAppend(&level, " (督办 ", c.with_notice(), ", unanswered ", c.notice_unanswered(),
                      ")");
    }
    levels.push_back(std::move(level));
  }
  PrintField(out, "escalations", absl::StrJoin(levels, ", "));
  std::vector<std::string> results;
  for (const auto& c : view.results_by_status()) {
    results.push_back(
        absl::StrCat(EnumLabel(ev::ResultStatus_descriptor(), c.status()), " ", c.results()));
  }
  PrintField(out, absl::StrCat("results ", view.year()), absl::StrJoin(results, ", "));
  out << "\n";
  Table tasks_table({"TASK", "LEAD", "REPORT", "ESCALATION"});
  for (const auto& t : view.tasks()) {
    tasks_table.AddRow({absl::StrCat(t.number()), t.lead_unit(),
                        t.report_hidden()
                            ? "(hidden)"
                            : EnumLabel(tasks::ReportState_descriptor(), t.report_state()),
                        EnumLabel(tasks::EscalationLevel_descriptor(), t.escalation_level())});
  }
  tasks_table.Print(out);
  out << "\n";
  Table institutions({"INSTITUTION", "NAME", view.data_period_id(), view.quality_period_id()});
  for (const auto& i : view.institutions()) {
    institutions.AddRow(
        {ResourceIdOf(i.institution()), i.display_name(),
         absl::StrCat(EnumLabel(schools::ReportState_descriptor(), i.data_report_state()),
                      i.data_report_late() ? " (late)" : ""),
         EnumLabel(schools::ReportState_descriptor(), i.quality_report_state())});
  }
  institutions.Print(out);
  out << "\n";
  PrintIndicators(out, view.year(), view.indicators());
}

void PrintWorkbench(std::ostream& out, const gw::DepartmentWorkbench& view) {
  PrintMissing(out, view);
  PrintField(out, "unit", ResourceIdOf(view.unit()));
  PrintField(out, "period", view.period_id());
  PrintField(out, "owed", absl::StrCat(view.owed()));
  out << "\n";
  Table table({"TASK", "ROLE", "LEAD", "REPORT", "FILED", "OWES"});
  for (const auto& t : view.tasks()) {
    table.AddRow({absl::StrCat(t.number()),
                  EnumLabel(tasks::ResponsibilityRole_descriptor(), t.role()), t.lead_unit(),
                  t.report_hidden() ? "(hidden)"
                                    : EnumLabel(tasks::ReportState_descriptor(), t.report_state()),
                  YesNo(t.progress_filed()),
                  t.completed_before_period() ? "(completed)" : absl::StrJoin(t.owed(), ", ")});
  }
  table.Print(out);
  if (!view.escalations().empty()) {
    out << "\n";
    Table escalations({"TASK", "PERIOD", "LEVEL", "OWED", "REASON", "督办"});
    for (const auto& e : view.escalations()) {
      escalations.AddRow({absl::StrCat(e.task_number()), e.period_id(),
                          EnumLabel(tasks::EscalationLevel_descriptor(), e.level()), e.owed(),
                          e.reason(), NoticeCell(e)});
    }
    escalations.Print(out);
  }
  if (!view.indicators().empty()) {
    out << "\n";
    PrintIndicators(out, view.year(), view.indicators());
  }
}

void PrintDossier(std::ostream& out, const gw::TaskDossier& view) {
  PrintMissing(out, view);
  if (view.has_task()) {
    PrintField(out, "task", absl::StrCat(view.task().number(), "  ", view.task().section_code()));
    PrintField(out, "lead", view.task().lead_unit());
    PrintField(out, "co-units", absl::StrJoin(view.task().co_units(), ", "));
    if (!view.task().completed_period_id().empty()) {
      PrintField(out, "completed", view.task().completed_period_id());
    }
    PrintText(out, "text", view.task().text());
  }
  PrintField(out, "period", view.period_id());
  // A section the gateway could not fill is unknown, not empty (found in
  // use: with the registry down it read "report: none").
  const char* kUnknown = "unknown (not read; see PARTIAL above)";
  PrintField(out, "report",
             view.has_report() ? EnumLabel(tasks::ReportState_descriptor(), view.report().state())
             : Missing(view, "report") ? kUnknown
                                       : "none");
  PrintField(out, "co-units not filed",
             Missing(view, "progress") ? kUnknown : absl::StrJoin(view.missing_units(), ", "));
  out << "\n";
  Table progress({"UNIT", "STATUS", "FILED", "NARRATIVE"});
  for (const auto& p : view.progress()) {
    progress.AddRow({p.unit(), EnumLabel(tasks::ProgressStatus_descriptor(), p.status()),
                     FormatDateTime(p.filed_time()), p.narrative()});
  }
  progress.Print(out);
  out << "\n";
  Table history({"TIME", "ACTOR", "ACTION", "PERIOD", "DETAIL"});
  for (const auto& h : view.history()) {
    history.AddRow({FormatDateTime(h.time()), h.actor(), h.action(), h.period_id(), h.detail()});
  }
  history.Print(out);
  if (!view.indicators().empty()) {
    out << "\n";
    PrintIndicators(out, view.year(), view.indicators());
  }
}

void PrintProfile(std::ostream& out, const gw::InstitutionProfile& view) {
  PrintMissing(out, view);
  PrintField(out, "institution",
             absl::StrCat(view.institution().code(), "  ", view.institution().display_name()));
  PrintField(out, absl::StrCat("data ", view.data_period_id()),
             view.has_data_report()
                 ? EnumLabel(schools::ReportState_descriptor(), view.data_report().state())
                 : "none");
  PrintField(out, absl::StrCat("quality ", view.quality_period_id()),
             view.has_quality_report()
                 ? EnumLabel(schools::ReportState_descriptor(), view.quality_report().state())
                 : "none");
  if (view.has_training()) {
    PrintField(out, absl::StrCat("training ", view.training_year()),
               absl::StrCat(view.training().totals().person_times(), " person-times, ",
                            view.training().totals().records(), " records"));
  }
  if (view.has_round()) {
    PrintField(
        out, "standing",
        absl::StrCat(ResourceIdOf(view.round().round()), ": rank ", view.round().standing().rank(),
                     " of ", view.round().subjects(), ", composite ",
                     absl::StrFormat("%.2f", view.round().standing().composite())));
  }
  if (!view.indicators().empty()) {
    out << "\n";
    PrintIndicators(out, view.year(), view.indicators());
  }
}

void PrintAuditEntries(std::ostream& out, const gw::ListAuditEntriesResponse& entries) {
  Table table(
      {"SEQ", "TIME", "KIND", "PRINCIPAL", "HOLDER", "METHOD", "RESOURCE", "REQUEST", "CODE"});
  for (const auto& e : entries.entries()) {
    // An import of several institutions' rows names the first and counts the
    // others (a search by any of them finds it).
    std::string resource = e.resource();
    if (!e.other_resources().empty()) absl::StrAppend(&resource, " +", e.other_resources_size());
    table.AddRow({absl::StrCat(e.sequence()), FormatDateTime(e.time()),
                  EnumLabel(gw::AuditEntryKind_descriptor(), e.kind()), e.principal(),
                  e.holder().empty() ? "-" : e.holder(), ResourceIdOf(e.method()), resource,
                  e.request_id(), e.code()});
  }
  table.Print(out);
}

namespace {

// "coordinator (张三)": for which role and unit, and who.
std::string RevokedBy(const gw::RevokedToken& revoked) {
  if (revoked.revoked_by_holder().empty()) return revoked.revoked_by();
  return absl::StrCat(revoked.revoked_by(), " (", revoked.revoked_by_holder(), ")");
}

}  // namespace

void PrintRevokedToken(std::ostream& out, const gw::RevokedToken& revoked) {
  PrintField(out, "token", revoked.token_id());
  PrintField(out, "revoked", FormatDateTime(revoked.revoke_time()));
  PrintField(out, "by", RevokedBy(revoked));
  PrintField(out, "reason", revoked.reason());
}

void PrintRevokedTokens(std::ostream& out, const gw::ListRevokedTokensResponse& revoked) {
  Table table({"TOKEN", "REVOKED", "BY", "REASON"});
  for (const auto& r : revoked.revoked_tokens()) {
    table.AddRow({r.token_id(), FormatDateTime(r.revoke_time()), RevokedBy(r), r.reason()});
  }
  table.Print(out);
}

}  // namespace vetrack::vetctl
