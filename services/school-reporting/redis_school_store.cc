#include "redis_school_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "exchange_entry.h"
#include "names.h"
#include "redis/atomic_write.h"

namespace vetrack::schools {
namespace {

constexpr char kInstitutionsKey[] = "insts";
constexpr char kInstitutionRegisterKey[] = "instreg";
constexpr char kCatalogMajorsKey[] = "majors";
constexpr char kSpotChecksKey[] = "spotchecks";
constexpr char kChecks[] = "checks";
constexpr char kConfirmed[] = "confirmed";
constexpr char kDiscrepancies[] = "discrepancies";
constexpr char kWithdrawn[] = "withdrawn";

int ParseTally(const redis::Reply& reply) {
  int value = 0;
  if (!reply.is_nil() && !absl::SimpleAtoi(reply.str, &value)) return 0;
  return value;
}

std::string EncodeFigureCount(const FigureCount& count) {
  if (count.withdrawn) return kWithdrawn;
  if (count.outcome == v1::CHECK_OUTCOME_PENDING) return "";
  return v1::CheckOutcome_Name(count.outcome);
}

absl::StatusOr<FigureCount> DecodeFigureCount(const CountedFigure& figure,
                                              const std::string& data) {
  FigureCount count{figure};
  if (data == kWithdrawn) {
    count.withdrawn = true;
  } else if (!data.empty() && !v1::CheckOutcome_Parse(data, &count.outcome)) {
    return absl::DataLossError(absl::StrCat("stored figure count '", data, "' does not parse"));
  }
  return count;
}

// What a guard on a revision or a figure count guards, for the conflict's message.
std::string RevisionName(const ReportRef& ref, int revision) {
  return absl::StrCat("revision ", revision, " of ", ReportName(ref));
}

std::string FigureDescription(const CountedFigure& figure) {
  return absl::StrCat(
      "the spot-check tally of key figure ", figure.item, " in revision ", figure.report_revision,
      " of ", ReportName({ReportKind::kQuality, figure.institution_code, figure.period_id}));
}

}  // namespace

RedisSchoolStore::RedisSchoolStore(redis::Client& client, std::string prefix,
                                   int64_t answer_ttl_seconds)
    : client_(client), prefix_(std::move(prefix)), answer_ttl_seconds_(answer_ttl_seconds) {}

std::string RedisSchoolStore::InstitutionKey(const std::string& code) const {
  return absl::StrCat(prefix_, "inst:", code);
}
std::string RedisSchoolStore::CatalogMajorKey(const std::string& code) const {
  return absl::StrCat(prefix_, "major:", code);
}
std::string RedisSchoolStore::PeriodKey(const std::string& period_id) const {
  return absl::StrCat(prefix_, "period:", period_id);
}
std::string RedisSchoolStore::ReportKey(const ReportRef& ref, int revision) const {
  const char* kind = ref.kind == ReportKind::kData ? "data" : "quality";
  if (revision == 0)
    return absl::StrCat(prefix_, kind, ":", ref.institution_code, ":", ref.period_id);
  return absl::StrCat(prefix_, kind, "rev:", ref.institution_code, ":", ref.period_id, ":",
                      revision);
}
std::string RedisSchoolStore::HistoryKey(const ReportRef& ref) const {
  return absl::StrCat(prefix_, "history:", ref.kind == ReportKind::kData ? "data" : "quality", ":",
                      ref.institution_code, ":", ref.period_id);
}
std::string RedisSchoolStore::ReferenceHistoryKey(const std::string& resource) const {
  return absl::StrCat(prefix_, "refhistory:", resource);
}
std::string RedisSchoolStore::SpotCheckKey(const std::string& id) const {
  return absl::StrCat(prefix_, "spotcheck:", id);
}
std::string RedisSchoolStore::CredibilityKey(const std::string& code) const {
  return absl::StrCat(prefix_, "cred:", code);
}
std::string RedisSchoolStore::CountedFigureKey(const CountedFigure& figure) const {
  return absl::StrCat(prefix_, "counted:", figure.institution_code, ":", figure.period_id, ":",
                      figure.report_revision, ":", figure.item);
}
std::string RedisSchoolStore::ReferenceMarkKey(ReferencePart part) const {
  return absl::StrCat(prefix_,
                      "refmark:", part == ReferencePart::kInstitutions ? "institutions" : "majors");
}
std::string RedisSchoolStore::AnswerKey(const std::string& request_key) const {
  return absl::StrCat(prefix_, "answer:", request_key);
}

template <typename T>
absl::StatusOr<std::vector<std::optional<Stored<T>>>> RedisSchoolStore::GetMany(
    const std::vector<std::string>& keys) {
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<std::optional<Stored<T>>> out;
  out.reserve(got->size());
  for (const auto& v : *got) {
    auto decoded = redis::DecodeStoredOptional<T>(v);
    if (!decoded.ok()) return decoded.status();
    out.push_back(*std::move(decoded));
  }
  return out;
}

absl::Status RedisSchoolStore::Ping() { return client_.Ping(); }

absl::StatusOr<std::vector<Stored<v1::Institution>>> RedisSchoolStore::ListInstitutions() {
  auto codes = client_.Command({"SMEMBERS", prefix_ + kInstitutionsKey});
  if (!codes.ok()) return codes.status();
  std::vector<std::string> keys;
  for (const auto& code : codes->elements) keys.push_back(InstitutionKey(code.str));
  auto got = GetMany<v1::Institution>(keys);
  if (!got.ok()) return got.status();
  std::vector<Stored<v1::Institution>> out;
  for (auto& institution : *got) {
    if (institution.has_value()) out.push_back(*std::move(institution));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.value.code() < b.value.code(); });
  return out;
}

absl::StatusOr<int64_t> RedisSchoolStore::GetInstitutionRegisterVersion() {
  auto got = redis::GetVersioned(client_, prefix_ + kInstitutionRegisterKey);
  if (!got.ok()) return got.status();
  return got->has_value() ? (*got)->version : 0;
}

absl::StatusOr<std::optional<Stored<v1::Institution>>> RedisSchoolStore::GetInstitution(
    const std::string& code) {
  auto got = GetMany<v1::Institution>({InstitutionKey(code)});
  if (!got.ok()) return got.status();
  return std::move(got->front());
}

absl::StatusOr<std::vector<Stored<v1::CatalogMajor>>> RedisSchoolStore::ListCatalogMajors() {
  auto codes = client_.Command({"SMEMBERS", prefix_ + kCatalogMajorsKey});
  if (!codes.ok()) return codes.status();
  std::vector<std::string> sorted;
  for (const auto& code : codes->elements) sorted.push_back(code.str);
  std::sort(sorted.begin(), sorted.end());
  auto got = GetCatalogMajors(sorted);
  if (!got.ok()) return got.status();
  std::vector<Stored<v1::CatalogMajor>> out;
  for (auto& major : *got) {
    if (major.has_value()) out.push_back(*std::move(major));
  }
  return out;
}

absl::StatusOr<std::vector<std::optional<Stored<v1::CatalogMajor>>>>
RedisSchoolStore::GetCatalogMajors(const std::vector<std::string>& codes) {
  std::vector<std::string> keys;
  for (const auto& code : codes) keys.push_back(CatalogMajorKey(code));
  return GetMany<v1::CatalogMajor>(keys);
}

absl::StatusOr<std::optional<Stored<ReferenceMark>>> RedisSchoolStore::GetReferenceMark(
    ReferencePart part) {
  auto got = redis::GetVersioned(client_, ReferenceMarkKey(part));
  if (!got.ok()) return got.status();
  if (!got->has_value()) return std::optional<Stored<ReferenceMark>>();
  Stored<ReferenceMark> mark{{part, absl::InfinitePast()}, (*got)->version};
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, (*got)->data, &mark.value.issued, &error)) {
    return absl::DataLossError(absl::StrCat("stored reference mark does not parse: ", error));
  }
  return std::optional<Stored<ReferenceMark>>(mark);
}

absl::StatusOr<std::optional<Stored<v1::Period>>> RedisSchoolStore::GetPeriod(
    const std::string& period_id) {
  auto got = GetMany<v1::Period>({PeriodKey(period_id)});
  if (!got.ok()) return got.status();
  return std::move(got->front());
}

absl::StatusOr<std::optional<Stored<v1::DataReport>>> RedisSchoolStore::GetDataReport(
    const ReportRef& ref) {
  auto got = GetMany<v1::DataReport>({ReportKey(ref)});
  if (!got.ok()) return got.status();
  return std::move(got->front());
}

absl::StatusOr<std::optional<Stored<v1::QualityReport>>> RedisSchoolStore::GetQualityReport(
    const ReportRef& ref) {
  auto got = GetMany<v1::QualityReport>({ReportKey(ref)});
  if (!got.ok()) return got.status();
  return std::move(got->front());
}

absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> RedisSchoolStore::GetDataReports(
    const std::vector<std::string>& institution_codes, const std::string& period_id) {
  std::vector<std::string> keys;
  for (const auto& code : institution_codes) {
    keys.push_back(ReportKey({ReportKind::kData, code, period_id}));
  }
  return GetMany<v1::DataReport>(keys);
}

absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>>
RedisSchoolStore::GetQualityReports(const std::vector<std::string>& institution_codes,
                                    const std::string& period_id) {
  std::vector<std::string> keys;
  for (const auto& code : institution_codes) {
    keys.push_back(ReportKey({ReportKind::kQuality, code, period_id}));
  }
  return GetMany<v1::QualityReport>(keys);
}

absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>>
RedisSchoolStore::GetDataRevisions(const ReportRef& ref, const std::vector<int>& revisions) {
  std::vector<std::string> keys;
  for (int revision : revisions) keys.push_back(ReportKey(ref, revision));
  return GetMany<v1::DataReport>(keys);
}

absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>>
RedisSchoolStore::GetDataRevisionsOf(const std::vector<std::pair<ReportRef, int>>& revisions) {
  std::vector<std::string> keys;
  for (const auto& [ref, revision] : revisions) keys.push_back(ReportKey(ref, revision));
  return GetMany<v1::DataReport>(keys);
}

absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>>
RedisSchoolStore::GetQualityRevisions(const ReportRef& ref, const std::vector<int>& revisions) {
  std::vector<std::string> keys;
  for (int revision : revisions) keys.push_back(ReportKey(ref, revision));
  return GetMany<v1::QualityReport>(keys);
}

absl::StatusOr<std::vector<v1::ReportHistoryEntry>> RedisSchoolStore::ListHistory(
    const ReportRef& ref, int offset, int limit, int* total) {
  return ListHistoryAt(HistoryKey(ref), offset, limit, total);
}

absl::StatusOr<std::vector<v1::ReportHistoryEntry>> RedisSchoolStore::ListReferenceHistory(
    const std::string& resource, int offset, int limit, int* total) {
  return ListHistoryAt(ReferenceHistoryKey(resource), offset, limit, total);
}

absl::StatusOr<std::vector<v1::ReportHistoryEntry>> RedisSchoolStore::ListHistoryAt(
    const std::string& key, int offset, int limit, int* total) {
  auto replies = client_.Pipeline(
      {{"LLEN", key}, {"LRANGE", key, std::to_string(offset), std::to_string(offset + limit - 1)}});
  if (!replies.ok()) return replies.status();
  *total = static_cast<int>((*replies)[0].integer);
  std::vector<v1::ReportHistoryEntry> entries;
  for (const auto& e : (*replies)[1].elements) {
    auto entry = redis::DecodeMessage<v1::ReportHistoryEntry>(e.str);
    if (!entry.ok()) return entry.status();
    entries.push_back(*std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<std::string>> RedisSchoolStore::ListSpotCheckIds() {
  auto ids = client_.Command({"ZRANGE", prefix_ + kSpotChecksKey, "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> out;
  for (const auto& id : ids->elements) out.push_back(id.str);
  return out;
}

absl::StatusOr<std::vector<std::optional<Stored<v1::SpotCheck>>>> RedisSchoolStore::GetSpotChecks(
    const std::vector<std::string>& ids) {
  std::vector<std::string> keys;
  for (const auto& id : ids) keys.push_back(SpotCheckKey(id));
  return GetMany<v1::SpotCheck>(keys);
}

absl::StatusOr<std::vector<CredibilityCount>> RedisSchoolStore::GetCredibility(
    const std::vector<std::string>& institution_codes) {
  std::vector<CredibilityCount> out;
  if (institution_codes.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  for (const auto& code : institution_codes) {
    commands.push_back({"HMGET", CredibilityKey(code), kChecks, kConfirmed, kDiscrepancies});
  }
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < institution_codes.size(); ++i) {
    const auto& fields = (*replies)[i].elements;
    CredibilityCount count{institution_codes[i]};
    if (fields.size() == 3) {
      count.checks = ParseTally(fields[0]);
      count.confirmed = ParseTally(fields[1]);
      count.discrepancies = ParseTally(fields[2]);
    }
    out.push_back(count);
  }
  return out;
}

absl::StatusOr<std::vector<std::optional<Stored<FigureCount>>>> RedisSchoolStore::GetFigureCounts(
    const std::vector<CountedFigure>& figures) {
  std::vector<std::string> keys;
  for (const auto& figure : figures) keys.push_back(CountedFigureKey(figure));
  auto got = redis::GetVersionedMany(client_, keys);
  if (!got.ok()) return got.status();
  std::vector<std::optional<Stored<FigureCount>>> out;
  for (size_t i = 0; i < figures.size(); ++i) {
    if (!(*got)[i].has_value()) {
      out.emplace_back();
      continue;
    }
    auto count = DecodeFigureCount(figures[i], (*got)[i]->data);
    if (!count.ok()) return count.status();
    out.push_back(Stored<FigureCount>{*std::move(count), (*got)[i]->version});
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> RedisSchoolStore::FindAnswer(
    const std::string& request_key, const std::string& fingerprint) {
  return redis::LookupIdempotent(client_, AnswerKey(request_key), fingerprint);
}

absl::StatusOr<WriteOutcome> RedisSchoolStore::Write(const SchoolWrite& write) {
  redis::AtomicWrite w;
  if (write.answer.has_value()) {
    w.RecordIdempotent(AnswerKey(write.answer->request_key), write.answer->fingerprint,
                       write.answer->response, answer_ttl_seconds_);
  }
  if (!write.institutions.empty()) {
    w.PutGuarded(prefix_ + kInstitutionRegisterKey, write.institution_register_version, "",
                 "the register of institutions");
  }
  for (const auto& put : write.institutions) {
    w.PutGuarded(InstitutionKey(put.value.code()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value), InstitutionName(put.value.code()));
    w.SetAdd(prefix_ + kInstitutionsKey, put.value.code());
  }
  for (const auto& put : write.catalog_majors) {
    w.PutGuarded(CatalogMajorKey(put.value.code()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value), CatalogMajorName(put.value.code()));
    w.SetAdd(prefix_ + kCatalogMajorsKey, put.value.code());
  }
  for (const auto& put : write.periods) {
    w.PutGuarded(PeriodKey(put.value.id()), put.expected_version,
                 redis::EncodeWithoutEtag(put.value), PeriodName(put.value.id()));
  }
  auto mark_name = [](ReferencePart part) {
    return part == ReferencePart::kInstitutions ? "the institution catalog's issue time"
                                                : "the major catalog's issue time";
  };
  for (const auto& put : write.reference_marks) {
    w.PutGuarded(ReferenceMarkKey(put.value.part), put.expected_version,
                 absl::FormatTime(absl::RFC3339_full, put.value.issued, absl::UTCTimeZone()),
                 mark_name(put.value.part));
  }
  for (const auto& put : write.data_reports) {
    auto ref = ParseReportName(put.value.name(), ReportKind::kData, "data_report.name");
    if (!ref.ok()) return ref.status();
    w.PutGuarded(ReportKey(*ref), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
  }
  for (const auto& rev : write.data_revisions) {
    w.PutGuarded(ReportKey(rev.ref, rev.revision), rev.put.expected_version,
                 redis::EncodeWithoutEtag(rev.put.value), RevisionName(rev.ref, rev.revision));
  }
  for (const auto& put : write.quality_reports) {
    auto ref = ParseReportName(put.value.name(), ReportKind::kQuality, "quality_report.name");
    if (!ref.ok()) return ref.status();
    w.PutGuarded(ReportKey(*ref), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
  }
  for (const auto& rev : write.quality_revisions) {
    w.PutGuarded(ReportKey(rev.ref, rev.revision), rev.put.expected_version,
                 redis::EncodeWithoutEtag(rev.put.value), RevisionName(rev.ref, rev.revision));
  }
  for (const auto& guard : write.quality_revision_guards) {
    w.ExpectVersion(ReportKey(guard.ref, guard.revision), guard.version,
                    RevisionName(guard.ref, guard.revision));
  }
  for (const auto& [ref, entry] : write.history) {
    w.ListAppend(HistoryKey(ref), entry.SerializeAsString());
  }
  for (const auto& [resource, entry] : write.reference_history) {
    w.ListAppend(ReferenceHistoryKey(resource), entry.SerializeAsString());
  }
  for (const auto& put : write.spot_checks) {
    auto id = ParseSpotCheckName(put.value.name(), "spot_check.name");
    if (!id.ok()) return id.status();
    w.PutGuarded(SpotCheckKey(*id), put.expected_version, redis::EncodeWithoutEtag(put.value),
                 put.value.name());
    // Micro-seconds since the epoch order the draws and fit a double exactly.
    w.SortedSetAdd(prefix_ + kSpotChecksKey,
                   static_cast<double>(absl::ToUnixMicros(TimeFromProto(put.value.draw_time()))),
                   *id);
  }
  // The commit script has no "add only if new", so the version guard (0: must
  // not exist) is what keeps two writes that both read the figure as
  // uncounted from both counting it, and a return from missing a count.
  for (const auto& put : write.figure_counts) {
    w.PutGuarded(CountedFigureKey(put.value.figure), put.expected_version,
                 EncodeFigureCount(put.value), FigureDescription(put.value.figure));
  }
  for (const auto& figure : write.uncounted_figures) {
    w.ExpectVersion(CountedFigureKey(figure), 0, FigureDescription(figure));
  }
  for (const auto& count : write.credibility_increments) {
    const std::string key = CredibilityKey(count.institution_code);
    w.HashIncrBy(key, kChecks, count.checks);
    w.HashIncrBy(key, kConfirmed, count.confirmed);
    w.HashIncrBy(key, kDiscrepancies, count.discrepancies);
  }
  for (const auto& entry : write.outbox) w.ListAppend(SchoolReportingOutboxKey(), entry);
  auto committed = redis::Commit(client_, w);
  if (!committed.ok()) return committed.status();
  return WriteOutcome{committed->replayed, committed->response};
}

}  // namespace vetrack::schools
