#ifndef VETRACK_SERVICES_EVALUATION_INPUTS_H_
#define VETRACK_SERVICES_EVALUATION_INPUTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "vetrack/evaluation/v1/evaluation.pb.h"

// What the evaluation computes from, gathered for one year from the three
// sources: accepted school data (school-reporting), ledger totals
// (training-ledger) and district statistics (this service's own store).
namespace vetrack::evaluation {

// The largest figure (a statistic, a target) vetrack takes: far above any
// district count of persons or amount in yuan, and low enough that sums,
// ratios and the trend's least squares stay finite.
inline constexpr double kMaxFigure = 1e12;

struct Institution {
  std::string code;
  v1::InstitutionType type = v1::INSTITUTION_TYPE_UNSPECIFIED;
  // What the municipal exchange names it by; the codes are empty until
  // imported. Initialised here, so a brace list may stop after the type.
  std::string display_name{};
  std::string school_id_code{};  // 学校标识码
  std::string credit_code{};     // 统一社会信用代码
  // The first calendar year it is counted in; 0: every year.
  int first_year{};
};

// Whether the figures of `year` count `institution` (it existed then).
inline bool CountedIn(const Institution& institution, int year) {
  return institution.first_year <= year;
}

// An institution's accepted data report for an academic year.
struct AcceptedReport {
  std::string period_id;  // "ay2025"
  int revision = 0;
  std::map<std::string, int64_t> counts;
  // The type the report was submitted under, which its figures count under
  // that year; unspecified: the institution's current type.
  v1::InstitutionType type = v1::INSTITUTION_TYPE_UNSPECIFIED;
};

// An academic year's data reports, as school reporting has them.
struct SchoolYear {
  // Institutions with an accepted report; absent ones have none yet.
  std::map<std::string, AcceptedReport> accepted;
  // The type each report with nothing accepted yet was submitted as (it
  // waits for review, or was returned): the year's type of its institution
  // until its figures count. Absent: never submitted.
  std::map<std::string, v1::InstitutionType> pending_types;
};

// The enrolment the training ledger judges its 2 × rule on, for an
// institution's calendar year: the year's accepted academic-year figure,
// else the one before's (period_id says which). The evaluation divides by
// the same figure, so that the two never judge one year differently.
struct LedgerEnrolment {
  int64_t students = 0;
  std::string period_id;  // "ay2025"
  int revision = 0;
};

// What the training ledger says of a calendar year, by institution code.
struct LedgerYear {
  // The person-times the 2 × enrolment rule counts.
  std::map<std::string, int64_t> person_times;
  // The institutions whose enrolment the ledger knows, and in `no_enrolment`
  // why not for the others it lists (the ledger's own words).
  std::map<std::string, LedgerEnrolment> enrolment;
  std::map<std::string, std::string> no_enrolment;
  // Non-empty when the ledger could not learn enrolment from school
  // reporting: why. The enrolment is then unavailable, as a source down.
  std::string enrolment_unavailable;
};

struct YearInputs {
  int year = 0;
  // False when school-reporting did not answer for this year.
  bool school_available = false;
  SchoolYear school;
  bool ledger_available = false;
  LedgerYear ledger;
  // By statistic key.
  std::map<std::string, v1::Statistic> statistics;
};

// `institutions` as they were in `in.year`: each of the type its accepted
// report that year was submitted under, else of the type its report still
// under review was submitted as, else of its current type. A school upgraded
// since then counts under its old type in its old years.
std::vector<Institution> AsOfYear(const std::vector<Institution>& institutions,
                                  const YearInputs& in);

// The academic year whose data stands for calendar year `year`: the one that
// begins in its September (education statistics are taken at 学年初).
std::string AcademicYearOf(int year);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_INPUTS_H_
