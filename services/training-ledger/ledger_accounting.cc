// The accounting half of TrainingLedger: the yearly policy and the statements.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "idempotency/idempotency.h"
#include "paging/paging.h"
#include "permissions.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "training_ledger.h"

namespace vetrack::ledger {
namespace {

std::string PolicyName(int year) { return absl::StrCat("accountingPolicies/", year); }

std::string AcademicYear(int year) { return absl::StrCat("ay", year); }

// School reporting down or slow: the statement says so instead of failing.
bool IsUnreachable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

// A period school reporting does not know (not found, or outside the plan's
// years) has nothing accepted either.
bool IsUnknownPeriod(const absl::Status& status) {
  if (absl::IsNotFound(status)) return true;
  if (!absl::IsInvalidArgument(status)) return false;
  auto violations = FieldViolationsOf(status);
  return !violations.empty() && violations.front().field == "period_id";
}

bool SameRatesAndNote(const v1::AccountingPolicy& a, const v1::AccountingPolicy& b) {
  return a.performance_pay_uplift_rate() == b.performance_pay_uplift_rate() &&
         a.public_funds_share() == b.public_funds_share() &&
         a.fte_per_training_hour() == b.fte_per_training_hour() && a.note() == b.note();
}

}  // namespace

absl::StatusOr<v1::AccountingPolicy> TrainingLedger::SetAccountingPolicy(
    const Principal& caller, const v1::SetAccountingPolicyRequest& req) {
  const std::string request_key = RequestKey(caller, req.request_id());
  const std::string fingerprint = RequestFingerprint(req);
  v1::AccountingPolicy response;
  auto earlier = store_.FindAnswer(request_key, fingerprint);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if (!response.ParseFromString(**earlier))
      return absl::DataLossError("stored answer is corrupt");
    return response;
  }
  if (absl::Status allowed = CheckCanSetPolicy(caller); !allowed.ok()) return allowed;
  auto rates = ParsePolicyRates(req.policy(), "policy.");
  if (!rates.ok()) return rates.status();
  const int year = req.policy().year();
  auto current = store_.GetPolicy(year);
  if (!current.ok()) return current.status();
  const int64_t version = current->has_value() ? (*current)->version : 0;
  if (!req.policy().etag().empty() && req.policy().etag() != std::to_string(version)) {
    return StaleEtag("policy.etag");
  }

  response.set_name(PolicyName(year));
  response.set_year(year);
  CanonicalizeRates(*rates, &response);
  response.set_note(req.policy().note());
  PolicyWrite write{year, std::nullopt, version, Answer{}};
  if (current->has_value() && SameRatesAndNote((*current)->policy, response)) {
    // Setting what is already set changes nothing: the year keeps its version
    // (statements name it), and only the answer is stored, for a retry.
    response = (*current)->policy;
  } else {
    response.set_version(static_cast<int32_t>(version + 1));
    response.set_set_by(caller.ToString());
    *response.mutable_set_time() =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(clock_.Now()));
    response.set_etag(std::to_string(version + 1));
    write.policy = response;
  }
  write.answer = Answer{request_key, fingerprint, response.SerializeAsString()};
  auto outcome = store_.WritePolicy(write);
  if (!outcome.ok()) return outcome.status();
  // A concurrent twin of this request committed first: answer as it did.
  if (outcome->replayed && !response.ParseFromString(outcome->earlier_response)) {
    return absl::DataLossError("stored answer is corrupt");
  }
  return response;
}

absl::StatusOr<v1::AccountingPolicy> TrainingLedger::GetAccountingPolicy(
    const Principal& caller, const v1::GetAccountingPolicyRequest& req) {
  if (absl::Status allowed = CheckCanReadPolicy(caller); !allowed.ok()) return allowed;
  auto policy = PolicyOf(req.year());
  if (!policy.ok()) return policy.status();
  if (!policy->has_value()) {
    return NotFoundField("year", absl::StrCat("no accounting policy is set for ", req.year()));
  }
  return **policy;
}

absl::StatusOr<v1::ListAccountingPolicyVersionsResponse>
TrainingLedger::ListAccountingPolicyVersions(const Principal& caller,
                                             const v1::ListAccountingPolicyVersionsRequest& req) {
  if (absl::Status allowed = CheckCanReadPolicy(caller); !allowed.ok()) return allowed;
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  auto versions = store_.ListPolicyVersions(req.year(), page->offset, page->size, &total);
  if (!versions.ok()) return versions.status();
  v1::ListAccountingPolicyVersionsResponse response;
  for (auto& policy : *versions) *response.add_policies() = std::move(policy);
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<std::optional<v1::AccountingPolicy>> TrainingLedger::PolicyOf(int year) {
  auto stored = store_.GetPolicy(year);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<v1::AccountingPolicy>();
  return std::optional<v1::AccountingPolicy>((*stored)->policy);
}

absl::StatusOr<std::vector<EnrolmentFigure>> TrainingLedger::ResolveEnrolments(
    const Principal& caller, const std::vector<std::string>& codes, int year) {
  std::vector<EnrolmentFigure> figures(codes.size());
  auto first_years = directory_.FirstYears(caller);
  if (!first_years.ok()) return first_years.status();
  // Indices into `codes` still without a figure: all of them for ay{year},
  // then those without an accepted ay{year} for ay{year-1}. An institution
  // counted only from a later year owes this one nothing: its records count
  // in the totals, but it is not judged (school reporting takes no report of
  // it for the year, so it would stay "not reported" for good).
  std::vector<size_t> open;
  for (size_t i = 0; i < codes.size(); ++i) {
    auto first = first_years->find(codes[i]);
    if (first == first_years->end() || first->second <= year) {
      open.push_back(i);
      continue;
    }
    figures[i].status = v1::ENROLMENT_STATUS_UNSPECIFIED;
    figures[i].note = absl::StrCat("counted from ", first->second, ": ", year,
                                   " owes no training, so it is not judged; its records are in "
                                   "the totals");
  }
  std::string unreachable_note;
  for (int academic_year : {year, year - 1}) {
    if (open.empty()) break;
    const std::string period = AcademicYear(academic_year);
    std::vector<std::string> asked;
    for (size_t i : open) asked.push_back(codes[i]);
    std::vector<absl::StatusOr<AcceptedEnrolment>> answers =
        enrolment_.Enrolments(caller, asked, period);
    if (answers.size() != asked.size()) {
      return absl::InternalError("the enrolment source answered for other institutions than asked");
    }
    std::vector<size_t> still_open;
    for (size_t k = 0; k < open.size(); ++k) {
      EnrolmentFigure& figure = figures[open[k]];
      const absl::StatusOr<AcceptedEnrolment>& enrolment = answers[k];
      if (!enrolment.ok() && IsUnreachable(enrolment.status())) {
        figure.status = v1::ENROLMENT_STATUS_UNAVAILABLE;
        // One outage for the whole statement: its cause is logged once.
        if (unreachable_note.empty()) {
          unreachable_note = absl::StrCat("school reporting did not answer (",
                                          DisclosedMessage(enrolment.status(), "school-reporting"),
                                          "); compliance is not judged");
        }
        figure.note = unreachable_note;
        continue;
      }
      if (!enrolment.ok() && !IsUnknownPeriod(enrolment.status())) return enrolment.status();
      if (!enrolment.ok() || !enrolment->accepted) {
        still_open.push_back(open[k]);
        continue;
      }
      figure.status = v1::ENROLMENT_STATUS_REPORTED;
      figure.period_id = period;
      figure.revision = enrolment->revision;
      figure.enrolled_students = enrolment->enrolled_students;
      figure.note = academic_year == year
                        ? absl::StrCat("enrolment from ", period, " (accepted revision ",
                                       enrolment->revision, ")")
                        : absl::StrCat(AcademicYear(year), " is not accepted yet; enrolment from ",
                                       period, " (accepted revision ", enrolment->revision, ")");
    }
    open = std::move(still_open);
  }
  for (size_t i : open) {
    figures[i].status = v1::ENROLMENT_STATUS_NOT_REPORTED;
    figures[i].note =
        absl::StrCat("enrolment not reported yet: neither ", AcademicYear(year), " nor ",
                     AcademicYear(year - 1), " has accepted figures in school reporting");
  }
  return figures;
}

absl::StatusOr<v1::TrainingStatement> TrainingLedger::GetTrainingStatement(
    const Principal& caller, const v1::GetTrainingStatementRequest& req) {
  const std::string& code = req.institution_code();
  if (absl::Status allowed = CheckCanReadInstitution(caller, code); !allowed.ok()) return allowed;
  if (absl::Status planned = CheckPlanYear("year", req.year()); !planned.ok()) return planned;
  if (absl::Status exists = CheckInstitution(caller, code, "institution_code", nullptr);
      !exists.ok()) {
    return exists;
  }
  auto cells = store_.GetYearCells({code}, req.year());
  if (!cells.ok()) return cells.status();
  auto policy = PolicyOf(req.year());
  if (!policy.ok()) return policy.status();
  auto enrolment = ResolveEnrolments(caller, {code}, req.year());
  if (!enrolment.ok()) return enrolment.status();
  return BuildStatement(code, req.year(), cells->front(), *policy, enrolment->front());
}

absl::StatusOr<v1::DistrictTrainingStatement> TrainingLedger::GetDistrictTrainingStatement(
    const Principal& caller, const v1::GetDistrictTrainingStatementRequest& req) {
  if (absl::Status allowed = CheckCanReadDistrict(caller); !allowed.ok()) return allowed;
  if (absl::Status planned = CheckPlanYear("year", req.year()); !planned.ok()) return planned;
  auto codes = directory_.InstitutionCodes(caller);
  if (!codes.ok()) return codes.status();
  return DistrictStatementOf(caller, *codes, req.year(), req.view() != v1::STATEMENT_VIEW_BASIC);
}

absl::StatusOr<v1::DistrictTrainingStatement> TrainingLedger::DistrictStatementOf(
    const Principal& caller, const std::vector<std::string>& all_codes, int year,
    bool with_enrolment) {
  auto all_cells = store_.GetYearCells(all_codes, year);
  if (!all_cells.ok()) return all_cells.status();
  auto first_years = directory_.FirstYears(caller);
  if (!first_years.ok()) return first_years.status();
  // An institution that did not exist yet owes the year nothing and is left
  // out, unless records were kept for it all the same: those stay counted.
  std::vector<std::string> codes;
  std::vector<YearCells> cells;
  for (size_t i = 0; i < all_codes.size(); ++i) {
    auto first = first_years->find(all_codes[i]);
    if (first != first_years->end() && first->second > year && (*all_cells)[i].empty()) continue;
    codes.push_back(all_codes[i]);
    cells.push_back(std::move((*all_cells)[i]));
  }
  auto policy = PolicyOf(year);
  if (!policy.ok()) return policy.status();
  EnrolmentFigure not_asked;
  not_asked.status = v1::ENROLMENT_STATUS_UNSPECIFIED;
  std::vector<EnrolmentFigure> enrolment(codes.size(), not_asked);
  if (with_enrolment) {
    auto resolved = ResolveEnrolments(caller, codes, year);
    if (!resolved.ok()) return resolved.status();
    enrolment = *std::move(resolved);
  }
  std::vector<v1::TrainingStatement> statements;
  for (size_t i = 0; i < codes.size(); ++i) {
    statements.push_back(BuildStatement(codes[i], year, cells[i], *policy, enrolment[i]));
  }
  return BuildDistrictStatement(year, std::move(statements), *policy);
}

}  // namespace vetrack::ledger
