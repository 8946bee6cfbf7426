#include "periods.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clock/clock.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

absl::Time QuarterStart(int year, int quarter) {
  return absl::FromCivil(absl::CivilDay(year, (quarter - 1) * 3 + 1, 1), DistrictTimeZone());
}

v1::Period MakePeriod(int year, int quarter, absl::Duration grace) {
  v1::Period p;
  p.set_id(absl::StrCat(year, "-Q", quarter));
  p.set_name(absl::StrCat("periods/", p.id()));
  absl::Time start = QuarterStart(year, quarter);
  absl::Time end = quarter == 4 ? QuarterStart(year + 1, 1) : QuarterStart(year, quarter + 1);
  *p.mutable_start_time() = TimeToProto(start);
  *p.mutable_end_time() = TimeToProto(end);
  *p.mutable_deadline() = TimeToProto(end + grace);
  return p;
}

}  // namespace

absl::StatusOr<v1::Period> ParsePeriod(const std::string& id, absl::Duration grace) {
  int year = 0;
  if (id.size() != 7 || id[4] != '-' || id[5] != 'Q' || id[6] < '1' || id[6] > '4' ||
      !absl::SimpleAtoi(id.substr(0, 4), &year) || year < 2000 || year > kLastPeriodYear) {
    return InvalidField("period_id",
                        absl::StrCat("'", id.substr(0, 32), "' is not a quarter like 2026-Q3"));
  }
  return MakePeriod(year, id[6] - '0', grace);
}

absl::Status CheckReportable(const v1::Period& period, const v1::Plan& plan, absl::Time now) {
  absl::Time start = TimeFromProto(period.start_time());
  if (start < QuarterStart(plan.start_year(), 1)) {
    return InvalidField("period_id", absl::StrCat(period.id(), " is before the plan starts in ",
                                                  plan.start_year()));
  }
  if (start > now) {
    return InvalidField("period_id", absl::StrCat(period.id(), " has not begun"));
  }
  return absl::OkStatus();
}

std::vector<v1::Period> ReportablePeriods(const v1::Plan& plan, absl::Time now,
                                          absl::Duration grace) {
  std::vector<v1::Period> out;
  for (int year = plan.start_year();; ++year) {
    for (int q = 1; q <= 4; ++q) {
      if (QuarterStart(year, q) > now) return out;
      out.push_back(MakePeriod(year, q, grace));
    }
  }
}

}  // namespace vetrack::tasks
