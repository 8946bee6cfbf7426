#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clock/clock.h"
#include "status/disclosure.h"
#include "views.h"

namespace vetrack::gateway {

ViewPeriods DefaultPeriods(absl::Time now, absl::Duration grace_after_quarter) {
  absl::CivilDay day = absl::ToCivilDay(now, DistrictTimeZone());
  const int year = static_cast<int>(day.year());
  ViewPeriods periods;
  // A quarter's deadline is its end plus the grace: `grace` before now, the
  // quarter due next was under way (as the registry tracks quarters).
  periods.quarter = QuarterIdAt(now - grace_after_quarter);
  // Academic years run 1 Sep – 31 Aug: from September the one that ended in
  // August is the latest ended.
  periods.results_year = day.month() >= 9 ? year - 1 : year - 2;
  periods.data_period_id = absl::StrCat("ay", periods.results_year);
  periods.quality_period_id = absl::StrCat("cy", year - 1);
  periods.training_year = year;
  return periods;
}

ViewPeriods PeriodsOfYear(ViewPeriods defaults, int year) {
  // A year whose reports are not due yet keeps the latest there are: its
  // own periods have not opened, and would show every school as missing.
  const int latest_quality = defaults.training_year - 1;  // last year's, as DefaultPeriods
  defaults.data_period_id = absl::StrCat("ay", std::min(year, defaults.results_year));
  defaults.quality_period_id = absl::StrCat("cy", std::min(year, latest_quality));
  defaults.results_year = year;
  defaults.training_year = year;
  return defaults;
}

int YearOfDataPeriod(const std::string& data_period_id) {
  int year = 0;
  if (!absl::StartsWith(data_period_id, "ay") ||
      !absl::SimpleAtoi(data_period_id.substr(2), &year)) {
    return 0;
  }
  return year;
}

void MissingSections::Add(const std::string& section, const absl::Status& status) {
  AddDisclosed(section, status.code(), DisclosedMessage(status, "gateway view section " + section));
}

void MissingSections::AddDisclosed(const std::string& section, absl::StatusCode code,
                                   std::string message) {
  v1::SectionError error;
  error.set_section(section);
  error.set_code(absl::StatusCodeToString(code));
  error.set_message(std::move(message));
  errors_.push_back(std::move(error));
}

bool MissingSections::HaveResults(
    const absl::StatusOr<evaluation_v1::ListResultsResponse>& results) {
  if (!Have("results", results)) return false;
  if (results->unavailable_sources().empty()) return true;
  // Only when a result the view got reads no data for it: a view whose
  // results need nothing from the missing source is whole (and cached).
  const bool lacking = std::any_of(results->results().begin(), results->results().end(),
                                   [](const evaluation_v1::Result& r) {
                                     return r.status() == evaluation_v1::RESULT_STATUS_NO_DATA;
                                   });
  if (!lacking) return true;
  // The evaluation disclosed what its sources' failures may show.
  AddDisclosed(
      "results", absl::StatusCode::kUnavailable,
      absl::StrCat("computed without ", absl::StrJoin(results->unavailable_sources(), "; "),
                   ": the results that need it read no data"));
  return true;
}

bool FailsWholeView(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kUnauthenticated:
      return true;
    default:
      return false;
  }
}

std::vector<v1::IndicatorStatus> IndicatorStatuses(
    const absl::StatusOr<evaluation_v1::ListIndicatorsResponse>& indicators,
    const absl::StatusOr<evaluation_v1::ListResultsResponse>& results,
    const std::function<bool(const evaluation_v1::Indicator&)>& keep_indicator,
    const std::function<bool(const evaluation_v1::Result&)>& keep_result,
    bool keep_without_results) {
  std::map<std::string, std::vector<const evaluation_v1::Result*>> by_indicator;
  std::vector<std::string> result_order;
  if (results.ok()) {
    for (const auto& r : results->results()) {
      if (!keep_result(r)) continue;
      auto& list = by_indicator[r.indicator()];
      if (list.empty()) result_order.push_back(r.indicator());
      list.push_back(&r);
    }
  }
  std::vector<v1::IndicatorStatus> out;
  auto add_results = [&](v1::IndicatorStatus* status) {
    auto it = by_indicator.find(status->indicator());
    if (it == by_indicator.end()) return;
    for (const auto* r : it->second) {
      auto* copy = status->add_results();
      *copy = *r;
      copy->clear_sources();
    }
  };
  if (indicators.ok()) {
    for (const auto& indicator : indicators->indicators()) {
      if (!keep_indicator(indicator)) continue;
      v1::IndicatorStatus status;
      status.set_indicator(indicator.name());
      status.set_title(indicator.title());
      status.set_unit(indicator.unit());
      status.set_task_number(indicator.task_number());
      status.set_responsible_unit(indicator.responsible_unit());
      add_results(&status);
      if (status.results_size() > 0 || keep_without_results) out.push_back(std::move(status));
    }
    return out;
  }
  for (const auto& name : result_order) {
    v1::IndicatorStatus status;
    status.set_indicator(name);
    add_results(&status);
    out.push_back(std::move(status));
  }
  return out;
}

}  // namespace vetrack::gateway
