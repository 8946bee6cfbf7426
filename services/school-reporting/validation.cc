#include "validation.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "idempotency/idempotency.h"
#include "institution_codes.h"
#include "major_catalog.h"
#include "names.h"
#include "periods.h"
#include "rpc/resource_name.h"
#include "status/errors.h"
#include "validation_checks.h"

namespace vetrack::schools {

void CheckRequestId(Violations& v, const std::string& request_id) {
  v.AddFrom(ValidateRequestId(request_id));
}

void CheckPageSize(Violations& v, int page_size) {
  if (page_size < 0) v.Add("page_size", "must not be negative");
}

void CheckType(Violations& v, const std::string& field, int type) {
  if (!v1::InstitutionType_IsValid(type)) v.Add(field, "unknown institution type");
}

void CheckState(Violations& v, int state) {
  if (!v1::ReportState_IsValid(state)) v.Add("state", "unknown report state");
}

void CheckReport(Violations& v, const std::string& field, const std::string& name,
                 ReportKind kind) {
  v.AddFrom(ParseReportName(name, kind, field).status());
}

void CheckPeriodOfKind(Violations& v, const std::string& field, const std::string& period_id,
                       v1::PeriodKind kind) {
  auto ref = ParsePeriodId(period_id, field);
  if (!ref.ok()) {
    v.AddFrom(ref.status());
  } else if (ref->kind != kind) {
    v.Add(field, kind == v1::PERIOD_KIND_ACADEMIC_YEAR ? "an academic year, e.g. ay2025"
                                                       : "a calendar year, e.g. cy2025");
  }
}

void CheckReview(Violations& v, v1::ReviewDecision decision,
                 const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns) {
  if (decision != v1::REVIEW_DECISION_ACCEPT && decision != v1::REVIEW_DECISION_RETURN) {
    v.Add("decision", "required: ACCEPT or RETURN");
  }
  if (decision == v1::REVIEW_DECISION_RETURN && returns.empty()) {
    v.Add("returns", "a return names at least one item and why");
  }
  if (decision == v1::REVIEW_DECISION_ACCEPT && !returns.empty()) {
    v.Add("returns", "an acceptance returns nothing");
  }
  if (returns.size() > kMaxReturns) v.Add("returns", absl::StrCat("at most ", kMaxReturns));
  for (int i = 0; i < returns.size() && i < kMaxReturns; ++i) {
    const std::string field = absl::StrCat("returns[", i, "]");
    if (returns[i].item().empty() || returns[i].item().size() > 64) {
      v.Add(field + ".item", "1–64 characters: an item id");
    }
    v.CheckText(field + ".reason", returns[i].reason(), kMaxReasonChars, true);
  }
}

bool IsKey(const std::string& key) {
  if (key.empty() || key.size() > 64) return false;
  return key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

bool IsSha256Hex(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

namespace {

void CheckInstitutionEntry(Violations& v, const std::string& field, const v1::Institution& entry) {
  if (!IsValidResourceId(entry.code())) {
    v.Add(field + ".code", "required: lower-case [a-z0-9-], the task registry's unit code");
  } else if (!entry.name().empty() && entry.name() != InstitutionName(entry.code())) {
    v.Add(field + ".name", absl::StrCat("must be ", InstitutionName(entry.code()), " or empty"));
  }
  v.CheckText(field + ".display_name", entry.display_name(), kMaxDisplayNameChars, false);
  CheckType(v, field + ".type", entry.type());
  if (!entry.school_id_code().empty()) {
    if (std::string problem = SchoolIdCodeProblem(entry.school_id_code()); !problem.empty()) {
      v.Add(field + ".school_id_code", problem);
    }
  }
  if (!entry.credit_code().empty()) {
    if (std::string problem = CreditCodeProblem(entry.credit_code()); !problem.empty()) {
      v.Add(field + ".credit_code", problem);
    }
  }
  // Before 1900 is a typo (every school is younger); 0 means not known here.
  if (entry.first_year() != 0 &&
      (entry.first_year() < 1900 || entry.first_year() > kLastPeriodYear)) {
    v.Add(field + ".first_year", absl::StrCat("a year from 1900 to ", kLastPeriodYear, ", or 0"));
  }
}

void CheckCatalogMajorEntry(Violations& v, const std::string& field,
                            const v1::CatalogMajor& entry) {
  if (std::string problem = CatalogCodeFormatProblem(entry.code()); !problem.empty()) {
    v.Add(field + ".code", problem);
  } else {
    if (!entry.name().empty() && entry.name() != CatalogMajorName(entry.code())) {
      v.Add(field + ".name", absl::StrCat("must be ", CatalogMajorName(entry.code()), " or empty"));
    }
    if (entry.level() != v1::MAJOR_LEVEL_UNSPECIFIED && v1::MajorLevel_IsValid(entry.level()) &&
        entry.level() != LevelOfCode(entry.code())) {
      v.Add(field + ".level", absl::StrCat("the code ", entry.code(), " is a ",
                                           LevelLabel(LevelOfCode(entry.code())), " major"));
    }
  }
  v.CheckText(field + ".display_name", entry.display_name(), kMaxCatalogTextChars, true);
  if (entry.level() == v1::MAJOR_LEVEL_UNSPECIFIED || !v1::MajorLevel_IsValid(entry.level())) {
    v.Add(field + ".level",
          "required: SECONDARY (中职), JUNIOR_COLLEGE (高职专科) or "
          "UNDERGRADUATE (职业本科)");
  }
  v.CheckText(field + ".category", entry.category(), kMaxCatalogTextChars, false);
  v.CheckText(field + ".subcategory", entry.subcategory(), kMaxCatalogTextChars, false);
}

// google.protobuf.Timestamp's own range: 0001-01-01 to 9999-12-31, nanos
// below a second. A time outside it is stored as given but cannot be written
// as JSON, so every answer that holds it would fail.
bool IsValidTime(const google::protobuf::Timestamp& time) {
  constexpr int64_t kMinSeconds = -62135596800;
  constexpr int64_t kMaxSeconds = 253402300799;
  return time.seconds() >= kMinSeconds && time.seconds() <= kMaxSeconds && time.nanos() >= 0 &&
         time.nanos() <= 999999999;
}

void CheckTime(Violations& v, const std::string& field, const google::protobuf::Timestamp& time) {
  if (!IsValidTime(time)) v.Add(field, "not a valid time");
}

// An issued catalog (with an issue time) is the platform's, and advances
// the mark no older one may pass: one that held its values back would move
// the mark past values it never applied.
void CheckKeepsNothingIssued(Violations& v, bool keep_stored_values) {
  if (keep_stored_values) {
    v.Add("keep_stored_values", "only for a catalog without an issue time (a seed file)");
  }
}

}  // namespace

absl::Status Validate(const v1::ListInstitutionsRequest& req) {
  Violations v;
  CheckPageSize(v, req.page_size());
  CheckType(v, "type", req.type());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetInstitutionRequest& req) {
  Violations v;
  v.AddFrom(ParseInstitutionName(req.name(), "name").status());
  return v.ToStatus();
}

absl::Status Validate(const v1::ImportInstitutionsRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  const auto& institutions = req.catalog().institutions();
  if (institutions.empty()) v.Add("catalog.institutions", "required: at least one institution");
  if (institutions.size() > kMaxInstitutions) {
    v.Add("catalog.institutions", absl::StrCat("at most ", kMaxInstitutions));
  }
  v.CheckText("catalog.source", req.catalog().source(), kMaxTitleChars, false);
  if (req.catalog().has_issue_time()) {
    CheckTime(v, "catalog.issue_time", req.catalog().issue_time());
    CheckKeepsNothingIssued(v, req.keep_stored_values());
  }
  std::set<std::string> codes;
  for (int i = 0; i < institutions.size() && i < kMaxInstitutions; ++i) {
    const std::string field = absl::StrCat("catalog.institutions[", i, "]");
    CheckInstitutionEntry(v, field, institutions[i]);
    if (!codes.insert(institutions[i].code()).second) v.Add(field + ".code", "listed twice");
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::ImportMajorCatalogRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  const auto& majors = req.catalog().majors();
  if (majors.empty()) v.Add("catalog.majors", "required: at least one major");
  if (majors.size() > kMaxCatalogMajors) {
    v.Add("catalog.majors", absl::StrCat("at most ", kMaxCatalogMajors));
  }
  v.CheckText("catalog.source", req.catalog().source(), kMaxTitleChars, false);
  if (req.catalog().has_issue_time()) {
    CheckTime(v, "catalog.issue_time", req.catalog().issue_time());
    CheckKeepsNothingIssued(v, req.keep_stored_values());
  }
  std::set<std::string> codes;
  for (int i = 0; i < majors.size() && i < kMaxCatalogMajors; ++i) {
    const std::string field = absl::StrCat("catalog.majors[", i, "]");
    CheckCatalogMajorEntry(v, field, majors[i]);
    if (!majors[i].code().empty() && !codes.insert(majors[i].code()).second) {
      v.Add(field + ".code", "listed twice");
    }
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::ListCatalogMajorsRequest& req) {
  Violations v;
  CheckPageSize(v, req.page_size());
  if (!v1::MajorLevel_IsValid(req.level())) v.Add("level", "unknown major level");
  return v.ToStatus();
}

absl::Status Validate(const v1::GetCatalogMajorRequest& req) {
  Violations v;
  v.AddFrom(ParseCatalogMajorName(req.name(), "name").status());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListItemsRequest& req) {
  Violations v;
  CheckType(v, "institution_type", req.institution_type());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListPeriodsRequest& req) {
  Violations v;
  if (!v1::PeriodKind_IsValid(req.kind())) v.Add("kind", "unknown period kind");
  return v.ToStatus();
}

absl::Status Validate(const v1::UpdatePeriodRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  v.AddFrom(ParsePeriodName(req.period().name(), "period.name").status());
  const bool has_open = req.period().has_open_time();
  const bool has_close = req.period().has_close_time();
  if (!has_open) v.Add("period.open_time", "required");
  if (!has_close) v.Add("period.close_time", "required");
  if (has_open) CheckTime(v, "period.open_time", req.period().open_time());
  if (has_close) CheckTime(v, "period.close_time", req.period().close_time());
  if (has_open && has_close && IsValidTime(req.period().open_time()) &&
      IsValidTime(req.period().close_time()) &&
      TimeFromProto(req.period().close_time()) <= TimeFromProto(req.period().open_time())) {
    v.Add("period.close_time", "must be after open_time");
  }
  v.CheckEtagShape("period.etag", req.period().etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::GetDataReportRequest& req) {
  Violations v;
  CheckReport(v, "name", req.name(), ReportKind::kData);
  return v.ToStatus();
}

absl::Status Validate(const v1::ListDataReportsRequest& req) {
  Violations v;
  CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_ACADEMIC_YEAR);
  CheckState(v, req.state());
  CheckType(v, "institution_type", req.institution_type());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::UpdateDataReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  const v1::DataReport& report = req.data_report();
  CheckReport(v, "data_report.name", report.name(), ReportKind::kData);
  if (report.counts_size() > kMaxCounts) {
    v.Add("data_report.counts", absl::StrCat("at most ", kMaxCounts, " items"));
  }
  if (report.majors_size() > kMaxMajors) {
    v.Add("data_report.majors", absl::StrCat("at most ", kMaxMajors));
  }
  v.CheckEtagShape("data_report.etag", report.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::SubmitDataReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckReport(v, "name", req.name(), ReportKind::kData);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ReviewDataReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckReport(v, "name", req.name(), ReportKind::kData);
  CheckReview(v, req.decision(), req.returns());
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ReopenDataReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckReport(v, "name", req.name(), ReportKind::kData);
  v.CheckText("reason", req.reason(), kMaxReasonChars, true);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListDataReportRevisionsRequest& req) {
  Violations v;
  CheckReport(v, "name", req.name(), ReportKind::kData);
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListQualityReportRevisionsRequest& req) {
  Violations v;
  CheckReport(v, "name", req.name(), ReportKind::kQuality);
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

namespace {

template <typename Request>
absl::Status ValidateDiff(const Request& req, ReportKind kind) {
  Violations v;
  CheckReport(v, "name", req.name(), kind);
  if (req.from_revision() < 1) v.Add("from_revision", "a submitted revision: 1 or more");
  if (req.to_revision() < 1) v.Add("to_revision", "a submitted revision: 1 or more");
  if (int64_t{req.to_revision()} - req.from_revision() > kMaxDiffSpan) {
    v.Add("to_revision", absl::StrCat("at most ", kMaxDiffSpan, " after from_revision"));
  }
  return v.ToStatus();
}

}  // namespace

absl::Status Validate(const v1::DiffDataReportRevisionsRequest& req) {
  return ValidateDiff(req, ReportKind::kData);
}

absl::Status Validate(const v1::DiffQualityReportRevisionsRequest& req) {
  return ValidateDiff(req, ReportKind::kQuality);
}

absl::Status Validate(const v1::GetAcceptedFiguresRequest& req) {
  Violations v;
  v.AddFrom(ParseInstitutionName(req.institution(), "institution").status());
  CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_ACADEMIC_YEAR);
  return v.ToStatus();
}

absl::Status Validate(const v1::BatchGetAcceptedFiguresRequest& req) {
  Violations v;
  if (req.institutions_size() < 1 || req.institutions_size() > kMaxBatchInstitutions) {
    v.Add("institutions", absl::StrCat("1 to ", kMaxBatchInstitutions, " institutions, not ",
                                       req.institutions_size()));
  }
  std::set<std::string> seen;
  for (int i = 0; i < req.institutions_size() && i < kMaxBatchInstitutions; ++i) {
    const std::string field = absl::StrCat("institutions[", i, "]");
    v.AddFrom(ParseInstitutionName(req.institutions(i), field).status());
    if (!seen.insert(req.institutions(i)).second) v.Add(field, "asked for twice");
  }
  CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_ACADEMIC_YEAR);
  return v.ToStatus();
}

}  // namespace vetrack::schools
