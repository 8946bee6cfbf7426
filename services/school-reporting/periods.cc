#include "periods.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "status/errors.h"

namespace vetrack::schools {
namespace {

constexpr char kAcademicPrefix[] = "ay";
constexpr char kCalendarPrefix[] = "cy";

absl::Time DayStart(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), DistrictTimeZone());
}

absl::Time StartOf(const PeriodRef& ref) {
  return ref.kind == v1::PERIOD_KIND_ACADEMIC_YEAR ? DayStart(ref.year, 9, 1)
                                                   : DayStart(ref.year, 1, 1);
}

absl::Time EndOf(const PeriodRef& ref) {
  return ref.kind == v1::PERIOD_KIND_ACADEMIC_YEAR ? DayStart(ref.year + 1, 9, 1)
                                                   : DayStart(ref.year + 1, 1, 1);
}

}  // namespace

std::string PeriodRef::id() const {
  return absl::StrCat(kind == v1::PERIOD_KIND_ACADEMIC_YEAR ? kAcademicPrefix : kCalendarPrefix,
                      year);
}

absl::StatusOr<PeriodRef> ParsePeriodId(const std::string& id, const std::string& field) {
  PeriodRef ref;
  const std::string prefix = id.substr(0, 2);
  if (prefix == kAcademicPrefix) ref.kind = v1::PERIOD_KIND_ACADEMIC_YEAR;
  if (prefix == kCalendarPrefix) ref.kind = v1::PERIOD_KIND_CALENDAR_YEAR;
  bool digits = id.size() == 6 && id.find_first_not_of("0123456789", 2) == std::string::npos;
  if (ref.kind == v1::PERIOD_KIND_UNSPECIFIED || !digits ||
      !absl::SimpleAtoi(id.substr(2), &ref.year) || ref.year < 2000) {
    return InvalidField(field, absl::StrCat("'", id.substr(0, 32),
                                            "' is not a period: ay2025 (academic year from "
                                            "1 Sep) or cy2025 (calendar year)"));
  }
  if (ref.year > kLastPeriodYear) {
    return InvalidField(field, absl::StrCat("'", id, "' is after ", kLastPeriodYear,
                                            ", the last year a period may have"));
  }
  return ref;
}

v1::PeriodKind ReportPeriodKind(ReportKind kind) {
  return kind == ReportKind::kData ? v1::PERIOD_KIND_ACADEMIC_YEAR : v1::PERIOD_KIND_CALENDAR_YEAR;
}

v1::Period DefaultPeriod(const PeriodRef& ref, const PeriodPolicy& policy) {
  v1::Period period;
  period.set_id(ref.id());
  period.set_name(PeriodName(period.id()));
  period.set_kind(ref.kind);
  const absl::Time start = StartOf(ref);
  const absl::Time end = EndOf(ref);
  *period.mutable_start_time() = TimeToProto(start);
  *period.mutable_end_time() = TimeToProto(end);
  if (ref.kind == v1::PERIOD_KIND_ACADEMIC_YEAR) {
    *period.mutable_open_time() = TimeToProto(start);
    *period.mutable_close_time() = TimeToProto(end + policy.data_close_after);
  } else {
    *period.mutable_open_time() = TimeToProto(end);
    const absl::CivilMonth closes = absl::CivilMonth(ref.year + 1, 1) + policy.quality_close_months;
    *period.mutable_close_time() = TimeToProto(DayStart(closes.year(), closes.month(), 1));
  }
  return period;
}

absl::Status CheckWithinPlan(const PeriodRef& ref, const PeriodPolicy& policy,
                             const std::string& field) {
  if (ref.year < policy.first_year) {
    return InvalidField(
        field, absl::StrCat(ref.id(), " is before the plan's first year ", policy.first_year));
  }
  return absl::OkStatus();
}

absl::Status CheckOpen(const v1::Period& period, absl::Time now) {
  const absl::Time open = TimeFromProto(period.open_time());
  if (now >= open) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat(period.id(), " opens for reporting on ",
                                     absl::FormatTime("%Y-%m-%d %H:%M", open, DistrictTimeZone()))),
                    "PERIOD_NOT_OPEN");
}

absl::Status CheckCountedIn(const v1::Institution& institution, const std::string& period_id) {
  auto period = ParsePeriodId(period_id, "period_id");
  if (!period.ok()) return period.status();
  if (CountedIn(institution, *period)) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        institution.code(), " is counted from ", institution.first_year(),
                        ": it owes no report for ", period_id)),
                    "NOT_YET_COUNTED");
}

bool IsLate(const v1::Period& period, absl::Time now) {
  return now > TimeFromProto(period.close_time());
}

std::vector<PeriodRef> BegunPeriods(v1::PeriodKind kind, const PeriodPolicy& policy,
                                    absl::Time now) {
  std::vector<PeriodRef> out;
  const int this_year = absl::ToCivilYear(now, DistrictTimeZone()).year();
  for (int year = policy.first_year; year <= this_year; ++year) {
    // A calendar year begins before the academic year of the same number.
    for (v1::PeriodKind k : {v1::PERIOD_KIND_CALENDAR_YEAR, v1::PERIOD_KIND_ACADEMIC_YEAR}) {
      if (kind != v1::PERIOD_KIND_UNSPECIFIED && kind != k) continue;
      PeriodRef ref{k, year};
      if (StartOf(ref) <= now) out.push_back(ref);
    }
  }
  return out;
}

}  // namespace vetrack::schools
