#ifndef VETRACK_SERVICES_TASK_REGISTRY_NOTICES_H_
#define VETRACK_SERVICES_TASK_REGISTRY_NOTICES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "names.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// The rules of 督办 notices, as pure functions of the state they look at
// (like workflow.h). The ladder (EscalationsFor) says what is overdue; a
// notice is the coordinator acting on it, and the unit's answer.
namespace vetrack::tasks {

// What a notice's name says:
// plans/{plan}/tasks/{n}/periods/{period}/notices/{level}-{owed}-{unit}.
struct NoticeRef {
  TaskRef task;
  std::string period_id;
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_UNSPECIFIED;  // YELLOW or RED
  std::string owed;                                              // PROGRESS or REPORT
  std::string unit;
};

std::string NoticeName(const NoticeRef& ref);
// INVALID_ARGUMENT on `field` when `name` is not a notice's name.
absl::StatusOr<NoticeRef> ParseNoticeName(const std::string& name, const std::string& field);
// "red" or "yellow", as notice names and histories write a level.
const char* NoticeLevelWord(v1::EscalationLevel level);
// What a unit can owe on a task: "PROGRESS" or "REPORT".
bool IsOwedKind(const std::string& owed);

// PERMISSION_DENIED unless the caller is the coordinator, who alone issues
// 督办 notices.
absl::Status CheckCanIssueNotice(const Principal& caller);

// The level to issue a notice at for what `unit` owes (`owed`) on a task in
// a quarter: `requested`, or the ladder's when unspecified. `owed_now` is the
// ladder of that task and quarter (EscalationsFor) and `issued` the notices
// already issued for the same thing. FAILED_PRECONDITION when the ladder
// shows nothing owed (NOTHING_OWED), only a reminder (NOT_OVERDUE: a 督办 is
// for what is overdue), or a lower level than requested (NOT_THAT_OVERDUE: a
// red notice waits until the ladder is red); ALREADY_EXISTS when a notice of
// that level or a higher one was issued already.
absl::StatusOr<v1::EscalationLevel> LevelToIssue(const std::vector<v1::Escalation>& owed_now,
                                                 const std::string& unit, const std::string& owed,
                                                 v1::EscalationLevel requested,
                                                 const std::vector<v1::Notice>& issued);

// PERMISSION_DENIED unless the caller is the unit the notice is addressed to;
// FAILED_PRECONDITION once it has answered.
absl::Status CheckCanAcknowledge(const Principal& caller, const v1::Notice& notice);

// Sets what a notice's reader sees computed: outstanding (the ladder
// `owed_now` of its task and quarter still lists its demand) and
// response_overdue.
void SetComputed(const std::vector<v1::Escalation>& owed_now, absl::Time now, v1::Notice* notice);

// Sets each escalation's notice and notice_state: the highest-level notice in
// `notices` issued for the same task, quarter, unit and thing owed.
void AttachNotices(const std::vector<v1::Notice>& notices,
                   std::vector<v1::Escalation>* escalations);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_NOTICES_H_
