#include "redis_task_store.h"

#include "absl/strings/str_cat.h"
#include "exchange_entry.h"
#include "names.h"
#include "redis/atomic_write.h"

namespace vetrack::tasks {

RedisTaskStore::RedisTaskStore(redis::Client& client, std::string prefix,
                               int64_t answer_ttl_seconds)
    : client_(client), prefix_(std::move(prefix)), answer_ttl_seconds_(answer_ttl_seconds) {}

std::string RedisTaskStore::PlanKey(const std::string& plan_id) const {
  return absl::StrCat(prefix_, "plan:", plan_id);
}
std::string RedisTaskStore::SectionsKey(const std::string& plan_id) const {
  return absl::StrCat(prefix_, "sections:", plan_id);
}
std::string RedisTaskStore::TrackedQuartersKey(const std::string& plan_id) const {
  return absl::StrCat(prefix_, "tracked-quarters:", plan_id);
}
std::string RedisTaskStore::UnitKey(const std::string& code) const {
  return absl::StrCat(prefix_, "unit:", code);
}
std::string RedisTaskStore::TaskKey(const TaskRef& ref) const {
  return absl::StrCat(prefix_, "task:", ref.plan_id, ":", ref.number);
}
std::string RedisTaskStore::TasksKey(const std::string& plan_id) const {
  return absl::StrCat(prefix_, "tasks:", plan_id);
}
std::string RedisTaskStore::ProgressKey(const TaskRef& ref, const std::string& period_id,
                                        const std::string& unit) const {
  return absl::StrCat(prefix_, "progress:", ref.plan_id, ":", ref.number, ":", period_id, ":",
                      unit);
}
std::string RedisTaskStore::ReportKey(const TaskRef& ref, const std::string& period_id) const {
  return absl::StrCat(prefix_, "report:", ref.plan_id, ":", ref.number, ":", period_id);
}
std::string RedisTaskStore::HistoryKey(const TaskRef& ref) const {
  return absl::StrCat(prefix_, "history:", ref.plan_id, ":", ref.number);
}
std::string RedisTaskStore::NoticeKey(const NoticeRef& ref) const {
  std::string name = NoticeName(ref);
  return absl::StrCat(prefix_, "notice:", ref.task.plan_id, ":", ref.task.number, ":",
                      ref.period_id, ":", name.substr(name.rfind('/') + 1));
}
std::string RedisTaskStore::NoticesKey(const std::string& plan_id) const {
  return absl::StrCat(prefix_, "notices:", plan_id);
}
std::string RedisTaskStore::AnswerKey(const std::string& request_key) const {
  return absl::StrCat(prefix_, "answer:", request_key);
}

absl::Status RedisTaskStore::Ping() { return client_.Ping(); }

absl::StatusOr<std::optional<v1::Plan>> RedisTaskStore::GetPlan(const std::string& plan_id) {
  auto got = redis::GetVersioned(client_, PlanKey(plan_id));
  if (!got.ok()) return got.status();
  if (!got->has_value()) return std::optional<v1::Plan>();
  auto plan = redis::DecodeMessage<v1::Plan>((*got)->data);
  if (!plan.ok()) return plan.status();
  return std::optional<v1::Plan>(*std::move(plan));
}

absl::StatusOr<std::optional<std::string>> RedisTaskStore::TrackedSince(
    const std::string& plan_id) {
  auto quarters = client_.Command({"SMEMBERS", TrackedQuartersKey(plan_id)});
  if (!quarters.ok()) return quarters.status();
  std::optional<std::string> first;
  // "2026-Q4" ids order as their quarters do.
  for (const auto& q : quarters->elements) {
    if (!first.has_value() || q.str < *first) first = q.str;
  }
  return first;
}

absl::StatusOr<std::vector<v1::Section>> RedisTaskStore::ListSections(const std::string& plan_id) {
  auto got = redis::GetVersioned(client_, SectionsKey(plan_id));
  if (!got.ok()) return got.status();
  if (!got->has_value()) return std::vector<v1::Section>();
  auto list = redis::DecodeMessage<v1::ListSectionsResponse>((*got)->data);
  if (!list.ok()) return list.status();
  return std::vector<v1::Section>(list->sections().begin(), list->sections().end());
}

absl::StatusOr<std::vector<Stored<v1::Unit>>> RedisTaskStore::ListUnits() {
  auto codes = client_.Command({"SMEMBERS", prefix_ + "units"});
  if (!codes.ok()) return codes.status();
  std::vector<std::string> keys;
  for (const auto& code : codes->elements) keys.push_back(UnitKey(code.str));
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<Stored<v1::Unit>> units;
  for (const auto& v : *got) {
    if (!v.has_value()) continue;
    auto unit = redis::DecodeStored<v1::Unit>(*v);
    if (!unit.ok()) return unit.status();
    units.push_back(*std::move(unit));
  }
  std::sort(units.begin(), units.end(),
            [](const auto& a, const auto& b) { return a.value.code() < b.value.code(); });
  return units;
}

absl::StatusOr<std::optional<Stored<v1::Task>>> RedisTaskStore::GetTask(const TaskRef& ref) {
  auto got = redis::GetVersioned(client_, TaskKey(ref));
  if (!got.ok()) return got.status();
  return redis::DecodeStoredOptional<v1::Task>(*got);
}

absl::StatusOr<std::vector<Stored<v1::Task>>> RedisTaskStore::ListTasks(
    const std::string& plan_id) {
  auto numbers = client_.Command({"ZRANGE", TasksKey(plan_id), "0", "-1"});
  if (!numbers.ok()) return numbers.status();
  std::vector<std::string> keys;
  for (const auto& n : numbers->elements) {
    keys.push_back(TaskKey({plan_id, std::stoi(n.str)}));
  }
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<Stored<v1::Task>> tasks;
  for (const auto& v : *got) {
    if (!v.has_value()) continue;
    auto task = redis::DecodeStored<v1::Task>(*v);
    if (!task.ok()) return task.status();
    tasks.push_back(*std::move(task));
  }
  return tasks;
}

absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> RedisTaskStore::GetProgress(
    const TaskRef& ref, const std::string& period_id, const std::vector<std::string>& units) {
  std::vector<std::string> keys;
  for (const auto& unit : units) keys.push_back(ProgressKey(ref, period_id, unit));
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::map<std::string, Stored<v1::Progress>> out;
  for (size_t i = 0; i < units.size(); ++i) {
    if (!(*got)[i].has_value()) continue;
    auto progress = redis::DecodeStored<v1::Progress>(*(*got)[i]);
    if (!progress.ok()) return progress.status();
    out.emplace(units[i], *std::move(progress));
  }
  return out;
}

absl::StatusOr<std::optional<Stored<v1::TaskReport>>> RedisTaskStore::GetReport(
    const TaskRef& ref, const std::string& period_id) {
  auto got = redis::GetVersioned(client_, ReportKey(ref, period_id));
  if (!got.ok()) return got.status();
  return redis::DecodeStoredOptional<v1::TaskReport>(*got);
}

namespace {

// The hash field a revision is kept in.
std::string RevisionField(int64_t revision) { return absl::StrCat("r", revision); }

// Revisions are kept as the entity was, without an etag: only the entity
// itself is changed.
template <typename T>
absl::StatusOr<std::vector<std::optional<T>>> ReadRevisions(redis::Client& client,
                                                            const std::string& key,
                                                            const std::vector<int>& revisions) {
  std::vector<std::string> fields;
  for (int revision : revisions) fields.push_back(RevisionField(revision));
  auto kept = redis::GetKept(client, key, fields);
  if (!kept.ok()) return kept.status();
  std::vector<std::optional<T>> out;
  for (const auto& bytes : *kept) {
    if (!bytes.has_value()) {
      out.emplace_back();
      continue;
    }
    auto revision = redis::DecodeMessage<T>(*bytes);
    if (!revision.ok()) return revision.status();
    out.emplace_back(*std::move(revision));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::optional<v1::TaskReport>>> RedisTaskStore::GetReportRevisions(
    const TaskRef& ref, const std::string& period_id, const std::vector<int>& revisions) {
  return ReadRevisions<v1::TaskReport>(client_, ReportKey(ref, period_id), revisions);
}

absl::StatusOr<std::vector<std::optional<v1::Progress>>> RedisTaskStore::GetProgressRevisions(
    const TaskRef& ref, const std::string& period_id, const std::string& unit,
    const std::vector<int>& revisions) {
  return ReadRevisions<v1::Progress>(client_, ProgressKey(ref, period_id, unit), revisions);
}

absl::StatusOr<FilingReads> RedisTaskStore::ReadForFiling(const std::string& request_key,
                                                          const std::string& fingerprint,
                                                          const TaskRef& ref,
                                                          const std::string& period_id,
                                                          const std::string& unit) {
  auto got =
      redis::LookupIdempotentWith(client_, AnswerKey(request_key), fingerprint,
                                  {ReportKey(ref, period_id), ProgressKey(ref, period_id, unit)});
  if (!got.ok()) return got.status();
  FilingReads reads;
  reads.earlier_answer = std::move(got->answer);
  auto report = redis::DecodeStoredOptional<v1::TaskReport>(got->entities[0]);
  if (!report.ok()) return report.status();
  reads.report = *std::move(report);
  auto progress = redis::DecodeStoredOptional<v1::Progress>(got->entities[1]);
  if (!progress.ok()) return progress.status();
  reads.progress = *std::move(progress);
  return reads;
}

absl::StatusOr<std::vector<std::optional<Stored<v1::TaskReport>>>> RedisTaskStore::GetReports(
    const std::vector<TaskRef>& refs, const std::string& period_id) {
  std::vector<std::string> keys;
  for (const auto& ref : refs) keys.push_back(ReportKey(ref, period_id));
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<std::optional<Stored<v1::TaskReport>>> out;
  for (const auto& v : *got) {
    auto report = redis::DecodeStoredOptional<v1::TaskReport>(v);
    if (!report.ok()) return report.status();
    out.push_back(*std::move(report));
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<std::string>>> RedisTaskStore::FiledUnits(
    const std::vector<TaskRef>& refs, const std::string& period_id,
    const std::vector<std::vector<std::string>>& candidates) {
  // One round trip for every (task, unit) pair: EXISTS on each progress key.
  std::vector<std::vector<std::string>> commands;
  for (size_t i = 0; i < refs.size(); ++i) {
    for (const auto& unit : candidates[i]) {
      commands.push_back({"EXISTS", ProgressKey(refs[i], period_id, unit)});
    }
  }
  std::vector<std::vector<std::string>> out(refs.size());
  if (commands.empty()) return out;
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  size_t k = 0;
  for (size_t i = 0; i < refs.size(); ++i) {
    for (const auto& unit : candidates[i]) {
      if ((*replies)[k++].integer == 1) out[i].push_back(unit);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::optional<Stored<v1::Notice>>>> RedisTaskStore::GetNotices(
    const std::vector<NoticeRef>& refs) {
  std::vector<std::string> keys;
  for (const auto& ref : refs) keys.push_back(NoticeKey(ref));
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<std::optional<Stored<v1::Notice>>> out;
  for (const auto& v : *got) {
    auto notice = redis::DecodeStoredOptional<v1::Notice>(v);
    if (!notice.ok()) return notice.status();
    out.push_back(*std::move(notice));
  }
  return out;
}

absl::StatusOr<std::vector<NoticeRef>> RedisTaskStore::ListNoticeRefs(const std::string& plan_id) {
  auto names = client_.Command({"SMEMBERS", NoticesKey(plan_id)});
  if (!names.ok()) return names.status();
  std::vector<NoticeRef> refs;
  for (const auto& name : names->elements) {
    auto ref = ParseNoticeName(name.str, "notice");
    if (!ref.ok())
      return absl::DataLossError(absl::StrCat("unreadable notice index entry ", name.str));
    refs.push_back(*std::move(ref));
  }
  return refs;
}

absl::StatusOr<std::vector<Stored<v1::Notice>>> RedisTaskStore::ListNotices(
    const std::string& plan_id) {
  auto refs = ListNoticeRefs(plan_id);
  if (!refs.ok()) return refs.status();
  auto got = GetNotices(*refs);
  if (!got.ok()) return got.status();
  std::vector<Stored<v1::Notice>> out;
  for (auto& n : *got) {
    if (n.has_value()) out.push_back(*std::move(n));
  }
  return out;
}

absl::StatusOr<std::vector<v1::HistoryEntry>> RedisTaskStore::ListHistory(const TaskRef& ref,
                                                                          int offset, int limit,
                                                                          int* total) {
  auto replies = client_.Pipeline(
      {{"LLEN", HistoryKey(ref)},
       {"LRANGE", HistoryKey(ref), std::to_string(offset), std::to_string(offset + limit - 1)}});
  if (!replies.ok()) return replies.status();
  *total = static_cast<int>((*replies)[0].integer);
  std::vector<v1::HistoryEntry> entries;
  for (const auto& e : (*replies)[1].elements) {
    auto entry = redis::DecodeMessage<v1::HistoryEntry>(e.str);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::optional<std::string>> RedisTaskStore::FindAnswer(
    const std::string& request_key, const std::string& fingerprint) {
  return redis::LookupIdempotent(client_, AnswerKey(request_key), fingerprint);
}

absl::StatusOr<redis::AtomicWrite> RedisTaskStore::ToAtomicWrite(const RegistryWrite& write) const {
  redis::AtomicWrite w;
  if (write.answer.has_value()) {
    w.RecordIdempotent(AnswerKey(write.answer->request_key), write.answer->fingerprint,
                       write.answer->response, answer_ttl_seconds_);
  }
  if (write.plan.has_value()) {
    auto plan_id = write.plan->name().substr(std::string("plans/").size());
    w.PutVersioned(PlanKey(plan_id), 1, write.plan->SerializeAsString());
    if (write.sections.has_value()) {
      v1::ListSectionsResponse list;
      for (const auto& s : *write.sections) *list.add_sections() = s;
      w.PutVersioned(SectionsKey(plan_id), 1, list.SerializeAsString());
    }
    if (write.tracked_quarter.has_value()) {
      w.SetAdd(TrackedQuartersKey(plan_id), *write.tracked_quarter);
    }
  }
  for (const auto& put : write.units) {
    w.PutGuarded(UnitKey(put.value.code()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value), put.value.name());
    w.SetAdd(prefix_ + "units", put.value.code());
  }
  for (const auto& put : write.tasks) {
    auto ref = ParseTaskName(put.value.name(), "task.name");
    if (!ref.ok()) return ref.status();
    w.PutGuarded(TaskKey(*ref), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
    w.SortedSetAdd(TasksKey(ref->plan_id), ref->number, std::to_string(ref->number));
  }
  for (const auto& guard : write.unchanged_reports) {
    w.ExpectVersion(ReportKey(guard.ref, guard.period_id), guard.version,
                    ReportName(TaskName(guard.ref.plan_id, guard.ref.number), guard.period_id));
  }
  for (const auto& guard : write.unchanged_tasks)
    w.ExpectVersion(TaskKey(guard.ref), guard.version,
                    TaskName(guard.ref.plan_id, guard.ref.number));
  for (const auto& guard : write.unchanged_progress) {
    w.ExpectVersion(
        ProgressKey(guard.ref, guard.period_id, guard.unit), guard.version,
        ProgressName(TaskName(guard.ref.plan_id, guard.ref.number), guard.period_id, guard.unit));
  }
  for (const auto& guard : write.unchanged_notices) {
    w.ExpectVersion(NoticeKey(guard.ref), guard.version, NoticeName(guard.ref));
  }
  for (const auto& put : write.progress) {
    auto ref = ParseTaskName(put.value.task(), "progress.task");
    if (!ref.ok()) return ref.status();
    // A filing's revision is its version: each refiling is kept beside it.
    w.PutGuarded(ProgressKey(*ref, put.value.period_id(), put.value.unit()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value),
                 ProgressName(put.value.task(), put.value.period_id(), put.value.unit()),
                 RevisionField(put.expected_version + 1));
  }
  for (const auto& put : write.reports) {
    auto ref = ParseTaskName(put.value.task(), "report.task");
    if (!ref.ok()) return ref.status();
    // Every write of a report (its submission, its review, a late co-unit's
    // filing) rewrites its revision too, so each is kept as it last stood.
    w.PutGuarded(ReportKey(*ref, put.value.period_id()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value),
                 ReportName(put.value.task(), put.value.period_id()),
                 put.value.revision() > 0 ? RevisionField(put.value.revision()) : "");
  }
  for (const auto& put : write.notices) {
    auto ref = ParseNoticeName(put.value.name(), "notice.name");
    if (!ref.ok()) return ref.status();
    w.PutGuarded(NoticeKey(*ref), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
    w.SetAdd(NoticesKey(ref->task.plan_id), put.value.name());
  }
  for (const auto& [ref, entry] : write.history) {
    w.ListAppend(HistoryKey(ref), entry.SerializeAsString());
  }
  for (const auto& entry : write.outbox) w.ListAppend(TaskRegistryOutboxKey(), entry);
  return w;
}

namespace {

absl::StatusOr<WriteOutcome> OutcomeOf(const absl::StatusOr<redis::CommitResult>& committed) {
  if (!committed.ok()) return committed.status();
  return WriteOutcome{committed->replayed, committed->response};
}

}  // namespace

absl::StatusOr<WriteOutcome> RedisTaskStore::Write(const RegistryWrite& write) {
  auto w = ToAtomicWrite(write);
  if (!w.ok()) return w.status();
  return OutcomeOf(redis::Commit(client_, *w));
}

void RedisTaskStore::WriteAsync(const RegistryWrite& write, WriteCallback done) {
  auto w = ToAtomicWrite(write);
  if (!w.ok()) return done(w.status());
  // Called on gRPC's callback threads (FileProgressAsync): the caller sends
  // the batch itself when none is at Redis and finishes the calls in place.
  redis::CommitAsync(
      client_, *w, [done = std::move(done)](auto committed) { done(OutcomeOf(committed)); },
      redis::BatchSender::kCaller);
}

}  // namespace vetrack::tasks
