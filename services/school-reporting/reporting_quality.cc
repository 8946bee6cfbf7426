// The quality-report half of SchoolReporting (质量年报): submitted whole with
// its document's SHA-256 and key figures, reviewed and reopened like data.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "exchange_entry.h"
#include "paging/paging.h"
#include "report_rules.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

absl::StatusOr<v1::QualityReport> SchoolReporting::GetQualityReport(
    const Principal& caller, const v1::GetQualityReportRequest& req) {
  auto ref = ParseReportName(req.name(), ReportKind::kQuality, "name");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanRead(caller, ref->institution_code); !allowed.ok()) {
    return allowed;
  }
  if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
    return institution.status();
  }
  auto report = store_.GetQualityReport(*ref);
  if (!report.ok()) return report.status();
  if (!report->has_value()) {
    return NotFoundField("name", absl::StrCat("no quality report ", req.name(), " yet"));
  }
  return (*report)->value;
}

absl::StatusOr<v1::ListQualityReportsResponse> SchoolReporting::ListQualityReports(
    const Principal& caller, const v1::ListQualityReportsRequest& req) {
  if (!ReadsEveryReport(caller) && caller.role != Role::kSchool) {
    return CheckReadsEverything(caller, "quality reports");
  }
  if (auto period = LoadPeriod(req.period_id(), "period_id"); !period.ok()) return period.status();
  auto page = ParsePage(req.page_size(), req.page_token());
  if (!page.ok()) return page.status();
  auto codes = VisibleInstitutions(caller, req.institution_type());
  if (!codes.ok()) return codes.status();
  auto reports = store_.GetQualityReports(*codes, req.period_id());
  if (!reports.ok()) return reports.status();
  v1::ListQualityReportsResponse response;
  std::vector<const v1::QualityReport*> matching;
  for (size_t i = 0; i < codes->size(); ++i) {
    const auto& report = (*reports)[i];
    if (!report.has_value()) {
      response.add_missing_institutions(InstitutionName((*codes)[i]));
    } else if (req.state() == v1::REPORT_STATE_UNSPECIFIED ||
               report->value.state() == req.state()) {
      matching.push_back(&report->value);
    }
  }
  const int total = static_cast<int>(matching.size());
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    *response.add_quality_reports() = *matching[i];
  }
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<v1::QualityReport> SchoolReporting::SubmitQualityReport(
    const Principal& caller, const v1::SubmitQualityReportRequest& req) {
  v1::QualityReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    const v1::QualityReport& submitted = req.quality_report();
    auto ref = ParseReportName(submitted.name(), ReportKind::kQuality, "quality_report.name");
    if (!ref.ok()) return ref.status();
    if (absl::Status allowed = CheckCanWrite(caller, ref->institution_code); !allowed.ok()) {
      return allowed;
    }
    if (auto institution = LoadInstitution(ref->institution_code, "quality_report.name");
        !institution.ok()) {
      return institution.status();
    }
    auto period = LoadOpenPeriod(ref->period_id, "quality_report.name");
    if (!period.ok()) return period.status();
    auto current = store_.GetQualityReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status editable = CheckCanEdit(StateOf(*current)); !editable.ok()) return editable;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(submitted.etag(), version, "quality_report.etag");
        !fresh.ok()) {
      return fresh;
    }
    if (current->has_value()) {
      response = (*current)->value;
    } else {
      response.set_name(submitted.name());
      response.set_institution(InstitutionName(ref->institution_code));
      response.set_period_id(ref->period_id);
    }
    const absl::Time now = clock_.Now();
    const bool resubmission = response.revision() > 0;
    response.set_state(v1::REPORT_STATE_SUBMITTED);
    response.set_title(submitted.title());
    response.set_document_uri(submitted.document_uri());
    response.set_document_sha256(absl::AsciiStrToLower(submitted.document_sha256()));
    *response.mutable_key_figures() = submitted.key_figures();
    response.set_revision(response.revision() + 1);
    response.clear_returns();
    response.set_late(IsLate(*period, now));
    response.set_submitted_by(caller.ToString());
    *response.mutable_submit_time() = TimeToProto(now);
    response.clear_reviewed_by();
    response.clear_review_time();
    response.set_etag(std::to_string(version + 1));
    write->quality_reports.push_back({response, version});
    write->quality_revisions.push_back({*ref, response.revision(), {response, 0}});
    write->history.push_back(
        {*ref, History(caller, resubmission ? "RESUBMIT" : "SUBMIT", response.revision(),
                       absl::StrCat(response.key_figures_size(), " key figures, sha256 ",
                                    response.document_sha256().substr(0, 12), "…",
                                    response.late() ? ", late" : ""))});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::QualityReport> SchoolReporting::ReviewQualityReport(
    const Principal& caller, const v1::ReviewQualityReportRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "review reports"); !allowed.ok()) {
    return allowed;
  }
  v1::QualityReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), ReportKind::kQuality, "name");
    if (!ref.ok()) return ref.status();
    auto institution = LoadInstitution(ref->institution_code, "name");
    if (!institution.ok()) return institution.status();
    auto current = store_.GetQualityReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanReview(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    const bool accept = req.decision() == v1::REVIEW_DECISION_ACCEPT;
    response = (*current)->value;
    if (!accept) {
      auto violations = QualityReturnViolations(req.returns(), response);
      if (!violations.empty()) return InvalidFields(violations);
    }
    auto snapshot = store_.GetQualityRevisions(*ref, {response.revision()});
    if (!snapshot.ok()) return snapshot.status();
    if (!snapshot->front().has_value()) {
      return absl::DataLossError(absl::StrCat("revision ", response.revision(), " is missing"));
    }
    v1::QualityReport revision = snapshot->front()->value;
    ApplyReview(accept, req.returns(), caller, clock_.Now(), &response, &revision);
    response.set_etag(std::to_string(version + 1));
    write->quality_reports.push_back({response, version});
    write->quality_revisions.push_back(
        {*ref, response.revision(), {revision, snapshot->front()->version}});
    if (accept) {
      write->outbox.push_back(AcceptedQualityReportEntry(
          institution->value, response, revision, TimeFromProto(response.review_time())));
    }
    write->history.push_back(
        {*ref, History(caller, accept ? "ACCEPT" : "RETURN", response.revision(),
                       accept ? "accepted and locked" : DescribeReturns(req.returns()))});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::QualityReport> SchoolReporting::ReopenQualityReport(
    const Principal& caller, const v1::ReopenQualityReportRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "reopen accepted reports"); !allowed.ok()) {
    return allowed;
  }
  v1::QualityReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), ReportKind::kQuality, "name");
    if (!ref.ok()) return ref.status();
    if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
      return institution.status();
    }
    auto current = store_.GetQualityReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanReopen(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = (*current)->value;
    response.set_state(v1::REPORT_STATE_DRAFT);
    response.set_etag(std::to_string(version + 1));
    write->quality_reports.push_back({response, version});
    write->history.push_back(
        {*ref, History(caller, "REOPEN", response.revision() + 1, req.reason())});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

}  // namespace vetrack::schools
