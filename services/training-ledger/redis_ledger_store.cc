#include "redis_ledger_store.h"

#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger_scripts.h"
#include "redis/atomic_write.h"

namespace vetrack::ledger {
namespace {

constexpr size_t kFingerprintChars = 16;

// Splits a stored value into fingerprint and record; DATA_LOSS if it is not one.
absl::StatusOr<StoredRecord> DecodeRecord(const std::string& value, const RecordRef& ref) {
  StoredRecord stored;
  if (value.size() < kFingerprintChars ||
      !stored.record.ParseFromArray(value.data() + kFingerprintChars,
                                    static_cast<int>(value.size() - kFingerprintChars))) {
    return absl::DataLossError(absl::StrCat("stored record ", RecordName(ref), " does not parse"));
  }
  stored.fingerprint = value.substr(0, kFingerprintChars);
  stored.record.set_name(RecordName(ref));
  return stored;
}

}  // namespace

RedisLedgerStore::RedisLedgerStore(redis::Client& client, std::string prefix,
                                   int64_t answer_ttl_seconds)
    : client_(client), prefix_(std::move(prefix)), answer_ttl_seconds_(answer_ttl_seconds) {}

std::string RedisLedgerStore::RecordKey(const RecordRef& ref) const {
  return absl::StrCat(prefix_, "rec:", ref.institution_code, ":", ref.record_id);
}
std::string RedisLedgerStore::ReversalMarkKey(const RecordRef& ref) const {
  return absl::StrCat(prefix_, "rev:", ref.institution_code, ":", ref.record_id);
}
std::string RedisLedgerStore::IdsKey(const std::string& institution_code, int year) const {
  return absl::StrCat(prefix_, "ids:", institution_code, ":", year);
}
std::string RedisLedgerStore::CellsKey(const std::string& institution_code, int year) const {
  return absl::StrCat(prefix_, "agg:", institution_code, ":", year);
}
std::string RedisLedgerStore::PolicyKey(int year) const {
  return absl::StrCat(prefix_, "policy:", year);
}
std::string RedisLedgerStore::PolicyLogKey(int year) const {
  return absl::StrCat(prefix_, "policy-log:", year);
}
std::string RedisLedgerStore::AnswerKey(const std::string& request_key) const {
  return absl::StrCat(prefix_, "answer:", request_key);
}

absl::Status RedisLedgerStore::Ping() { return client_.Ping(); }

RedisLedgerStore::AppendCall RedisLedgerStore::BuildAppend(
    const std::vector<PreparedRecord>& records) const {
  // The script takes the records grouped by institution and year, with each
  // group's counter sums computed here as if every record were new.
  struct Group {
    std::vector<size_t> members;
    std::map<int64_t, int64_t> sums;
  };
  std::map<std::pair<std::string, int>, Group> groups;
  for (size_t i = 0; i < records.size(); ++i) {
    const PreparedRecord& r = records[i];
    Group& group = groups[{r.ref.institution_code, r.year}];
    group.members.push_back(i);
    for (int m = 0; m < kMetrics; ++m) {
      group.sums[CounterIndex(r.cell, m)] += MetricOf(r.amounts, m);
    }
  }
  // KEYS: every record key, group by group; then each group's id list and
  // aggregate, so group g's keys sit at n + 2g + 1 and n + 2g + 2.
  const size_t n = records.size();
  AppendCall call;
  std::vector<std::string>& command = call.command;
  std::vector<std::string> group_keys;
  std::vector<std::string> args;
  command.reserve(3 + n + 2 * groups.size());
  args.reserve(2 + 6 * groups.size() + 12 * n);
  call.order.reserve(n);
  command.push_back("EVALSHA");
  command.push_back(AppendRecordsScript().sha());
  command.push_back(std::to_string(n + 2 * groups.size()));
  args.push_back(std::to_string(n));
  args.push_back(std::to_string(groups.size()));
  size_t g = 0;
  for (const auto& [where, group] : groups) {
    const auto& [institution, year] = where;
    const size_t first = call.order.size() + 1;
    for (size_t i : group.members) {
      command.push_back(RecordKey(records[i].ref));
      call.order.push_back(i);
    }
    args.push_back(std::to_string(n + 2 * g + 1));
    args.push_back(std::to_string(n + 2 * g + 2));
    args.push_back(std::to_string(first));
    args.push_back(std::to_string(call.order.size()));
    args.push_back(std::to_string(RecordKey({institution, ""}).size()));
    const size_t count_at = args.size();
    args.emplace_back();
    size_t count = 0;
    for (const auto& [counter, sum] : group.sums) {
      if (sum == 0) continue;
      args.push_back("INCRBY");
      args.push_back("i64");
      args.push_back(absl::StrCat("#", counter));
      args.push_back(std::to_string(sum));
      ++count;
    }
    args[count_at] = std::to_string(count);
    group_keys.push_back(IdsKey(institution, year));
    group_keys.push_back(CellsKey(institution, year));
    ++g;
  }
  command.insert(command.end(), std::make_move_iterator(group_keys.begin()),
                 std::make_move_iterator(group_keys.end()));
  command.insert(command.end(), std::make_move_iterator(args.begin()),
                 std::make_move_iterator(args.end()));
  for (size_t i : call.order) {
    const PreparedRecord& r = records[i];
    command.push_back(absl::StrCat(r.fingerprint, r.record_bytes));
    command.push_back(absl::StrCat(CounterIndex(r.cell, 0), " ", r.amounts.person_times, " ",
                                   r.amounts.trainee_hours, " ", r.amounts.income_fen, " ",
                                   r.amounts.certificates));
  }
  return call;
}

absl::StatusOr<std::vector<AppendOutcome>> RedisLedgerStore::AppendRecords(
    const std::vector<PreparedRecord>& records) {
  auto outcomes = AppendBatches({records});
  if (!outcomes.ok()) return outcomes.status();
  return std::move(outcomes->front());
}

absl::StatusOr<std::vector<std::vector<AppendOutcome>>> RedisLedgerStore::AppendBatches(
    const std::vector<std::vector<PreparedRecord>>& batches) {
  std::vector<std::vector<AppendOutcome>> outcomes(batches.size());
  std::vector<std::vector<std::string>> commands;
  std::vector<std::vector<size_t>> orders;
  std::vector<size_t> sent;  // which batch each command answers
  for (size_t b = 0; b < batches.size(); ++b) {
    if (batches[b].empty()) continue;
    AppendCall call = BuildAppend(batches[b]);
    commands.push_back(std::move(call.command));
    orders.push_back(std::move(call.order));
    sent.push_back(b);
  }
  if (commands.empty()) return outcomes;
  absl::StatusOr<std::vector<redis::Reply>> replies;
  // A fresh Redis (or one restarted) does not know the script yet: load it,
  // then send the pipeline once more. Nothing of a call that got NOSCRIPT was
  // applied; calls before it that were are found unchanged the second time.
  for (int attempt = 0; attempt < 2; ++attempt) {
    replies = client_.Pipeline(commands);
    if (replies.ok() || !absl::StrContains(replies.status().message(), "NOSCRIPT")) break;
    auto loaded = client_.Command({"SCRIPT", "LOAD", AppendRecordsScript().source()});
    if (!loaded.ok()) return loaded.status();
  }
  if (!replies.ok()) return replies.status();
  for (size_t c = 0; c < commands.size(); ++c) {
    const std::string& letters = (*replies)[c].str;
    const std::vector<size_t>& order = orders[c];
    if (letters.size() != order.size()) {
      return absl::InternalError(
          "redis: the append script answered for the wrong number of records");
    }
    std::vector<AppendOutcome>& out = outcomes[sent[c]];
    out.resize(order.size());
    for (size_t p = 0; p < order.size(); ++p) {
      out[order[p]] = letters[p] == 'n'   ? AppendOutcome::kCreated
                      : letters[p] == 'u' ? AppendOutcome::kUnchanged
                                          : AppendOutcome::kConflict;
    }
  }
  return outcomes;
}

absl::StatusOr<ReversalResult> RedisLedgerStore::AppendReversal(const ReversalWrite& write) {
  const PreparedRecord& reversal = write.reversal;
  std::vector<std::string> keys = {RecordKey(write.original), RecordKey(reversal.ref),
                                   ReversalMarkKey(write.original),
                                   CellsKey(reversal.ref.institution_code, reversal.year),
                                   IdsKey(reversal.ref.institution_code, reversal.year)};
  std::vector<std::string> args = {absl::StrCat(reversal.fingerprint, reversal.record_bytes),
                                   write.original_fingerprint, reversal.ref.record_id};
  for (int m = 0; m < kMetrics; ++m) {
    if (MetricOf(reversal.amounts, m) == 0) continue;
    args.push_back(std::to_string(CounterIndex(reversal.cell, m)));
    args.push_back(std::to_string(-MetricOf(reversal.amounts, m)));
  }
  auto reply = client_.Eval(AppendReversalScript(), keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->type != redis::Reply::Type::kArray || reply->elements.empty()) {
    return absl::InternalError("redis: unexpected reply from the reversal script");
  }
  const std::string& outcome = reply->elements[0].str;
  ReversalResult result;
  using Outcome = ReversalResult::Outcome;
  if (outcome == "applied") {
    result.outcome = Outcome::kApplied;
  } else if (outcome == "replayed" && reply->elements.size() == 2) {
    auto earlier = DecodeRecord(reply->elements[1].str, reversal.ref);
    if (!earlier.ok()) return earlier.status();
    result.outcome = Outcome::kReplayed;
    result.earlier = std::move(earlier->record);
  } else if (outcome == "taken") {
    result.outcome = Outcome::kIdTaken;
  } else if (outcome == "missing") {
    result.outcome = Outcome::kOriginalMissing;
  } else if (outcome == "reversed" && reply->elements.size() == 2) {
    result.outcome = Outcome::kAlreadyReversed;
    result.reversed_by = reply->elements[1].str;
  } else if (outcome == "changed") {
    return absl::DataLossError(
        absl::StrCat("stored record ", RecordName(write.original), " changed under its id"));
  } else {
    return absl::InternalError(absl::StrCat("redis: the reversal script said ", outcome));
  }
  return result;
}

absl::StatusOr<std::vector<StoredRecord>> RedisLedgerStore::ReadRecords(
    const std::vector<RecordRef>& refs) {
  std::vector<StoredRecord> out;
  if (refs.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(refs.size() * 2);
  for (const RecordRef& ref : refs) {
    commands.push_back({"GET", RecordKey(ref)});
    commands.push_back({"GET", ReversalMarkKey(ref)});
  }
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < refs.size(); ++i) {
    const redis::Reply& value = (*replies)[2 * i];
    if (value.is_nil()) continue;
    auto stored = DecodeRecord(value.str, refs[i]);
    if (!stored.ok()) return stored.status();
    const redis::Reply& mark = (*replies)[2 * i + 1];
    if (!mark.is_nil()) {
      stored->record.set_reversed_by(RecordName({refs[i].institution_code, mark.str}));
    }
    out.push_back(*std::move(stored));
  }
  return out;
}

absl::StatusOr<std::optional<StoredRecord>> RedisLedgerStore::GetRecord(const RecordRef& ref) {
  auto read = ReadRecords({ref});
  if (!read.ok()) return read.status();
  if (read->empty()) return std::optional<StoredRecord>();
  return std::optional<StoredRecord>(std::move(read->front()));
}

absl::StatusOr<std::vector<StoredRecord>> RedisLedgerStore::ListRecords(
    const std::string& institution_code, int year, int offset, int limit, int* total) {
  const std::string key = IdsKey(institution_code, year);
  auto replies = client_.Pipeline(
      {{"LLEN", key}, {"LRANGE", key, std::to_string(offset), std::to_string(offset + limit - 1)}});
  if (!replies.ok()) return replies.status();
  *total = static_cast<int>((*replies)[0].integer);
  std::vector<RecordRef> refs;
  for (const auto& id : (*replies)[1].elements) refs.push_back({institution_code, id.str});
  return ReadRecords(refs);
}

absl::StatusOr<std::vector<YearCells>> RedisLedgerStore::GetYearCells(
    const std::vector<std::string>& institution_codes, int year) {
  std::vector<YearCells> out(institution_codes.size());
  if (institution_codes.empty()) return out;
  std::vector<std::vector<std::string>> commands;
  for (const auto& code : institution_codes) commands.push_back({"GET", CellsKey(code, year)});
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < institution_codes.size(); ++i) {
    const std::string& counters = (*replies)[i].str;
    if (counters.size() % 8 != 0 || counters.size() > kCounters * 8) {
      return absl::DataLossError(absl::StrCat("aggregate ", CellsKey(institution_codes[i], year),
                                              " is not a counter array"));
    }
    // BITFIELD i64 #k: bytes 8k … 8k+7, big-endian two's complement.
    for (size_t k = 0; k < counters.size() / 8; ++k) {
      uint64_t bits = 0;
      for (size_t b = 0; b < 8; ++b) bits = bits << 8 | static_cast<uint8_t>(counters[8 * k + b]);
      if (bits == 0) continue;
      *MetricOf(out[i][CellOfCounter(k)], MetricOfCounter(k)) = static_cast<int64_t>(bits);
    }
  }
  return out;
}

absl::StatusOr<std::optional<StoredPolicy>> RedisLedgerStore::GetPolicy(int year) {
  auto got = redis::GetVersioned(client_, PolicyKey(year));
  if (!got.ok()) return got.status();
  if (!got->has_value()) return std::optional<StoredPolicy>();
  StoredPolicy stored;
  if (!stored.policy.ParseFromString((*got)->data)) {
    return absl::DataLossError(absl::StrCat("stored policy of ", year, " does not parse"));
  }
  stored.version = (*got)->version;
  stored.policy.set_etag(std::to_string(stored.version));
  return std::optional<StoredPolicy>(std::move(stored));
}

absl::StatusOr<std::vector<v1::AccountingPolicy>> RedisLedgerStore::ListPolicyVersions(int year,
                                                                                       int offset,
                                                                                       int limit,
                                                                                       int* total) {
  const std::string key = PolicyLogKey(year);
  auto replies = client_.Pipeline(
      {{"LLEN", key}, {"LRANGE", key, std::to_string(offset), std::to_string(offset + limit - 1)}});
  if (!replies.ok()) return replies.status();
  *total = static_cast<int>((*replies)[0].integer);
  std::vector<v1::AccountingPolicy> versions;
  for (const auto& bytes : (*replies)[1].elements) {
    v1::AccountingPolicy policy;
    if (!policy.ParseFromString(bytes.str)) {
      return absl::DataLossError(
          absl::StrCat("a stored policy version of ", year, " does not parse"));
    }
    versions.push_back(std::move(policy));
  }
  return versions;
}

absl::StatusOr<std::optional<std::string>> RedisLedgerStore::FindAnswer(
    const std::string& request_key, const std::string& fingerprint) {
  return redis::LookupIdempotent(client_, AnswerKey(request_key), fingerprint);
}

absl::StatusOr<PolicyWriteOutcome> RedisLedgerStore::WritePolicy(const PolicyWrite& write) {
  redis::AtomicWrite w;
  w.RecordIdempotent(AnswerKey(write.answer.request_key), write.answer.fingerprint,
                     write.answer.response, answer_ttl_seconds_);
  const std::string key = PolicyKey(write.year);
  w.ExpectVersion(key, write.expected_version,
                  absl::StrCat("the accounting policy of ", write.year));
  if (write.policy.has_value()) {
    v1::AccountingPolicy stored = *write.policy;
    stored.clear_etag();  // the version, not the bytes, carries it
    std::string bytes = stored.SerializeAsString();
    w.PutVersioned(key, write.expected_version + 1, bytes);
    w.ListAppend(PolicyLogKey(write.year), std::move(bytes));
  }
  auto committed = redis::Commit(client_, w);
  if (!committed.ok()) return committed.status();
  return PolicyWriteOutcome{committed->replayed, committed->response};
}

}  // namespace vetrack::ledger
