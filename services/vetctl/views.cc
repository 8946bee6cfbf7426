#include "views.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "display_width.h"
#include "enum_labels.h"
#include "output.h"
#include "rpc/resource_name.h"

namespace vetrack::vetctl {
namespace {

// Wide enough to recognise a task or narrative, narrow enough for one line.
constexpr int kTextColumnWidth = 30;
constexpr int kUnitListColumnWidth = 24;

std::string Plural(int count, const std::string& noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

std::string JoinOrNone(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return items.empty() ? "none" : absl::StrJoin(items, ", ");
}

// Who did it and when, as one field: "department:edu, 2026-10-03 09:12".
std::string ByAt(const std::string& actor, const google::protobuf::Timestamp& time) {
  if (actor.empty()) return "-";
  return absl::StrCat(actor, ", ", FormatDateTime(time));
}

// How deep a section sits, to indent its title under its parent.
int SectionDepth(const std::map<std::string, std::string>& parent_of, std::string code) {
  int depth = 0;
  // The bound guards against a catalog whose parents form a cycle.
  while (depth < 16) {
    auto it = parent_of.find(code);
    if (it == parent_of.end() || it->second.empty()) break;
    code = it->second;
    ++depth;
  }
  return depth;
}

}  // namespace

void PrintImportCounts(std::ostream& out, const v1::ImportCatalogResponse& response) {
  PrintField(out, "Plan", response.plan());
  std::string tasks = absl::StrCat(response.tasks_created(), " created, ", response.tasks_updated(),
                                   " updated, ", response.tasks_unchanged(), " unchanged");
  if (response.tasks_kept_corrected() > 0) {
    absl::StrAppend(&tasks, ", ", response.tasks_kept_corrected(), " kept as corrected");
  }
  PrintField(out, "Tasks", tasks);
  PrintField(out, "Units",
             absl::StrCat(response.units_created(), " created, ", response.units_unchanged(),
                          " unchanged"));
}

void PrintUnits(std::ostream& out, const v1::ListUnitsResponse& response) {
  Table table({"CODE", "NAME", "KIND", "TYPE"});
  for (const v1::Unit& unit : response.units()) {
    table.AddRow({unit.code(), unit.display_name(),
                  EnumLabel(v1::UnitKind_descriptor(), unit.kind()),
                  EnumLabel(v1::SchoolType_descriptor(), unit.school_type())});
  }
  table.Print(out);
}

void PrintSections(std::ostream& out, const v1::ListSectionsResponse& response) {
  std::map<std::string, std::string> parent_of;
  for (const v1::Section& section : response.sections()) {
    parent_of[section.code()] = section.parent_code();
  }
  Table table({"CODE", "TITLE"});
  for (const v1::Section& section : response.sections()) {
    std::string indent(2 * SectionDepth(parent_of, section.code()), ' ');
    table.AddRow({section.code(), indent + section.title()});
  }
  table.Print(out);
}

void PrintPeriods(std::ostream& out, const v1::ListPeriodsResponse& response) {
  Table table({"ID", "START", "END", "DEADLINE"});
  for (const v1::Period& period : response.periods()) {
    // End and deadline are exclusive instants (midnight); people expect the
    // last day that still counts.
    table.AddRow({period.id(), FormatDate(period.start_time()),
                  FormatLastDayBefore(period.end_time()), FormatLastDayBefore(period.deadline())});
  }
  table.Print(out);
}

void PrintTaskTable(std::ostream& out, const v1::ListTasksResponse& response) {
  Table table({"NO", "SECTION", "LEAD", "CO-UNITS", "STATE", "TEXT"});
  for (const v1::Task& task : response.tasks()) {
    table.AddRow({absl::StrCat(task.number()), task.section_code(), task.lead_unit(),
                  TruncateToWidth(absl::StrJoin(task.co_units(), ","), kUnitListColumnWidth),
                  task.completed_before_period()
                      ? absl::StrCat("completed ", task.completed_period_id())
                  : task.report_state_hidden()
                      ? "(hidden)"
                      : EnumLabel(v1::ReportState_descriptor(), task.report_state()),
                  TruncateToWidth(SingleLine(task.text()), kTextColumnWidth)});
  }
  table.Print(out);
  out << Plural(response.tasks_size(), "task") << "\n";
}

void PrintTask(std::ostream& out, const v1::Task& task) {
  PrintField(out, "Task", absl::StrCat(task.number(), "  (", task.name(), ")"));
  PrintField(out, "Section", task.section_code());
  PrintField(out, "Lead", task.lead_unit());
  PrintField(out, "Co-units",
             JoinOrNone(task.co_units()) + (task.open_ended() ? " (等: open-ended)" : ""));
  PrintField(out, "Responsible", task.responsible_text());
  if (!task.former_units().empty()) {
    PrintField(out, "Former units",
               JoinOrNone(task.former_units()) + " (removed; their filings are kept)");
  }
  for (const auto& earlier : task.earlier_assignments()) {
    PrintField(out, "Earlier",
               absl::StrCat("before ", earlier.replaced_in_period_id(), ": ", earlier.lead_unit(),
                            " leads; co-units ", JoinOrNone(earlier.co_units())));
  }
  // Set only for a period (tasks show --period): without one it says nothing.
  if (task.report_state() != v1::REPORT_STATE_UNSPECIFIED) {
    PrintField(out, "Report state", EnumLabel(v1::ReportState_descriptor(), task.report_state()));
  }
  if (!task.completed_period_id().empty()) {
    PrintField(out, "Completed",
               absl::StrCat(task.completed_period_id(), ": later quarters owe nothing"));
  }
  PrintField(out, "Etag", task.etag());
  PrintText(out, "Text", task.text());
}

void PrintFiledProgress(std::ostream& out, const v1::Progress& progress) {
  PrintField(out, "Filed", progress.name());
  PrintField(out, "Revision", absl::StrCat(progress.revision()));
  PrintField(out, "Etag", progress.etag());
  PrintField(out, "Late", YesNo(progress.late()));
}

void PrintProgressTable(std::ostream& out, const v1::ListProgressResponse& response) {
  Table table({"UNIT", "STATUS", "REVISION", "LATE", "FILED-BY", "NARRATIVE"});
  for (const v1::Progress& progress : response.progress()) {
    table.AddRow({progress.unit(), EnumLabel(v1::ProgressStatus_descriptor(), progress.status()),
                  absl::StrCat(progress.revision()), YesNo(progress.late()), progress.filed_by(),
                  TruncateToWidth(SingleLine(progress.narrative()), kTextColumnWidth)});
  }
  table.Print(out);
  out << "Co-units not filed: " << JoinOrNone(response.missing_units()) << "\n";
}

void PrintReport(std::ostream& out, const v1::TaskReport& report) {
  PrintField(out, "Report", report.name());
  PrintField(out, "State", EnumLabel(v1::ReportState_descriptor(), report.state()));
  PrintField(out, "Revision", absl::StrCat(report.revision()));
  if (!report.etag().empty()) PrintField(out, "Etag", report.etag());  // none on a revision
  PrintField(out, "Submitted", ByAt(report.submitted_by(), report.submit_time()));
  PrintField(out, "Reviewed", ByAt(report.reviewed_by(), report.review_time()));
  PrintField(out, "Returned", Plural(report.times_returned(), "time"));
  PrintField(out, "Co-units not filed", JoinOrNone(report.missing_units()));
  if (!report.return_reasons().empty()) {
    out << "Return reasons:\n";
    for (const std::string& reason : report.return_reasons()) out << "  - " << reason << "\n";
  }
  PrintText(out, "Summary", report.summary());
}

void PrintReportRevisions(std::ostream& out, const v1::ListReportRevisionsResponse& response) {
  if (response.revisions().empty()) out << "No revisions kept.\n";
  for (int i = 0; i < response.revisions_size(); ++i) {
    if (i > 0) out << "\n";
    PrintReport(out, response.revisions(i));
  }
}

void PrintProgressRevisions(std::ostream& out, const v1::ListProgressRevisionsResponse& response) {
  if (response.revisions().empty()) out << "No revisions kept.\n";
  for (int i = 0; i < response.revisions_size(); ++i) {
    const v1::Progress& progress = response.revisions(i);
    if (i > 0) out << "\n";
    PrintField(out, "Revision", absl::StrCat(progress.revision()));
    PrintField(out, "Status", EnumLabel(v1::ProgressStatus_descriptor(), progress.status()));
    PrintField(out, "Filed", ByAt(progress.filed_by(), progress.filed_time()));
    PrintField(out, "Late", YesNo(progress.late()));
    std::vector<std::string> figures;
    for (const v1::Figure& f : progress.figures()) {
      figures.push_back(absl::StrCat(f.key(), "=", FormatNumber(f.value()), f.unit()));
    }
    PrintField(out, "Figures", absl::StrJoin(figures, ", "));
    PrintField(out, "Evidence", absl::StrJoin(progress.evidence_refs(), ", "));
    PrintText(out, "Narrative", progress.narrative());
  }
}

void PrintHistory(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<v1::HistoryEntry>& entries) {
  Table table({"TIME", "ACTOR", "ACTION", "PERIOD", "DETAIL"});
  for (const v1::HistoryEntry& entry : entries) {
    table.AddRow({FormatDateTime(entry.time()), entry.actor(), entry.action(), entry.period_id(),
                  entry.detail()});
  }
  table.Print(out);
}

void PrintEscalations(std::ostream& out, const v1::ListEscalationsResponse& response) {
  Table table({"LEVEL", "TASK", "PERIOD", "UNIT", "OWED", "REASON", "督办"});
  for (const v1::Escalation& escalation : response.escalations()) {
    table.AddRow({EnumLabel(v1::EscalationLevel_descriptor(), escalation.level()),
                  absl::StrCat(escalation.task_number()), escalation.period_id(), escalation.unit(),
                  escalation.owed(), escalation.reason(), NoticeCell(escalation)});
  }
  table.Print(out);
  out << Plural(response.escalations_size(), "escalation") << "\n";
}

std::string NoticeCell(const v1::Escalation& escalation) {
  if (escalation.notice().empty()) return "";
  return absl::StrCat(ResourceIdOf(escalation.notice()), " ",
                      EnumLabel(v1::NoticeState_descriptor(), escalation.notice_state()));
}

void PrintNotice(std::ostream& out, const v1::Notice& notice) {
  PrintField(out, "Notice", notice.name());
  PrintField(out, "Level", EnumLabel(v1::EscalationLevel_descriptor(), notice.level()));
  PrintField(out, "Owed",
             absl::StrCat(notice.unit(), " owes its ", notice.owed(), " for ", notice.period_id(),
                          notice.outstanding() ? "" : " (no longer owed)"));
  PrintText(out, "Message", notice.message());
  PrintField(out, "Issued", ByAt(notice.issued_by(), notice.issue_time()));
  PrintField(out, "Answer by",
             absl::StrCat(FormatDateTime(notice.respond_by()),
                          notice.response_overdue() ? " (overdue)" : ""));
  PrintField(out, "State", EnumLabel(v1::NoticeState_descriptor(), notice.state()));
  if (notice.state() == v1::NOTICE_STATE_ACKNOWLEDGED) {
    PrintText(out, "Answer", notice.response());
    PrintField(out, "Answered", ByAt(notice.acknowledged_by(), notice.acknowledge_time()));
  }
  PrintField(out, "Etag", notice.etag());
}

void PrintNotices(std::ostream& out, const v1::ListNoticesResponse& response) {
  Table table({"TASK", "PERIOD", "NOTICE", "ISSUED", "ANSWER BY", "STATE", "OWED NOW"});
  for (const v1::Notice& notice : response.notices()) {
    table.AddRow(
        {absl::StrCat(notice.task_number()), notice.period_id(), ResourceIdOf(notice.name()),
         FormatDate(notice.issue_time()),
         absl::StrCat(FormatDate(notice.respond_by()), notice.response_overdue() ? " overdue" : ""),
         EnumLabel(v1::NoticeState_descriptor(), notice.state()), YesNo(notice.outstanding())});
  }
  table.Print(out);
  out << Plural(response.notices_size(), "notice") << "\n";
}

}  // namespace vetrack::vetctl
