#include "school_commands.h"

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "enum_labels.h"
#include "output.h"
#include "school-reporting/items.h"
#include "school_views.h"
#include "schools_client.h"

namespace vetrack::vetctl {
namespace {

using Stub = SchoolsClient::Stub;

// ITEM=N.
absl::Status ApplySet(const std::string& text, schools_v1::DataReport* report) {
  std::pair<std::string, std::string> parts = absl::StrSplit(text, absl::MaxSplits('=', 1));
  // Before the number: "--set majors=510201:new" is the likelier slip.
  if (parts.first == schools::kMajorsItem) {
    return UsageError(absl::StrCat("--set ", text, ": ", schools::kMajorsItem,
                                   " is the list of majors: give each with --major "
                                   "CODE:STATUS[:NAME], e.g. --major 510201:new"));
  }
  int64_t value = 0;
  if (parts.first.empty() || !absl::SimpleAtoi(parts.second, &value)) {
    return UsageError(absl::StrCat("--set ", text, ": expected ITEM=NUMBER, e.g. graduates=3800"));
  }
  (*report->mutable_counts())[parts.first] = value;
  return absl::OkStatus();
}

// CODE:STATUS[:NAME], replacing any entry of the same code.
absl::Status ApplyMajor(const std::string& text, schools_v1::DataReport* report) {
  std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits(':', 2));
  if (parts.size() < 2) {
    return UsageError(absl::StrCat("--major ", text, ": expected CODE:STATUS[:NAME], e.g. ",
                                   "510201:new:计算机应用技术"));
  }
  absl::StatusOr<int> status =
      ParseEnumLabel(schools_v1::MajorStatus_descriptor(), parts[1], "major");
  if (!status.ok()) return status.status();
  schools_v1::Major* major = nullptr;
  for (auto& m : *report->mutable_majors()) {
    if (m.catalog_code() == parts[0]) major = &m;
  }
  if (major == nullptr) major = report->add_majors();
  major->set_catalog_code(parts[0]);
  major->set_status(static_cast<schools_v1::MajorStatus>(*status));
  if (parts.size() == 3) major->set_display_name(parts[2]);
  return absl::OkStatus();
}

void DropMajor(const std::string& code, schools_v1::DataReport* report) {
  auto* majors = report->mutable_majors();
  for (int i = majors->size() - 1; i >= 0; --i) {
    if (majors->Get(i).catalog_code() == code) majors->DeleteSubrange(i, 1);
  }
}

absl::Status ShowReport(const CommandContext& context,
                        const absl::StatusOr<schools_v1::DataReport>& report) {
  if (!report.ok()) return report.status();
  if (context.global.json) return PrintJson(std::cout, *report);
  SchoolsClient client(context.global);
  absl::StatusOr<schools_v1::ListItemsResponse> items =
      client.Call(&Stub::ListItems, schools_v1::ListItemsRequest());
  PrintDataReport(std::cout, *report, items.ok() ? *items : schools_v1::ListItemsResponse());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> RevisionOption(const CommandContext& context, const std::string& name) {
  absl::StatusOr<std::string> text = RequiredOption(context.line, name);
  if (!text.ok()) return text.status();
  int value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < 1) {
    return UsageError(absl::StrCat("--", name, " takes a revision number (1, 2 …)"));
  }
  return value;
}

absl::StatusOr<std::string> SchoolOf(const CommandContext& context) {
  std::string code = OptionValue(context.line, "institution");
  if (!code.empty()) return code;
  if (context.global.role == "school") return context.global.unit;
  return UsageError("--institution CODE is required (a school caller may leave it out)");
}

absl::StatusOr<std::string> SchoolReportName(const CommandContext& context,
                                             const std::string& collection) {
  absl::StatusOr<std::string> code = SchoolOf(context);
  if (!code.ok()) return code.status();
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  return absl::StrCat("institutions/", *code, "/", collection, "/", *period);
}

absl::Status ParseReview(const CommandContext& context, schools_v1::ReviewDecision* decision,
                         google::protobuf::RepeatedPtrField<schools_v1::ItemReturn>* returns) {
  const bool accept = HasSwitch(context.line, "accept");
  if (accept == HasSwitch(context.line, "return")) {
    return UsageError("give either --accept or --return with --item ITEM=REASON");
  }
  *decision = accept ? schools_v1::REVIEW_DECISION_ACCEPT : schools_v1::REVIEW_DECISION_RETURN;
  for (const std::string& text : OptionValues(context.line, "item")) {
    std::pair<std::string, std::string> parts = absl::StrSplit(text, absl::MaxSplits('=', 1));
    if (parts.first.empty() || parts.second.empty()) {
      return UsageError(absl::StrCat("--item ", text, ": expected ITEM=REASON"));
    }
    schools_v1::ItemReturn* r = returns->Add();
    r->set_item(parts.first);
    r->set_reason(parts.second);
  }
  return absl::OkStatus();
}

absl::StatusOr<schools_v1::InstitutionType> TypeOption(const CommandContext& context) {
  std::string label = OptionValue(context.line, "type");
  if (label.empty()) return schools_v1::INSTITUTION_TYPE_UNSPECIFIED;
  absl::StatusOr<int> type =
      ParseEnumLabel(schools_v1::InstitutionType_descriptor(), label, "type");
  if (!type.ok()) return type.status();
  return static_cast<schools_v1::InstitutionType>(*type);
}

absl::Status RunInstitutionsList(const CommandContext& context) {
  schools_v1::ListInstitutionsRequest request;
  absl::StatusOr<schools_v1::InstitutionType> type = TypeOption(context);
  if (!type.ok()) return type.status();
  request.set_type(*type);
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListInstitutions, request), &PrintInstitutions);
}

absl::Status RunItems(const CommandContext& context) {
  schools_v1::ListItemsRequest request;
  absl::StatusOr<schools_v1::InstitutionType> type = TypeOption(context);
  if (!type.ok()) return type.status();
  request.set_institution_type(*type);
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::ListItems, request), &PrintItems);
}

absl::Status RunReportingPeriods(const CommandContext& context) {
  schools_v1::ListPeriodsRequest request;
  if (std::string kind = OptionValue(context.line, "kind"); !kind.empty()) {
    absl::StatusOr<int> parsed = ParseEnumLabel(schools_v1::PeriodKind_descriptor(), kind, "kind");
    if (!parsed.ok()) return parsed.status();
    request.set_kind(static_cast<schools_v1::PeriodKind>(*parsed));
  }
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::ListPeriods, request), &PrintReportingPeriods);
}

absl::Status RunReportingWindow(const CommandContext& context) {
  schools_v1::UpdatePeriodRequest request;
  request.mutable_period()->set_name("periods/" + context.args.front());
  absl::StatusOr<google::protobuf::Timestamp> open = DateOption(context, "open");
  if (!open.ok()) return open.status();
  absl::StatusOr<google::protobuf::Timestamp> close = DateOption(context, "close");
  if (!close.ok()) return close.status();
  // People name the last day; the period closes when that day is over.
  *close = TimeToProto(TimeFromProto(*close) + absl::Hours(24));
  *request.mutable_period()->mutable_open_time() = *open;
  *request.mutable_period()->mutable_close_time() = *close;
  request.mutable_period()->set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  SchoolsClient client(context.global);
  absl::StatusOr<schools_v1::Period> period = client.Call(&Stub::UpdatePeriod, request);
  if (!period.ok()) return period.status();
  schools_v1::ListPeriodsResponse one;
  *one.add_periods() = *period;
  if (context.global.json) return PrintJson(std::cout, *period);
  PrintReportingPeriods(std::cout, one);
  return absl::OkStatus();
}

absl::Status RunReportsList(const CommandContext& context) {
  schools_v1::ListDataReportsRequest request;
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  request.set_period_id(*period);
  if (std::string state = OptionValue(context.line, "state"); !state.empty()) {
    absl::StatusOr<int> parsed =
        ParseEnumLabel(schools_v1::ReportState_descriptor(), state, "state");
    if (!parsed.ok()) return parsed.status();
    request.set_state(static_cast<schools_v1::ReportState>(*parsed));
  }
  absl::StatusOr<schools_v1::InstitutionType> type = TypeOption(context);
  if (!type.ok()) return type.status();
  request.set_institution_type(*type);
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListDataReports, request), &PrintDataReports);
}

absl::Status RunReportsShow(const CommandContext& context) {
  absl::StatusOr<std::string> name = SchoolReportName(context, "dataReports");
  if (!name.ok()) return name.status();
  schools_v1::GetDataReportRequest request;
  request.set_name(*name);
  SchoolsClient client(context.global);
  return ShowReport(context, client.Call(&Stub::GetDataReport, request));
}

absl::Status RunReportsSave(const CommandContext& context) {
  // A malformed --set is told before anything is asked of the service.
  schools_v1::DataReport checked;
  for (const std::string& text : OptionValues(context.line, "set")) {
    if (absl::Status set = ApplySet(text, &checked); !set.ok()) return set;
  }
  absl::StatusOr<std::string> name = SchoolReportName(context, "dataReports");
  if (!name.ok()) return name.status();
  SchoolsClient client(context.global);
  // The changes go onto the draft as it is now, guarded by its etag, so an
  // edit made meanwhile is not overwritten.
  schools_v1::GetDataReportRequest get;
  get.set_name(*name);
  schools_v1::DataReport draft;
  absl::StatusOr<schools_v1::DataReport> current = client.Call(&Stub::GetDataReport, get);
  if (current.ok()) {
    draft = *std::move(current);
  } else if (absl::IsPermissionDenied(current.status())) {
    // Found in use: a school saving another's report was told only that it
    // may not read it.
    return absl::PermissionDeniedError(
        absl::StrCat(current.status().message(), ": only the institution itself saves its report"));
  } else if (!absl::IsNotFound(current.status())) {
    return current.status();
  }
  draft.set_name(*name);
  for (const std::string& text : OptionValues(context.line, "set")) {
    if (absl::Status set = ApplySet(text, &draft); !set.ok()) return set;
  }
  for (const std::string& id : OptionValues(context.line, "unset"))
    draft.mutable_counts()->erase(id);
  for (const std::string& text : OptionValues(context.line, "major")) {
    if (absl::Status major = ApplyMajor(text, &draft); !major.ok()) return major;
  }
  for (const std::string& code : OptionValues(context.line, "drop-major")) DropMajor(code, &draft);
  if (std::string etag = OptionValue(context.line, "etag"); !etag.empty()) draft.set_etag(etag);
  schools_v1::UpdateDataReportRequest request;
  *request.mutable_data_report() = draft;
  request.set_request_id(context.global.request_id);
  return ShowReport(context, client.Call(&Stub::UpdateDataReport, request));
}

absl::Status RunReportsSubmit(const CommandContext& context) {
  absl::StatusOr<std::string> name = SchoolReportName(context, "dataReports");
  if (!name.ok()) return name.status();
  schools_v1::SubmitDataReportRequest request;
  request.set_name(*name);
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  SchoolsClient client(context.global);
  return ShowReport(context, client.Call(&Stub::SubmitDataReport, request));
}

absl::Status RunReportsReview(const CommandContext& context) {
  schools_v1::ReviewDataReportRequest request;
  if (absl::Status filled = FillReviewRequest(context, "dataReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return ShowReport(context, client.Call(&Stub::ReviewDataReport, request));
}

absl::Status RunReportsReopen(const CommandContext& context) {
  schools_v1::ReopenDataReportRequest request;
  if (absl::Status filled = FillReopenRequest(context, "dataReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return ShowReport(context, client.Call(&Stub::ReopenDataReport, request));
}

absl::Status RunReportsRevisions(const CommandContext& context) {
  absl::StatusOr<std::string> name = SchoolReportName(context, "dataReports");
  if (!name.ok()) return name.status();
  schools_v1::ListDataReportRevisionsRequest request;
  request.set_name(*name);
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListDataReportRevisions, request), &PrintRevisions);
}

absl::Status RunReportsDiff(const CommandContext& context) {
  schools_v1::DiffDataReportRevisionsRequest request;
  if (absl::Status filled = FillDiffRequest(context, "dataReports", &request); !filled.ok()) {
    return filled;
  }
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::DiffDataReportRevisions, request), &PrintDiff);
}

absl::Status RunReportsHistory(const CommandContext& context) {
  return RunReportHistoryOf(context, "dataReports");
}

absl::Status RunReportHistoryOf(const CommandContext& context, const std::string& collection) {
  absl::StatusOr<std::string> name = SchoolReportName(context, collection);
  if (!name.ok()) return name.status();
  schools_v1::ListReportHistoryRequest request;
  request.set_report(*name);
  SchoolsClient client(context.global);
  absl::StatusOr<schools_v1::ListReportHistoryResponse> history =
      client.CallAll(&Stub::ListReportHistory, request);
  if (!history.ok()) return history.status();
  if (context.global.json) return PrintJson(std::cout, *history);
  PrintReportHistory(std::cout, history->entries());
  return absl::OkStatus();
}

absl::Status RunReportsFigures(const CommandContext& context) {
  absl::StatusOr<std::string> code = SchoolOf(context);
  if (!code.ok()) return code.status();
  absl::StatusOr<std::string> period = RequiredOption(context.line, "period");
  if (!period.ok()) return period.status();
  schools_v1::GetAcceptedFiguresRequest request;
  request.set_institution("institutions/" + *code);
  request.set_period_id(*period);
  SchoolsClient client(context.global);
  return Show(context, client.Call(&Stub::GetAcceptedFigures, request), &PrintAcceptedFigures);
}

}  // namespace vetrack::vetctl
