#include "ledger_commands.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clock/clock.h"
#include "ledger_client.h"
#include "ledger_csv.h"
#include "ledger_views.h"
#include "output.h"
#include "reference_files.h"

namespace vetrack::vetctl {
namespace {

// Rows per stream message: well under the service's 1000.
constexpr int kRowsPerMessage = 500;
constexpr int kProgressBarWidth = 30;

// --institution, or the caller's own when a school calls.
absl::StatusOr<std::string> InstitutionOf(const CommandContext& context) {
  std::string code = OptionValue(context.line, "institution");
  if (!code.empty()) return code;
  if (context.global.role == "school") return context.global.unit;
  return UsageError("--institution CODE is required (a school caller may leave it out)");
}

absl::StatusOr<int64_t> IntegerOption(const CommandContext& context, const std::string& name,
                                      bool required, int64_t fallback = 0) {
  const std::string text = OptionValue(context.line, name);
  if (text.empty()) {
    if (required) return UsageError(absl::StrCat("--", name, " is required"));
    return fallback;
  }
  int64_t value;
  if (!absl::SimpleAtoi(text, &value)) {
    return UsageError(absl::StrCat("--", name, " ", text, ": expected a whole number"));
  }
  return value;
}

// --year, by default this year in the district.
absl::StatusOr<int> YearOf(const CommandContext& context) {
  const int64_t this_year = absl::ToCivilYear(absl::Now(), DistrictTimeZone()).year();
  absl::StatusOr<int64_t> year = IntegerOption(context, "year", false, this_year);
  if (!year.ok()) return year.status();
  return static_cast<int>(*year);
}

std::string RecordNameOf(const std::string& institution, const std::string& id) {
  return absl::StrCat("institutions/", institution, "/trainingRecords/", id);
}

// A bar redrawn in place while stderr is a terminal; a final line otherwise.
// It counts the rows sent: those vetctl could not read are not (found in use:
// "6/6 rows" beside "12 read" looked like rows lost).
class ProgressBar {
 public:
  ProgressBar(std::string label, size_t total)
      : label_(std::move(label)), total_(total), interactive_(isatty(STDERR_FILENO) != 0) {}

  void Update(size_t done) {
    if (!interactive_) return;
    auto now = std::chrono::steady_clock::now();
    if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    Draw(done);
  }

  void Finish(size_t done) {
    Draw(done);
    std::cerr << "\n";
  }

 private:
  void Draw(size_t done) {
    const size_t percent = total_ == 0 ? 100 : done * 100 / total_;
    const int filled = static_cast<int>(percent * kProgressBarWidth / 100);
    std::cerr << (interactive_ ? "\r" : "") << label_ << " [" << std::string(filled, '#')
              << std::string(kProgressBarWidth - filled, '.') << "] " << percent << "% " << done
              << "/" << total_ << " rows sent" << std::flush;
  }

  std::string label_;
  size_t total_;
  bool interactive_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// The file's account: the service's counts with the rows vetctl could not read.
void MergeUnreadRows(std::vector<ledger_v1::RowError> unread,
                     ledger_v1::ImportTrainingRecordsResponse* response) {
  response->set_rows_received(response->rows_received() + static_cast<int64_t>(unread.size()));
  response->set_rows_rejected(response->rows_rejected() + static_cast<int64_t>(unread.size()));
  for (auto& error : *response->mutable_errors()) unread.push_back(std::move(error));
  std::stable_sort(unread.begin(), unread.end(),
                   [](const auto& a, const auto& b) { return a.line() < b.line(); });
  response->clear_errors();
  for (auto& error : unread) *response->add_errors() = std::move(error);
}

absl::Status ShowRecord(const CommandContext& context,
                        const absl::StatusOr<ledger_v1::TrainingRecord>& record) {
  if (!record.ok()) return record.status();
  if (context.global.json) return PrintJson(std::cout, *record);
  PrintTrainingRecord(std::cout, *record);
  return absl::OkStatus();
}

absl::Status ShowPolicy(const CommandContext& context,
                        const absl::StatusOr<ledger_v1::AccountingPolicy>& policy) {
  if (!policy.ok()) return policy.status();
  if (context.global.json) return PrintJson(std::cout, *policy);
  PrintPolicy(std::cout, *policy);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunTrainingImport(const CommandContext& context) {
  const std::string& path = context.args.front();
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<TrainingCsv> csv = ParseTrainingCsv(*text);
  if (!csv.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", csv.status().message()));

  LedgerClient client(context.global);
  ProgressBar bar(absl::StrCat("importing ", path), csv->rows.size());
  size_t sent = 0;
  absl::StatusOr<ledger_v1::ImportTrainingRecordsResponse> response =
      client.Import(csv->rows, kRowsPerMessage, [&](size_t done) {
        sent = done;
        bar.Update(done);
      });
  bar.Finish(sent);
  if (!response.ok()) return response.status();
  MergeUnreadRows(std::move(csv->errors), &*response);
  if (context.global.json) {
    if (absl::Status printed = PrintJson(std::cout, *response); !printed.ok()) return printed;
  } else {
    PrintImportResult(std::cout, *response);
  }
  if (response->rows_rejected() > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(response->rows_rejected(),
                     " row(s) rejected; the other rows are recorded. Correct the "
                     "rejected rows and import the file again: recorded rows are not added twice"));
  }
  return absl::OkStatus();
}

absl::Status RunTrainingRecord(const CommandContext& context) {
  ledger_v1::CreateTrainingRecordRequest request;
  ledger_v1::TrainingRecord* r = request.mutable_training_record();
  absl::StatusOr<std::string> institution = InstitutionOf(context);
  if (!institution.ok()) return institution.status();
  r->set_institution_code(*institution);
  for (const char* name : {"id", "date", "programme", "group", "trainees", "hours"}) {
    if (OptionValue(context.line, name).empty()) {
      return UsageError(absl::StrCat("--", name, " is required"));
    }
  }
  r->set_record_id(OptionValue(context.line, "id"));
  r->set_date(OptionValue(context.line, "date"));
  auto programme = ParseProgramme(OptionValue(context.line, "programme"));
  if (!programme.ok())
    return UsageError(absl::StrCat("--programme ", programme.status().message()));
  r->set_programme(*programme);
  auto group = ParseTargetGroup(OptionValue(context.line, "group"));
  if (!group.ok()) return UsageError(absl::StrCat("--group ", group.status().message()));
  r->set_target_group(*group);
  r->set_subsidised(HasSwitch(context.line, "subsidised"));
  absl::StatusOr<int64_t> trainees = IntegerOption(context, "trainees", true);
  absl::StatusOr<int64_t> hours = IntegerOption(context, "hours", true);
  absl::StatusOr<int64_t> income = IntegerOption(context, "income-fen", false);
  absl::StatusOr<int64_t> certificates = IntegerOption(context, "certificates", false);
  for (const auto* value : {&trainees, &hours, &income, &certificates}) {
    if (!value->ok()) return value->status();
  }
  r->set_trainees(*trainees);
  r->set_hours_per_trainee(static_cast<int32_t>(std::clamp<int64_t>(*hours, INT32_MIN, INT32_MAX)));
  r->set_income_fen(*income);
  r->set_certificates(*certificates);
  r->set_description(OptionValue(context.line, "description"));
  LedgerClient client(context.global);
  return ShowRecord(context, client.CreateRecord(request));
}

absl::Status RunTrainingReverse(const CommandContext& context) {
  absl::StatusOr<std::string> institution = InstitutionOf(context);
  if (!institution.ok()) return institution.status();
  absl::StatusOr<std::string> reason = RequiredOption(context.line, "reason");
  if (!reason.ok()) return reason.status();
  const std::string& id = context.args.front();
  ledger_v1::ReverseTrainingRecordRequest request;
  request.set_name(RecordNameOf(*institution, id));
  // A fixed default id makes the command safe to repeat: a record is
  // reversed at most once anyway.
  std::string reversal_id = OptionValue(context.line, "reversal-id");
  request.set_reversal_id(reversal_id.empty() ? id + "-rev" : reversal_id);
  request.set_reason(*reason);
  LedgerClient client(context.global);
  return ShowRecord(context, client.ReverseRecord(request));
}

absl::Status RunTrainingShow(const CommandContext& context) {
  absl::StatusOr<std::string> institution = InstitutionOf(context);
  if (!institution.ok()) return institution.status();
  ledger_v1::GetTrainingRecordRequest request;
  request.set_name(RecordNameOf(*institution, context.args.front()));
  LedgerClient client(context.global);
  return ShowRecord(context, client.GetRecord(request));
}

absl::Status RunTrainingList(const CommandContext& context) {
  absl::StatusOr<std::string> institution = InstitutionOf(context);
  if (!institution.ok()) return institution.status();
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  ledger_v1::ListTrainingRecordsRequest request;
  request.set_parent(absl::StrCat("institutions/", *institution));
  request.set_year(*year);
  LedgerClient client(context.global);
  auto list = client.ListAllRecords(request);
  if (!list.ok()) return list.status();
  if (context.global.json) return PrintJson(std::cout, *list);
  PrintTrainingRecords(std::cout, *list);
  return absl::OkStatus();
}

absl::Status RunTrainingStatement(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  LedgerClient client(context.global);
  std::string institution = OptionValue(context.line, "institution");
  if (institution.empty() && context.global.role == "school") institution = context.global.unit;
  if (institution.empty()) {
    ledger_v1::GetDistrictTrainingStatementRequest request;
    request.set_year(*year);
    auto district = client.GetDistrictStatement(request);
    if (!district.ok()) return district.status();
    if (context.global.json) return PrintJson(std::cout, *district);
    PrintDistrictStatement(std::cout, *district);
    return absl::OkStatus();
  }
  ledger_v1::GetTrainingStatementRequest request;
  request.set_institution_code(institution);
  request.set_year(*year);
  auto statement = client.GetStatement(request);
  if (!statement.ok()) return statement.status();
  if (context.global.json) return PrintJson(std::cout, *statement);
  PrintStatement(std::cout, *statement);
  return absl::OkStatus();
}

absl::Status RunTrainingPublish(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  ledger_v1::PublishTrainingStatementRequest request;
  request.set_name(absl::StrCat("trainingStatements/", *year));
  request.set_request_id(context.global.request_id);
  LedgerClient client(context.global);
  auto published = client.PublishStatement(request);
  if (!published.ok()) return published.status();
  if (context.global.json) return PrintJson(std::cout, *published);
  if (published->unchanged()) {
    std::cout << "Nothing changed since revision " << published->published().revision()
              << ": nothing was published.\n\n";
  }
  PrintPublishedStatement(std::cout, published->published());
  return absl::OkStatus();
}

absl::Status RunTrainingPublished(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  absl::StatusOr<int64_t> revision = IntegerOption(context, "revision", false);
  if (!revision.ok()) return revision.status();
  ledger_v1::GetPublishedTrainingStatementRequest request;
  request.set_name(absl::StrCat("trainingStatements/", *year));
  request.set_revision(static_cast<int32_t>(std::clamp<int64_t>(*revision, -1, INT32_MAX)));
  LedgerClient client(context.global);
  auto published = client.GetPublishedStatement(request);
  if (!published.ok()) return published.status();
  if (context.global.json) return PrintJson(std::cout, *published);
  PrintPublishedStatement(std::cout, *published);
  return absl::OkStatus();
}

absl::Status RunTrainingPolicyShow(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  ledger_v1::GetAccountingPolicyRequest request;
  request.set_year(*year);
  LedgerClient client(context.global);
  return ShowPolicy(context, client.GetPolicy(request));
}

absl::Status RunTrainingPolicySet(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  ledger_v1::SetAccountingPolicyRequest request;
  auto* policy = request.mutable_policy();
  policy->set_year(*year);
  for (const char* name : {"uplift", "public-share", "fte-per-hour"}) {
    if (OptionValue(context.line, name).empty()) {
      return UsageError(absl::StrCat("--", name, " is required"));
    }
  }
  policy->set_performance_pay_uplift_rate(OptionValue(context.line, "uplift"));
  policy->set_public_funds_share(OptionValue(context.line, "public-share"));
  policy->set_fte_per_training_hour(OptionValue(context.line, "fte-per-hour"));
  policy->set_note(OptionValue(context.line, "note"));
  policy->set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  LedgerClient client(context.global);
  return ShowPolicy(context, client.SetPolicy(request));
}

absl::Status RunTrainingPolicyHistory(const CommandContext& context) {
  absl::StatusOr<int> year = YearOf(context);
  if (!year.ok()) return year.status();
  ledger_v1::ListAccountingPolicyVersionsRequest request;
  request.set_year(*year);
  LedgerClient client(context.global);
  auto versions = client.ListAllPolicyVersions(request);
  if (!versions.ok()) return versions.status();
  if (context.global.json) return PrintJson(std::cout, *versions);
  PrintPolicyVersions(std::cout, *versions);
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
