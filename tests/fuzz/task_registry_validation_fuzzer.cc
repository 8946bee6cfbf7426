// Every request validator of task-registry (validation.h), fuzzed.
#include <cmath>

#include "fuzz_support.h"
#include "names.h"
#include "notices.h"
#include "periods.h"
#include "validation.h"

namespace vetrack::tasks {
namespace {

using fuzz::Case;
using fuzz::Require;

// The domain keeps the name as sent (progress and report names are built
// on it), so an accepted name must be the task's one canonical name.
void RequireTaskName(const std::string& name) {
  auto ref = ParseTaskName(name, "task");
  Require(ref.ok() && TaskName(ref->plan_id, ref->number) == name,
          "accepted task name '" + name + "' is canonical");
}

void RequireTaskAndPeriod(const std::string& task, const std::string& period_id) {
  RequireTaskName(task);
  Require(ParsePeriod(period_id, absl::ZeroDuration()).ok(), "accepted with a malformed period");
}

const std::vector<fuzz::RequestCase>& Cases() {
  static const auto* cases = new std::vector<fuzz::RequestCase>{
      Case<v1::ImportCatalogRequest>(Validate,
                                     [](const v1::ImportCatalogRequest& r) {
                                       Require(r.has_catalog(), "a catalog is imported");
                                     }),
      Case<v1::GetPlanRequest>(Validate),
      Case<v1::ListSectionsRequest>(Validate),
      Case<v1::GetTaskRequest>(Validate,
                               [](const v1::GetTaskRequest& r) { RequireTaskName(r.name()); }),
      Case<v1::ListTasksRequest>(Validate,
                                 [](const v1::ListTasksRequest& r) {
                                   Require(v1::ResponsibilityRole_IsValid(r.role()) &&
                                               v1::ReportState_IsValid(r.report_state()),
                                           "filters are known values");
                                 }),
      Case<v1::UpdateTaskRequest>(Validate,
                                  [](const v1::UpdateTaskRequest& r) {
                                    RequireTaskName(r.task().name());
                                    Require(!r.task().etag().empty() && !r.update_mask().empty(),
                                            "an update names its etag and fields");
                                  }),
      Case<v1::ListPeriodsRequest>(Validate),
      Case<v1::FileProgressRequest>(Validate,
                                    [](const v1::FileProgressRequest& r) {
                                      RequireTaskAndPeriod(r.task(), r.period_id());
                                      Require(r.status() != v1::PROGRESS_STATUS_UNSPECIFIED &&
                                                  v1::ProgressStatus_IsValid(r.status()),
                                              "a known progress status");
                                      Require(r.figures_size() <= kMaxFigures &&
                                                  r.evidence_refs_size() <= kMaxEvidenceRefs,
                                              "figures and evidence within their limits");
                                      for (const auto& f : r.figures())
                                        Require(std::isfinite(f.value()), "finite figures");
                                    }),
      Case<v1::ListProgressRequest>(
          Validate,
          [](const v1::ListProgressRequest& r) { RequireTaskAndPeriod(r.task(), r.period_id()); }),
      Case<v1::SubmitReportRequest>(
          Validate,
          [](const v1::SubmitReportRequest& r) { RequireTaskAndPeriod(r.task(), r.period_id()); }),
      Case<v1::GetReportRequest>(
          Validate,
          [](const v1::GetReportRequest& r) { RequireTaskAndPeriod(r.task(), r.period_id()); }),
      Case<v1::ReviewReportRequest>(
          Validate,
          [](const v1::ReviewReportRequest& r) {
            RequireTaskAndPeriod(r.task(), r.period_id());
            Require(r.decision() == v1::REVIEW_DECISION_ACCEPT ||
                        (r.decision() == v1::REVIEW_DECISION_RETURN && r.reasons_size() > 0),
                    "an acceptance, or a return with reasons");
          }),
      Case<v1::ListTaskHistoryRequest>(Validate),
      Case<v1::ListReportRevisionsRequest>(Validate,
                                           [](const v1::ListReportRevisionsRequest& r) {
                                             RequireTaskAndPeriod(r.task(), r.period_id());
                                           }),
      Case<v1::ListProgressRevisionsRequest>(Validate,
                                             [](const v1::ListProgressRevisionsRequest& r) {
                                               RequireTaskAndPeriod(r.task(), r.period_id());
                                               Require(!r.unit().empty(), "a unit named");
                                             }),
      Case<v1::ListEscalationsRequest>(Validate,
                                       [](const v1::ListEscalationsRequest& r) {
                                         Require(v1::EscalationLevel_IsValid(r.min_level()),
                                                 "a known level");
                                       }),
      Case<v1::IssueNoticeRequest>(
          Validate,
          [](const v1::IssueNoticeRequest& r) {
            RequireTaskAndPeriod(r.task(), r.period_id());
            Require(IsOwedKind(r.owed()) && v1::EscalationLevel_IsValid(r.level()) &&
                        r.level() != v1::ESCALATION_LEVEL_REMINDER,
                    "a notice demands something owed, at a 督办 level");
            auto ref = ParseTaskName(r.task(), "task");
            NoticeRef named{*ref, r.period_id(), v1::ESCALATION_LEVEL_RED, r.owed(), r.unit()};
            Require(ParseNoticeName(NoticeName(named), "name").ok(),
                    "an accepted request names a notice that parses");
          }),
      Case<v1::GetNoticeRequest>(Validate,
                                 [](const v1::GetNoticeRequest& r) {
                                   auto ref = ParseNoticeName(r.name(), "name");
                                   Require(ref.ok() && NoticeName(*ref) == r.name(),
                                           "an accepted notice name is canonical");
                                 }),
      Case<v1::AcknowledgeNoticeRequest>(Validate),
      Case<v1::ListNoticesRequest>(Validate),
      Case<v1::ListUnitsRequest>(Validate,
                                 [](const v1::ListUnitsRequest& r) {
                                   Require(v1::UnitKind_IsValid(r.kind()), "a known kind");
                                 }),
  };
  return *cases;
}

}  // namespace
}  // namespace vetrack::tasks

VETRACK_VALIDATOR_FUZZER(vetrack::tasks::Cases)
