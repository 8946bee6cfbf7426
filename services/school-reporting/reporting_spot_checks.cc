// The spot-check half of SchoolReporting (审查抽查): seeded stratified draws
// over the quality reports of a year, outcomes recorded once, and each
// institution's credibility from its check history, each figure counted once.
#include <algorithm>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "paging/paging.h"
#include "sampling.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {
namespace {

uint64_t FreshSeed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

// Spot checks of a period are numbered from 1: "cy2025-1", "cy2025-2" …
std::string PeriodPrefix(const std::string& period_id) { return period_id + "-"; }

// Every check of the period's draws that recorded an outcome on `figure`,
// with the name of its draw.
absl::StatusOr<std::vector<std::pair<std::string, v1::Check>>> RecordedChecksOf(
    SchoolStore& store, const CountedFigure& figure) {
  auto ids = store.ListSpotCheckIds();
  if (!ids.ok()) return ids.status();
  std::vector<std::string> of_period;
  for (const auto& id : *ids) {
    if (absl::StartsWith(id, PeriodPrefix(figure.period_id))) of_period.push_back(id);
  }
  auto spot_checks = store.GetSpotChecks(of_period);
  if (!spot_checks.ok()) return spot_checks.status();
  std::vector<std::pair<std::string, v1::Check>> recorded;
  for (const auto& spot_check : *spot_checks) {
    if (!spot_check.has_value()) continue;
    for (const v1::Check& c : spot_check->value.checks()) {
      if (c.institution() == InstitutionName(figure.institution_code) &&
          c.report_revision() == figure.report_revision && c.item() == figure.item &&
          c.outcome() != v1::CHECK_OUTCOME_PENDING) {
        recorded.emplace_back(spot_check->value.name(), c);
      }
    }
  }
  return recorded;
}

// What a count stored without its outcome (from before outcomes were kept
// with counts) counted: the first outcome recorded on the figure, as later
// records of it never count.
absl::StatusOr<v1::CheckOutcome> FirstRecordedOutcome(SchoolStore& store,
                                                      const CountedFigure& figure) {
  auto recorded = RecordedChecksOf(store, figure);
  if (!recorded.ok()) return recorded.status();
  const v1::Check* first = nullptr;
  for (const auto& [draw, c] : *recorded) {
    if (first == nullptr || TimeFromProto(c.record_time()) < TimeFromProto(first->record_time())) {
      first = &c;
    }
  }
  if (first == nullptr) {
    return absl::DataLossError(absl::StrCat("no spot check recorded the counted ", figure.item,
                                            " of revision ", figure.report_revision, " of ",
                                            figure.institution_code, " for ", figure.period_id));
  }
  return first->outcome();
}

// Another draw of the period that recorded an outcome on `figure`; "" when
// none did. One that did may be the draw whose outcome the tally counts.
absl::StatusOr<std::string> OtherDrawRecording(SchoolStore& store, const CountedFigure& figure,
                                               const std::string& this_draw) {
  auto recorded = RecordedChecksOf(store, figure);
  if (!recorded.ok()) return recorded.status();
  for (const auto& [draw, c] : *recorded) {
    if (draw != this_draw) return draw;
  }
  return std::string();
}

// Who reads spot checks: whoever reads every report, and a school the
// verified checks of its own figures (VisibleTo), so that it learns its
// outcomes and can correct what a check found wrong.
absl::Status CheckCanReadSpotChecks(const Principal& caller, const std::string& what) {
  if (caller.role == Role::kSchool) return absl::OkStatus();
  return CheckReadsEverything(caller, what);
}

// What `caller` sees of a draw: all of it, or for a school the checks of its
// own figures whose outcome is recorded (nullopt when there are none). A
// pending check is not shown: knowing which figure is about to be verified
// would let the school make it right first. Neither are the seed and the
// population, from which the draw (another school's checks among them) could
// be worked out again.
std::optional<v1::SpotCheck> VisibleTo(const Principal& caller, v1::SpotCheck spot_check) {
  if (caller.role != Role::kSchool) return spot_check;
  const std::string own = InstitutionName(caller.unit);
  auto* checks = spot_check.mutable_checks();
  checks->erase(std::remove_if(checks->begin(), checks->end(),
                               [&](const v1::Check& c) {
                                 return c.institution() != own ||
                                        c.outcome() == v1::CHECK_OUTCOME_PENDING ||
                                        c.outcome() == v1::CHECK_OUTCOME_UNSPECIFIED;
                               }),
                checks->end());
  if (checks->empty()) return std::nullopt;
  spot_check.clear_seed();
  spot_check.clear_seed_given();  // else "0 (given by the caller)"
  spot_check.clear_population();
  return spot_check;
}

}  // namespace

absl::StatusOr<v1::SpotCheck> SchoolReporting::DrawSpotCheck(const Principal& caller,
                                                             const v1::DrawSpotCheckRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "draw spot checks"); !allowed.ok()) {
    return allowed;
  }
  v1::SpotCheck response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    if (auto period = LoadPeriod(req.period_id(), "period_id"); !period.ok()) {
      return period.status();
    }
    auto institutions = store_.ListInstitutions();
    if (!institutions.ok()) return institutions.status();
    std::vector<std::string> codes;
    for (const auto& i : *institutions) codes.push_back(i.value.code());
    auto reports = store_.GetQualityReports(codes, req.period_id());
    if (!reports.ok()) return reports.status();

    // Each institution that submitted, with the figures of its accepted
    // revision, else of its latest submission — unless review sent that
    // back: its figures are already known wrong, and checking them would
    // count against the school a figure it is correcting.
    std::vector<Candidate> population;
    for (size_t i = 0; i < codes.size(); ++i) {
      const auto& report = (*reports)[i];
      if (!report.has_value() || report->value.revision() == 0) continue;
      if (report->value.accepted_revision() == 0 &&
          report->value.state() == v1::REPORT_STATE_RETURNED) {
        continue;
      }
      const int revision = report->value.accepted_revision() > 0 ? report->value.accepted_revision()
                                                                 : report->value.revision();
      const ReportRef ref{ReportKind::kQuality, codes[i], req.period_id()};
      auto snapshot = store_.GetQualityRevisions(ref, {revision});
      if (!snapshot.ok()) return snapshot.status();
      if (!snapshot->front().has_value()) {
        return absl::DataLossError(
            absl::StrCat("revision ", revision, " of ", codes[i], " is missing"));
      }
      const auto& figures = snapshot->front()->value.key_figures();
      population.push_back({(*institutions)[i].value, revision, {figures.begin(), figures.end()}});
    }
    if (population.empty()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "no institution has submitted a quality report for ", req.period_id())),
                        "NO_QUALITY_REPORTS");
    }
    auto ids = store_.ListSpotCheckIds();
    if (!ids.ok()) return ids.status();
    int number = 1;
    for (const auto& id : *ids) number += absl::StartsWith(id, PeriodPrefix(req.period_id()));

    const uint64_t seed = req.has_seed() ? req.seed() : FreshSeed();
    response.set_name(SpotCheckName(absl::StrCat(PeriodPrefix(req.period_id()), number)));
    response.set_period_id(req.period_id());
    response.set_seed(seed);
    response.set_seed_given(req.has_seed());
    response.set_institutions_per_type(req.institutions_per_type());
    response.set_items_per_institution(req.items_per_institution());
    for (const Candidate& c : population) {
      response.add_population(InstitutionName(c.institution.code()));
    }
    for (auto& check :
         DrawChecks(population, seed, req.institutions_per_type(), req.items_per_institution())) {
      *response.add_checks() = std::move(check);
    }
    response.set_drawn_by(caller.ToString());
    *response.mutable_draw_time() = TimeToProto(clock_.Now());
    response.set_etag("1");
    write->spot_checks.push_back({response, 0});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::SpotCheck> SchoolReporting::GetSpotCheck(const Principal& caller,
                                                            const v1::GetSpotCheckRequest& req) {
  if (absl::Status allowed = CheckCanReadSpotChecks(caller, "spot checks"); !allowed.ok()) {
    return allowed;
  }
  auto id = ParseSpotCheckName(req.name(), "name");
  if (!id.ok()) return id.status();
  auto found = store_.GetSpotChecks({*id});
  if (!found.ok()) return found.status();
  if (!found->front().has_value()) {
    return NotFoundField("name", absl::StrCat("no spot check ", req.name()));
  }
  std::optional<v1::SpotCheck> visible = VisibleTo(caller, found->front()->value);
  if (!visible.has_value()) {
    return WithReason(absl::PermissionDeniedError(absl::StrCat(
                          req.name(), " has no verified check of ", caller.unit, "'s figures")),
                      "NOT_CHECKED");
  }
  return *visible;
}

absl::StatusOr<v1::ListSpotChecksResponse> SchoolReporting::ListSpotChecks(
    const Principal& caller, const v1::ListSpotChecksRequest& req) {
  if (absl::Status allowed = CheckCanReadSpotChecks(caller, "spot checks"); !allowed.ok()) {
    return allowed;
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  auto ids = store_.ListSpotCheckIds();
  if (!ids.ok()) return ids.status();
  std::vector<std::string> matching;
  for (const auto& id : *ids) {
    if (req.period_id().empty() || absl::StartsWith(id, PeriodPrefix(req.period_id()))) {
      matching.push_back(id);
    }
  }
  // A district draws a few spot checks a year: they are read whole, and a
  // school's list is those that checked it.
  auto checks = store_.GetSpotChecks(matching);
  if (!checks.ok()) return checks.status();
  std::vector<v1::SpotCheck> visible;
  for (const auto& check : *checks) {
    if (!check.has_value()) continue;
    if (auto seen = VisibleTo(caller, check->value); seen.has_value()) {
      visible.push_back(*std::move(seen));
    }
  }
  const int total = static_cast<int>(visible.size());
  v1::ListSpotChecksResponse response;
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    *response.add_spot_checks() = std::move(visible[i]);
  }
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<v1::SpotCheck> SchoolReporting::RecordSpotCheckResult(
    const Principal& caller, const v1::RecordSpotCheckResultRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "record spot-check outcomes");
      !allowed.ok()) {
    return allowed;
  }
  v1::SpotCheck response;
  absl::Status done = Once(caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
    auto id = ParseSpotCheckName(req.name(), "name");
    if (!id.ok()) return id.status();
    auto found = store_.GetSpotChecks({*id});
    if (!found.ok()) return found.status();
    if (!found->front().has_value()) {
      return NotFoundField("name", absl::StrCat("no spot check ", req.name()));
    }
    const int64_t version = found->front()->version;
    if (absl::Status fresh = CheckEtag(req.etag(), version, "etag"); !fresh.ok()) return fresh;
    response = found->front()->value;
    v1::Check* check = nullptr;
    for (auto& c : *response.mutable_checks()) {
      if (c.institution() == req.institution() && c.item() == req.item()) check = &c;
    }
    if (check == nullptr) {
      return NotFoundField("item", absl::StrCat(req.name(), " did not draw ", req.item(), " of ",
                                                req.institution()));
    }
    const bool correcting = check->outcome() != v1::CHECK_OUTCOME_PENDING;
    if (correcting && req.correction_reason().empty()) {
      return WithReason(absl::FailedPreconditionError(absl::StrCat(
                            "the outcome of this check was recorded by ", check->recorded_by(),
                            "; to change it, give a correction_reason")),
                        "ALREADY_RECORDED");
    }
    if (!correcting && !req.correction_reason().empty()) {
      return InvalidField("correction_reason", "no outcome of this check is recorded to correct");
    }
    auto code = ParseInstitutionName(req.institution(), "institution");
    if (!code.ok()) return code.status();
    // As in the draw: a revision returned and never accepted states figures
    // the school is correcting, and checking them would count one against it.
    // The revision's own record says whether it was ever accepted (the report
    // names only its latest acceptance), and it is guarded below, so a return
    // landing between this read and the write refuses the write.
    const ReportRef ref{ReportKind::kQuality, *code, response.period_id()};
    auto revision = store_.GetQualityRevisions(ref, {check->report_revision()});
    if (!revision.ok()) return revision.status();
    if (!revision->front().has_value()) {
      return absl::DataLossError(absl::StrCat("revision ", check->report_revision(), " of ",
                                              ReportName(ref), " is missing"));
    }
    if (revision->front()->value.state() == v1::REPORT_STATE_RETURNED) {
      return WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "revision ", check->report_revision(), " of ", ReportName(ref),
              " was returned for correction and never accepted: its figures are not held "
              "against the school; a later draw checks the corrected ones")),
          "REVISION_RETURNED");
    }
    write->quality_revision_guards.push_back(
        {ref, check->report_revision(), revision->front()->version});
    const bool confirmed = req.outcome() == v1::CHECK_OUTCOME_CONFIRMED;
    if (!confirmed && req.verified_value() == check->stated_value()) {
      return InvalidField("verified_value",
                          "equals the stated value: record the check as CONFIRMED");
    }
    if (confirmed && req.has_verified_value() && req.verified_value() != check->stated_value()) {
      return InvalidField("verified_value",
                          "differs from the stated value: record the check as DISCREPANCY");
    }
    const CountedFigure figure{*code, response.period_id(), check->report_revision(), req.item()};
    if (correcting) {
      if (absl::Status correctable = CheckCorrectable(*check, req, figure, response.name());
          !correctable.ok()) {
        return correctable;
      }
    }
    auto counted = store_.GetFigureCounts({figure});
    if (!counted.ok()) return counted.status();
    if (correcting) {
      // What was counted for the figure, this check's outcome or another
      // draw's, resolved before this record changes.
      if (absl::Status recount = CountCorrection(figure, counted->front(), req.outcome(), write);
          !recount.ok()) {
        return recount;
      }
      v1::CheckRecord* earlier = check->add_corrected();
      earlier->set_outcome(check->outcome());
      if (check->has_verified_value()) earlier->set_verified_value(check->verified_value());
      earlier->set_note(check->note());
      earlier->set_recorded_by(check->recorded_by());
      *earlier->mutable_record_time() = check->record_time();
      check->clear_verified_value();
      check->set_correction_reason(req.correction_reason());
    } else if (!counted->front().has_value()) {
      // A figure drawn again in another draw of the period is still one
      // stated figure: the tally counts the first outcome recorded for it,
      // once. The outcome is kept with the count, so a return can take out
      // what it counted.
      write->figure_counts.push_back({{figure, req.outcome()}, 0});
      write->credibility_increments.push_back({*code, 1, confirmed ? 1 : 0, confirmed ? 0 : 1});
    }
    check->set_outcome(req.outcome());
    if (req.has_verified_value()) check->set_verified_value(req.verified_value());
    check->set_note(req.note());
    check->set_recorded_by(caller.ToString());
    *check->mutable_record_time() = TimeToProto(clock_.Now());
    response.set_etag(std::to_string(version + 1));
    write->spot_checks.push_back({response, version});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::Status SchoolReporting::CheckCorrectable(const v1::Check& check,
                                               const v1::RecordSpotCheckResultRequest& req,
                                               const CountedFigure& figure,
                                               const std::string& this_draw) {
  // A confirmed value is the stated one, given or not.
  const bool stated_again =
      req.outcome() == v1::CHECK_OUTCOME_CONFIRMED || !req.has_verified_value();
  const bool stated_before =
      check.outcome() == v1::CHECK_OUTCOME_CONFIRMED || !check.has_verified_value();
  if (check.outcome() == req.outcome() &&
      (stated_again
           ? stated_before
           : check.has_verified_value() && check.verified_value() == req.verified_value())) {
    return InvalidField("outcome", "the outcome recorded already: nothing to correct");
  }
  // Once: the check keeps the outcome it replaced and one reason for it.
  if (!check.corrected().empty()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "this check was corrected once already (", check.correction_reason(),
                          "); record the figure in a new draw")),
                      "ALREADY_CORRECTED");
  }
  // The tally counts a figure once, by the first outcome recorded on it in
  // any draw; with another draw's outcome on it, which one counts is not
  // this check's to change.
  auto other = OtherDrawRecording(store_, figure, this_draw);
  if (!other.ok()) return other.status();
  if (!other->empty()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          *other, " also recorded ", figure.item, " of ", figure.institution_code,
                          ": the tally counts the figure once, so it is not corrected here")),
                      "CHECKED_ELSEWHERE");
  }
  return absl::OkStatus();
}

absl::Status SchoolReporting::CountCorrection(const CountedFigure& figure,
                                              const std::optional<Stored<FigureCount>>& count,
                                              v1::CheckOutcome corrected, SchoolWrite* write) {
  // Not counted, or withdrawn by a return: nothing of it is held against the
  // school, before the correction or after.
  if (!count.has_value() || count->value.withdrawn) return absl::OkStatus();
  v1::CheckOutcome outcome = count->value.outcome;
  if (outcome == v1::CHECK_OUTCOME_PENDING) {
    auto recorded = FirstRecordedOutcome(store_, figure);
    if (!recorded.ok()) return recorded.status();
    outcome = *recorded;
  }
  if (outcome == corrected) return absl::OkStatus();
  const int to_confirmed = corrected == v1::CHECK_OUTCOME_CONFIRMED ? 1 : -1;
  write->figure_counts.push_back({{figure, corrected}, count->version});
  write->credibility_increments.push_back(
      {figure.institution_code, 0, to_confirmed, -to_confirmed});
  return absl::OkStatus();
}

absl::Status SchoolReporting::WithdrawFigureCounts(const ReportRef& ref,
                                                   const v1::QualityReport& revision,
                                                   SchoolWrite* write) {
  std::vector<CountedFigure> figures;
  for (const v1::KeyFigure& figure : revision.key_figures()) {
    figures.push_back({ref.institution_code, ref.period_id, revision.revision(), figure.key()});
  }
  auto counts = store_.GetFigureCounts(figures);
  if (!counts.ok()) return counts.status();
  CredibilityCount withdrawn{ref.institution_code};
  for (size_t i = 0; i < figures.size(); ++i) {
    const auto& count = (*counts)[i];
    if (!count.has_value()) {
      // An outcome recorded before the return lands would count a figure the
      // return has not taken out: the guard refuses the return instead.
      write->uncounted_figures.push_back(figures[i]);
      continue;
    }
    if (count->value.withdrawn) continue;
    v1::CheckOutcome outcome = count->value.outcome;
    if (outcome == v1::CHECK_OUTCOME_PENDING) {
      auto recorded = FirstRecordedOutcome(store_, figures[i]);
      if (!recorded.ok()) return recorded.status();
      outcome = *recorded;
    }
    --withdrawn.checks;
    --(outcome == v1::CHECK_OUTCOME_CONFIRMED ? withdrawn.confirmed : withdrawn.discrepancies);
    write->figure_counts.push_back({{figures[i], outcome, true}, count->version});
  }
  if (withdrawn.checks != 0) write->credibility_increments.push_back(withdrawn);
  return absl::OkStatus();
}

absl::StatusOr<v1::ListCredibilityResponse> SchoolReporting::ListCredibility(
    const Principal& caller, const v1::ListCredibilityRequest& req) {
  if (absl::Status allowed = CheckCanReadSpotChecks(caller, "credibility scores"); !allowed.ok()) {
    return allowed;
  }
  auto institutions = store_.ListInstitutions();
  if (!institutions.ok()) return institutions.status();
  std::vector<std::string> codes;
  std::vector<v1::InstitutionType> types;
  for (const auto& i : *institutions) {
    if (req.institution_type() != v1::INSTITUTION_TYPE_UNSPECIFIED &&
        i.value.type() != req.institution_type()) {
      continue;
    }
    // A school reads its own standing only.
    if (caller.role == Role::kSchool && i.value.code() != caller.unit) continue;
    codes.push_back(i.value.code());
    types.push_back(i.value.type());
  }
  auto counts = store_.GetCredibility(codes);
  if (!counts.ok()) return counts.status();
  v1::ListCredibilityResponse response;
  for (size_t i = 0; i < counts->size(); ++i) {
    const CredibilityCount& count = (*counts)[i];
    v1::Credibility* c = response.add_credibility();
    c->set_institution(InstitutionName(count.institution_code));
    c->set_institution_type(types[i]);
    c->set_checks(count.checks);
    c->set_confirmed(count.confirmed);
    c->set_discrepancies(count.discrepancies);
    c->set_score(CredibilityScore(count.checks, count.confirmed));
  }
  return response;
}

}  // namespace vetrack::schools
