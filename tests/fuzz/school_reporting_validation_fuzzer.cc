// Every request validator of school-reporting (validation.h), fuzzed.
#include <cmath>
#include <set>

#include "clock/timestamp.h"
#include "fuzz_support.h"
#include "names.h"
#include "periods.h"
#include "rpc/resource_name.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

using fuzz::Case;
using fuzz::Require;

void RequireReport(const std::string& name, ReportKind kind) {
  Require(ParseReportName(name, kind, "name").ok(), "a report name of the right kind");
}

void RequireReview(v1::ReviewDecision decision, int returns) {
  Require((decision == v1::REVIEW_DECISION_ACCEPT && returns == 0) ||
              (decision == v1::REVIEW_DECISION_RETURN && returns > 0 && returns <= kMaxReturns),
          "an acceptance, or a return naming items");
}

const std::vector<fuzz::RequestCase>& Cases() {
  static const auto* cases = new std::vector<fuzz::RequestCase>{
      Case<v1::ListInstitutionsRequest>(Validate),
      Case<v1::GetInstitutionRequest>(Validate),
      Case<v1::ImportInstitutionsRequest>(
          Validate,
          [](const v1::ImportInstitutionsRequest& r) {
            std::set<std::string> codes;
            for (const auto& entry : r.catalog().institutions()) {
              Require(IsValidResourceId(entry.code()) && codes.insert(entry.code()).second,
                      "valid codes, each once");
              Require(v1::InstitutionType_IsValid(entry.type()), "a known type");
            }
          }),
      Case<v1::ListItemsRequest>(Validate),
      Case<v1::ListPeriodsRequest>(Validate),
      Case<v1::UpdatePeriodRequest>(
          Validate,
          [](const v1::UpdatePeriodRequest& r) {
            Require(ParsePeriodName(r.period().name(), "name").ok(), "a period name");
            Require(TimeFromProto(r.period().open_time()) < TimeFromProto(r.period().close_time()),
                    "a window that opens before it closes");
          }),
      Case<v1::GetDataReportRequest>(Validate),
      Case<v1::ListDataReportsRequest>(Validate),
      Case<v1::UpdateDataReportRequest>(Validate,
                                        [](const v1::UpdateDataReportRequest& r) {
                                          RequireReport(r.data_report().name(), ReportKind::kData);
                                          Require(r.data_report().counts_size() <= kMaxCounts &&
                                                      r.data_report().majors_size() <= kMaxMajors,
                                                  "counts and majors within limits");
                                        }),
      Case<v1::SubmitDataReportRequest>(Validate),
      Case<v1::ReviewDataReportRequest>(Validate,
                                        [](const v1::ReviewDataReportRequest& r) {
                                          RequireReport(r.name(), ReportKind::kData);
                                          RequireReview(r.decision(), r.returns_size());
                                        }),
      Case<v1::ReopenDataReportRequest>(Validate),
      Case<v1::ListDataReportRevisionsRequest>(Validate),
      Case<v1::ListQualityReportRevisionsRequest>(Validate),
      Case<v1::DiffDataReportRevisionsRequest>(
          Validate,
          [](const v1::DiffDataReportRevisionsRequest& r) {
            Require(r.from_revision() >= 1 && r.to_revision() >= 1, "submitted revisions");
          }),
      Case<v1::DiffQualityReportRevisionsRequest>(
          Validate,
          [](const v1::DiffQualityReportRevisionsRequest& r) {
            Require(r.from_revision() >= 1 && r.to_revision() >= 1, "submitted revisions");
          }),
      Case<v1::GetAcceptedFiguresRequest>(Validate),
      Case<v1::BatchGetAcceptedFiguresRequest>(
          Validate,
          [](const v1::BatchGetAcceptedFiguresRequest& r) {
            std::set<std::string> names(r.institutions().begin(), r.institutions().end());
            Require(r.institutions_size() >= 1 && r.institutions_size() <= kMaxBatchInstitutions &&
                        names.size() == static_cast<size_t>(r.institutions_size()),
                    "1 to 100 distinct institutions");
          }),
      Case<v1::GetQualityReportRequest>(Validate),
      Case<v1::ListQualityReportsRequest>(Validate),
      Case<v1::SubmitQualityReportRequest>(
          Validate,
          [](const v1::SubmitQualityReportRequest& r) {
            RequireReport(r.quality_report().name(), ReportKind::kQuality);
            std::set<std::string> keys;
            for (const auto& f : r.quality_report().key_figures()) {
              Require(keys.insert(f.key()).second && std::isfinite(f.value()),
                      "distinct keys, finite values");
            }
          }),
      Case<v1::ReviewQualityReportRequest>(Validate,
                                           [](const v1::ReviewQualityReportRequest& r) {
                                             RequireReport(r.name(), ReportKind::kQuality);
                                             RequireReview(r.decision(), r.returns_size());
                                           }),
      Case<v1::ReopenQualityReportRequest>(Validate),
      Case<v1::ListReportHistoryRequest>(Validate),
      Case<v1::ListReferenceHistoryRequest>(Validate),
      Case<v1::DrawSpotCheckRequest>(
          Validate,
          [](const v1::DrawSpotCheckRequest& r) {
            Require(r.institutions_per_type() >= 1 && r.institutions_per_type() <= kMaxDrawSize &&
                        r.items_per_institution() >= 1 && r.items_per_institution() <= kMaxDrawSize,
                    "a draw of a sensible size");
          }),
      Case<v1::GetSpotCheckRequest>(Validate),
      Case<v1::ListSpotChecksRequest>(Validate),
      Case<v1::RecordSpotCheckResultRequest>(
          Validate,
          [](const v1::RecordSpotCheckResultRequest& r) {
            Require(r.outcome() != v1::CHECK_OUTCOME_DISCREPANCY ||
                        (r.has_verified_value() && std::isfinite(r.verified_value())),
                    "a discrepancy states the verified value");
          }),
      Case<v1::ListCredibilityRequest>(Validate),
      Case<v1::ImportMajorCatalogRequest>(Validate),
      Case<v1::ListCatalogMajorsRequest>(Validate),
      Case<v1::GetCatalogMajorRequest>(Validate),
  };
  return *cases;
}

}  // namespace
}  // namespace vetrack::schools

VETRACK_VALIDATOR_FUZZER(vetrack::schools::Cases)
