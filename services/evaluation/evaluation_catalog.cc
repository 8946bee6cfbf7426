// The catalog half of Evaluation: indicators and district statistics.
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "evaluation.h"
#include "indicator_catalog.h"
#include "numbers/units.h"
#include "paging/paging.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::evaluation {
namespace {

// A statistic that is part of another, as an indicator in percent of one
// over the other makes it (高技能人才 of 技能人才, enterprises with a research
// platform of all of them).
struct PartOfWhole {
  std::string part;
  std::string whole;
  std::string indicator;
};

std::vector<PartOfWhole> PartsOfWholes(const std::vector<Stored<v1::Indicator>>& indicators) {
  constexpr absl::string_view kStat = "stat:";
  std::vector<PartOfWhole> pairs;
  for (const auto& stored : indicators) {
    const v1::Formula& f = stored.value.formula();
    if (stored.value.unit() != "%" || f.numerator_size() != 1 || f.denominator_size() != 1)
      continue;
    const std::string& part = f.numerator(0).ref();
    const std::string& whole = f.denominator(0).ref();
    if (!absl::StartsWith(part, kStat) || !absl::StartsWith(whole, kStat)) continue;
    pairs.push_back({part.substr(kStat.size()), whole.substr(kStat.size()), stored.value.id()});
  }
  return pairs;
}

}  // namespace

absl::Status Evaluation::CheckPartsOfWholes(const std::string& key, int year, double value,
                                            EvaluationWrite* write) {
  auto indicators = store_.ListIndicators();
  if (!indicators.ok()) return indicators.status();
  for (const PartOfWhole& pair : PartsOfWholes(*indicators)) {
    const bool is_part = pair.part == key;
    if (!is_part && pair.whole != key) continue;
    const std::string& other = is_part ? pair.whole : pair.part;
    auto recorded = store_.GetStatistic(other, year);
    if (!recorded.ok()) return recorded.status();
    write->statistics_read.push_back(
        {other, year, recorded->has_value() ? (*recorded)->version : 0});
    if (!recorded->has_value()) continue;
    const double other_value = (*recorded)->value.value();
    if (is_part ? value <= other_value : value >= other_value) continue;
    return InvalidField(
        "value", absl::StrCat(is_part ? "more than " : "less than ", other, " of ", year, " (",
                              absl::StrFormat("%.15g", other_value), "), ",
                              is_part ? "of which it is a part" : "a part of it", " (",
                              pair.indicator, "); the coordinator may correct either figure"));
  }
  return absl::OkStatus();
}

absl::Status Evaluation::CheckSchoolItems(const v1::IndicatorCatalog& catalog,
                                          absl::Time answer_by) {
  constexpr absl::string_view kSchool = "school:";
  std::optional<std::set<std::string>> counts;  // asked for at the first reference
  Violations v;
  for (int i = 0; i < catalog.indicators_size(); ++i) {
    const v1::Formula& formula = catalog.indicators(i).formula();
    for (const auto* refs : {&formula.numerator(), &formula.denominator()}) {
      for (const auto& ref : *refs) {
        if (!absl::StartsWith(ref.ref(), kSchool)) continue;
        if (!counts.has_value()) {
          auto listed = sources_.CountItems(answer_by);
          if (!listed.ok()) {
            return SourceRefusal(WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
                                     "cannot check the catalog's school items (school-reporting: ",
                                     DisclosedMessage(listed.status(), "school-reporting"),
                                     "); nothing was imported"))),
                                 answer_by);
          }
          counts = *std::move(listed);
        }
        const std::string item = ref.ref().substr(kSchool.size());
        if (counts->count(item) == 0) {
          v.Add(absl::StrCat("catalog.indicators[", i, "].formula"),
                absl::StrCat("school reporting keeps no count '", item, "'"));
        }
      }
    }
  }
  return v.ToStatus();
}

absl::Status Evaluation::CheckRegistryReferences(const v1::IndicatorCatalog& catalog,
                                                 absl::Time answer_by) {
  auto cannot_check = [answer_by](const absl::Status& status) {
    // Not loaded (or another plan named by --plan) is for an operator to
    // put right, not to retry.
    if (absl::IsNotFound(status)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot check the catalog's units and tasks: the task registry has no such plan or "
          "units (",
          status.message(),
          "); load the plan's catalog into it first, or correct the evaluation's --plan; nothing "
          "was imported"));
    }
    return SourceRefusal(
        WrittenForTheCaller(absl::UnavailableError(
            absl::StrCat("cannot check the catalog's units and tasks against the task registry (",
                         DisclosedMessage(status, "task-registry"), "); nothing was imported"))),
        answer_by);
  };
  auto units = sources_.DistrictUnits(answer_by);
  if (!units.ok()) return cannot_check(units.status());
  if (units->empty()) return cannot_check(absl::NotFoundError("it lists no departments"));
  const std::string department_codes = absl::StrJoin(
      *units, ", ", [](std::string* out, const auto& unit) { out->append(unit.first); });
  std::optional<std::set<int>> tasks;  // asked for at the first task named
  Violations v;
  auto check_unit = [&](const std::string& field, const std::string& code) {
    if (units->count(code) > 0) return;
    v.Add(field, absl::StrCat("'", code,
                              "' is not one of the district's departments in the task "
                              "registry (",
                              department_codes, ")"));
  };
  for (int i = 0; i < catalog.statistics_size(); ++i) {
    check_unit(absl::StrCat("catalog.statistics[", i, "].responsible_unit"),
               catalog.statistics(i).responsible_unit());
  }
  for (int i = 0; i < catalog.indicators_size(); ++i) {
    const v1::Indicator& indicator = catalog.indicators(i);
    const std::string field = absl::StrCat("catalog.indicators[", i, "]");
    check_unit(field + ".responsible_unit", indicator.responsible_unit());
    if (indicator.task_number() == 0) continue;
    if (!tasks.has_value()) {
      auto numbers = sources_.TaskNumbers(answer_by);
      if (!numbers.ok()) return cannot_check(numbers.status());
      tasks = *std::move(numbers);
    }
    if (tasks->count(indicator.task_number()) == 0) {
      v.Add(field + ".task_number",
            absl::StrCat("the plan has no task ", indicator.task_number(), " (its ", tasks->size(),
                         " tasks are numbered from ", tasks->empty() ? 0 : *tasks->begin(), " to ",
                         tasks->empty() ? 0 : *tasks->rbegin(), "); 0 when no task carries it"));
    }
  }
  return v.ToStatus();
}

absl::StatusOr<v1::ImportIndicatorsResponse> Evaluation::ImportIndicators(
    const Principal& caller, const v1::ImportIndicatorsRequest& req, absl::Time answer_by) {
  if (caller.role != Role::kCoordinator && caller.role != Role::kOperator) {
    return absl::PermissionDeniedError("only the coordinator or an operator loads indicators");
  }
  if (absl::Status ok = CheckIndicatorCatalog(req.catalog()); !ok.ok()) return ok;
  if (absl::Status ok = CheckSchoolItems(req.catalog(), answer_by); !ok.ok()) return ok;
  if (absl::Status ok = CheckRegistryReferences(req.catalog(), answer_by); !ok.ok()) return ok;
  v1::ImportIndicatorsResponse response;
  EvaluationWrite write;
  absl::Status done = Once(caller, req, req.request_id(), &response, &write, [&]() -> absl::Status {
    auto version = store_.CatalogVersion();
    if (!version.ok()) return version.status();
    write.catalog_version = *version;
    auto listed = store_.ListIndicators();
    if (!listed.ok()) return listed.status();
    std::set<std::string> in_catalog;
    std::vector<std::string> ids;
    for (const auto& indicator : req.catalog().indicators()) {
      in_catalog.insert(indicator.id());
      ids.push_back(indicator.id());
    }
    std::set<std::string> listed_ids;
    for (const auto& i : *listed) {
      listed_ids.insert(i.value.id());
      if (in_catalog.count(i.value.id()) > 0) continue;
      write.retired_indicators.push_back(i.value.id());
      response.add_retired(i.value.name());
    }
    // A retired indicator is still stored: one that comes back is written
    // over its stored version, and counts as created since it is listed anew.
    auto stored = store_.GetIndicators(ids);
    if (!stored.ok()) return stored.status();
    std::map<std::string, Stored<v1::Indicator>> by_id;
    for (auto& i : *stored) by_id.emplace(i.value.id(), std::move(i));
    write.indicator_order = ids;
    for (v1::Indicator indicator : req.catalog().indicators()) {
      indicator.clear_etag();
      auto it = by_id.find(indicator.id());
      const bool is_listed = listed_ids.count(indicator.id()) > 0;
      if (it != by_id.end()) {
        v1::Indicator before = it->second.value;
        before.clear_etag();
        const bool same = before.SerializeAsString() == indicator.SerializeAsString();
        if (!is_listed) {
          response.set_created(response.created() + 1);
        } else if (same) {
          response.set_unchanged(response.unchanged() + 1);
        } else {
          response.set_updated(response.updated() + 1);
        }
        if (same) continue;
      } else {
        response.set_created(response.created() + 1);
      }
      write.indicators.push_back({indicator, it == by_id.end() ? 0 : it->second.version});
    }
    write.statistic_definitions.emplace(req.catalog().statistics().begin(),
                                        req.catalog().statistics().end());
    response.set_statistics_defined(req.catalog().statistics_size());
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Indicator> Evaluation::GetIndicator(const Principal&,
                                                       const v1::GetIndicatorRequest& req) {
  auto indicators = store_.ListIndicators();
  if (!indicators.ok()) return indicators.status();
  for (auto& i : *indicators) {
    if (i.value.name() == req.name()) return i.value;
  }
  return NotFoundField("name", "no indicator " + req.name());
}

absl::StatusOr<v1::ListIndicatorsResponse> Evaluation::ListIndicators(
    const Principal&, const v1::ListIndicatorsRequest& req) {
  auto page = ParsePage(req, 100, 500);
  if (!page.ok()) return page.status();
  auto indicators = store_.ListIndicators();
  if (!indicators.ok()) return indicators.status();
  std::vector<v1::Indicator> matching;
  for (auto& i : *indicators) {
    if (!req.responsible_unit().empty() && i.value.responsible_unit() != req.responsible_unit()) {
      continue;
    }
    if (!absl::StartsWith(i.value.section_code(), req.section_prefix())) continue;
    matching.push_back(std::move(i.value));
  }
  v1::ListIndicatorsResponse response;
  int total = static_cast<int>(matching.size());
  for (int i = page->offset; i < total && i < page->offset + page->size; ++i) {
    *response.add_indicators() = matching[i];
  }
  response.set_next_page_token(NextPageToken(*page, total));
  auto definitions = store_.StatisticDefinitions();
  if (!definitions.ok()) return definitions.status();
  for (auto& d : *definitions) *response.add_statistics() = std::move(d);
  return response;
}

absl::StatusOr<v1::Statistic> Evaluation::RecordStatistic(const Principal& caller,
                                                          const v1::RecordStatisticRequest& req) {
  auto definitions = store_.StatisticDefinitions();
  if (!definitions.ok()) return definitions.status();
  const v1::StatisticDefinition* definition = nullptr;
  for (const auto& d : *definitions) {
    if (d.key() == req.key()) definition = &d;
  }
  if (definition == nullptr)
    return NotFoundField("key", "no district statistic '" + req.key() + "'");
  bool responsible =
      caller.role == Role::kDepartment && caller.unit == definition->responsible_unit();
  if (caller.role != Role::kCoordinator && !responsible) {
    return absl::PermissionDeniedError(absl::StrCat("statistic ", req.key(), " is entered by ",
                                                    definition->responsible_unit(),
                                                    " or the coordinator"));
  }
  if (absl::Status year = CheckBegunYear("year", req.year(), "a statistic is of a year begun");
      !year.ok()) {
    return year;
  }
  absl::Time now = clock_.Now();
  absl::CivilDay today = absl::ToCivilDay(now, DistrictTimeZone());
  if (CountsThings(definition->unit()) && req.value() != std::floor(req.value())) {
    return InvalidField("value", absl::StrCat("a whole number of ", definition->unit()));
  }
  absl::CivilDay as_of;
  absl::ParseCivilTime(req.as_of(), &as_of);  // shape checked by validation
  if (as_of > today) return InvalidField("as_of", "must not be in the future");

  v1::Statistic response;
  EvaluationWrite write;
  absl::Status done = Once(caller, req, req.request_id(), &response, &write, [&]() -> absl::Status {
    auto existing = store_.GetStatistic(req.key(), req.year());
    if (!existing.ok()) return existing.status();
    int64_t version = existing->has_value() ? (*existing)->version : 0;
    if (!req.etag().empty() && req.etag() != std::to_string(version)) return StaleEtag("etag");
    if (version > 0) {
      int logged = 0;
      auto revisions = store_.ListStatisticRevisions(req.key(), req.year(), 0, 0, &logged);
      if (!revisions.ok()) return revisions.status();
      if (logged == 0) write.unlogged_statistics.push_back((*existing)->value);
    }
    if (absl::Status fits = CheckPartsOfWholes(req.key(), req.year(), req.value(), &write);
        !fits.ok()) {
      return fits;
    }
    response.set_name(absl::StrCat("statistics/", req.key(), "/years/", req.year()));
    response.set_key(req.key());
    response.set_year(req.year());
    response.set_value(req.value());
    response.set_source(req.source());
    response.set_as_of(req.as_of());
    response.set_recorded_by(caller.ToString());
    *response.mutable_record_time() = TimeToProto(now);
    response.set_etag(std::to_string(version + 1));
    response.set_revision(static_cast<int32_t>(version + 1));
    write.statistics.push_back({response, version});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListStatisticsResponse> Evaluation::ListStatistics(
    const Principal&, const v1::ListStatisticsRequest& req) {
  auto statistics = store_.ListStatistics(req.year());
  if (!statistics.ok()) return statistics.status();
  v1::ListStatisticsResponse response;
  for (auto& s : *statistics) *response.add_statistics() = std::move(s.value);
  return response;
}

absl::StatusOr<v1::ListStatisticRevisionsResponse> Evaluation::ListStatisticRevisions(
    const Principal&, const v1::ListStatisticRevisionsRequest& req) {
  auto ref = ParseStatisticName(req.name(), "name");
  if (!ref.ok()) return ref.status();
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  auto revisions =
      store_.ListStatisticRevisions(ref->key, ref->year, page->offset, page->size, &total);
  if (!revisions.ok()) return revisions.status();
  v1::ListStatisticRevisionsResponse response;
  if (total == 0) {
    // Recorded before revisions were kept (and not corrected since), or never.
    auto current = store_.GetStatistic(ref->key, ref->year);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return NotFoundField("name", absl::StrCat("no figure was recorded for ", req.name()));
    }
    if (page->offset == 0) *response.add_statistics() = (*current)->value;
    return response;
  }
  for (auto& revision : *revisions) *response.add_statistics() = std::move(revision);
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

}  // namespace vetrack::evaluation
