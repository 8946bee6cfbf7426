#include "evaluation.h"

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "clock/clock.h"
#include "idempotency/idempotency.h"
#include "status/disclosure.h"
#include "status/errors.h"

namespace vetrack::evaluation {

Evaluation::Evaluation(EvaluationStore& store, EvaluationSources& sources, const Clock& clock,
                       EvaluationOptions options)
    : store_(store), sources_(sources), clock_(clock), options_(options) {}

absl::Status Evaluation::SourceRefusal(absl::Status refusal, absl::Time answer_by) {
  if (absl::Now() < answer_by) return refusal;
  return absl::DeadlineExceededError(
      absl::StrCat(refusal.message(),
                   " (the call's deadline came before every service had answered; a longer "
                   "one may let them)"));
}

absl::Status Evaluation::Once(const Principal& caller, const google::protobuf::Message& request,
                              const std::string& request_id, google::protobuf::Message* response,
                              EvaluationWrite* write,
                              const std::function<absl::Status()>& prepare) {
  return RunOnce(
      caller, request, request_id, response,
      [this](const std::string& key, const std::string& fingerprint) {
        return store_.FindAnswer(key, fingerprint);
      },
      prepare,
      [this, write](const Answer& answer) {
        write->answer = answer;
        return store_.Write(*write);
      });
}

absl::StatusOr<std::vector<v1::Indicator>> Evaluation::Indicators() {
  auto indicators = store_.ListIndicators();
  if (!indicators.ok()) return indicators.status();
  std::vector<v1::Indicator> list;
  for (auto& i : *indicators) list.push_back(std::move(i.value));
  return list;
}

absl::StatusOr<std::vector<v1::Result>> Evaluation::Compute(
    const std::vector<v1::Indicator>& indicators, int year, std::vector<std::string>* unavailable,
    TypesInYear* types, absl::Time answer_by) {
  ComputeRequest request;
  request.year = year;
  request.now = clock_.Now();
  std::set<std::string> down;
  // A source down in every year is named once, and its cause logged once:
  // what the answer shows of it is disclosed (status/disclosure.h).
  std::map<std::string, std::string> shown_for;
  auto note_down = [&](const std::string& source, const absl::Status& cause) {
    auto [shown, fresh] = shown_for.try_emplace(absl::StrCat(source, ": ", cause.message()));
    if (fresh) shown->second = absl::StrCat(source, ": ", DisclosedMessage(cause, source));
    down.insert(shown->second);
  };
  // The years and the two services are independent: fetch them all at once,
  // so the whole costs about one round trip of the slower service instead of
  // one per year since 2021, and a hung service does not use up the other's
  // time (found in use: with the ledger hung, school reporting was named
  // down). async|deferred: where no thread can be had, a fetch runs when its
  // answer is asked for, rather than the call failing.
  constexpr auto kAtOnce = std::launch::async | std::launch::deferred;
  struct YearSources {
    std::future<absl::StatusOr<LedgerYear>> ledger;
    std::optional<std::future<absl::StatusOr<SchoolYear>>> reports;
  };
  const int first_year = std::min(options_.plan_start_year, year);
  std::map<int, YearSources> fetches;
  for (int y = first_year; y <= year; ++y) {
    fetches[y].ledger =
        std::async(kAtOnce, [this, y, answer_by] { return sources_.Ledger(y, answer_by); });
  }
  auto institutions = sources_.Institutions(answer_by);
  if (institutions.ok()) {
    request.institutions = *institutions;
    for (int y = first_year; y <= year; ++y) {
      // Each fetch holds its own copy of the (short) list.
      fetches[y].reports = std::async(kAtOnce, [this, y, listed = *institutions, answer_by] {
        return sources_.DataReports(listed, AcademicYearOf(y), answer_by);
      });
    }
  } else {
    request.institutions_known = false;
    note_down("school-reporting", institutions.status());
  }
  for (auto& [y, fetch] : fetches) {
    YearInputs& in = request.years[y];
    in.year = y;
    if (fetch.reports.has_value()) {
      absl::StatusOr<SchoolYear> reports = fetch.reports->get();
      if (reports.ok()) {
        in.school_available = true;
        in.school = *std::move(reports);
      } else {
        note_down("school-reporting", reports.status());
      }
    }
    absl::StatusOr<LedgerYear> ledger = fetch.ledger.get();
    if (ledger.ok()) {
      in.ledger_available = true;
      in.ledger = *std::move(ledger);
      if (!in.ledger.enrolment_unavailable.empty()) {
        // The ledger disclosed its own source's failure.
        down.insert("training-ledger's enrolment: " + in.ledger.enrolment_unavailable);
      }
    } else {
      note_down("training-ledger", ledger.status());
    }
    auto statistics = store_.ListStatistics(y);
    if (!statistics.ok()) return statistics.status();
    for (auto& s : *statistics) in.statistics[s.value.key()] = std::move(s.value);
  }
  unavailable->assign(down.begin(), down.end());
  if (types != nullptr) {
    for (const Institution& i : AsOfYear(request.institutions, request.years[year])) {
      (*types)[i.code] = i.type;
    }
  }
  return ComputeResults(indicators, request);
}

absl::Status Evaluation::CheckPlanYear(const std::string& field, int year) const {
  // Here rather than in validation.cc: the bounds come from the options and
  // the clock. Before the plan's start school reporting has no period to ask
  // for (it refuses ay{year}, and a round would wait for it forever); far
  // ahead, each request would fetch every year since the start at once. The
  // year after the current one shows next year's targets against what is
  // known (a round, whose snapshot is frozen, waits for its year: CheckBegunYear).
  int current = absl::ToCivilYear(clock_.Now(), DistrictTimeZone()).year();
  int last = std::max(options_.horizon_end_year, current + 1);
  if (year >= options_.plan_start_year && year <= last) return absl::OkStatus();
  return InvalidField(field, absl::StrCat("a year from ", options_.plan_start_year,
                                          " (the plan's start) to ", last));
}

absl::Status Evaluation::CheckBegunYear(const std::string& field, int year,
                                        const std::string& why) const {
  // Each refusal states the range its call takes (found in use: a round was
  // told "to 2027" and then refused 2027).
  int current = absl::ToCivilYear(clock_.Now(), DistrictTimeZone()).year();
  if (year >= options_.plan_start_year && year <= current) return absl::OkStatus();
  return InvalidField(
      field, absl::StrCat("a year from ", options_.plan_start_year, " (the plan's start) to ",
                          current, " (this year): ", why));
}

absl::StatusOr<Stored<v1::Round>> Evaluation::LoadRound(const std::string& name,
                                                        const std::string& field) {
  const std::string prefix = "rounds/";
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) {
    return InvalidField(field, "must be rounds/{round_id}");
  }
  auto round = store_.GetRound(name.substr(prefix.size()));
  if (!round.ok()) return round.status();
  if (!round->has_value()) return NotFoundField(field, "no round " + name);
  return **round;
}

}  // namespace vetrack::evaluation
