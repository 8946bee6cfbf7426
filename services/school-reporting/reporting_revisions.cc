// What SchoolReporting keeps of a report over time: submitted revisions and
// their diffs, the accepted figures other services compute from, and every
// transition with who and when.
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
  std::vector<int> numbers;
  for (int n = page->offset + 1; n <= submitted && n <= page->offset + page->size; ++n) {
    numbers.push_back(n);
  }
  auto revisions = read(numbers);
  if (!revisions.ok()) return revisions.status();
  Response response;
  for (const auto& revision : *revisions) {
    if (revision.has_value()) *response.add_revisions() = revision->value;
  }
  response.set_next_page_token(NextPageToken(*page, submitted));
  return response;
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
  auto current = GetDataReport(caller, get);
  if (!current.ok()) return current.status();
  auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
  if (!ref.ok()) return ref.status();
  for (const auto& [field, revision] :
       {std::pair<std::string, int>{"from_revision", req.from_revision()},
        {"to_revision", req.to_revision()}}) {
    if (revision > current->revision()) {
      return NotFoundField(field, absl::StrCat("the report has ", current->revision(),
                                               " submitted revision(s), not ", revision));
    }
  }
  auto revisions = store_.GetDataRevisions(*ref, {req.from_revision(), req.to_revision()});
  if (!revisions.ok()) return revisions.status();
  if (!(*revisions)[0].has_value() || !(*revisions)[1].has_value()) {
    return absl::DataLossError("a submitted revision is missing");
  }
  v1::DataReportDiff diff;
  diff.set_name(req.name());
  diff.set_from_revision(req.from_revision());
  diff.set_to_revision(req.to_revision());
  DiffDataReports((*revisions)[0]->value, (*revisions)[1]->value, &diff);
  return diff;
}

absl::StatusOr<v1::AcceptedFigures> SchoolReporting::GetAcceptedFigures(
    const Principal& caller, const v1::GetAcceptedFiguresRequest& req) {
  auto code = ParseInstitutionName(req.institution(), "institution");
  if (!code.ok()) return code.status();
  if (absl::Status allowed = CheckCanRead(caller, *code); !allowed.ok()) return allowed;
  if (auto institution = LoadInstitution(*code, "institution"); !institution.ok()) {
    return institution.status();
  }
  if (auto period = LoadPeriod(req.period_id(), "period_id"); !period.ok()) {
    return period.status();
  }
  v1::AcceptedFigures figures;
  figures.set_institution(req.institution());
  figures.set_period_id(req.period_id());
  const ReportRef ref{ReportKind::kData, *code, req.period_id()};
  auto report = store_.GetDataReport(ref);
  if (!report.ok()) return report.status();
  if (!report->has_value() || (*report)->value.accepted_revision() == 0) return figures;
  const int accepted = (*report)->value.accepted_revision();
  auto revision = store_.GetDataRevisions(ref, {accepted});
  if (!revision.ok()) return revision.status();
  if (!revision->front().has_value()) {
    return absl::DataLossError(absl::StrCat("accepted revision ", accepted, " is missing"));
  }
  figures.set_accepted(true);
  figures.set_revision(accepted);
  *figures.mutable_counts() = revision->front()->value.counts();
  *figures.mutable_majors() = revision->front()->value.majors();
  return figures;
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
