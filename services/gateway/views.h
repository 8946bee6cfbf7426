#ifndef VETRACK_SERVICES_GATEWAY_VIEWS_H_
#define VETRACK_SERVICES_GATEWAY_VIEWS_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"
#include "vetrack/gateway/v1/gateway.pb.h"
#include "vetrack/ledger/v1/ledger.pb.h"
#include "vetrack/schools/v1/schools.pb.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// The views, put together from what the services answered. Plain functions
// of their inputs (no gRPC): each input is a service's answer or the error it
// failed with, and a failed input makes its section missing, not the view.
namespace vetrack::gateway {

namespace tasks_v1 = ::vetrack::tasks::v1;
namespace schools_v1 = ::vetrack::schools::v1;
namespace ledger_v1 = ::vetrack::ledger::v1;
namespace evaluation_v1 = ::vetrack::evaluation::v1;

// The periods a view shows when the request names none, in the district's
// time zone: the quarter whose filings are due next, the last academic year that has ended
// (its data reports are what is being reported), last calendar year (quality
// reports), the results year of that academic year, and this year (training).
struct ViewPeriods {
  std::string quarter;
  std::string data_period_id;
  std::string quality_period_id;
  int results_year = 0;
  int training_year = 0;
};
// What a view shows by default at `now`. The quarter is the one whose
// filings are due next: the quarter just ended until its deadline
// (`grace_after_quarter` after its end, the task registry's --grace-days),
// then the one under way.
ViewPeriods DefaultPeriods(absl::Time now, absl::Duration grace_after_quarter);
// The defaults when the caller names the results year: that year's training,
// data (ay{year}) and quality reports (cy{year}), or the latest data and
// quality reports where the year's are not due yet; the quarter is kept.
ViewPeriods PeriodsOfYear(ViewPeriods defaults, int year);
// The year an academic-year period stands for: "ay2025" → 2025 (0 if the id
// is not one; the request validation has refused such ids already).
int YearOfDataPeriod(const std::string& data_period_id);

// The sections a view could not fill, and why.
class MissingSections {
 public:
  // True when `value` holds an answer; otherwise records `section` as missing.
  template <typename T>
  bool Have(const std::string& section, const absl::StatusOr<T>& value) {
    if (value.ok()) return true;
    Add(section, value.status());
    return false;
  }
  // A server fault's cause is withheld (status/disclosure.h): the section
  // error carries a reference to its logged line.
  void Add(const std::string& section, const absl::Status& status);
  // As Have for the evaluation's results, which also count as missing when
  // they came back computed without a source (unavailable_sources) and one
  // of them reads NO_DATA: they are all there, but those that need that
  // source read NO_DATA, which a
  // complete view would read as "no data reported" (found in use: a stopped
  // ledger turned 9 results into no_data in a view that was not partial).
  bool HaveResults(const absl::StatusOr<evaluation_v1::ListResultsResponse>& results);

  // A section a service refused as INVALID_ARGUMENT (a year before the plan,
  // say) is missing too, with that code and message: the gateway fills the
  // periods a request leaves out, and a service may refuse those (a plan
  // that starts later than its defaults), which must not refuse the view.
  template <typename View>
  void WriteTo(View* view) const {
    view->set_partial(!errors_.empty());
    for (const auto& e : errors_) {
      view->add_missing_sections(e.section());
      *view->add_section_errors() = e;
    }
  }

 private:
  // `message` as it is: what may be shown already.
  void AddDisclosed(const std::string& section, absl::StatusCode code, std::string message);

  std::vector<v1::SectionError> errors_;
};

// Whether the failure of a view's main resource fails the whole view (the
// caller asked for something that does not exist or it may not see), rather
// than leaving a section out (the service is down or slow).
bool FailsWholeView(const absl::Status& status);

// Indicators with their results (lineage left out). Without indicators
// (their section missing) the results are grouped by indicator name alone.
// `keep_indicator` and `keep_result` choose; an indicator left without
// results is kept only when `keep_without_results`.
std::vector<v1::IndicatorStatus> IndicatorStatuses(
    const absl::StatusOr<evaluation_v1::ListIndicatorsResponse>& indicators,
    const absl::StatusOr<evaluation_v1::ListResultsResponse>& results,
    const std::function<bool(const evaluation_v1::Indicator&)>& keep_indicator,
    const std::function<bool(const evaluation_v1::Result&)>& keep_result,
    bool keep_without_results);

struct OverviewInputs {
  std::string plan;
  std::string period_id;
  int year = 0;
  std::string data_period_id;
  std::string quality_period_id;
  absl::StatusOr<tasks_v1::ListTasksResponse> tasks;
  absl::StatusOr<tasks_v1::ListEscalationsResponse> escalations;
  absl::StatusOr<evaluation_v1::ListIndicatorsResponse> indicators;
  absl::StatusOr<evaluation_v1::ListResultsResponse> results;
  absl::StatusOr<schools_v1::ListInstitutionsResponse> institutions;
  absl::StatusOr<schools_v1::ListDataReportsResponse> data_reports;
  absl::StatusOr<schools_v1::ListQualityReportsResponse> quality_reports;
};
absl::StatusOr<v1::DistrictOverview> AssembleOverview(const OverviewInputs& in);

struct WorkbenchInputs {
  // The unit's code.
  std::string unit;
  std::string period_id;
  int year = 0;
  absl::StatusOr<tasks_v1::ListTasksResponse> tasks;
  // Each task's progress in the period, by task name (section "progress").
  std::map<std::string, absl::StatusOr<tasks_v1::ListProgressResponse>> progress;
  absl::StatusOr<tasks_v1::ListEscalationsResponse> escalations;
  absl::StatusOr<evaluation_v1::ListIndicatorsResponse> indicators;
  absl::StatusOr<evaluation_v1::ListResultsResponse> results;
};
absl::StatusOr<v1::DepartmentWorkbench> AssembleWorkbench(const WorkbenchInputs& in);

struct DossierInputs {
  std::string period_id;
  int year = 0;
  absl::StatusOr<tasks_v1::Task> task;
  absl::StatusOr<tasks_v1::ListProgressResponse> progress;
  // NOT_FOUND while the period has no report: not a missing section.
  absl::StatusOr<tasks_v1::TaskReport> report;
  absl::StatusOr<tasks_v1::ListTaskHistoryResponse> history;
  absl::StatusOr<evaluation_v1::ListIndicatorsResponse> indicators;
  absl::StatusOr<evaluation_v1::ListResultsResponse> results;
};
absl::StatusOr<v1::TaskDossier> AssembleDossier(const DossierInputs& in);

struct ProfileInputs {
  // The institution's code.
  std::string code;
  int year = 0;
  std::string data_period_id;
  std::string quality_period_id;
  int training_year = 0;
  absl::StatusOr<schools_v1::Institution> institution;
  // NOT_FOUND while there is no report: not a missing section.
  absl::StatusOr<schools_v1::DataReport> data_report;
  absl::StatusOr<schools_v1::QualityReport> quality_report;
  absl::StatusOr<ledger_v1::TrainingStatement> training;
  absl::StatusOr<evaluation_v1::ListIndicatorsResponse> indicators;
  absl::StatusOr<evaluation_v1::ListResultsResponse> results;
  absl::StatusOr<evaluation_v1::ListRoundsResponse> rounds;
};
absl::StatusOr<v1::InstitutionProfile> AssembleProfile(const ProfileInputs& in);

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VIEWS_H_
