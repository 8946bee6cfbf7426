// The workflow half of TaskRegistry: progress, consolidated reports, review
// and history.
#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "catalog.h"
#include "exchange_entry.h"
#include "idempotency/idempotency.h"
#include "paging/paging.h"
#include "periods.h"
#include "status/errors.h"
#include "task_registry.h"
#include "workflow.h"

namespace vetrack::tasks {
namespace {

// More entries than a task's history holds: "all of it" for ListHistory.
constexpr int kWholeHistory = 1 << 30;

std::set<std::string> FiledSet(const std::map<std::string, Stored<v1::Progress>>& progress) {
  std::set<std::string> filed;
  for (const auto& [unit, p] : progress) filed.insert(unit);
  return filed;
}

// "on track", as the history's reader says it (was "PROGRESS_STATUS_ON_TRACK").
std::string StatusWords(v1::ProgressStatus status) {
  std::string words = v1::ProgressStatus_Name(status);
  absl::string_view trimmed = words;
  absl::ConsumePrefix(&trimmed, "PROGRESS_STATUS_");
  std::string out = absl::AsciiStrToLower(trimmed);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

}  // namespace

absl::StatusOr<v1::Progress> TaskRegistry::FileProgress(const Principal& caller,
                                                        const v1::FileProgressRequest& req) {
  const std::string unit = req.unit().empty() ? caller.unit : req.unit();
  // Filing is the busiest write. When this replica remembers the report and
  // the unit's filing, it writes at once, guarded by their versions: one
  // round trip to Redis instead of two. The write's script still answers a
  // replayed request_id with its earlier answer. Anything else that goes
  // wrong (a guard failed because another replica wrote, or the remembered
  // state refuses the filing) is decided again on fresh reads below.
  auto ref = ParseTaskName(req.task(), "task");
  if (ref.ok() && !unit.empty()) {
    if (auto recent = store_.RecentFilingReads(*ref, req.period_id(), unit); recent.has_value()) {
      auto filed = FileProgressWith(caller, req, unit, std::move(recent));
      if (filed.ok()) return filed;
    }
  }
  return FileProgressFresh(caller, req, unit);
}

absl::StatusOr<v1::Progress> TaskRegistry::FileProgressFresh(const Principal& caller,
                                                             const v1::FileProgressRequest& req,
                                                             const std::string& unit) {
  auto file = [&] { return FileProgressWith(caller, req, unit, std::nullopt); };
  const absl::Time decided_at = clock_.Now();
  auto filed = file();
  if (RefusedOnStaleCopy(filed.status(), req.task(), decided_at)) filed = file();
  if (!absl::IsAborted(filed.status()) || !req.etag().empty()) return filed;
  return file();
}

void TaskRegistry::FileProgressAsync(const Principal& caller, const v1::FileProgressRequest& req,
                                     FilingCallback done) {
  if (!options_.run_blocking) return done(FileProgress(caller, req));
  const std::string unit = req.unit().empty() ? caller.unit : req.unit();
  // Whatever cannot be decided from memory is decided as FileProgress does,
  // on fresh reads, on a thread that may wait for them.
  auto carefully = [this, caller, req, unit, done] {
    options_.run_blocking(
        [this, caller, req, unit, done] { done(FileProgressFresh(caller, req, unit)); });
  };
  auto ref = ParseTaskName(req.task(), "task");
  // From memory only with a fresh catalog copy: a stale one is read again
  // from Redis, which must not happen on a callback thread.
  if (!ref.ok() || unit.empty() || !store_.HoldsFreshCatalog(ref->plan_id)) return carefully();
  std::optional<FilingReads> recent = store_.RecentFilingReads(*ref, req.period_id(), unit);
  if (!recent.has_value()) return carefully();
  RegistryWrite write;
  v1::Progress response;
  absl::Status prepared;
  {
    MemoryOnlyReads on_a_callback_thread;
    prepared = PrepareFiling(caller, req, unit, *recent, &write, &response);
  }
  if (!prepared.ok()) return carefully();
  write.answer = Answer{RequestKey(caller, req.request_id()), RequestFingerprint(req),
                        response.SerializeAsString()};
  store_.WriteAsync(write, [carefully, response = std::move(response),
                            done](absl::StatusOr<WriteOutcome> outcome) mutable {
    if (!outcome.ok()) return carefully();
    if (outcome->replayed && !response.ParseFromString(outcome->earlier_response)) {
      return done(absl::DataLossError("stored answer is corrupt"));
    }
    done(std::move(response));
  });
}

absl::StatusOr<v1::Progress> TaskRegistry::FileProgressWith(const Principal& caller,
                                                            const v1::FileProgressRequest& req,
                                                            const std::string& unit,
                                                            std::optional<FilingReads> recent) {
  // The report and the unit's filing come with the idempotency lookup, in one
  // round trip (TaskStore::ReadForFiling says why), unless already known.
  std::optional<FilingReads> reads = std::move(recent);
  auto find_answer =
      [&](const std::string& key,
          const std::string& fingerprint) -> absl::StatusOr<std::optional<std::string>> {
    if (reads.has_value()) return std::optional<std::string>();  // the write's script checks
    auto ref = ParseTaskName(req.task(), "task");
    if (!ref.ok() || unit.empty()) return store_.FindAnswer(key, fingerprint);
    auto got = store_.ReadForFiling(key, fingerprint, *ref, req.period_id(), unit);
    if (!got.ok()) return got.status();
    reads = *std::move(got);
    return reads->earlier_answer;
  };
  v1::Progress response;
  absl::Status done =
      Once(caller, req, req.request_id(), &response, find_answer, [&](RegistryWrite* write) {
        if (!reads.has_value()) {
          // Only a malformed task name or a caller without a unit gets here;
          // PrepareFiling says which.
          reads.emplace();
        }
        return PrepareFiling(caller, req, unit, *reads, write, &response);
      });
  if (!done.ok()) return done;
  return response;
}

absl::Status TaskRegistry::PrepareFiling(const Principal& caller,
                                         const v1::FileProgressRequest& req,
                                         const std::string& unit, const FilingReads& reads,
                                         RegistryWrite* write, v1::Progress* response) {
  TaskRef ref;
  auto task = LoadTaskIn(req.task(), req.period_id(), &ref);
  if (!task.ok()) return task.status();
  auto period = LoadPeriod(ref.plan_id, req.period_id());
  if (!period.ok()) return period.status();
  if (unit.empty()) return absl::PermissionDeniedError("only a responsible unit files progress");
  if (!IsResponsible(task->value, unit)) {
    if (absl::Status known = CheckUnitExists(unit); !known.ok()) return known;
  }
  if (absl::Status allowed = CheckCanFileProgress(caller, task->value, unit, ValueOf(reads.report),
                                                  reads.progress.has_value());
      !allowed.ok()) {
    return allowed;
  }
  int64_t version = reads.progress.has_value() ? reads.progress->version : 0;
  if (!req.etag().empty() && req.etag() != std::to_string(version)) return StaleEtag("etag");

  absl::Time now = clock_.Now();
  response->set_name(ProgressName(req.task(), req.period_id(), unit));
  response->set_task(req.task());
  response->set_period_id(req.period_id());
  response->set_unit(unit);
  response->set_status(req.status());
  response->set_narrative(req.narrative());
  *response->mutable_figures() = req.figures();
  *response->mutable_evidence_refs() = req.evidence_refs();
  response->set_filed_by(caller.ToString());
  *response->mutable_filed_time() = TimeToProto(now);
  response->set_late(now > TimeFromProto(period->deadline()));
  response->set_revision(static_cast<int32_t>(version + 1));
  response->set_etag(std::to_string(version + 1));
  write->progress.push_back({*response, version});
  const int64_t report_version = reads.report.has_value() ? reads.report->version : 0;
  const bool under_review =
      reads.report.has_value() && reads.report->value.state() == v1::REPORT_STATE_SUBMITTED;
  if (under_review) {
    // A co-unit the lead went without: the report no longer lists it as
    // missing, so the coordinator reviews it with this filing.
    v1::TaskReport report = reads.report->value;
    report.clear_missing_units();
    for (const auto& missing : reads.report->value.missing_units()) {
      if (missing != unit) report.add_missing_units(missing);
    }
    report.set_etag(std::to_string(report_version + 1));
    write->reports.push_back({std::move(report), report_version});
  } else {
    // The report was open when read; if the lead submits it before this
    // commits, the filing is refused (ABORTED) rather than let in late.
    write->unchanged_reports.push_back({ref, req.period_id(), report_version});
  }
  // Responsibility was judged on the catalog copy.
  write->unchanged_tasks.push_back({ref, task->version});
  write->history.push_back(
      {ref, History(caller, "FILE_PROGRESS", req.period_id(),
                    absl::StrCat(unit, " filed \"", StatusWords(req.status()), "\"", " (revision ",
                                 version + 1, response->late() ? ", late" : "",
                                 under_review ? ", after the lead's report" : "", ")"))});
  return absl::OkStatus();
}

absl::StatusOr<v1::ListProgressResponse> TaskRegistry::ListProgress(
    const Principal& caller, const v1::ListProgressRequest& req) {
  TaskRef ref;
  auto task = LoadReadableTaskIn(caller, req.task(), req.period_id(), &ref);
  if (!task.ok()) return task.status();
  // A quarter not begun would list every unit as owing its filing.
  auto period = LoadPeriod(ref.plan_id, req.period_id());
  if (!period.ok()) return period.status();
  // A former unit's filing was made while it was responsible: it stays. (A
  // registry of an earlier release may leave a unit named again among the
  // former: it is listed once.)
  std::vector<std::string> units = ResponsibleUnits(task->value);
  for (const auto& unit : task->value.former_units()) {
    if (!IsResponsible(task->value, unit)) units.push_back(unit);
  }
  auto progress = store_.GetProgress(ref, req.period_id(), units);
  if (!progress.ok()) return progress.status();
  v1::ListProgressResponse response;
  for (const auto& unit : units) {
    auto it = progress->find(unit);
    if (it != progress->end()) *response.add_progress() = it->second.value;
  }
  // The lead owes the report, which is its account; a filing of its own is
  // welcome but never missing. After the quarter that completed the task,
  // nothing is.
  if (CompletedBefore(task->value, req.period_id())) return response;
  for (auto& unit : MissingCoUnits(task->value, FiledSet(*progress))) {
    response.add_missing_units(std::move(unit));
  }
  return response;
}

absl::StatusOr<v1::TaskReport> TaskRegistry::SubmitReport(const Principal& caller,
                                                          const v1::SubmitReportRequest& req) {
  v1::TaskReport response;
  auto prepare = [&](RegistryWrite* write) -> absl::Status {
    TaskRef ref;
    auto task = LoadTaskIn(req.task(), req.period_id(), &ref);
    if (!task.ok()) return task.status();
    auto period = LoadPeriod(ref.plan_id, req.period_id());
    if (!period.ok()) return period.status();
    auto current = store_.GetReport(ref, req.period_id());
    if (!current.ok()) return current.status();
    const std::vector<std::string> units = ResponsibleUnits(task->value);
    auto progress = store_.GetProgress(ref, req.period_id(), units);
    if (!progress.ok()) return progress.status();
    std::vector<std::string> missing = MissingCoUnits(task->value, FiledSet(*progress));
    absl::Time now = clock_.Now();
    if (absl::Status allowed =
            CheckCanSubmitReport(caller, task->value, ValueOf(*current), missing, *period, now);
        !allowed.ok()) {
      return allowed;
    }
    int64_t version = current->has_value() ? (*current)->version : 0;
    if (!req.etag().empty() && req.etag() != std::to_string(version)) return StaleEtag("etag");

    if (current->has_value()) response = (*current)->value;
    bool resubmission = current->has_value();
    response.set_name(ReportName(req.task(), req.period_id()));
    response.set_task(req.task());
    response.set_period_id(req.period_id());
    response.set_state(v1::REPORT_STATE_SUBMITTED);
    response.set_summary(req.summary());
    response.clear_missing_units();
    for (const auto& unit : missing) response.add_missing_units(unit);
    response.clear_return_reasons();
    response.set_revision(resubmission ? response.revision() + 1 : 1);
    response.set_submitted_by(caller.ToString());
    *response.mutable_submit_time() = TimeToProto(now);
    response.clear_reviewed_by();
    response.clear_review_time();
    response.set_etag(std::to_string(version + 1));
    write->reports.push_back({response, version});
    write->unchanged_tasks.push_back({ref, task->version});  // the lead, as the copy says
    for (const auto& unit : units) {
      auto filed = progress->find(unit);
      write->unchanged_progress.push_back(
          {ref, req.period_id(), unit, filed == progress->end() ? 0 : filed->second.version});
    }
    std::string detail = !missing.empty() ? absl::StrCat("submitted after the deadline without ",
                                                         absl::StrJoin(missing, ", "))
                         : task->value.co_units().empty() ? "the lead is the only responsible unit"
                                                          : "every co-unit had filed";
    // ListReportRevisions shows what the revision said.
    detail = absl::StrCat("revision ", response.revision(), ": ", detail);
    write->history.push_back(
        {ref, History(caller, resubmission ? "RESUBMIT_REPORT" : "SUBMIT_REPORT", req.period_id(),
                      detail)});
    return absl::OkStatus();
  };
  absl::Status done =
      OnceOnFreshCopy(caller, req, req.request_id(), req.task(), &response, prepare);
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::TaskReport> TaskRegistry::GetReport(const Principal& caller,
                                                       const v1::GetReportRequest& req) {
  TaskRef ref;
  auto task = LoadReadableTaskIn(caller, req.task(), req.period_id(), &ref);
  if (!task.ok()) return task.status();
  if (auto period = ParsePeriod(req.period_id(), options_.grace_after_quarter); !period.ok()) {
    return period.status();
  }
  auto report = store_.GetReport(ref, req.period_id());
  if (!report.ok()) return report.status();
  if (!report->has_value()) {
    return NotFoundField("period_id", absl::StrCat("no report for ", req.period_id()));
  }
  return (*report)->value;
}

absl::StatusOr<v1::TaskReport> TaskRegistry::ReviewReport(const Principal& caller,
                                                          const v1::ReviewReportRequest& req) {
  v1::TaskReport response;
  auto prepare = [&](RegistryWrite* write) -> absl::Status {
    TaskRef ref;
    auto task = LoadTaskIn(req.task(), req.period_id(), &ref);
    if (!task.ok()) return task.status();
    if (auto period = ParsePeriod(req.period_id(), options_.grace_after_quarter); !period.ok()) {
      return period.status();
    }
    auto current = store_.GetReport(ref, req.period_id());
    if (!current.ok()) return current.status();
    if (absl::Status allowed = CheckCanReview(caller, ValueOf(*current)); !allowed.ok()) {
      return allowed;
    }
    int64_t version = (*current)->version;
    if (!req.etag().empty() && req.etag() != std::to_string(version)) return StaleEtag("etag");

    response = (*current)->value;
    bool accept = req.decision() == v1::REVIEW_DECISION_ACCEPT;
    response.set_state(accept ? v1::REPORT_STATE_ACCEPTED : v1::REPORT_STATE_RETURNED);
    response.clear_return_reasons();
    if (!accept) {
      *response.mutable_return_reasons() = req.reasons();
      response.set_times_returned(response.times_returned() + 1);
    }
    response.set_reviewed_by(caller.ToString());
    *response.mutable_review_time() = TimeToProto(clock_.Now());
    response.set_etag(std::to_string(version + 1));
    write->reports.push_back({response, version});
    if (accept) {
      // The entry tells the municipality the task's text and units as the
      // copy has them: a correction elsewhere since must refuse it.
      write->outbox.push_back(
          AcceptedReportEntry(task->value, response, TimeFromProto(response.review_time())));
      write->unchanged_tasks.push_back({ref, task->version});
    }
    write->history.push_back(
        {ref, History(caller, accept ? "ACCEPT_REPORT" : "RETURN_REPORT", req.period_id(),
                      accept ? "accepted" : absl::StrJoin(req.reasons(), "; "))});
    return absl::OkStatus();
  };
  // An acceptance's guard on the task fails when another replica corrected
  // it within the copy's second; the report's guard when it moved meanwhile.
  absl::Status done = OnceOnFreshCopy(caller, req, req.request_id(), req.task(), &response, prepare,
                                      /*again_on_failed_guard=*/req.etag().empty());
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListTaskHistoryResponse> TaskRegistry::ListTaskHistory(
    const Principal& caller, const v1::ListTaskHistoryRequest& req) {
  TaskRef ref;
  auto task = LoadTask(req.task(), &ref);
  if (!task.ok()) return task.status();
  // A school reads the history of the quarters it answers for (found in
  // use: a school corrected off the task had its dossier of such a quarter
  // refused whole for the history in it; one added by a correction read the
  // quarters before it joined).
  const bool whole = caller.role != Role::kSchool && CanReadTask(caller, task->value);
  if (!whole && !CanReadSomeQuarter(caller, task->value)) {
    return WithReason(absl::PermissionDeniedError(absl::StrCat(
                          caller.ToString(), " may not read the history of task ", ref.number)),
                      "NOT_RESPONSIBLE");
  }
  auto page = ParsePage(req);
  if (!page.ok()) return page.status();
  int total = 0;
  // Only what is left of it is paged, so the rest is read whole: such a
  // reader is rare, and a task's history is short.
  auto entries = whole ? store_.ListHistory(ref, page->offset, page->size, &total)
                       : store_.ListHistory(ref, 0, kWholeHistory, &total);
  if (!entries.ok()) return entries.status();
  if (!whole) {
    std::vector<v1::HistoryEntry> readable;
    for (auto& e : *entries) {
      // Entries of no quarter are the catalog's, which is public.
      if (e.period_id().empty() || CanReadTaskIn(caller, task->value, e.period_id())) {
        readable.push_back(std::move(e));
      }
    }
    total = static_cast<int>(readable.size());
    const auto first = readable.begin() + std::min(page->offset, total);
    const auto last = readable.begin() + std::min(page->offset + page->size, total);
    entries->assign(std::make_move_iterator(first), std::make_move_iterator(last));
  }
  v1::ListTaskHistoryResponse response;
  for (auto& e : *entries) *response.add_entries() = std::move(e);
  response.set_next_page_token(NextPageToken(*page, total));
  return response;
}

}  // namespace vetrack::tasks
