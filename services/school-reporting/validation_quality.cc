// Request validation for quality reports, spot checks and the histories:
// each names every offending field (validation.h has the contract).
#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "items.h"
#include "names.h"
#include "status/errors.h"
#include "validation.h"
#include "validation_checks.h"

namespace vetrack::schools {
namespace {

// A key figure's value, stated or verified. Spot checks compare these with
// the data report: a figure named as one of its counts is such a count. (A
// figure in % may pass 100 or fall below 0: a plan's completion rate, a
// growth rate.)
void CheckFigureValue(Violations& v, const std::string& field, const std::string& key,
                      double value) {
  const v1::Item* item = FindItem(key);
  if (!std::isfinite(value)) {
    v.Add(field, "must be a finite number");
  } else if (item != nullptr && item->type() == v1::ITEM_TYPE_COUNT &&
             (value < 0 || value > kMaxCount || value != std::floor(value))) {
    v.Add(field,
          absl::StrCat("the data report's count ", key, ": a whole number from 0 to ", kMaxCount));
  } else if (std::fabs(value) > 1e12) {
    v.Add(field, "beyond ±1e12");
  }
}

}  // namespace

absl::Status Validate(const v1::GetQualityReportRequest& req) {
  Violations v;
  CheckReport(v, "name", req.name(), ReportKind::kQuality);
  return v.ToStatus();
}

absl::Status Validate(const v1::ListQualityReportsRequest& req) {
  Violations v;
  CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_CALENDAR_YEAR);
  CheckState(v, req.state());
  CheckType(v, "institution_type", req.institution_type());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::SubmitQualityReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  const v1::QualityReport& report = req.quality_report();
  CheckReport(v, "quality_report.name", report.name(), ReportKind::kQuality);
  v.CheckText("quality_report.title", report.title(), kMaxTitleChars, true);
  if (report.document_uri().empty() || report.document_uri().size() > kMaxUriBytes) {
    v.Add("quality_report.document_uri",
          absl::StrCat("required, at most ", kMaxUriBytes, " bytes"));
  }
  if (!IsSha256Hex(report.document_sha256())) {
    v.Add("quality_report.document_sha256", "the document's SHA-256: 64 hex digits");
  }
  if (report.key_figures().empty()) {
    v.Add("quality_report.key_figures", "required: the figures the report states");
  }
  if (report.key_figures_size() > kMaxKeyFigures) {
    v.Add("quality_report.key_figures", absl::StrCat("at most ", kMaxKeyFigures));
  }
  std::set<std::string> keys;
  for (int i = 0; i < report.key_figures_size() && i < kMaxKeyFigures; ++i) {
    const v1::KeyFigure& figure = report.key_figures(i);
    const std::string field = absl::StrCat("quality_report.key_figures[", i, "]");
    if (!IsKey(figure.key())) {
      v.Add(field + ".key", "1–64 of [a-z0-9_]");
    } else if (figure.key() == "title" || figure.key() == "document") {
      // A return and a diff name the report's title and document so.
      v.Add(field + ".key", "\"title\" and \"document\" name the report's own parts");
    } else if (!keys.insert(figure.key()).second) {
      v.Add(field + ".key", "listed twice");
    }
    CheckFigureValue(v, field + ".value", figure.key(), figure.value());
    v.CheckText(field + ".display_name", figure.display_name(), kMaxDisplayNameChars, false);
    v.CheckText(field + ".unit", figure.unit(), 16, false);
  }
  v.CheckEtagShape("quality_report.etag", report.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ReviewQualityReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckReport(v, "name", req.name(), ReportKind::kQuality);
  CheckReview(v, req.decision(), req.returns());
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ReopenQualityReportRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckReport(v, "name", req.name(), ReportKind::kQuality);
  v.CheckText("reason", req.reason(), kMaxReasonChars, true);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListReportHistoryRequest& req) {
  Violations v;
  v.AddFrom(ParseAnyReportName(req.report(), "report").status());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListReferenceHistoryRequest& req) {
  Violations v;
  v.AddFrom(CheckReferenceResource(req.resource(), "resource"));
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::DrawSpotCheckRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_CALENDAR_YEAR);
  if (req.institutions_per_type() < 1 || req.institutions_per_type() > kMaxDrawSize) {
    v.Add("institutions_per_type", absl::StrCat("1–", kMaxDrawSize));
  }
  if (req.items_per_institution() < 1 || req.items_per_institution() > kMaxDrawSize) {
    v.Add("items_per_institution", absl::StrCat("1–", kMaxDrawSize));
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::GetSpotCheckRequest& req) {
  Violations v;
  v.AddFrom(ParseSpotCheckName(req.name(), "name").status());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListSpotChecksRequest& req) {
  Violations v;
  if (!req.period_id().empty()) {
    CheckPeriodOfKind(v, "period_id", req.period_id(), v1::PERIOD_KIND_CALENDAR_YEAR);
  }
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::RecordSpotCheckResultRequest& req) {
  Violations v;
  CheckRequestId(v, req.request_id());
  v.AddFrom(ParseSpotCheckName(req.name(), "name").status());
  v.AddFrom(ParseInstitutionName(req.institution(), "institution").status());
  if (!IsKey(req.item())) v.Add("item", "required: the key figure's key");
  if (req.outcome() != v1::CHECK_OUTCOME_CONFIRMED &&
      req.outcome() != v1::CHECK_OUTCOME_DISCREPANCY) {
    v.Add("outcome", "required: CONFIRMED or DISCREPANCY");
  }
  if (req.outcome() == v1::CHECK_OUTCOME_DISCREPANCY && !req.has_verified_value()) {
    v.Add("verified_value", "required with a discrepancy: the value the checker verified");
  }
  // What the checker found is a value of the same figure, held to the same
  // bounds: a slip recorded here counts against the school.
  if (req.has_verified_value()) {
    CheckFigureValue(v, "verified_value", req.item(), req.verified_value());
  }
  v.CheckText("note", req.note(), kMaxNoteChars, false);
  v.CheckText("correction_reason", req.correction_reason(), kMaxReasonChars, false);
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListCredibilityRequest& req) {
  Violations v;
  CheckType(v, "institution_type", req.institution_type());
  return v.ToStatus();
}

}  // namespace vetrack::schools
