// What SchoolReporting keeps of a report over time: submitted revisions and
// their diffs, the accepted figures other services compute from, and every
// transition with who and when.
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "paging/paging.h"
#include "report_rules.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

namespace {

// One page of a report's submitted revisions 1 … `submitted`, read by
// `read` (the store's GetDataRevisions or GetQualityRevisions).
template <typename Response, typename Read>
absl::StatusOr<Response> RevisionsPage(int submitted, const google::protobuf::Message& request,
                                       Read read) {
  auto page = ParsePage(request);
  if (!page.ok()) return page.status();
  auto revisions = read(PageNumbers(*page, submitted));
  if (!revisions.ok()) return revisions.status();
  Response response;
  for (const auto& revision : *revisions) {
    if (revision.has_value()) *response.add_revisions() = revision->value;
  }
  response.set_next_page_token(NextPageToken(*page, submitted));
  return response;
}

// The diff a request asks for, of the report `current` (read with the
// caller's permission): the revisions read by `read` (the store's
// GetDataRevisions or GetQualityRevisions) once both named are among the
// submitted ones, compared by `compare` (DiffDataReports, DiffQualityReports).
// From an earlier revision to a later one, the returns of every revision in
// between say what the school was asked to change; what else changed is
// unrequested. Going forward reads every revision in between: validation
// bounds the span (kMaxDiffSpan).
template <typename Diff, typename Report, typename Request, typename Read, typename Compare>
absl::StatusOr<Diff> DiffRevisions(const absl::StatusOr<Report>& current, const Request& req,
                                   ReportKind kind, Read read, Compare compare) {
  if (!current.ok()) return current.status();
  auto ref = ParseReportName(req.name(), kind, "name");
  if (!ref.ok()) return ref.status();
  const int from = req.from_revision();
  const int to = req.to_revision();
  for (const auto& [field, revision] :
       {std::pair<std::string, int>{"from_revision", from}, {"to_revision", to}}) {
    if (revision > current->revision()) {
      return NotFoundField(field, absl::StrCat("the report has ", current->revision(),
                                               " submitted revision(s), not ", revision));
    }
  }
  // Going forward, every revision from `from` to `to`; else just the two.
  std::vector<int> numbers = {from, to};
  if (from < to) {
    numbers.clear();
    for (int n = from; n <= to; ++n) numbers.push_back(n);
  }
  auto revisions = read(*ref, numbers);
  if (!revisions.ok()) return revisions.status();
  for (const auto& revision : *revisions) {
    if (!revision.has_value()) return absl::DataLossError("a submitted revision is missing");
  }
  Diff diff;
  diff.set_name(req.name());
  diff.set_from_revision(from);
  diff.set_to_revision(to);
  const std::vector<std::string> changed =
      compare(revisions->front()->value, revisions->back()->value, &diff);
  // Each revision before `to` led to the next by a return (items named) or
  // by an acceptance and a reopening (a reason, no items): only when every
  // one was returned is all that was asked for known.
  std::set<std::string> requested;
  bool every_returned = from < to;
  for (size_t k = 0; k + 1 < revisions->size() && every_returned; ++k) {
    const auto& returns = (*revisions)[k]->value.returns();
    every_returned = !returns.empty();
    for (const v1::ItemReturn& r : returns) requested.insert(r.item());
  }
  diff.set_returned_between(every_returned);
  if (every_returned) {
    for (const std::string& part : changed) {
      if (requested.count(part) == 0) diff.add_unrequested_changes(part);
    }
  }
  return diff;
}

}  // namespace

absl::StatusOr<v1::ListDataReportRevisionsResponse> SchoolReporting::ListDataReportRevisions(
    const Principal& caller, const v1::ListDataReportRevisionsRequest& req) {
  v1::GetDataReportRequest get;
  get.set_name(req.name());
  auto current = GetDataReport(caller, get);  // the reader's permission, and the report
  if (!current.ok()) return current.status();
  auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
  if (!ref.ok()) return ref.status();
  return RevisionsPage<v1::ListDataReportRevisionsResponse>(
      current->revision(), req,
      [&](const std::vector<int>& numbers) { return store_.GetDataRevisions(*ref, numbers); });
}

absl::StatusOr<v1::ListQualityReportRevisionsResponse> SchoolReporting::ListQualityReportRevisions(
    const Principal& caller, const v1::ListQualityReportRevisionsRequest& req) {
  v1::GetQualityReportRequest get;
  get.set_name(req.name());
  auto current = GetQualityReport(caller, get);  // the reader's permission, and the report
  if (!current.ok()) return current.status();
  auto ref = ParseReportName(req.name(), ReportKind::kQuality, "name");
  if (!ref.ok()) return ref.status();
  return RevisionsPage<v1::ListQualityReportRevisionsResponse>(
      current->revision(), req,
      [&](const std::vector<int>& numbers) { return store_.GetQualityRevisions(*ref, numbers); });
}

absl::StatusOr<v1::DataReportDiff> SchoolReporting::DiffDataReportRevisions(
    const Principal& caller, const v1::DiffDataReportRevisionsRequest& req) {
  v1::GetDataReportRequest get;
  get.set_name(req.name());
  return DiffRevisions<v1::DataReportDiff>(
      GetDataReport(caller, get), req, ReportKind::kData,
      [&](const ReportRef& ref, const std::vector<int>& numbers) {
        return store_.GetDataRevisions(ref, numbers);
      },
      &DiffDataReports);
}

absl::StatusOr<v1::QualityReportDiff> SchoolReporting::DiffQualityReportRevisions(
    const Principal& caller, const v1::DiffQualityReportRevisionsRequest& req) {
  v1::GetQualityReportRequest get;
  get.set_name(req.name());
  return DiffRevisions<v1::QualityReportDiff>(
      GetQualityReport(caller, get), req, ReportKind::kQuality,
      [&](const ReportRef& ref, const std::vector<int>& numbers) {
        return store_.GetQualityRevisions(ref, numbers);
      },
      &DiffQualityReports);
}

absl::StatusOr<v1::AcceptedFigures> SchoolReporting::GetAcceptedFigures(
    const Principal& caller, const v1::GetAcceptedFiguresRequest& req) {
  auto code = ParseInstitutionName(req.institution(), "institution");
  if (!code.ok()) return code.status();
  auto figures = AcceptedFiguresOf(caller, {{*code, "institution"}}, req.period_id());
  if (!figures.ok()) return figures.status();
  return std::move(figures->front());
}

absl::StatusOr<v1::BatchGetAcceptedFiguresResponse> SchoolReporting::BatchGetAcceptedFigures(
    const Principal& caller, const v1::BatchGetAcceptedFiguresRequest& req) {
  std::vector<std::pair<std::string, std::string>> asked;
  for (int i = 0; i < req.institutions_size(); ++i) {
    const std::string field = absl::StrCat("institutions[", i, "]");
    auto code = ParseInstitutionName(req.institutions(i), field);
    if (!code.ok()) return code.status();
    asked.emplace_back(*code, field);
  }
  auto figures = AcceptedFiguresOf(caller, asked, req.period_id());
  if (!figures.ok()) return figures.status();
  v1::BatchGetAcceptedFiguresResponse response;
  for (auto& f : *figures) *response.add_figures() = std::move(f);
  return response;
}

absl::StatusOr<std::vector<v1::AcceptedFigures>> SchoolReporting::AcceptedFiguresOf(
    const Principal& caller, const std::vector<std::pair<std::string, std::string>>& asked,
    const std::string& period_id) {
  for (const auto& [code, field] : asked) {
    if (absl::Status allowed = CheckCanRead(caller, code); !allowed.ok()) return allowed;
  }
  // The whole register is one read, however many institutions are asked for.
  auto institutions = store_.ListInstitutions();
  if (!institutions.ok()) return institutions.status();
  std::map<std::string, v1::InstitutionType> known;
  for (const auto& institution : *institutions) {
    known.emplace(institution.value.code(), institution.value.type());
  }
  std::vector<std::string> codes;
  for (const auto& [code, field] : asked) {
    if (known.count(code) == 0)
      return NotFoundField(field, absl::StrCat("no institution '", code, "'"));
    codes.push_back(code);
  }
  if (auto period = LoadPeriod(period_id, "period_id"); !period.ok()) return period.status();
  auto reports = store_.GetDataReports(codes, period_id);
  if (!reports.ok()) return reports.status();
  std::vector<v1::AcceptedFigures> out(codes.size());
  std::vector<std::pair<ReportRef, int>> accepted;
  std::vector<size_t> accepted_at;
  for (size_t i = 0; i < codes.size(); ++i) {
    out[i].set_institution(InstitutionName(codes[i]));
    out[i].set_period_id(period_id);
    const auto& report = (*reports)[i];
    if (!report.has_value()) continue;
    if (report->value.accepted_revision() == 0) {
      // Submitted, not yet accepted: no figures, but the year's type is known
      // (unspecified if never submitted).
      out[i].set_institution_type(report->value.institution_type());
      continue;
    }
    accepted.push_back(
        {ReportRef{ReportKind::kData, codes[i], period_id}, report->value.accepted_revision()});
    accepted_at.push_back(i);
  }
  if (accepted.empty()) return out;
  auto revisions = store_.GetDataRevisionsOf(accepted);
  if (!revisions.ok()) return revisions.status();
  for (size_t k = 0; k < accepted.size(); ++k) {
    const auto& revision = (*revisions)[k];
    if (!revision.has_value()) {
      return absl::DataLossError(absl::StrCat("accepted revision ", accepted[k].second, " of ",
                                              codes[accepted_at[k]], " is missing"));
    }
    v1::AcceptedFigures& figures = out[accepted_at[k]];
    figures.set_accepted(true);
    figures.set_revision(accepted[k].second);
    *figures.mutable_counts() = revision->value.counts();
    *figures.mutable_majors() = revision->value.majors();
    figures.set_institution_type(SubmittedType(revision->value, known[codes[accepted_at[k]]]));
  }
  return out;
}

absl::StatusOr<v1::ListReportHistoryResponse> SchoolReporting::ListReportHistory(
    const Principal& caller, const v1::ListReportHistoryRequest& req) {
  auto ref = ParseAnyReportName(req.report(), "report");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanRead(caller, ref->institution_code); !allowed.ok()) {
    return allowed;
  }
  if (auto institution = LoadInstitution(ref->institution_code, "report"); !institution.ok()) {
    return institution.status();
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  auto entries = store_.ListHistory(*ref, page->offset, page->size, &total);
  if (!entries.ok()) return entries.status();
  v1::ListReportHistoryResponse response;
  for (auto& e : *entries) *response.add_entries() = std::move(e);
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<v1::ListReferenceHistoryResponse> SchoolReporting::ListReferenceHistory(
    const Principal& caller, const v1::ListReferenceHistoryRequest& req) {
  if (!CheckCanImportReferenceData(caller).ok()) {
    if (absl::Status allowed = CheckReadsEverything(caller, "the reference history");
        !allowed.ok()) {
      return allowed;
    }
  }
  if (absl::Status known = CheckReferenceResource(req.resource(), "resource"); !known.ok()) {
    return known;
  }
  if (absl::StartsWith(req.resource(), "periods/")) {
    // Within the plan's years, as every other use of a period; its window
    // need not be read for that.
    auto period = PlanPeriod(req.resource().substr(std::string("periods/").size()), "resource");
    if (!period.ok()) return period.status();
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  auto entries = store_.ListReferenceHistory(req.resource(), page->offset, page->size, &total);
  if (!entries.ok()) return entries.status();
  v1::ListReferenceHistoryResponse response;
  for (auto& e : *entries) *response.add_entries() = std::move(e);
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

}  // namespace vetrack::schools
