// The quality report's own part of SchoolReporting (质量年报): submitted whole
// with its document's SHA-256 and key figures (reading, listing, review and
// reopening are shared with the data report: reporting_reports.cc).
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "report_rules.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

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
    auto institution = LoadInstitution(ref->institution_code, "quality_report.name");
    if (!institution.ok()) return institution.status();
    auto period = LoadOpenPeriod(ref->period_id, "quality_report.name");
    if (!period.ok()) return period.status();
    if (absl::Status counted = CheckCountedIn(institution->value, ref->period_id); !counted.ok()) {
      return counted;
    }
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

}  // namespace vetrack::schools
