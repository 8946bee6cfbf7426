#include "quality_commands.h"

#include <cmath>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "decimal.h"
#include "school_commands.h"
#include "school_views.h"
#include "schools_client.h"

namespace vetrack::vetctl {
namespace {

using Stub = SchoolsClient::Stub;

// KEY=VALUE[:UNIT], e.g. employment_rate=96.5:%.
absl::StatusOr<schools_v1::KeyFigure> ParseKeyFigure(const std::string& text) {
  std::pair<std::string, std::string> parts = absl::StrSplit(text, absl::MaxSplits('=', 1));
  std::pair<std::string, std::string> value_unit =
      absl::StrSplit(parts.second, absl::MaxSplits(':', 1));
  double value = 0;
  if (parts.first.empty() || !ParseDecimal(value_unit.first, &value)) {
    return UsageError(absl::StrCat("--figure ", text,
                                   ": expected KEY=VALUE[:UNIT], e.g. employment_rate=96.5:%"));
  }
  schools_v1::KeyFigure figure;
  figure.set_key(parts.first);
  figure.set_value(value);
  figure.set_unit(value_unit.second);
  return figure;
}

absl::StatusOr<int> PositiveOption(const CommandContext& context, const std::string& name) {
  absl::StatusOr<std::string> text = RequiredOption(context.line, name);
  if (!text.ok()) return text.status();
  int value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < 1) {
    return UsageError(absl::StrCat("--", name, " takes a whole number of 1 or more"));
  }
  return value;
}

absl::Status ShowQuality(const CommandContext& context,
                         const absl::StatusOr<schools_v1::QualityReport>& report) {
  return Show(context, report, &PrintQualityReport);
}

std::string SpotCheckNameOf(const CommandContext& context) {
  return "spotChecks/" + context.args.front();
}

}  // namespace

absl::Status RunQualitySubmit(const CommandContext& context) {
  absl::StatusOr<std::string> name = SchoolReportName(context, "qualityReports");
  if (!name.ok()) return name.status();
  schools_v1::SubmitQualityReportRequest request;
  schools_v1::QualityReport* report = request.mutable_quality_report();
  report->set_name(*name);
  for (const char* option : {"title", "document", "sha256"}) {
    absl::StatusOr<std::string> value = RequiredOption(context.line, option);
    if (!value.ok()) return value.status();
  }
  report->set_title(OptionValue(context.line, "title"));
  report->set_document_uri(OptionValue(context.line, "document"));
  report->set_document_sha256(OptionValue(context.line, "sha256"));
  for (const std::string& text : OptionValues(context.line, "figure")) {
    absl::StatusOr<schools_v1::KeyFigure> figure = ParseKeyFigure(text);
    if (!figure.ok()) return figure.status();
    *report->add_key_figures() = *std::move(figure);
  }
  report->set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  SchoolsClient client(context.global);
  return ShowQuality(context, client.Call(&Stub::SubmitQualityReport, request));
}

absl::Status RunQualityList(const CommandContext& context) {
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  schools_v1::ListQualityReportsRequest request;
  request.set_period_id(*period);
  absl::StatusOr<schools_v1::InstitutionType> type = TypeOption(context);
  if (!type.ok()) return type.status();
  request.set_institution_type(*type);
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListQualityReports, request), &PrintQualityReports);
}

absl::Status RunQualityShow(const CommandContext& context) {
  absl::StatusOr<std::string> name = SchoolReportName(context, "qualityReports");
  if (!name.ok()) return name.status();
  schools_v1::GetQualityReportRequest request;
  request.set_name(*name);
  SchoolsClient client(context.global);
  return ShowQuality(context, client.Call(&Stub::GetQualityReport, request));
}

absl::Status RunQualityReview(const CommandContext& context) {
  schools_v1::ReviewQualityReportRequest request;
  if (absl::Status filled = FillReviewRequest(context, "qualityReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return ShowQuality(context, client.Call(&Stub::ReviewQualityReport, request));
}

absl::Status RunQualityReopen(const CommandContext& context) {
  schools_v1::ReopenQualityReportRequest request;
  if (absl::Status filled = FillReopenRequest(context, "qualityReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return ShowQuality(context, client.Call(&Stub::ReopenQualityReport, request));
}

absl::Status RunQualityDiff(const CommandContext& context) {
  schools_v1::DiffQualityReportRevisionsRequest request;
  if (absl::Status filled = FillDiffRequest(context, "qualityReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::DiffQualityReportRevisions, request), &PrintQualityDiff);
}

absl::Status RunQualityHistory(const CommandContext& context) {
  return RunReportHistoryOf(context, "qualityReports");
}

absl::Status RunSpotCheckDraw(const CommandContext& context) {
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  absl::StatusOr<int> per_type = PositiveOption(context, "per-type");
  if (!per_type.ok()) return per_type.status();
  absl::StatusOr<int> items = PositiveOption(context, "items");
  if (!items.ok()) return items.status();
  schools_v1::DrawSpotCheckRequest request;
  request.set_period_id(*period);
  request.set_institutions_per_type(*per_type);
  request.set_items_per_institution(*items);
  if (std::string seed = OptionValue(context.line, "seed"); !seed.empty()) {
    uint64_t value = 0;
    if (!absl::SimpleAtoi(seed, &value)) return UsageError("--seed takes a whole number");
    request.set_seed(value);
  }
  request.set_request_id(context.global.request_id);
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::DrawSpotCheck, request), &PrintSpotCheck);
}

absl::Status RunSpotCheckList(const CommandContext& context) {
  schools_v1::ListSpotChecksRequest request;
  request.set_period_id(OptionValue(context.line, "period"));
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListSpotChecks, request), &PrintSpotChecks);
}

absl::Status RunSpotCheckShow(const CommandContext& context) {
  schools_v1::GetSpotCheckRequest request;
  request.set_name(SpotCheckNameOf(context));
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::GetSpotCheck, request), &PrintSpotCheck);
}

absl::Status RunSpotCheckRecord(const CommandContext& context) {
  absl::StatusOr<std::string> institution = RequiredOption(context.line, "institution");
  if (!institution.ok()) return institution.status();
  absl::StatusOr<std::string> item = RequiredOption(context.line, "item");
  if (!item.ok()) return item.status();
  const bool confirmed = HasSwitch(context.line, "confirmed");
  if (confirmed == HasSwitch(context.line, "discrepancy")) {
    return UsageError("give either --confirmed or --discrepancy --verified VALUE");
  }
  schools_v1::RecordSpotCheckResultRequest request;
  request.set_name(SpotCheckNameOf(context));
  request.set_institution("institutions/" + *institution);
  request.set_item(*item);
  request.set_outcome(confirmed ? schools_v1::CHECK_OUTCOME_CONFIRMED
                                : schools_v1::CHECK_OUTCOME_DISCREPANCY);
  if (std::string verified = OptionValue(context.line, "verified"); !verified.empty()) {
    double value = 0;
    if (!ParseDecimal(verified, &value)) return UsageError("--verified takes a number");
    request.set_verified_value(value);
  }
  request.set_note(OptionValue(context.line, "note"));
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_correction_reason(OptionValue(context.line, "correct"));
  request.set_request_id(context.global.request_id);
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::RecordSpotCheckResult, request), &PrintSpotCheck);
}

absl::Status RunCredibility(const CommandContext& context) {
  schools_v1::ListCredibilityRequest request;
  absl::StatusOr<schools_v1::InstitutionType> type = TypeOption(context);
  if (!type.ok()) return type.status();
  request.set_institution_type(*type);
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::ListCredibility, request), &PrintCredibility);
}

}  // namespace vetrack::vetctl
