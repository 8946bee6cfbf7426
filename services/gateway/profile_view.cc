#include "views.h"

namespace vetrack::gateway {
namespace {

// The latest final round that ranks the institution.
bool FindStanding(const evaluation_v1::ListRoundsResponse& rounds, const std::string& code,
                  v1::RoundStanding* out) {
  const evaluation_v1::Round* best = nullptr;
  const evaluation_v1::Standing* standing = nullptr;
  for (const auto& round : rounds.rounds()) {
    if (round.state() != evaluation_v1::ROUND_STATE_FINAL) continue;
    for (const auto& s : round.standings()) {
      if (s.subject() != code) continue;
      bool later = best == nullptr || round.year() > best->year() ||
                   (round.year() == best->year() &&
                    round.finalize_time().seconds() > best->finalize_time().seconds());
      if (later) {
        best = &round;
        standing = &s;
      }
    }
  }
  if (best == nullptr) return false;
  out->set_round(best->name());
  out->set_title(best->title());
  out->set_year(best->year());
  *out->mutable_standing() = *standing;
  out->set_subjects(best->subjects_size());
  for (const auto& score : best->scores()) {
    if (score.subject() == code) *out->add_scores() = score;
  }
  return true;
}

}  // namespace

absl::StatusOr<v1::InstitutionProfile> AssembleProfile(const ProfileInputs& in) {
  if (!in.institution.ok() && FailsWholeView(in.institution.status())) {
    return in.institution.status();
  }
  v1::InstitutionProfile view;
  view.set_year(in.year);
  view.set_data_period_id(in.data_period_id);
  view.set_quality_period_id(in.quality_period_id);
  view.set_training_year(in.training_year);
  MissingSections missing;
  if (missing.Have("institution", in.institution)) *view.mutable_institution() = *in.institution;
  if (in.data_report.ok()) {
    *view.mutable_data_report() = *in.data_report;
  } else if (in.data_report.status().code() != absl::StatusCode::kNotFound) {
    missing.Add("data_report", in.data_report.status());
  }
  if (in.quality_report.ok()) {
    *view.mutable_quality_report() = *in.quality_report;
  } else if (in.quality_report.status().code() != absl::StatusCode::kNotFound) {
    missing.Add("quality_report", in.quality_report.status());
  }
  if (missing.Have("training", in.training)) *view.mutable_training() = *in.training;
  missing.Have("indicators", in.indicators);
  missing.HaveResults(in.results);
  // The institution's own figures and its type's; district-wide ones are the
  // overview's.
  for (auto& s : IndicatorStatuses(
           in.indicators, in.results, [](const evaluation_v1::Indicator&) { return true; },
           [](const evaluation_v1::Result& r) {
             return r.scope() != evaluation_v1::SCOPE_DISTRICT;
           },
           false)) {
    *view.add_indicators() = std::move(s);
  }
  v1::RoundStanding standing;
  if (missing.Have("rounds", in.rounds) && FindStanding(*in.rounds, in.code, &standing)) {
    *view.mutable_round() = std::move(standing);
  }
  missing.WriteTo(&view);
  return view;
}

}  // namespace vetrack::gateway
