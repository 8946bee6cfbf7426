#include "school_views.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "enum_labels.h"
#include "output.h"

namespace vetrack::vetctl {
namespace {

std::string TypeLabel(int type) {
  return EnumLabel(schools_v1::InstitutionType_descriptor(), type);
}
std::string StateLabel(int state) { return EnumLabel(schools_v1::ReportState_descriptor(), state); }

// "submitted by school:cqvie, 2026-09-10 10:00".
std::string ByAt(const std::string& actor, const google::protobuf::Timestamp& time) {
  if (actor.empty()) return "";
  return absl::StrCat(actor, ", ", FormatDateTime(time));
}

// A reference import's counts, what it changed, and what it did not apply
// (--keep-stored), each change named by `entry`.
template <typename Response, typename EntryOf>
void PrintImport(std::ostream& out, const std::string& label, const std::string& column,
                 const Response& response, EntryOf entry) {
  PrintField(out, label,
             absl::StrCat(response.created(), " created, ", response.updated(), " updated, ",
                          response.unchanged(), " unchanged"));
  if (!response.changes().empty()) {
    out << "\n";
    Table table({column, "FIELD", "WAS", "NOW"});
    for (const auto& c : response.changes()) {
      table.AddRow({entry(c), c.field(), c.old_value(), c.new_value()});
    }
    table.Print(out);
  }
  if (response.not_applied().empty()) return;
  out << "\nNot applied: the values already stored are kept (--keep-stored)\n";
  Table kept({column, "FIELD", "KEPT", "IN THIS FILE"});
  for (const auto& c : response.not_applied()) {
    kept.AddRow({entry(c), c.field(), c.old_value(), c.new_value()});
  }
  kept.Print(out);
}

std::string Revisions(int revision, int accepted) {
  std::string text = revision == 0 ? "none submitted" : absl::StrCat(revision, " submitted");
  if (accepted > 0) absl::StrAppend(&text, ", revision ", accepted, " accepted");
  return text;
}

void PrintReturns(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<schools_v1::ItemReturn>& returns) {
  if (returns.empty()) return;
  out << "\nReturned items:\n";
  Table table({"ITEM", "REASON"});
  for (const auto& r : returns) table.AddRow({r.item(), r.reason()});
  table.Print(out);
}

void PrintMajors(std::ostream& out,
                 const google::protobuf::RepeatedPtrField<schools_v1::Major>& majors) {
  if (majors.empty()) return;
  out << "\nMajors:\n";
  Table table({"CODE", "MAJOR", "STATUS"});
  for (const auto& m : majors) {
    table.AddRow({m.catalog_code(), m.display_name(),
                  EnumLabel(schools_v1::MajorStatus_descriptor(), m.status())});
  }
  table.Print(out);
}

std::string Optional(bool present, int64_t value) { return present ? absl::StrCat(value) : ""; }

}  // namespace

void PrintInstitutions(std::ostream& out, const schools_v1::ListInstitutionsResponse& response) {
  Table table({"CODE", "INSTITUTION", "TYPE", "学校标识码", "统一社会信用代码", "FROM"});
  for (const auto& i : response.institutions()) {
    table.AddRow({i.code(), i.display_name(), TypeLabel(i.type()), i.school_id_code(),
                  i.credit_code(), i.first_year() == 0 ? "" : absl::StrCat(i.first_year())});
  }
  table.Print(out);
}

void PrintInstitutionImport(std::ostream& out,
                            const schools_v1::ImportInstitutionsResponse& response) {
  PrintImport(out, "Institutions", "INSTITUTION", response,
              [](const schools_v1::InstitutionChange& c) { return c.institution(); });
}

void PrintMajorImport(std::ostream& out, const schools_v1::ImportMajorCatalogResponse& response) {
  PrintImport(out, "Majors", "MAJOR", response,
              [](const schools_v1::CatalogMajorChange& c) { return c.major(); });
}

void PrintItems(std::ostream& out, const schools_v1::ListItemsResponse& response) {
  // The option of `reports save` that reports each (found in use: the major
  // list was taken for a count and given to --set).
  Table table({"ITEM", "NAME", "UNIT", "TASK", "REQUIRED", "AT MOST", "TYPES", "REPORT WITH"});
  for (const auto& item : response.items()) {
    std::vector<std::string> types;
    for (int t : item.institution_types()) types.push_back(TypeLabel(t));
    table.AddRow({item.id(), item.display_name(), item.unit(),
                  item.plan_task() == 0 ? "" : absl::StrCat(item.plan_task()),
                  YesNo(item.required()), item.at_most_item(),
                  types.size() == 3 ? "all" : absl::StrJoin(types, ","),
                  item.type() == schools_v1::ITEM_TYPE_MAJOR_LIST
                      ? "--major CODE:STATUS[:NAME]"
                      : absl::StrCat("--set ", item.id(), "=N")});
  }
  table.Print(out);
}

void PrintReportingPeriods(std::ostream& out, const schools_v1::ListPeriodsResponse& response) {
  Table table({"PERIOD", "KIND", "FROM", "TO", "OPENS", "LAST DAY", "WINDOW"});
  for (const auto& p : response.periods()) {
    table.AddRow({p.id(), EnumLabel(schools_v1::PeriodKind_descriptor(), p.kind()),
                  FormatDate(p.start_time()), FormatLastDayBefore(p.end_time()),
                  FormatDate(p.open_time()), FormatLastDayBefore(p.close_time()),
                  p.configured() ? "coordinator" : "default"});
  }
  table.Print(out);
}

void PrintDataReport(std::ostream& out, const schools_v1::DataReport& report,
                     const schools_v1::ListItemsResponse& items) {
  PrintField(out, "Report", report.name());
  PrintField(out, "State", StateLabel(report.state()));
  PrintField(out, "Revisions", Revisions(report.revision(), report.accepted_revision()));
  if (report.institution_type() != schools_v1::INSTITUTION_TYPE_UNSPECIFIED) {
    PrintField(out, "Submitted as", TypeLabel(report.institution_type()));
  }
  if (report.late()) PrintField(out, "Late", "submitted after the period closed");
  PrintField(out, "Updated", ByAt(report.updated_by(), report.update_time()));
  PrintField(out, "Submitted", ByAt(report.submitted_by(), report.submit_time()));
  PrintField(out, "Reviewed", ByAt(report.reviewed_by(), report.review_time()));
  PrintField(out, "Etag", report.etag());
  out << "\n";
  Table table({"ITEM", "NAME", "VALUE", "UNIT"});
  for (const auto& item : items.items()) {
    auto it = report.counts().find(item.id());
    if (it != report.counts().end()) {
      table.AddRow({item.id(), item.display_name(), absl::StrCat(it->second), item.unit()});
    }
  }
  std::map<std::string, int64_t> unnamed(report.counts().begin(), report.counts().end());
  for (const auto& item : items.items()) unnamed.erase(item.id());
  for (const auto& [id, value] : unnamed) table.AddRow({id, "", absl::StrCat(value), ""});
  table.Print(out);
  PrintMajors(out, report.majors());
  if (!report.warnings().empty()) {
    out << "\nWarnings (moved more than allowed from last year):\n";
    Table warnings({"ITEM", "LAST YEAR", "NOW", "CHANGE"});
    for (const auto& w : report.warnings()) {
      warnings.AddRow({w.item(), absl::StrCat(w.previous_value()), absl::StrCat(w.value()),
                       absl::StrFormat("%+.1f%%", 100 * w.change_share())});
    }
    warnings.Print(out);
  }
  PrintReturns(out, report.returns());
}

void PrintDataReports(std::ostream& out, const schools_v1::ListDataReportsResponse& response) {
  Table table({"INSTITUTION", "STATE", "REVISIONS", "LATE", "WARNINGS", "RETURNED ITEMS"});
  for (const auto& r : response.data_reports()) {
    table.AddRow({r.institution(), StateLabel(r.state()),
                  Revisions(r.revision(), r.accepted_revision()), r.late() ? "late" : "",
                  r.warnings().empty() ? "" : absl::StrCat(r.warnings_size()),
                  r.returns().empty() ? "" : absl::StrCat(r.returns_size())});
  }
  table.Print(out);
  if (!response.missing_institutions().empty()) {
    out << "\nNot reported yet: " << absl::StrJoin(response.missing_institutions(), ", ") << "\n";
  }
}

void PrintRevisions(std::ostream& out,
                    const schools_v1::ListDataReportRevisionsResponse& response) {
  Table table({"REVISION", "OUTCOME", "SUBMITTED", "REVIEWED", "RETURNED ITEMS"});
  for (const auto& r : response.revisions()) {
    std::vector<std::string> items;
    for (const auto& ret : r.returns()) items.push_back(ret.item());
    table.AddRow({absl::StrCat(r.revision()), StateLabel(r.state()),
                  ByAt(r.submitted_by(), r.submit_time()), ByAt(r.reviewed_by(), r.review_time()),
                  absl::StrJoin(items, ", ")});
  }
  table.Print(out);
}

namespace {

// The head of a diff; false when there is nothing else to show.
template <typename Diff>
bool PrintDiffHead(std::ostream& out, const Diff& diff, bool differs) {
  PrintField(out, "Report", diff.name());
  PrintField(out, "Revisions", absl::StrCat(diff.from_revision(), " → ", diff.to_revision()));
  if (!differs) {
    out << "\nNo differences.\n";
    return false;
  }
  if (diff.returned_between()) {
    PrintField(out, "Not asked for",
               diff.unrequested_changes().empty()
                   ? "none: every change was asked for by a return"
                   : absl::StrCat(absl::StrJoin(diff.unrequested_changes(), ", "),
                                  " (changed, though no return since revision ",
                                  diff.from_revision(), " named them)"));
  }
  out << "\n";
  return true;
}

}  // namespace

void PrintDiff(std::ostream& out, const schools_v1::DataReportDiff& diff) {
  if (!PrintDiffHead(out, diff, !diff.count_changes().empty() || !diff.major_changes().empty())) {
    return;
  }
  Table table({"ITEM", "FROM", "TO"});
  for (const auto& c : diff.count_changes()) {
    table.AddRow({c.item(), Optional(c.has_from_value(), c.from_value()),
                  Optional(c.has_to_value(), c.to_value())});
  }
  for (const auto& m : diff.major_changes()) {
    auto label = [](bool present, const schools_v1::Major& major) -> std::string {
      if (!present) return "";
      return EnumLabel(schools_v1::MajorStatus_descriptor(), major.status());
    };
    table.AddRow({absl::StrCat("major ", m.catalog_code()),
                  label(m.has_from_major(), m.from_major()),
                  label(m.has_to_major(), m.to_major())});
  }
  table.Print(out);
}

void PrintAcceptedFigures(std::ostream& out, const schools_v1::AcceptedFigures& figures) {
  PrintField(out, "Institution", figures.institution());
  PrintField(out, "Period", figures.period_id());
  if (!figures.accepted()) {
    PrintField(out, "Accepted", "no: nothing accepted yet");
    if (figures.institution_type() != schools_v1::INSTITUTION_TYPE_UNSPECIFIED) {
      PrintField(out, "Submitted as", TypeLabel(figures.institution_type()));
    }
    return;
  }
  PrintField(out, "Accepted", absl::StrCat("revision ", figures.revision()));
  if (figures.institution_type() != schools_v1::INSTITUTION_TYPE_UNSPECIFIED) {
    PrintField(out, "Counts as", TypeLabel(figures.institution_type()));
  }
  out << "\n";
  Table table({"ITEM", "VALUE"});
  std::map<std::string, int64_t> sorted(figures.counts().begin(), figures.counts().end());
  for (const auto& [id, value] : sorted) table.AddRow({id, absl::StrCat(value)});
  table.Print(out);
  PrintMajors(out, figures.majors());
}

void PrintReportHistory(
    std::ostream& out,
    const google::protobuf::RepeatedPtrField<schools_v1::ReportHistoryEntry>& entries) {
  Table table({"WHEN", "WHO", "ACTION", "REVISION", "DETAIL"});
  for (const auto& e : entries) {
    table.AddRow(
        {FormatDateTime(e.time()), e.actor(), e.action(), absl::StrCat(e.revision()), e.detail()});
  }
  table.Print(out);
}

void PrintQualityReport(std::ostream& out, const schools_v1::QualityReport& report) {
  PrintField(out, "Report", report.name());
  PrintField(out, "Title", report.title());
  PrintField(out, "State", StateLabel(report.state()));
  PrintField(out, "Revisions", Revisions(report.revision(), report.accepted_revision()));
  if (report.late()) PrintField(out, "Late", "submitted after the period closed");
  PrintField(out, "Document", report.document_uri());
  PrintField(out, "SHA-256", report.document_sha256());
  PrintField(out, "Submitted", ByAt(report.submitted_by(), report.submit_time()));
  PrintField(out, "Reviewed", ByAt(report.reviewed_by(), report.review_time()));
  PrintField(out, "Etag", report.etag());
  out << "\n";
  Table table({"KEY", "NAME", "VALUE", "UNIT"});
  for (const auto& f : report.key_figures()) {
    table.AddRow({f.key(), f.display_name(), FormatNumber(f.value()), f.unit()});
  }
  table.Print(out);
  PrintReturns(out, report.returns());
}

void PrintQualityDiff(std::ostream& out, const schools_v1::QualityReportDiff& diff) {
  const bool title = !diff.from_title().empty() || !diff.to_title().empty();
  const bool document = !diff.from_document_uri().empty() || !diff.to_document_uri().empty();
  if (!PrintDiffHead(out, diff, title || document || !diff.key_figure_changes().empty())) return;
  Table table({"PART", "FROM", "TO"});
  if (title) table.AddRow({"title", diff.from_title(), diff.to_title()});
  if (diff.from_document_uri() != diff.to_document_uri()) {
    table.AddRow({"document", diff.from_document_uri(), diff.to_document_uri()});
  }
  if (diff.from_document_sha256() != diff.to_document_sha256()) {
    // As the history shows it, 12 digits, unless those are alike.
    auto digest = [&diff](const std::string& sha256) {
      const bool alike =
          diff.from_document_sha256().substr(0, 12) == diff.to_document_sha256().substr(0, 12);
      return alike ? sha256 : sha256.substr(0, 12) + "…";
    };
    table.AddRow({"document sha256", digest(diff.from_document_sha256()),
                  digest(diff.to_document_sha256())});
  }
  // Every part of the figure, so a change of unit or name alone shows.
  auto figure = [](bool present, const schools_v1::KeyFigure& f) -> std::string {
    if (!present) return "";
    return absl::StrCat(FormatNumber(f.value()), f.unit().empty() ? "" : " ", f.unit(),
                        f.display_name().empty() ? "" : " (" + f.display_name() + ")");
  };
  for (const auto& c : diff.key_figure_changes()) {
    table.AddRow({c.key(), figure(c.has_from_figure(), c.from_figure()),
                  figure(c.has_to_figure(), c.to_figure())});
  }
  table.Print(out);
}

void PrintQualityReports(std::ostream& out,
                         const schools_v1::ListQualityReportsResponse& response) {
  Table table({"INSTITUTION", "STATE", "REVISIONS", "LATE", "TITLE"});
  for (const auto& r : response.quality_reports()) {
    table.AddRow({r.institution(), StateLabel(r.state()),
                  Revisions(r.revision(), r.accepted_revision()), r.late() ? "late" : "",
                  r.title()});
  }
  table.Print(out);
  if (!response.missing_institutions().empty()) {
    out << "\nNot submitted yet: " << absl::StrJoin(response.missing_institutions(), ", ") << "\n";
  }
}

void PrintSpotCheck(std::ostream& out, const schools_v1::SpotCheck& spot_check) {
  PrintField(out, "Spot check", spot_check.name());
  PrintField(out, "Period", spot_check.period_id());
  // A school is not told the seed (it reads as 0): nothing to show, as in the list.
  const bool seed_known = spot_check.seed() != 0 || spot_check.seed_given();
  PrintField(out, "Seed",
             seed_known ? absl::StrCat(spot_check.seed(),
                                       spot_check.seed_given() ? " (given by the caller)" : "")
                        : "");
  PrintField(out, "Sample",
             absl::StrCat(spot_check.institutions_per_type(), " per type, ",
                          spot_check.items_per_institution(), " figures each"));
  PrintField(out, "Population", absl::StrJoin(spot_check.population(), ", "));
  PrintField(out, "Drawn", ByAt(spot_check.drawn_by(), spot_check.draw_time()));
  PrintField(out, "Etag", spot_check.etag());
  out << "\n";
  Table table({"INSTITUTION", "TYPE", "FIGURE", "STATED", "OUTCOME", "VERIFIED", "BY"});
  for (const auto& c : spot_check.checks()) {
    std::string outcome = EnumLabel(schools_v1::CheckOutcome_descriptor(), c.outcome());
    if (!c.corrected().empty()) absl::StrAppend(&outcome, " (corrected)");
    table.AddRow({c.institution(), TypeLabel(c.institution_type()), c.item(),
                  FormatNumber(c.stated_value()), outcome,
                  c.has_verified_value() ? FormatNumber(c.verified_value()) : "", c.recorded_by()});
  }
  table.Print(out);
  for (const auto& c : spot_check.checks()) {
    for (const auto& earlier : c.corrected()) {
      out << "  " << c.institution() << " " << c.item() << ": was "
          << EnumLabel(schools_v1::CheckOutcome_descriptor(), earlier.outcome())
          << (earlier.has_verified_value() ? " " + FormatNumber(earlier.verified_value()) : "")
          << " (" << ByAt(earlier.recorded_by(), earlier.record_time()) << ")\n";
    }
    if (!c.corrected().empty()) {
      out << "  " << c.institution() << " " << c.item() << ": corrected because "
          << c.correction_reason() << "\n";
    }
  }
}

void PrintSpotChecks(std::ostream& out, const schools_v1::ListSpotChecksResponse& response) {
  Table table({"SPOT CHECK", "SEED", "CHECKS", "RECORDED", "DRAWN"});
  for (const auto& s : response.spot_checks()) {
    int recorded = 0;
    for (const auto& c : s.checks()) recorded += c.outcome() != schools_v1::CHECK_OUTCOME_PENDING;
    // A school is not told the seed (it reads as 0): nothing to show.
    const bool seed_known = s.seed() != 0 || s.seed_given();
    table.AddRow(
        {s.name(), seed_known ? absl::StrCat(s.seed(), s.seed_given() ? " (given)" : "") : "",
         absl::StrCat(s.checks_size()), absl::StrCat(recorded), ByAt(s.drawn_by(), s.draw_time())});
  }
  table.Print(out);
}

void PrintCredibility(std::ostream& out, const schools_v1::ListCredibilityResponse& response) {
  Table table({"INSTITUTION", "TYPE", "CHECKS", "CONFIRMED", "DISCREPANCIES", "SCORE"});
  for (const auto& c : response.credibility()) {
    table.AddRow({c.institution(), TypeLabel(c.institution_type()), absl::StrCat(c.checks()),
                  absl::StrCat(c.confirmed()), absl::StrCat(c.discrepancies()),
                  absl::StrFormat("%.1f", c.score())});
  }
  table.Print(out);
}

}  // namespace vetrack::vetctl
