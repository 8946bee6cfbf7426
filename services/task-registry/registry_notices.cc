// The 督办 half of TaskRegistry: the escalation ladder of what is overdue,
// the notices the coordinator issues for it and the units answer, and who
// may read them (with whether their demand is still owed).
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
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
  const v1::Task assigned = AssignedIn(task, period.id());
  auto report = store_.GetReport(ref, period.id());
  if (!report.ok()) return report.status();
  owed.report = *std::move(report);
  std::vector<std::string> co_units(assigned.co_units().begin(), assigned.co_units().end());
  auto filings = store_.GetProgress(ref, period.id(), co_units);
  if (!filings.ok()) return filings.status();
  owed.filings = *std::move(filings);
  std::set<std::string> filed;
  for (const auto& [unit, filing] : owed.filings) filed.insert(unit);
  std::optional<v1::TaskReport> current;
  if (owed.report.has_value()) current = owed.report->value;
  owed.ladder = EscalationsFor(assigned, period, filed, current, now, options_.escalation);
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
  if (absl::Status allowed = CheckCanReadUnitsPart(caller, task->value, ref->unit, ref->period_id);
      !allowed.ok()) {
    return allowed;
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
    write->history.push_back(
        {task_ref, History(caller, "ACKNOWLEDGE_NOTICE", ref->period_id,
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
  // The notices of the tasks' quarters the caller reads, and those
  // addressed to a school removed from their task since.
  auto readable = [&](const v1::Notice& n) {
    auto it = by_name.find(n.task());
    return it != by_name.end() &&
           CanReadUnitsPart(caller, it->second->value, n.unit(), n.period_id());
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

absl::StatusOr<std::vector<v1::Escalation>> TaskRegistry::Ladder(
    const std::string& plan_id, const std::vector<Stored<v1::Task>>& tasks,
    const v1::Period& period, absl::Time now) {
  std::vector<TaskRef> refs;
  std::vector<v1::Task> assigned;
  std::vector<std::vector<std::string>> candidates;
  for (const auto& t : tasks) {
    refs.push_back({plan_id, t.value.number()});
    assigned.push_back(AssignedIn(t.value, period.id()));
    candidates.push_back(ResponsibleUnits(assigned.back()));
  }
  auto reports = store_.GetReports(refs, period.id());
  if (!reports.ok()) return reports.status();
  auto filed = store_.FiledUnits(refs, period.id(), candidates);
  if (!filed.ok()) return filed.status();
  std::vector<v1::Escalation> ladder;
  for (size_t i = 0; i < tasks.size(); ++i) {
    std::set<std::string> filed_units((*filed)[i].begin(), (*filed)[i].end());
    for (auto& e : EscalationsFor(assigned[i], period, filed_units, ValueOf((*reports)[i]), now,
                                  options_.escalation)) {
      ladder.push_back(std::move(e));
    }
  }
  return ladder;
}

absl::StatusOr<v1::ListEscalationsResponse> TaskRegistry::ListEscalations(
    const Principal& caller, const v1::ListEscalationsRequest& req) {
  auto plan_id = PlanIdFromName(req.plan());
  if (!plan_id.ok()) return plan_id.status();
  auto plan = LoadPlan(*plan_id, "plan");
  if (!plan.ok()) return plan.status();
  // By each escalation's key (level, quarter, task, unit, what is owed), not
  // offset: the list is computed afresh for every page, and a 督办 resolved
  // meanwhile must not push another out of sight. The levels are those of
  // the first page's time, which the token carries: one that rose a level
  // between pages would otherwise sort before the page already shown, and
  // the most urgent new 督办 would be the one never listed.
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  // Whole seconds, as the token carries it, so every page is computed alike.
  absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(clock_.Now()));
  std::string after;
  if (!page->after.empty()) {
    std::pair<std::string, std::string> as_of_and_key = absl::StrSplit(page->after, '#');
    int64_t as_of = 0;
    if (!absl::SimpleAtoi(as_of_and_key.first, &as_of) || as_of_and_key.second.empty()) {
      return InvalidField("page_token", "not a token this service issued");
    }
    // Tokens are not signed: a time moved far ahead would list a quarter for
    // every quarter up to it. One from the future, or older than a day (a
    // listing is paged through in minutes), is refused. "The future" allows
    // a minute: the next page may reach a replica whose clock is behind.
    const absl::Time as_of_time = absl::FromUnixSeconds(as_of);
    if (as_of_time > now + absl::Minutes(1) || now - as_of_time > absl::Hours(24)) {
      return InvalidField("page_token", "expired or not a token this service issued; list again");
    }
    now = as_of_time;
    after = as_of_and_key.second;
  }

  // By default every quarter since vetrack began tracking the plan (its
  // catalog's first load): a 督办 stays listed until it is resolved, however
  // old its quarter. The quarters before predate vetrack's use, and without a
  // record of that start only the quarter under way and the one before are
  // listed; of the quarters before, what the coordinator chased with a
  // notice is listed too. A named period looks at that one, if units could
  // file for it.
  std::vector<v1::Period> periods;
  std::optional<std::string> first_tracked;
  if (!req.period_id().empty()) {
    auto period = ParsePeriod(req.period_id(), options_.grace_after_quarter);
    if (!period.ok()) return period.status();
    if (absl::Status ok = CheckReportable(*period, *plan, now); !ok.ok()) return ok;
    periods.push_back(*period);
  } else {
    auto since = store_.TrackedSince(*plan_id);
    if (!since.ok()) return since.status();
    auto all = ReportablePeriods(*plan, now, options_.grace_after_quarter);
    auto first = all.size() > 2 ? all.end() - 2 : all.begin();
    if (since->has_value()) {
      first = std::find_if(all.begin(), all.end(),
                           [&](const v1::Period& p) { return p.id() >= **since; });
    }
    periods.assign(first, all.end());
    if (!periods.empty()) first_tracked = periods.front().id();
  }

  auto tasks = store_.ListTasks(*plan_id);
  if (!tasks.ok()) return tasks.status();
  // Only the tasks the caller may read (a school: its own, and those it
  // answered for before a correction, for those quarters only).
  tasks->erase(std::remove_if(tasks->begin(), tasks->end(),
                              [&](const auto& t) { return !CanReadSomeQuarter(caller, t.value); }),
               tasks->end());
  std::map<int, const v1::Task*> by_number;
  for (const auto& t : *tasks) by_number[t.value.number()] = &t.value;

  std::vector<v1::Escalation> all;
  std::vector<std::vector<v1::Escalation>> ladders;
  if (first_tracked.has_value()) {
    auto chased = ChasedBeforeTracking(*plan_id, *tasks, *first_tracked, now);
    if (!chased.ok()) return chased.status();
    ladders.push_back(*std::move(chased));
  }
  for (const auto& period : periods) {
    auto ladder = Ladder(*plan_id, *tasks, period, now);
    if (!ladder.ok()) return ladder.status();
    ladders.push_back(*std::move(ladder));
  }
  for (auto& ladder : ladders) {
    for (auto& e : ladder) {
      if (!req.unit().empty() && e.unit() != req.unit()) continue;
      if (e.level() < req.min_level()) continue;
      if (!CanReadTaskIn(caller, *by_number.at(e.task_number()), e.period_id())) continue;
      all.push_back(std::move(e));
    }
  }
  // Most urgent first, then by quarter and task; the key orders as that.
  auto key = [](const v1::Escalation& e) {
    return absl::StrFormat("%d|%s|%06d|%s|%s", 9 - static_cast<int>(e.level()), e.period_id(),
                           e.task_number(), e.unit(), e.owed());
  };
  std::vector<std::pair<std::string, v1::Escalation*>> ordered;
  for (auto& e : all) ordered.emplace_back(key(e), &e);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  v1::ListEscalationsResponse response;
  std::vector<v1::Escalation> shown;
  std::string last;
  for (const auto& [k, e] : ordered) {
    if (!after.empty() && k <= after) continue;
    if (static_cast<int>(shown.size()) == page->size) {
      response.set_next_page_token(
          KeyPageToken(*page, absl::StrCat(absl::ToUnixSeconds(now), "#", last)));
      break;
    }
    shown.push_back(std::move(*e));
    last = k;
  }
  if (absl::Status attached = AttachIssuedNotices(&shown); !attached.ok()) return attached;
  for (auto& e : shown) *response.add_escalations() = std::move(e);
  response.set_total_size(static_cast<int>(all.size()));
  return response;
}

}  // namespace vetrack::tasks
