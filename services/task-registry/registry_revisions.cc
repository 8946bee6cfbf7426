// What TaskRegistry keeps of reports and filings over time: a resubmission
// replaces the report's summary and a refiling the unit's narrative, and the
// store keeps each revision as it last stood (RedisTaskStore's *-rev keys).
#include "absl/strings/str_cat.h"
#include "paging/paging.h"
#include "periods.h"
#include "status/errors.h"
#include "task_registry.h"

namespace vetrack::tasks {

namespace {

// Fills `response` with the kept revisions on `page` of an entity at
// revision `latest`, as stored now: `current`, which is the latest revision as
// GetReport or ListProgress shows it (its kept copy was read a moment later,
// or not kept at all when it was written before revisions were).
template <typename Response, typename Entity>
void FillRevisions(const Page& page, int latest, const Entity& current,
                   const std::vector<std::optional<Entity>>& kept, Response* response) {
  const std::vector<int> numbers = PageNumbers(page, latest);
  for (size_t i = 0; i < numbers.size(); ++i) {
    const Entity* revision = numbers[i] == latest  ? &current
                             : kept[i].has_value() ? &*kept[i]
                                                   : nullptr;
    if (revision == nullptr) continue;
    Entity* listed = response->add_revisions();
    *listed = *revision;
    listed->clear_etag();
  }
  response->set_next_page_token(NextPageToken(page, latest));
}

}  // namespace

absl::StatusOr<v1::ListReportRevisionsResponse> TaskRegistry::ListReportRevisions(
    const Principal& caller, const v1::ListReportRevisionsRequest& req) {
  v1::GetReportRequest get;
  get.set_task(req.task());
  get.set_period_id(req.period_id());
  auto current = GetReport(caller, get);  // the reader's permission, and the report
  if (!current.ok()) return current.status();
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  auto ref = ParseTaskName(req.task(), "task");
  if (!ref.ok()) return ref.status();
  auto kept =
      store_.GetReportRevisions(*ref, req.period_id(), PageNumbers(*page, current->revision()));
  if (!kept.ok()) return kept.status();
  v1::ListReportRevisionsResponse response;
  FillRevisions(*page, current->revision(), *current, *kept, &response);
  return response;
}

absl::StatusOr<v1::ListProgressRevisionsResponse> TaskRegistry::ListProgressRevisions(
    const Principal& caller, const v1::ListProgressRevisionsRequest& req) {
  TaskRef ref;
  auto task = LoadTask(req.task(), &ref);
  if (!task.ok()) return task.status();
  if (absl::Status allowed =
          CheckCanReadUnitsPart(caller, task->value, req.unit(), req.period_id());
      !allowed.ok()) {
    return allowed;
  }
  if (auto period = ParsePeriod(req.period_id(), options_.grace_after_quarter); !period.ok()) {
    return period.status();
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  auto filed = store_.GetProgress(ref, req.period_id(), {req.unit()});
  if (!filed.ok()) return filed.status();
  auto it = filed->find(req.unit());
  if (it == filed->end()) {
    if (absl::Status known = CheckUnitExists(req.unit()); !known.ok()) return known;
    return NotFoundField(
        "unit",
        absl::StrCat(req.unit(), " has filed nothing for ", req.task(), " in ", req.period_id(),
                     IsResponsible(AssignedIn(task->value, req.period_id()), req.unit())
                         ? ""
                         : ", and is not one of its responsible units"));
  }
  // A filing's revision is its stored version (FileProgress).
  const int latest = static_cast<int>(it->second.version);
  auto kept =
      store_.GetProgressRevisions(ref, req.period_id(), req.unit(), PageNumbers(*page, latest));
  if (!kept.ok()) return kept.status();
  v1::ListProgressRevisionsResponse response;
  FillRevisions(*page, latest, it->second.value, *kept, &response);
  return response;
}

}  // namespace vetrack::tasks
