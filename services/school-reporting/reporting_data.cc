// The data-report half of SchoolReporting: drafts, submission with every rule
// checked at once, review with a reason per returned item, reopening.
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "exchange_entry.h"
#include "paging/paging.h"
#include "report_rules.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

absl::StatusOr<v1::DataReport> SchoolReporting::GetDataReport(const Principal& caller,
                                                              const v1::GetDataReportRequest& req) {
  auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanRead(caller, ref->institution_code); !allowed.ok()) {
    return allowed;
  }
  if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
    return institution.status();
  }
  auto report = store_.GetDataReport(*ref);
  if (!report.ok()) return report.status();
  if (!report->has_value()) {
    return NotFoundField("name", absl::StrCat("no data report ", req.name(), " yet"));
  }
  return (*report)->value;
}

absl::StatusOr<v1::ListDataReportsResponse> SchoolReporting::ListDataReports(
    const Principal& caller, const v1::ListDataReportsRequest& req) {
  if (!ReadsEveryReport(caller) && caller.role != Role::kSchool) {
    return CheckReadsEverything(caller, "data reports");
  }
  if (auto period = LoadPeriod(req.period_id(), "period_id"); !period.ok()) return period.status();
  auto page = ParsePage(req.page_size(), req.page_token());
  if (!page.ok()) return page.status();
  auto codes = VisibleInstitutions(caller, req.institution_type());
  if (!codes.ok()) return codes.status();
  auto reports = store_.GetDataReports(*codes, req.period_id());
  if (!reports.ok()) return reports.status();
  v1::ListDataReportsResponse response;
  std::vector<const v1::DataReport*> matching;
  for (size_t i = 0; i < codes->size(); ++i) {
    const auto& report = (*reports)[i];
    if (!report.has_value()) {
      response.add_missing_institutions(InstitutionName((*codes)[i]));
      continue;
    }
    if (req.state() == v1::REPORT_STATE_UNSPECIFIED || report->value.state() == req.state()) {
      matching.push_back(&report->value);
    }
  }
  const int total = static_cast<int>(matching.size());
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    *response.add_data_reports() = *matching[i];
  }
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<v1::DataReport> SchoolReporting::UpdateDataReport(
    const Principal& caller, const v1::UpdateDataReportRequest& req) {
  v1::DataReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    const v1::DataReport& draft = req.data_report();
    auto ref = ParseReportName(draft.name(), ReportKind::kData, "data_report.name");
    if (!ref.ok()) return ref.status();
    if (absl::Status allowed = CheckCanWrite(caller, ref->institution_code); !allowed.ok()) {
      return allowed;
    }
    auto institution = LoadInstitution(ref->institution_code, "data_report.name");
    if (!institution.ok()) return institution.status();
    if (auto period = LoadOpenPeriod(ref->period_id, "data_report.name"); !period.ok()) {
      return period.status();
    }
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status editable = CheckCanEdit(StateOf(*current)); !editable.ok()) return editable;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(draft.etag(), version, "data_report.etag"); !fresh.ok()) {
      return fresh;
    }
    auto violations = DataReportViolations(draft, institution->value.type(), false, "data_report.");
    auto unknown = MajorsNotInCatalog(draft, "data_report.");
    if (!unknown.ok()) return unknown.status();
    violations.insert(violations.end(), unknown->begin(), unknown->end());
    if (!violations.empty()) return InvalidFields(violations);

    if (current->has_value()) {
      response = (*current)->value;
    } else {
      response.set_name(draft.name());
      response.set_institution(InstitutionName(ref->institution_code));
      response.set_period_id(ref->period_id);
      response.set_state(v1::REPORT_STATE_DRAFT);
    }
    *response.mutable_counts() = draft.counts();
    *response.mutable_majors() = draft.majors();
    response.set_updated_by(caller.ToString());
    *response.mutable_update_time() = TimeToProto(clock_.Now());
    response.set_etag(std::to_string(version + 1));
    write->data_reports.push_back({response, version});
    write->history.push_back({*ref, History(caller, "SAVE_DRAFT", response.revision() + 1,
                                            absl::StrCat(draft.counts_size(), " counts, ",
                                                         draft.majors_size(), " majors"))});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::DataReport> SchoolReporting::SubmitDataReport(
    const Principal& caller, const v1::SubmitDataReportRequest& req) {
  v1::DataReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
    if (!ref.ok()) return ref.status();
    if (absl::Status allowed = CheckCanWrite(caller, ref->institution_code); !allowed.ok()) {
      return allowed;
    }
    auto institution = LoadInstitution(ref->institution_code, "name");
    if (!institution.ok()) return institution.status();
    auto period = LoadOpenPeriod(ref->period_id, "name");
    if (!period.ok()) return period.status();
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanSubmit(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = (*current)->value;
    auto violations = DataReportViolations(response, institution->value.type(), true, "");
    // The catalog may have been loaded since the draft was saved.
    auto unknown = MajorsNotInCatalog(response, "");
    if (!unknown.ok()) return unknown.status();
    violations.insert(violations.end(), unknown->begin(), unknown->end());
    if (!violations.empty()) return InvalidFields(violations);

    // Last year's accepted figures, to flag values that moved too far.
    auto last_year = ParsePeriodId(ref->period_id, "name");
    if (!last_year.ok()) return last_year.status();
    last_year->year -= 1;
    v1::GetAcceptedFiguresRequest previous_req;
    previous_req.set_institution(InstitutionName(ref->institution_code));
    previous_req.set_period_id(last_year->id());
    v1::AcceptedFigures previous;
    if (last_year->year >= options_.periods.first_year) {
      auto figures = GetAcceptedFigures(caller, previous_req);
      if (!figures.ok()) return figures.status();
      previous = *std::move(figures);
    }
    const absl::Time now = clock_.Now();
    const bool resubmission = response.revision() > 0;
    response.set_state(v1::REPORT_STATE_SUBMITTED);
    response.set_revision(response.revision() + 1);
    response.clear_warnings();
    for (auto& w :
         ChangeWarnings(response.counts(), previous.counts(), options_.warn_change_share)) {
      *response.add_warnings() = std::move(w);
    }
    response.clear_returns();
    response.set_late(IsLate(*period, now));
    response.set_submitted_by(caller.ToString());
    *response.mutable_submit_time() = TimeToProto(now);
    response.clear_reviewed_by();
    response.clear_review_time();
    response.set_etag(std::to_string(version + 1));
    write->data_reports.push_back({response, version});
    write->data_revisions.push_back({*ref, response.revision(), {response, 0}});
    std::string detail = absl::StrCat(response.warnings_size(), " warning(s)");
    if (response.late()) absl::StrAppend(&detail, ", late");
    write->history.push_back(
        {*ref, History(caller, resubmission ? "RESUBMIT" : "SUBMIT", response.revision(), detail)});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::DataReport> SchoolReporting::ReviewDataReport(
    const Principal& caller, const v1::ReviewDataReportRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "review reports"); !allowed.ok()) {
    return allowed;
  }
  v1::DataReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
    if (!ref.ok()) return ref.status();
    auto institution = LoadInstitution(ref->institution_code, "name");
    if (!institution.ok()) return institution.status();
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanReview(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    const bool accept = req.decision() == v1::REVIEW_DECISION_ACCEPT;
    if (!accept) {
      auto violations = DataReturnViolations(req.returns(), institution->value.type());
      if (!violations.empty()) return InvalidFields(violations);
    }
    response = (*current)->value;
    auto snapshot = store_.GetDataRevisions(*ref, {response.revision()});
    if (!snapshot.ok()) return snapshot.status();
    if (!snapshot->front().has_value()) {
      return absl::DataLossError(absl::StrCat("revision ", response.revision(), " is missing"));
    }
    v1::DataReport revision = snapshot->front()->value;
    ApplyReview(accept, req.returns(), caller, clock_.Now(), &response, &revision);
    response.set_etag(std::to_string(version + 1));
    write->data_reports.push_back({response, version});
    write->data_revisions.push_back(
        {*ref, response.revision(), {revision, snapshot->front()->version}});
    if (accept) {
      write->outbox.push_back(AcceptedDataReportEntry(institution->value, response, revision,
                                                      TimeFromProto(response.review_time())));
    }
    write->history.push_back(
        {*ref, History(caller, accept ? "ACCEPT" : "RETURN", response.revision(),
                       accept ? "accepted and locked" : DescribeReturns(req.returns()))});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::DataReport> SchoolReporting::ReopenDataReport(
    const Principal& caller, const v1::ReopenDataReportRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "reopen accepted data"); !allowed.ok()) {
    return allowed;
  }
  v1::DataReport response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), ReportKind::kData, "name");
    if (!ref.ok()) return ref.status();
    if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
      return institution.status();
    }
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanReopen(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = (*current)->value;
    response.set_state(v1::REPORT_STATE_DRAFT);
    response.set_updated_by(caller.ToString());
    *response.mutable_update_time() = TimeToProto(clock_.Now());
    response.set_etag(std::to_string(version + 1));
    write->data_reports.push_back({response, version});
    write->history.push_back(
        {*ref, History(caller, "REOPEN", response.revision() + 1,
                       absl::StrCat(req.reason(), " (revision ", response.accepted_revision(),
                                    " stays accepted until revision ", response.revision() + 1,
                                    " is)"))});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

}  // namespace vetrack::schools
