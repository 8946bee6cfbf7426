#include "workflow.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clock/timestamp.h"
#include "status/errors.h"

namespace vetrack::schools {
namespace {

// "submitted", as a reader says it (found in use: "REPORT_STATE_SUBMITTED").
std::string StateWord(v1::ReportState state) {
  absl::string_view name = v1::ReportState_Name(state);
  absl::ConsumePrefix(&name, "REPORT_STATE_");
  return absl::AsciiStrToLower(name);
}

absl::Status WrongState(v1::ReportState state, const std::string& what, const std::string& reason) {
  return WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          state == v1::REPORT_STATE_UNSPECIFIED ? "the report does not exist yet"
                                                : absl::StrCat("the report is ", StateWord(state)),
          ": ", what)),
      reason);
}

}  // namespace

bool ReadsEveryReport(const Principal& caller) {
  return caller.role == Role::kCoordinator || caller.role == Role::kDepartment ||
         caller.role == Role::kEvaluator;
}

absl::Status CheckCanRead(const Principal& caller, const std::string& institution_code) {
  if (ReadsEveryReport(caller)) return absl::OkStatus();
  if (caller.role == Role::kSchool && caller.unit == institution_code) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(caller.ToString(), " may not read the reports of ", institution_code));
}

absl::Status CheckReadsEverything(const Principal& caller, const std::string& what) {
  if (ReadsEveryReport(caller)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(caller.ToString(), " may not read ", what));
}

absl::Status CheckCanWrite(const Principal& caller, const std::string& institution_code) {
  if (caller.role == Role::kSchool && caller.unit == institution_code) return absl::OkStatus();
  return WithReason(
      absl::PermissionDeniedError(absl::StrCat("only ", institution_code,
                                               " writes its own reports, not ", caller.ToString())),
      "NOT_OWN_INSTITUTION");
}

absl::Status CheckIsCoordinator(const Principal& caller, const std::string& action) {
  if (caller.role == Role::kCoordinator) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("only the coordinator may ", action, ", not ", caller.ToString()));
}

absl::Status CheckCanImportReferenceData(const Principal& caller) {
  if (caller.role == Role::kCoordinator || caller.role == Role::kOperator ||
      caller.role == Role::kExchange) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "reference data comes from the coordinator, an operator or the municipal exchange");
}

absl::Status CheckEtag(const std::string& etag, int64_t version, const std::string& field) {
  if (!etag.empty() && etag != std::to_string(version)) return StaleEtag(field);
  return absl::OkStatus();
}

absl::Status CheckCanEdit(v1::ReportState state) {
  switch (state) {
    case v1::REPORT_STATE_UNSPECIFIED:
    case v1::REPORT_STATE_DRAFT:
    case v1::REPORT_STATE_RETURNED:
      return absl::OkStatus();
    case v1::REPORT_STATE_SUBMITTED:
      return WrongState(state, "it cannot change while it is under review", "UNDER_REVIEW");
    default:
      return WrongState(state, "accepted data is locked; the coordinator may reopen it",
                        "REPORT_LOCKED");
  }
}

absl::Status CheckCanSubmit(v1::ReportState state) {
  if (state == v1::REPORT_STATE_DRAFT || state == v1::REPORT_STATE_RETURNED) {
    return absl::OkStatus();
  }
  if (state == v1::REPORT_STATE_UNSPECIFIED) {
    return WrongState(state, "save a draft first", "NO_DRAFT");
  }
  return CheckCanEdit(state);
}

absl::Status CheckCanReview(v1::ReportState state) {
  if (state == v1::REPORT_STATE_SUBMITTED) return absl::OkStatus();
  return WrongState(state, "only a submitted report is reviewed", "NOT_SUBMITTED");
}

absl::Status CheckCanReopen(v1::ReportState state) {
  if (state == v1::REPORT_STATE_ACCEPTED) return absl::OkStatus();
  return WrongState(state, "only accepted data is reopened", "NOT_ACCEPTED");
}

template <typename Report>
void ApplyReview(bool accept, const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns,
                 const Principal& reviewer, absl::Time now, Report* report, Report* revision) {
  report->set_state(accept ? v1::REPORT_STATE_ACCEPTED : v1::REPORT_STATE_RETURNED);
  report->clear_returns();
  if (accept) {
    report->set_accepted_revision(report->revision());
  } else {
    *report->mutable_returns() = returns;
    report->set_times_returned(report->times_returned() + 1);
  }
  report->set_reviewed_by(reviewer.ToString());
  *report->mutable_review_time() = TimeToProto(now);

  revision->set_state(report->state());
  *revision->mutable_returns() = report->returns();
  revision->set_accepted_revision(report->accepted_revision());
  revision->set_times_returned(report->times_returned());
  revision->set_reviewed_by(report->reviewed_by());
  *revision->mutable_review_time() = report->review_time();
}

template void ApplyReview<v1::DataReport>(bool,
                                          const google::protobuf::RepeatedPtrField<v1::ItemReturn>&,
                                          const Principal&, absl::Time, v1::DataReport*,
                                          v1::DataReport*);
template void ApplyReview<v1::QualityReport>(
    bool, const google::protobuf::RepeatedPtrField<v1::ItemReturn>&, const Principal&, absl::Time,
    v1::QualityReport*, v1::QualityReport*);

std::string DescribeReturns(const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns) {
  return absl::StrJoin(returns, "; ", [](std::string* out, const v1::ItemReturn& r) {
    absl::StrAppend(out, r.item(), ": ", r.reason());
  });
}

double CredibilityScore(int checks, int confirmed) {
  return 100.0 * (confirmed + 1) / (checks + 1);
}

void ClearFieldsNamed(const std::vector<std::string>& fields, google::protobuf::Message* message) {
  const google::protobuf::Descriptor* descriptor = message->GetDescriptor();
  for (const std::string& name : fields) {
    if (const auto* field = descriptor->FindFieldByName(name); field != nullptr) {
      message->GetReflection()->ClearField(message, field);
    }
  }
}

}  // namespace vetrack::schools
