#ifndef VETRACK_SERVICES_TRAINING_LEDGER_TRAINING_LEDGER_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_TRAINING_LEDGER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "accounting.h"
#include "auth/principal.h"
#include "clock/clock.h"
#include "ledger_store.h"
#include "school_sources.h"
#include "vetrack/ledger/v1/ledger.pb.h"

namespace vetrack::ledger {

struct LedgerOptions {
  // Records per append script call during an import.
  int import_batch_size = 500;
  // Writers of an import, each appending the institutions hashed to it.
  // Redis runs one script at a time, but scripts that arrive together share
  // one fsync.
  int import_writers = 4;
  // Full batches a writer may have waiting before the stream is slowed down;
  // it sends them in one pipelined round trip.
  int import_queue_depth = 4;
  // Rejected rows reported in an import's response.
  int max_import_errors = 1000;
  // The plan's first year, as school reporting and the evaluation take it:
  // training dated before it is not the plan's (a slipped "2016" for "2026"
  // would go unnoticed in a year nobody reads), and no statement of an
  // earlier year is computed or published.
  int first_year = 2021;
};
// At most this many records per append script: when a batch holds records
// already stored, the script corrects its sums as doubles, exact only to 2^53
// fen; this many records of the largest income stay well within it.
inline constexpr int kMaxImportBatch = 10000;
// INVALID_ARGUMENT naming the flag of an option out of its range.
absl::Status CheckLedgerOptions(const LedgerOptions& options);

// The training ledger's domain: append-only records and reversals, bulk
// import, the yearly accounting policy and the statements. It knows nothing
// of gRPC: requests come already validated for shape (validation.h), and
// errors are absl::Status with field details.
class TrainingLedger {
 public:
  TrainingLedger(LedgerStore& store, InstitutionDirectory& directory, EnrolmentSource& enrolment,
                 const Clock& clock, LedgerOptions options = {});

  // Records (ledger_records.cc). Creating is idempotent by the record's id.
  absl::StatusOr<v1::TrainingRecord> CreateTrainingRecord(
      const Principal& caller, const v1::CreateTrainingRecordRequest& req);
  absl::StatusOr<v1::TrainingRecord> ReverseTrainingRecord(
      const Principal& caller, const v1::ReverseTrainingRecordRequest& req);
  absl::StatusOr<v1::TrainingRecord> GetTrainingRecord(const Principal& caller,
                                                       const v1::GetTrainingRecordRequest& req);
  absl::StatusOr<v1::ListTrainingRecordsResponse> ListTrainingRecords(
      const Principal& caller, const v1::ListTrainingRecordsRequest& req);

  // Bulk import (ledger_import.cc). `next` fills in the stream's next
  // message and returns false at its end.
  using ImportReader = std::function<bool(v1::ImportTrainingRecordsRequest*)>;
  absl::StatusOr<v1::ImportTrainingRecordsResponse> ImportTrainingRecords(const Principal& caller,
                                                                          const ImportReader& next);

  // Accounting (ledger_accounting.cc).
  absl::StatusOr<v1::AccountingPolicy> SetAccountingPolicy(
      const Principal& caller, const v1::SetAccountingPolicyRequest& req);
  absl::StatusOr<v1::AccountingPolicy> GetAccountingPolicy(
      const Principal& caller, const v1::GetAccountingPolicyRequest& req);
  absl::StatusOr<v1::ListAccountingPolicyVersionsResponse> ListAccountingPolicyVersions(
      const Principal& caller, const v1::ListAccountingPolicyVersionsRequest& req);
  absl::StatusOr<v1::TrainingStatement> GetTrainingStatement(
      const Principal& caller, const v1::GetTrainingStatementRequest& req);
  absl::StatusOr<v1::DistrictTrainingStatement> GetDistrictTrainingStatement(
      const Principal& caller, const v1::GetDistrictTrainingStatementRequest& req);

  // Publication (ledger_publish.cc): idempotent by request_id.
  absl::StatusOr<v1::PublishTrainingStatementResponse> PublishTrainingStatement(
      const Principal& caller, const v1::PublishTrainingStatementRequest& req);
  absl::StatusOr<v1::PublishedTrainingStatement> GetPublishedTrainingStatement(
      const Principal& caller, const v1::GetPublishedTrainingStatementRequest& req);

 private:
  // Institution codes already looked up during one import.
  using KnownCodes = std::map<std::string, bool>;
  // What records appended together share, worked out once.
  struct AppendContext {
    // recorded_by and record_time, serialized: appended to each record's bytes.
    std::string server_fields;
    absl::CivilDay today;
  };
  AppendContext ContextFor(const Principal& caller) const;

  // A record that passed every check (shape, permission, known institution,
  // date not in the future), ready to append. Field names under `prefix`.
  absl::StatusOr<PreparedRecord> Prepare(const Principal& caller, const v1::TrainingRecord& record,
                                         const std::string& prefix, const AppendContext& context,
                                         KnownCodes* known);
  // NOT_FOUND on `field` unless school reporting knows the institution.
  absl::Status CheckInstitution(const Principal& caller, const std::string& code,
                                const std::string& field, KnownCodes* known);

  absl::StatusOr<std::optional<v1::AccountingPolicy>> PolicyOf(int year);
  // The district statement of `year` over these institutions, as computed now,
  // but for those counted only from a later year that have no records in it
  // (InstitutionDirectory::FirstYears); with `with_enrolment` false (the
  // basic view) school reporting is not asked.
  absl::StatusOr<v1::DistrictTrainingStatement> DistrictStatementOf(
      const Principal& caller, const std::vector<std::string>& all_codes, int year,
      bool with_enrolment = true);
  // Entry i is codes[i]'s: calendar year Y uses ay{Y} when accepted, else
  // ay{Y-1}. Each year is asked for every institution at once. One counted
  // only from a later year is not asked, and not judged (UNSPECIFIED).
  absl::StatusOr<std::vector<EnrolmentFigure>> ResolveEnrolments(
      const Principal& caller, const std::vector<std::string>& codes, int year);

  LedgerStore& store_;
  InstitutionDirectory& directory_;
  EnrolmentSource& enrolment_;
  const Clock& clock_;
  // INVALID_ARGUMENT on `field` for a year before options_.first_year.
  absl::Status CheckPlanYear(const std::string& field, int year) const;

  LedgerOptions options_;
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_TRAINING_LEDGER_H_
