// The data report's own part of SchoolReporting: drafts and submission with
// every rule checked at once (reading, listing, review and reopening are
// shared with the quality report: reporting_reports.cc).
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "idempotency/idempotency.h"
#include "report_rules.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

absl::StatusOr<v1::DataReport> SchoolReporting::UpdateDataReport(
    const Principal& caller, const v1::UpdateDataReportRequest& req) {
  v1::DataReport response;
  v1::UpdateDataReportRequest asked = req;  // as its fingerprint sees it
  KeepOnlyFields({"name", "counts", "majors"}, asked.mutable_data_report());
  absl::Status done = Once(caller, asked, req.request_id(), &response, [&](SchoolWrite* write) {
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
    if (absl::Status counted = CheckCountedIn(institution->value, ref->period_id); !counted.ok()) {
      return counted;
    }
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status editable = CheckCanEdit(StateOf(*current)); !editable.ok()) return editable;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(draft.etag(), version, "data_report.etag"); !fresh.ok()) {
      return fresh;
    }
    // A report once submitted stays of the type it was submitted as, even
    // reopened after the school changed type: it describes that year.
    const v1::InstitutionType type =
        current->has_value() ? SubmittedType((*current)->value, institution->value.type())
                             : institution->value.type();
    auto violations = DataReportViolations(draft, type, false, "data_report.");
    v1::DataReport majors;  // named from the catalog as they are checked
    *majors.mutable_majors() = draft.majors();
    auto unknown = CheckMajorsAgainstCatalog(&majors, "data_report.");
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
    *response.mutable_majors() = std::move(*majors.mutable_majors());
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
    if (absl::Status counted = CheckCountedIn(institution->value, ref->period_id); !counted.ok()) {
      return counted;
    }
    auto current = store_.GetDataReport(*ref);
    if (!current.ok()) return current.status();
    if (absl::Status ready = CheckCanSubmit(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = (*current)->value;
    const v1::InstitutionType type = SubmittedType(response, institution->value.type());
    auto violations = DataReportViolations(response, type, true, "");
    // The catalog may have been loaded since the draft was saved (a draft
    // saved before it is named now).
    auto unknown = CheckMajorsAgainstCatalog(&response, "");
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
    response.set_institution_type(type);
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

}  // namespace vetrack::schools
