#include "validation.h"

#include <cmath>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "idempotency/idempotency.h"
#include "indicator_catalog.h"
#include "inputs.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::evaluation {
namespace {

void CheckYear(Violations& v, const std::string& field, int year, bool required) {
  if (!required && year == 0) return;
  if (year < 2000 || year > 2100) v.Add(field, "a year such as 2025");
}

void CheckRoundName(Violations& v, const std::string& field, const std::string& name) {
  const std::string prefix = "rounds/";
  if (name.rfind(prefix, 0) != 0 || !IsValidResourceId(name.substr(prefix.size()))) {
    v.Add(field, "must be rounds/{round_id}");
  }
}

void CheckPageSize(Violations& v, int page_size) {
  if (page_size < 0) v.Add("page_size", "must not be negative");
}

}  // namespace

absl::Status Validate(const v1::ImportIndicatorsRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  if (req.catalog().indicators().empty()) v.Add("catalog.indicators", "at least one indicator");
  if (req.catalog().indicators_size() > 1000) v.Add("catalog.indicators", "at most 1000");
  return v.ToStatus();
}

absl::Status Validate(const v1::GetIndicatorRequest& req) {
  Violations v;
  const std::string prefix = "indicators/";
  if (req.name().rfind(prefix, 0) != 0 || !IsValidResourceId(req.name().substr(prefix.size()))) {
    v.Add("name", "must be indicators/{id}");
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::ListIndicatorsRequest& req) {
  Violations v;
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::RecordStatisticRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  if (req.key().empty() || req.key().size() > 64) v.Add("key", "a statistic key");
  CheckYear(v, "year", req.year(), true);
  if (!std::isfinite(req.value()) || req.value() < 0 || req.value() > kMaxFigure) {
    v.Add("value", "a number from 0 to 1e12");
  }
  // Found in use: "   " and a NUL were taken, and the revision history then
  // traced the figure to nothing.
  if (IsBlank(req.source()) || Utf8Length(req.source()) > 200) {
    v.Add("source", "required: where the figure comes from, at most 200 characters");
  } else if (HasControlCharacters(req.source())) {
    v.Add("source", "no control characters");
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(req.as_of(), &day)) {
    v.Add("as_of", "a date YYYY-MM-DD");
  } else if (req.year() >= 2000 && req.year() <= 2100) {
    // A year's figure is often taken or published in the next year (the
    // statistical yearbook comes out in spring); a date before the year
    // began, or after the next one ended, cannot be that year's figure and is
    // most likely a typo of one of the two.
    absl::CivilDay first(req.year(), 1, 1), last(req.year() + 1, 12, 31);
    if (day < first || day > last) {
      v.Add("as_of", absl::StrCat("a date from ", absl::FormatCivilTime(first), " to ",
                                  absl::FormatCivilTime(last), " for a ", req.year(), " figure"));
    }
  }
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListStatisticsRequest& req) {
  Violations v;
  CheckYear(v, "year", req.year(), false);
  return v.ToStatus();
}

absl::StatusOr<StatisticRef> ParseStatisticName(const std::string& name, const std::string& field) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  StatisticRef ref;
  if (parts.size() != 4 || parts[0] != "statistics" || parts[2] != "years" || parts[1].empty() ||
      parts[1].size() > 64 || parts[3].size() != 4 || !absl::SimpleAtoi(parts[3], &ref.year) ||
      ref.year < 2000 || ref.year > 2100) {
    return InvalidField(field, "must be statistics/{key}/years/{year}");
  }
  ref.key = parts[1];
  return ref;
}

absl::Status Validate(const v1::ListStatisticRevisionsRequest& req) {
  Violations v;
  v.AddFrom(ParseStatisticName(req.name(), "name").status());
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListResultsRequest& req) {
  Violations v;
  CheckYear(v, "year", req.year(), true);
  if (!req.indicator().empty() && (req.indicator().rfind("indicators/", 0) != 0 ||
                                   !IsValidResourceId(req.indicator().substr(11)))) {
    v.Add("indicator", "must be indicators/{id}");
  }
  if (!req.institution().empty() && !IsValidResourceId(req.institution())) {
    v.Add("institution", "an institution code");
  }
  if (!req.responsible_unit().empty() && !IsValidResourceId(req.responsible_unit())) {
    v.Add("responsible_unit", "a unit code");
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::GetFinalEvaluationRequest&) { return absl::OkStatus(); }

absl::Status Validate(const v1::CreateRoundRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  if (!IsValidResourceId(req.round_id())) v.Add("round_id", "a lower-case id such as 2025-annual");
  if (IsBlank(req.round().title()) || Utf8Length(req.round().title()) > 200) {
    v.Add("round.title", "required, at most 200 characters");
  }
  CheckYear(v, "round.year", req.round().year(), true);
  if (req.round().subject_kind() == v1::SUBJECT_KIND_UNSPECIFIED ||
      !v1::SubjectKind_IsValid(req.round().subject_kind())) {
    v.Add("round.subject_kind", "INSTITUTION or UNIT");
  }
  std::set<std::string> subjects;
  for (int i = 0; i < req.round().subjects_size(); ++i) {
    const std::string& subject = req.round().subjects(i);
    if (!IsValidResourceId(subject)) {
      v.Add(absl::StrCat("round.subjects[", i, "]"), "an institution or unit code");
    } else if (!subjects.insert(subject).second) {
      v.Add(absl::StrCat("round.subjects[", i, "]"), subject + " is named twice");
    }
  }
  return v.ToStatus();
}

absl::Status Validate(const v1::GetRoundRequest& req) {
  Violations v;
  CheckRoundName(v, "name", req.name());
  return v.ToStatus();
}

absl::Status Validate(const v1::ListRoundsRequest& req) {
  Violations v;
  CheckPageSize(v, req.page_size());
  return v.ToStatus();
}

absl::Status Validate(const v1::RecordScoresRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  CheckRoundName(v, "round", req.round());
  if (req.scores().empty()) v.Add("scores", "at least one score");
  if (req.scores_size() > 10000) v.Add("scores", "at most 10000 per call");
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::FinalizeRoundRequest& req) {
  Violations v;
  v.AddFrom(ValidateRequestId(req.request_id()));
  CheckRoundName(v, "round", req.round());
  v.CheckEtagShape("etag", req.etag());
  return v.ToStatus();
}

absl::Status Validate(const v1::ExportRoundRequest& req) {
  Violations v;
  CheckRoundName(v, "round", req.round());
  if (!v1::ExportFormat_IsValid(req.format())) v.Add("format", "CSV or JSON");
  return v.ToStatus();
}

}  // namespace vetrack::evaluation
