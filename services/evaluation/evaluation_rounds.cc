// The rounds half of Evaluation: third-party evaluation rounds on a frozen
// snapshot, weighted scores, ranking, finalisation and export.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "evaluation.h"
#include "exchange_entry.h"
#include "indicator_catalog.h"
#include "paging/paging.h"
#include "rounds.h"
#include "status/disclosure.h"
#include "status/errors.h"

namespace vetrack::evaluation {
namespace {

// How often scores without an etag are applied again to a round that
// changed meanwhile: a write lost to each of the others entering at once.
constexpr int kScoreAttempts = 64;

// Results frozen before value_text existed read as the service prints them
// now, not as each client would guess; filled where a round is read, so the
// round as stored (and written back by scoring) stays as it was frozen.
void FillValueTexts(v1::Round* round) {
  for (auto& result : *round->mutable_snapshot()) {
    if (result.value_text().empty()) result.set_value_text(ValueTextOf(result));
  }
}

absl::Status RoundIsOpen(const v1::Round& round) {
  if (round.state() == v1::ROUND_STATE_OPEN) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(round.name() + " is final and cannot change"),
                    "ROUND_FINAL");
}

}  // namespace

absl::StatusOr<v1::Round> Evaluation::CreateRound(const Principal& caller,
                                                  const v1::CreateRoundRequest& req,
                                                  absl::Time answer_by) {
  if (caller.role != Role::kEvaluator && caller.role != Role::kCoordinator) {
    return absl::PermissionDeniedError("rounds are created by the evaluator or the coordinator");
  }
  std::vector<v1::Dimension> dimensions(req.round().dimensions().begin(),
                                        req.round().dimensions().end());
  if (absl::Status ok = CheckDimensions(dimensions, "round.dimensions"); !ok.ok()) return ok;
  // The snapshot is frozen when the round opens and never computed again, so
  // a round opened before its year could only hold the figures of none.
  if (absl::Status ok = CheckBegunYear("round.year", req.round().year(),
                                       "a round freezes its year's results when it opens");
      !ok.ok()) {
    return ok;
  }

  v1::Round response;
  EvaluationWrite write;
  absl::Status done = Once(caller, req, req.request_id(), &response, &write, [&]() -> absl::Status {
    auto existing = store_.GetRound(req.round_id());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError("rounds/" + req.round_id() + " exists already");
    }
    std::vector<std::string> unavailable;
    TypesInYear types;
    auto indicators = Indicators();
    if (!indicators.ok()) return indicators.status();
    auto results = Compute(*indicators, req.round().year(), &unavailable, &types, answer_by);
    if (!results.ok()) return results.status();
    if (!unavailable.empty()) {
      // The sources' own causes are disclosed already (Compute).
      return SourceRefusal(WrittenForTheCaller(absl::UnavailableError(
                               absl::StrCat("cannot freeze a snapshot while a source is down: ",
                                            absl::StrJoin(unavailable, "; ")))),
                           answer_by);
    }
    // Found in use: a round opened before any of its year's data was accepted
    // froze nothing but "no data", and was scored, finalised and sent on so.
    if (!req.allow_snapshot_without_data() &&
        std::none_of(results->begin(), results->end(),
                     [](const v1::Result& r) { return r.has_value(); })) {
      return WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "none of ", req.round().year(), "'s ", results->size(), " results has data yet",
              results->empty() ? "" : " (" + results->front().rule() + ")",
              ": the snapshot is frozen when the round opens, so open it once the year's data "
              "is accepted, or allow a snapshot without data")),
          "SNAPSHOT_WITHOUT_DATA");
    }
    response.set_name("rounds/" + req.round_id());
    response.set_title(req.round().title());
    response.set_year(req.round().year());
    response.set_subject_kind(req.round().subject_kind());
    response.mutable_institution_types()->insert(types.begin(), types.end());
    *response.mutable_subjects() = req.round().subjects();
    // A misspelt code would have to be scored, and be ranked and exported:
    // each subject must be one the round's year had, by the source that
    // keeps them. Why one is not, by code.
    std::map<std::string, std::string> not_subject;
    std::vector<std::string> every;            // the subjects when none are named
    std::map<std::string, std::string> known;  // code to name
    const char* noun = "unit";
    if (response.subject_kind() == v1::SUBJECT_KIND_INSTITUTION) {
      noun = "institution";
      auto institutions = sources_.Institutions(answer_by);
      if (!institutions.ok()) {
        return SourceRefusal(
            WrittenForTheCaller(absl::UnavailableError(
                absl::StrCat("cannot list the round's institutions (school-reporting: ",
                             DisclosedMessage(institutions.status(), "school-reporting"), ")"))),
            answer_by);
      }
      for (const auto& i : *institutions) {
        if (CountedIn(i, response.year())) {
          known[i.code] = i.display_name;
          every.push_back(i.code);
        } else {
          not_subject[i.code] = absl::StrCat("institution '", i.code, "' is counted only from ",
                                             i.first_year, ", after the round's year");
        }
      }
    } else if (response.subject_kind() == v1::SUBJECT_KIND_UNIT) {
      auto units = sources_.DistrictUnits(answer_by);
      if (!units.ok()) {
        return SourceRefusal(WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
                                 "cannot list the district's units (task-registry: ",
                                 DisclosedMessage(units.status(), "task-registry"), ")"))),
                             answer_by);
      }
      known = *std::move(units);
    }
    Violations unknown;
    for (int i = 0; i < response.subjects_size(); ++i) {
      const std::string& subject = response.subjects(i);
      if (known.count(subject) > 0) continue;
      auto why = not_subject.find(subject);
      unknown.Add(
          absl::StrCat("round.subjects[", i, "]"),
          why != not_subject.end() ? why->second : absl::StrCat("no ", noun, " '", subject, "'"));
    }
    if (!unknown.empty()) return unknown.ToStatus();
    if (response.subjects().empty()) {
      for (const auto& code : every) response.add_subjects(code);
    }
    if (response.subjects().empty())
      return InvalidField("round.subjects", "name the units to score");
    // Names as they are now: a round's standings keep what they were called.
    for (const auto& subject : response.subjects()) {
      auto name = known.find(subject);
      if (name != known.end() && !name->second.empty()) {
        (*response.mutable_subject_names())[subject] = name->second;
      }
    }
    *response.mutable_dimensions() = req.round().dimensions();
    response.set_state(v1::ROUND_STATE_OPEN);
    for (auto& r : *results) *response.add_snapshot() = std::move(r);
    response.set_created_by(caller.ToString());
    *response.mutable_create_time() = TimeToProto(clock_.Now());
    response.set_etag("1");
    write.rounds.push_back({response, 0});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Round> Evaluation::GetRound(const Principal& caller,
                                               const v1::GetRoundRequest& req,
                                               absl::Time answer_by) {
  auto round = LoadRound(req.name(), "name");
  if (!round.ok()) return round.status();
  const auto& recorded = round->value.institution_types();
  TypesInYear types(recorded.begin(), recorded.end());
  KeepVisible(VisibilityOf(caller, recorded.empty() ? nullptr : &types, answer_by), &round->value);
  FillValueTexts(&round->value);
  return round->value;
}

absl::StatusOr<v1::ListRoundsResponse> Evaluation::ListRounds(const Principal& caller,
                                                              const v1::ListRoundsRequest& req,
                                                              absl::Time answer_by) {
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  auto rounds = store_.ListRounds();
  if (!rounds.ok()) return rounds.status();
  v1::ListRoundsResponse response;
  Visibility visibility = VisibilityOf(caller, nullptr, answer_by);
  int total = static_cast<int>(rounds->size());
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    v1::Round summary = (*rounds)[i].value;
    summary.clear_snapshot();  // GetRound has it; listings stay small
    KeepVisible(visibility, &summary);
    *response.add_rounds() = std::move(summary);
  }
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

absl::StatusOr<v1::Round> Evaluation::RecordScores(const Principal& caller,
                                                   const v1::RecordScoresRequest& req) {
  if (caller.role != Role::kEvaluator) {
    return absl::PermissionDeniedError("only the third-party evaluator scores");
  }
  v1::Round response;
  EvaluationWrite write;
  auto record = [&]() -> absl::Status {
    write = EvaluationWrite();
    auto round = LoadRound(req.round(), "round");
    if (!round.ok()) return round.status();
    if (absl::Status open = RoundIsOpen(round->value); !open.ok()) return open;
    if (!req.etag().empty() && req.etag() != round->value.etag()) return StaleEtag("etag");
    response = round->value;
    std::vector<v1::Score> scores(req.scores().begin(), req.scores().end());
    if (absl::Status applied = ApplyScores(scores, &response); !applied.ok()) return applied;
    response.set_etag(std::to_string(round->version + 1));
    write.rounds.push_back({response, round->version});
    return absl::OkStatus();
  };
  absl::Status done = Once(caller, req, req.request_id(), &response, &write, record);
  // Without an etag the caller asked for no check: a round that another
  // evaluator's scores changed meanwhile is read again and these applied to
  // it (found in use: of 27 scores entered at once, 24 were refused). Each
  // attempt is lost only to a write that succeeded.
  for (int attempt = 1; req.etag().empty() && absl::IsAborted(done) && attempt < kScoreAttempts;
       ++attempt) {
    done = Once(caller, req, req.request_id(), &response, &write, record);
  }
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Round> Evaluation::FinalizeRound(const Principal& caller,
                                                    const v1::FinalizeRoundRequest& req,
                                                    absl::Time answer_by) {
  if (caller.role != Role::kEvaluator) {
    return absl::PermissionDeniedError("only the third-party evaluator finalises a round");
  }
  v1::Round response;
  EvaluationWrite write;
  absl::Status done = Once(caller, req, req.request_id(), &response, &write, [&]() -> absl::Status {
    auto round = LoadRound(req.round(), "round");
    if (!round.ok()) return round.status();
    if (absl::Status open = RoundIsOpen(round->value); !open.ok()) return open;
    if (!req.etag().empty() && req.etag() != round->value.etag()) return StaleEtag("etag");
    auto standings = Standings(round->value);
    if (!standings.ok()) return standings.status();
    response = round->value;
    for (auto& s : *standings) *response.add_standings() = std::move(s);
    response.set_state(v1::ROUND_STATE_FINAL);
    response.set_finalized_by(caller.ToString());
    *response.mutable_finalize_time() = TimeToProto(clock_.Now());
    response.set_etag(std::to_string(round->version + 1));
    // The municipality names institutions by their national codes; a final
    // round never changes, so it is not sent without them.
    auto institutions = sources_.Institutions(answer_by);
    if (!institutions.ok()) {
      return SourceRefusal(
          WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
              "cannot finalise while school reporting does not answer (the exchange needs the "
              "institutions' codes): ",
              DisclosedMessage(institutions.status(), "school-reporting")))),
          answer_by);
    }
    write.rounds.push_back({response, round->version});
    write.outbox.push_back(FinalizedRoundEntry(response, *institutions));
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ExportRoundResponse> Evaluation::ExportRound(const Principal& caller,
                                                                const v1::ExportRoundRequest& req,
                                                                absl::Time answer_by) {
  if (!VisibilityOf(caller, nullptr, answer_by).everything) {
    return absl::PermissionDeniedError("round exports are for performance assessment");
  }
  auto round = LoadRound(req.round(), "round");
  if (!round.ok()) return round.status();
  if (round->value.state() != v1::ROUND_STATE_FINAL) {
    return WithReason(absl::FailedPreconditionError("only a final round is exported"),
                      "ROUND_NOT_FINAL");
  }
  FillValueTexts(&round->value);
  std::string id = round->value.name().substr(std::string("rounds/").size());
  v1::ExportRoundResponse response;
  if (req.format() == v1::EXPORT_FORMAT_JSON) {
    response.set_filename(id + ".json");
    response.set_content_type("application/json");
    response.set_content(ExportJson(round->value));
  } else {
    response.set_filename(id + ".csv");
    response.set_content_type("text/csv; charset=utf-8");
    response.set_content(ExportCsv(round->value));
  }
  return response;
}

}  // namespace vetrack::evaluation
