// The 督办 half of TaskRegistry: the coordinator issues notices for what the
// ladder shows overdue, the units answer them, and everyone who may read a
// task reads its notices with whether their demand is still owed.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "catalog.h"
#include "notices.h"
#include "paging/paging.h"
#include "periods.h"
#include "status/errors.h"
#include "task_registry.h"
#include "workflow.h"

namespace vetrack::tasks {
namespace {

// A unit has this long to answer a notice unless the coordinator says.
constexpr absl::Duration kDefaultAnswerTime = absl::Hours(24 * 7);
// A later answer date is a typing error more likely than a plan.
constexpr absl::Duration kLongestAnswerTime = absl::Hours(24 * 92);

// Newest quarter first, then task, unit, what is owed and level: the order
// of ListNotices and its page tokens. Quarter ids are "YYYY-Qn".
std::string ListingKey(const v1::Notice& n) {
  const std::string& q = n.period_id();
  int year = std::stoi(q.substr(0, 4));
  int quarter = q.back() - '0';
  return absl::StrFormat("%04d%d|%06d|%s|%s|%d", 9999 - year, 9 - quarter, n.task_number(),
                         n.unit(), n.owed(), static_cast<int>(n.level()));
}

}  // namespace

absl::StatusOr<TaskRegistry::OwedNow> TaskRegistry::ReadOwed(const TaskRef& ref,
                                                             const v1::Task& task,
                                                             const v1::Period& period,
                                                             absl::Time now) {
  OwedNow owed;
  auto report = store_.GetReport(ref, period.id());
  if (!report.ok()) return report.status();
  owed.report = *std::move(report);
  std::vector<std::string> co_units(task.co_units().begin(), task.co_units().end());
  auto filings = store_.GetProgress(ref, period.id(), co_units);
  if (!filings.ok()) return filings.status();
  owed.filings = *std::move(filings);
  std::set<std::string> filed;
  for (const auto& [unit, filing] : owed.filings) filed.insert(unit);
  std::optional<v1::TaskReport> current;
  if (owed.report.has_value()) current = owed.report->value;
  owed.ladder = EscalationsFor(task, period, filed, current, now, options_.escalation);
  return owed;
}

absl::StatusOr<std::vector<v1::Escalation>> TaskRegistry::ChasedBeforeTracking(
    const std::string& plan_id, const std::vector<Stored<v1::Task>>& tasks,
    const std::string& first_tracked, absl::Time now) {
  // The names say what each notice is about: read on every default listing,
  // the notices themselves are not.
  auto notices = store_.ListNoticeRefs(plan_id);
  if (!notices.ok()) return notices.status();
  // Quarter → (task, unit, what is owed) chased in it; "YYYY-Qn" sorts as time.
  std::map<std::string, std::set<std::tuple<int, std::string, std::string>>> chased;
  for (const NoticeRef& n : *notices) {
    if (n.period_id >= first_tracked) continue;
    chased[n.period_id].emplace(n.task.number, n.unit, n.owed);
  }
  std::vector<v1::Escalation> escalations;
  for (const auto& [period_id, owed] : chased) {
    auto period = ParsePeriod(period_id, options_.grace_after_quarter);
    if (!period.ok()) return period.status();
    auto ladder = Ladder(plan_id, tasks, *period, now);
    if (!ladder.ok()) return ladder.status();
    for (auto& e : *ladder) {
      if (owed.count({e.task_number(), e.unit(), e.owed()}) > 0) {
        escalations.push_back(std::move(e));
      }
    }
  }
  return escalations;
}

absl::Status TaskRegistry::AttachIssuedNotices(std::vector<v1::Escalation>* escalations) {
  std::vector<NoticeRef> refs;
  for (const auto& e : *escalations) {
    auto task = ParseTaskName(e.task(), "task");
    if (!task.ok()) return task.status();
    NoticeRef yellow{*task, e.period_id(), v1::ESCALATION_LEVEL_YELLOW, e.owed(), e.unit()};
    NoticeRef red = yellow;
    red.level = v1::ESCALATION_LEVEL_RED;
    refs.push_back(std::move(yellow));
    refs.push_back(std::move(red));
  }
  if (refs.empty()) return absl::OkStatus();
  auto got = store_.GetNotices(refs);
  if (!got.ok()) return got.status();
  std::vector<v1::Notice> issued;
  for (auto& n : *got) {
    if (n.has_value()) issued.push_back(std::move(n->value));
  }
  AttachNotices(issued, escalations);
  return absl::OkStatus();
}

absl::StatusOr<v1::Notice> TaskRegistry::IssueNotice(const Principal& caller,
                                                     const v1::IssueNoticeRequest& req) {
  if (absl::Status allowed = CheckCanIssueNotice(caller); !allowed.ok()) return allowed;
  v1::Notice response;
  auto prepare = [&](RegistryWrite* write) -> absl::Status {
    TaskRef ref;
    auto task = LoadTask(req.task(), &ref);
    if (!task.ok()) return task.status();
    auto period = LoadPeriod(ref.plan_id, req.period_id());
    if (!period.ok()) return period.status();
    const absl::Time now = clock_.Now();
    absl::Time respond_by = now + kDefaultAnswerTime;
    if (req.has_respond_by()) {
      respond_by = TimeFromProto(req.respond_by());
      if (respond_by <= now || respond_by > now + kLongestAnswerTime) {
        return InvalidField("respond_by", "must be in the future, within 92 days");
      }
    }
    NoticeRef yellow{ref, req.period_id(), v1::ESCALATION_LEVEL_YELLOW, req.owed(), req.unit()};
    NoticeRef red = yellow;
    red.level = v1::ESCALATION_LEVEL_RED;
    auto existing = store_.GetNotices({yellow, red});
    if (!existing.ok()) return existing.status();
    auto owed = ReadOwed(ref, task->value, *period, now);
    if (!owed.ok()) return owed.status();
    std::vector<v1::Notice> issued;
    for (const auto& n : *existing) {
      if (n.has_value()) issued.push_back(n->value);
    }
    auto level = LevelToIssue(owed->ladder, req.unit(), req.owed(), req.level(), issued);
    if (!level.ok()) return level.status();
    // The other level's notice as read: a yellow and a red issued at once
    // would otherwise both be stored (the put guards only its own level).
    const bool red_issued = *level == v1::ESCALATION_LEVEL_RED;
    const std::optional<Stored<v1::Notice>>& other = (*existing)[red_issued ? 0 : 1];
    write->unchanged_notices.push_back(
        {red_issued ? yellow : red, other.has_value() ? other->version : 0});

    NoticeRef named = yellow;
    named.level = *level;
    response.set_name(NoticeName(named));
    response.set_task(req.task());
    response.set_task_number(ref.number);
    response.set_period_id(req.period_id());
    response.set_unit(req.unit());
    response.set_owed(req.owed());
    response.set_level(*level);
    response.set_message(req.message());
    response.set_issued_by(caller.ToString());
    *response.mutable_issue_time() = TimeToProto(now);
    *response.mutable_respond_by() = TimeToProto(respond_by);
    response.set_state(v1::NOTICE_STATE_ISSUED);
    write->notices.push_back({response, 0});
    // Decided on what is owed: a filing or report that arrived meanwhile, or
    // a correction of the task's units, makes the notice moot (ABORTED).
    write->unchanged_tasks.push_back({ref, task->version});
    write->unchanged_reports.push_back(
        {ref, req.period_id(), owed->report.has_value() ? owed->report->version : 0});
    if (req.owed() == "PROGRESS") {
      auto filing = owed->filings.find(req.unit());
      write->unchanged_progress.push_back(
          {ref, req.period_id(), req.unit(),
           filing == owed->filings.end() ? 0 : filing->second.version});
    }
    write->history.push_back(
        {ref, History(caller, "ISSUE_NOTICE", req.period_id(),
                      absl::StrCat(NoticeLevelWord(*level), " 督办 to ", req.unit(), " for its ",
                                   absl::AsciiStrToLower(req.owed()), ": ", req.message()))});
    response.set_etag("1");
    SetComputed(owed->ladder, now, &response);
    return absl::OkStatus();
  };
  // A filing or report that arrives between the reads and the write fails
  // its guard: decided again, the notice is then refused as moot.
  absl::Status done = OnceOnFreshCopy(caller, req, req.request_id(), req.task(), &response, prepare,
                                      /*again_on_failed_guard=*/true);
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Notice> TaskRegistry::GetNotice(const Principal& caller,
                                                   const v1::GetNoticeRequest& req) {
  auto ref = ParseNoticeName(req.name(), "name");
  if (!ref.ok()) return ref.status();
  TaskRef task_ref;
  auto task = LoadTask(TaskName(ref->task.plan_id, ref->task.number), &task_ref);
  if (!task.ok()) return task.status();
  if (!CanReadUnitsPart(caller, task->value, ref->unit)) {
    return CheckCanReadTask(caller, task->value);
  }
  auto got = store_.GetNotices({*ref});
  if (!got.ok()) return got.status();
  if (!got->front().has_value()) return NotFoundField("name", absl::StrCat("no ", req.name()));
  v1::Notice notice = got->front()->value;
  auto period = ParsePeriod(ref->period_id, options_.grace_after_quarter);
  if (!period.ok()) return period.status();
  const absl::Time now = clock_.Now();
  auto owed = ReadOwed(task_ref, task->value, *period, now);
  if (!owed.ok()) return owed.status();
  SetComputed(owed->ladder, now, &notice);
  return notice;
}

absl::StatusOr<v1::Notice> TaskRegistry::AcknowledgeNotice(
    const Principal& caller, const v1::AcknowledgeNoticeRequest& req) {
  auto parsed = ParseNoticeName(req.name(), "name");
  if (!parsed.ok()) return parsed.status();
  const std::string task_name = TaskName(parsed->task.plan_id, parsed->task.number);
  v1::Notice response;
  auto prepare = [&](RegistryWrite* write) -> absl::Status {
    const NoticeRef* ref = &*parsed;
    TaskRef task_ref;
    auto task = LoadTask(task_name, &task_ref);
    if (!task.ok()) return task.status();
    auto got = store_.GetNotices({*ref});
    if (!got.ok()) return got.status();
    if (!got->front().has_value()) return NotFoundField("name", absl::StrCat("no ", req.name()));
    const Stored<v1::Notice>& current = *got->front();
    if (absl::Status allowed = CheckCanAcknowledge(caller, current.value); !allowed.ok()) {
      return allowed;
    }
    if (!req.etag().empty() && req.etag() != std::to_string(current.version)) {
      return StaleEtag("etag");
    }
    const absl::Time now = clock_.Now();
    response = current.value;
    response.set_state(v1::NOTICE_STATE_ACKNOWLEDGED);
    response.set_response(req.response());
    response.set_acknowledged_by(caller.ToString());
    *response.mutable_acknowledge_time() = TimeToProto(now);
    write->notices.push_back({response, current.version});
    write->history.push_back({task_ref, History(caller, "ACKNOWLEDGE_NOTICE", ref->period_id,
                                                absl::StrCat("answered the ", NoticeLevelWord(ref->level),
                                                             " 督办: ", req.response()))});
    response.set_etag(std::to_string(current.version + 1));
    auto period = ParsePeriod(ref->period_id, options_.grace_after_quarter);
    if (!period.ok()) return period.status();
    auto owed = ReadOwed(task_ref, task->value, *period, now);
    if (!owed.ok()) return owed.status();
    SetComputed(owed->ladder, now, &response);
    return absl::OkStatus();
  };
  // Two answers at once: the loser decides again and learns that the notice
  // was answered (NOTICE_ANSWERED) rather than that something moved.
  absl::Status done = OnceOnFreshCopy(caller, req, req.request_id(), task_name, &response, prepare,
                                      /*again_on_failed_guard=*/true);
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListNoticesResponse> TaskRegistry::ListNotices(
    const Principal& caller, const v1::ListNoticesRequest& req) {
  auto plan_id = PlanIdFromName(req.plan());
  if (!plan_id.ok()) return plan_id.status();
  if (auto plan = LoadPlan(*plan_id, "plan"); !plan.ok()) return plan.status();
  if (!req.task().empty()) {
    auto ref = ParseTaskName(req.task(), "task");
    if (!ref.ok()) return ref.status();
    if (ref->plan_id != *plan_id) return InvalidField("task", "not a task of " + req.plan());
  }
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  auto tasks = store_.ListTasks(*plan_id);
  if (!tasks.ok()) return tasks.status();
  std::map<std::string, const Stored<v1::Task>*> by_name;
  for (const auto& t : *tasks) by_name.emplace(t.value.name(), &t);
  // The notices of the tasks the caller reads, and those addressed to a
  // school removed from their task since.
  auto readable = [&](const v1::Notice& n) {
    auto it = by_name.find(n.task());
    return it != by_name.end() && CanReadUnitsPart(caller, it->second->value, n.unit());
  };
  auto stored = store_.ListNotices(*plan_id);
  if (!stored.ok()) return stored.status();

  // The notices asked for, grouped by quarter to compute what each quarter
  // still owes in one go.
  std::map<std::string, std::vector<v1::Notice>> by_period;
  for (auto& s : *stored) {
    const v1::Notice& n = s.value;
    if (!readable(n)) continue;
    if (!req.task().empty() && n.task() != req.task()) continue;
    if (!req.unit().empty() && n.unit() != req.unit()) continue;
    if (!req.period_id().empty() && n.period_id() != req.period_id()) continue;
    by_period[n.period_id()].push_back(std::move(s.value));
  }
  const absl::Time now = clock_.Now();
  std::vector<std::pair<std::string, v1::Notice>> listed;
  for (auto& [period_id, notices] : by_period) {
    auto period = ParsePeriod(period_id, options_.grace_after_quarter);
    if (!period.ok()) return period.status();
    std::vector<Stored<v1::Task>> their_tasks;
    std::set<std::string> seen;
    for (const auto& n : notices) {
      if (seen.insert(n.task()).second) their_tasks.push_back(*by_name.at(n.task()));
    }
    auto ladder = Ladder(*plan_id, their_tasks, *period, now);
    if (!ladder.ok()) return ladder.status();
    for (auto& n : notices) {
      SetComputed(*ladder, now, &n);
      if (req.outstanding_only() && !n.outstanding()) continue;
      listed.emplace_back(ListingKey(n), std::move(n));
    }
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  v1::ListNoticesResponse response;
  std::string last;
  for (auto& [key, notice] : listed) {
    if (!page->after.empty() && key <= page->after) continue;
    if (response.notices_size() == page->size) {
      response.set_next_page_token(KeyPageToken(*page, last));
      break;
    }
    *response.add_notices() = std::move(notice);
    last = key;
  }
  response.set_total_size(static_cast<int>(listed.size()));
  return response;
}

}  // namespace vetrack::tasks
