// What the data report and the quality report share: reading, listing,
// review with a reason per returned item, and reopening an accepted report.
// The flows are written once; ReportKindOf (report_kinds.h) says where the
// two kinds differ.
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "paging/paging.h"
#include "periods.h"
#include "report_kinds.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

template <typename Report>
absl::StatusOr<Report> SchoolReporting::GetReport(const Principal& caller,
                                                  const std::string& name) {
  using Kind = ReportKindOf<Report>;
  auto ref = ParseReportName(name, Kind::kKind, "name");
  if (!ref.ok()) return ref.status();
  if (absl::Status allowed = CheckCanRead(caller, ref->institution_code); !allowed.ok()) {
    return allowed;
  }
  if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
    return institution.status();
  }
  auto report = Kind::Get(store_, *ref);
  if (!report.ok()) return report.status();
  if (!report->has_value()) {
    return NotFoundField("name", absl::StrCat("no ", Kind::kNoun, " ", name, " yet"));
  }
  return (*report)->value;
}

template <typename Report, typename ListResponse, typename ListRequest>
absl::StatusOr<ListResponse> SchoolReporting::ListReports(const Principal& caller,
                                                          const ListRequest& req) {
  using Kind = ReportKindOf<Report>;
  if (!ReadsEveryReport(caller) && caller.role != Role::kSchool) {
    return CheckReadsEverything(caller, absl::StrCat(Kind::kNoun, "s"));
  }
  if (auto period = LoadPeriod(req.period_id(), "period_id"); !period.ok()) return period.status();
  auto period_ref = ParsePeriodId(req.period_id(), "period_id");
  if (!period_ref.ok()) return period_ref.status();
  // By institution code, not offset: a report reviewed between two pages of
  // the SUBMITTED queue leaves it, and must not push another out of sight.
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  // Every visible institution: a report is of the type it counts under that
  // year (Kind::YearType), which need not be its institution's type now.
  auto institutions = VisibleInstitutions(caller);
  if (!institutions.ok()) return institutions.status();
  const v1::InstitutionType type = req.institution_type();
  const bool any_type = type == v1::INSTITUTION_TYPE_UNSPECIFIED;
  std::vector<std::string> codes;
  for (const auto& i : *institutions) codes.push_back(i.code());
  auto reports = Kind::GetMany(store_, codes, req.period_id());
  if (!reports.ok()) return reports.status();
  ListResponse response;
  const bool first_page = page->after.empty();
  int added = 0;
  size_t last_added = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    const std::string& code = codes[i];
    const auto& report = (*reports)[i];
    const v1::Institution& institution = (*institutions)[i];
    if (!report.has_value()) {
      if (first_page && CountedIn(institution, *period_ref) &&
          (any_type || institution.type() == type)) {
        response.add_missing_institutions(InstitutionName(code));
      }
      continue;
    }
    if (!any_type && Kind::YearType(report->value, institution.type()) != type) continue;
    if (!first_page && code <= page->after) continue;
    if (req.state() != v1::REPORT_STATE_UNSPECIFIED && report->value.state() != req.state()) {
      continue;
    }
    if (added == page->size) {
      // One more matches: the page is full and a next one exists.
      if (response.next_page_token().empty()) {
        response.set_next_page_token(KeyPageToken(*page, codes[last_added]));
      }
      continue;
    }
    *Kind::AddTo(&response) = report->value;
    ++added;
    last_added = i;
  }
  return response;
}

template <typename Report, typename ReviewRequest>
absl::StatusOr<Report> SchoolReporting::ReviewReport(const Principal& caller,
                                                     const ReviewRequest& req) {
  using Kind = ReportKindOf<Report>;
  if (absl::Status allowed = CheckIsCoordinator(caller, "review reports"); !allowed.ok()) {
    return allowed;
  }
  Report response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), Kind::kKind, "name");
    if (!ref.ok()) return ref.status();
    auto institution = LoadInstitution(ref->institution_code, "name");
    if (!institution.ok()) return institution.status();
    auto current = Kind::Get(store_, *ref);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return NotFoundField("name", absl::StrCat("no ", Kind::kNoun, " ", req.name(), " yet"));
    }
    if (absl::Status ready = CheckCanReview(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    const bool accept = req.decision() == v1::REVIEW_DECISION_ACCEPT;
    response = (*current)->value;
    if (!accept) {
      auto violations = Kind::ReturnViolations(req.returns(), institution->value, response);
      if (!violations.empty()) return InvalidFields(violations);
    }
    // The revision under review is kept as it was submitted, with the verdict.
    auto snapshot = Kind::GetRevision(store_, *ref, response.revision());
    if (!snapshot.ok()) return snapshot.status();
    if (!snapshot->front().has_value()) {
      return absl::DataLossError(absl::StrCat("revision ", response.revision(), " is missing"));
    }
    Report revision = snapshot->front()->value;
    ApplyReview(accept, req.returns(), caller, clock_.Now(), &response, &revision);
    if constexpr (Kind::kSpotChecked) {
      if (!accept) {
        if (absl::Status withdrawn = WithdrawFigureCounts(*ref, revision, write); !withdrawn.ok()) {
          return withdrawn;
        }
      }
    }
    response.set_etag(std::to_string(version + 1));
    Kind::Reports(write).push_back({response, version});
    Kind::Revisions(write).push_back(
        {*ref, response.revision(), {revision, snapshot->front()->version}});
    if (accept) {
      write->outbox.push_back(Kind::AcceptedEntry(institution->value, response, revision,
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

template <typename Report, typename ReopenRequest>
absl::StatusOr<Report> SchoolReporting::ReopenReport(const Principal& caller,
                                                     const ReopenRequest& req) {
  using Kind = ReportKindOf<Report>;
  if (absl::Status allowed = CheckIsCoordinator(caller, "reopen accepted reports"); !allowed.ok()) {
    return allowed;
  }
  Report response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto ref = ParseReportName(req.name(), Kind::kKind, "name");
    if (!ref.ok()) return ref.status();
    if (auto institution = LoadInstitution(ref->institution_code, "name"); !institution.ok()) {
      return institution.status();
    }
    auto current = Kind::Get(store_, *ref);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return NotFoundField("name", absl::StrCat("no ", Kind::kNoun, " ", req.name(), " yet"));
    }
    if (absl::Status ready = CheckCanReopen(StateOf(*current)); !ready.ok()) return ready;
    const int64_t version = VersionOf(*current);
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = (*current)->value;
    response.set_state(v1::REPORT_STATE_DRAFT);
    Kind::MarkReopened(caller.ToString(), clock_.Now(), &response);
    response.set_etag(std::to_string(version + 1));
    Kind::Reports(write).push_back({response, version});
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

absl::StatusOr<v1::DataReport> SchoolReporting::GetDataReport(const Principal& caller,
                                                              const v1::GetDataReportRequest& req) {
  return GetReport<v1::DataReport>(caller, req.name());
}

absl::StatusOr<v1::QualityReport> SchoolReporting::GetQualityReport(
    const Principal& caller, const v1::GetQualityReportRequest& req) {
  return GetReport<v1::QualityReport>(caller, req.name());
}

absl::StatusOr<v1::ListDataReportsResponse> SchoolReporting::ListDataReports(
    const Principal& caller, const v1::ListDataReportsRequest& req) {
  return ListReports<v1::DataReport, v1::ListDataReportsResponse>(caller, req);
}

absl::StatusOr<v1::ListQualityReportsResponse> SchoolReporting::ListQualityReports(
    const Principal& caller, const v1::ListQualityReportsRequest& req) {
  return ListReports<v1::QualityReport, v1::ListQualityReportsResponse>(caller, req);
}

absl::StatusOr<v1::DataReport> SchoolReporting::ReviewDataReport(
    const Principal& caller, const v1::ReviewDataReportRequest& req) {
  return ReviewReport<v1::DataReport>(caller, req);
}

absl::StatusOr<v1::QualityReport> SchoolReporting::ReviewQualityReport(
    const Principal& caller, const v1::ReviewQualityReportRequest& req) {
  return ReviewReport<v1::QualityReport>(caller, req);
}

absl::StatusOr<v1::DataReport> SchoolReporting::ReopenDataReport(
    const Principal& caller, const v1::ReopenDataReportRequest& req) {
  return ReopenReport<v1::DataReport>(caller, req);
}

absl::StatusOr<v1::QualityReport> SchoolReporting::ReopenQualityReport(
    const Principal& caller, const v1::ReopenQualityReportRequest& req) {
  return ReopenReport<v1::QualityReport>(caller, req);
}

}  // namespace vetrack::schools
