#ifndef VETRACK_SERVICES_TRAINING_LEDGER_ACCOUNTING_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_ACCOUNTING_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "records.h"
#include "vetrack/ledger/v1/ledger.pb.h"

// The accounting rules, as pure functions: exact decimal rates, rounding, and
// the yearly statements computed from aggregate cells. No floating point
// anywhere: rates are scaled integers, products are taken in 128 bits, and
// every rounding is half-up (x.5 goes away from zero) at the last step.
namespace vetrack::ledger {

// Rates have at most 4 decimal places (basis points); the FTE factor at most 8.
inline constexpr int kRatePlaces = 4;
inline constexpr int kFtePlaces = 8;

// Parses an unsigned decimal ("0.3", "1", "0.00125") into units of
// 10^-places. INVALID_ARGUMENT on `field` for anything else (signs,
// exponents, more places, more than 10 integer digits).
absl::StatusOr<int64_t> ParseDecimal(const std::string& text, int places, const std::string& field);
// The shortest decimal for a scaled value: (30000, 4) -> "3", (3000, 4) -> "0.3".
std::string FormatDecimal(int64_t scaled, int places);
// Exactly two decimals: 1234 -> "12.34".
std::string FormatHundredths(int64_t hundredths);
// round(numerator / denominator), halves rounded up; both non-negative.
int64_t DivideRoundHalfUp(__int128 numerator, int64_t denominator);

struct PolicyRates {
  int64_t uplift_bp = 0;        // per 10,000 of income
  int64_t public_funds_bp = 0;  // per 10,000 of income
  int64_t fte_per_hour_e8 = 0;  // FTE per trainee hour × 10^8
};

// Every problem with the policy's rates at once, fields named under `prefix`
// (e.g. "policy."). Shares must lie in 0 … 1.
absl::StatusOr<PolicyRates> ParsePolicyRates(const v1::AccountingPolicy& policy,
                                             const std::string& prefix);
// The rates written in their shortest form, so equal policies compare equal.
void CanonicalizeRates(const PolicyRates& rates, v1::AccountingPolicy* policy);

// The accounting figures of a year's totals under a policy.
int64_t UpliftFen(int64_t income_fen, const PolicyRates& rates);
int64_t PublicFundsFen(int64_t income_fen, const PolicyRates& rates);
int64_t WorkloadFteHundredths(int64_t trainee_hours, const PolicyRates& rates);
// person_times / enrolled as the evaluation prints it (DecimalText):
// "0.11", "1.996"; enrolled must be positive.
std::string RatioText(int64_t person_times, int64_t enrolled);

// Whether a programme is training (培训): every kind but 职业体验活动, which
// the plan lists as publicity of vocational education for pupils, parents and
// residents. Only training counts toward 职业院校年培训人次 (the 2 × enrolment
// rule), and only its income and hours are the base of public funds
// (培训收入纳入学校公用经费) and of the workload (培训工作量折算); statement
// totals still hold every record.
bool IsTraining(int programme);
// Whether a programme is 职业技能培训, whose income the performance-pay
// uplift is taken on: not 社区教育, 老年教育 or 职业体验活动.
bool IsSkillsTraining(int programme);

// Enrolment as the statement uses it.
// UNSPECIFIED when it was not looked up (the basic view): the statement is
// then not judged.
struct EnrolmentFigure {
  v1::EnrolmentStatus status = v1::ENROLMENT_STATUS_NOT_REPORTED;
  std::string period_id;
  int32_t revision = 0;
  int64_t enrolled_students = 0;
  // Why the year's own academic year was not used, if it was not.
  std::string note;
};

// An institution's aggregate cells for a year.
using YearCells = std::map<Cell, Amounts>;

v1::TrainingStatement BuildStatement(const std::string& institution_code, int year,
                                     const YearCells& cells,
                                     const std::optional<v1::AccountingPolicy>& policy,
                                     const EnrolmentFigure& enrolment);

// Sums the institutions' statements (their rounded figures, so rows add up
// to the totals) and judges the district as a whole, unless no institution
// was judged (the basic view). Enrolled, required and counted person-times
// cover only the institutions whose enrolment is reported; a note names the
// others.
v1::DistrictTrainingStatement BuildDistrictStatement(
    int year, std::vector<v1::TrainingStatement> statements,
    const std::optional<v1::AccountingPolicy>& policy);

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_ACCOUNTING_H_
