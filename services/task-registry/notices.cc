#include "notices.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clock/timestamp.h"
#include "periods.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

// The same thing owed: task, quarter, unit and what.
bool SameDemand(const v1::Escalation& e, const v1::Notice& n) {
  return e.task() == n.task() && e.period_id() == n.period_id() && e.unit() == n.unit() &&
         e.owed() == n.owed();
}

}  // namespace

const char* NoticeLevelWord(v1::EscalationLevel level) {
  return level == v1::ESCALATION_LEVEL_RED ? "red" : "yellow";
}

bool IsOwedKind(const std::string& owed) { return owed == "PROGRESS" || owed == "REPORT"; }

std::string NoticeName(const NoticeRef& ref) {
  return absl::StrCat(TaskName(ref.task.plan_id, ref.task.number), "/periods/", ref.period_id,
                      "/notices/", NoticeLevelWord(ref.level), "-", absl::AsciiStrToLower(ref.owed),
                      "-", ref.unit);
}

absl::StatusOr<NoticeRef> ParseNoticeName(const std::string& name, const std::string& field) {
  auto bad = [&] {
    return InvalidField(field, absl::StrCat("'", name.substr(0, 160),
                                            "' is not a notice name plans/{plan}/tasks/{n}/"
                                            "periods/{period}/notices/{level}-{owed}-{unit}"));
  };
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 8 || parts[4] != "periods" || parts[6] != "notices") return bad();
  auto task =
      ParseTaskName(absl::StrCat(parts[0], "/", parts[1], "/", parts[2], "/", parts[3]), field);
  if (!task.ok()) return bad();
  // A zero grace: only the id's shape matters here.
  if (!ParsePeriod(parts[5], absl::ZeroDuration()).ok()) return bad();
  std::vector<std::string> id = absl::StrSplit(parts[7], absl::MaxSplits('-', 2));
  if (id.size() != 3 || (id[0] != "yellow" && id[0] != "red") ||
      (id[1] != "progress" && id[1] != "report") || !IsValidResourceId(id[2])) {
    return bad();
  }
  NoticeRef ref;
  ref.task = *task;
  ref.period_id = parts[5];
  ref.level = id[0] == "red" ? v1::ESCALATION_LEVEL_RED : v1::ESCALATION_LEVEL_YELLOW;
  ref.owed = absl::AsciiStrToUpper(id[1]);
  ref.unit = id[2];
  return ref;
}

absl::Status CheckCanIssueNotice(const Principal& caller) {
  if (caller.role != Role::kCoordinator) {
    return absl::PermissionDeniedError("only the coordinator issues 督办 notices");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::EscalationLevel> LevelToIssue(const std::vector<v1::Escalation>& owed_now,
                                                 const std::string& unit, const std::string& owed,
                                                 v1::EscalationLevel requested,
                                                 const std::vector<v1::Notice>& issued) {
  auto on_ladder = std::find_if(owed_now.begin(), owed_now.end(), [&](const v1::Escalation& e) {
    return e.unit() == unit && e.owed() == owed;
  });
  if (on_ladder == owed_now.end()) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat(unit, " owes no ", absl::AsciiStrToLower(owed),
                                       " now: a 督办 ", "demands what is owed and overdue")),
                      "NOTHING_OWED");
  }
  if (on_ladder->level() < v1::ESCALATION_LEVEL_YELLOW) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat("not overdue yet (", on_ladder->reason(),
                                                   "): before the deadline the ladder reminds")),
        "NOT_OVERDUE");
  }
  if (requested > on_ladder->level()) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          "the ladder is at ", NoticeLevelWord(on_ladder->level()), " (",
                          on_ladder->reason(), "): a notice demands no more than it shows")),
                      "NOT_THAT_OVERDUE");
  }
  v1::EscalationLevel level =
      requested == v1::ESCALATION_LEVEL_UNSPECIFIED ? on_ladder->level() : requested;
  for (const auto& n : issued) {
    if (n.level() >= level) {
      return WithReason(absl::AlreadyExistsError(
                            absl::StrCat(n.name(), " was issued already (", n.issued_by(), ")")),
                        "NOTICE_ISSUED");
    }
  }
  return level;
}

absl::Status CheckCanAcknowledge(const Principal& caller, const v1::Notice& notice) {
  if ((caller.role != Role::kDepartment && caller.role != Role::kSchool) ||
      caller.unit != notice.unit()) {
    return absl::PermissionDeniedError(
        absl::StrCat("only ", notice.unit(), ", to whom it is addressed, answers ", notice.name()));
  }
  if (notice.state() == v1::NOTICE_STATE_ACKNOWLEDGED) {
    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                          notice.name(), " was answered already by ", notice.acknowledged_by())),
                      "NOTICE_ANSWERED");
  }
  return absl::OkStatus();
}

void SetComputed(const std::vector<v1::Escalation>& owed_now, absl::Time now, v1::Notice* notice) {
  notice->set_outstanding(
      std::any_of(owed_now.begin(), owed_now.end(),
                  [&](const v1::Escalation& e) { return SameDemand(e, *notice); }));
  const absl::Time respond_by = TimeFromProto(notice->respond_by());
  const bool answered_in_time = notice->state() == v1::NOTICE_STATE_ACKNOWLEDGED &&
                                TimeFromProto(notice->acknowledge_time()) <= respond_by;
  notice->set_response_overdue(now > respond_by && !answered_in_time);
}

void AttachNotices(const std::vector<v1::Notice>& notices,
                   std::vector<v1::Escalation>* escalations) {
  using Demand = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Demand, const v1::Notice*> highest;
  for (const auto& n : notices) {
    const v1::Notice*& kept = highest[{n.task(), n.period_id(), n.unit(), n.owed()}];
    if (kept == nullptr || n.level() > kept->level()) kept = &n;
  }
  for (auto& e : *escalations) {
    auto it = highest.find({e.task(), e.period_id(), e.unit(), e.owed()});
    if (it == highest.end()) continue;
    e.set_notice(it->second->name());
    e.set_notice_state(it->second->state());
  }
}

}  // namespace vetrack::tasks
