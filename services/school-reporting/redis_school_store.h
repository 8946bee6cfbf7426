#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_REDIS_SCHOOL_STORE_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_REDIS_SCHOOL_STORE_H_

#include <string>

#include "redis/redis_client.h"
#include "school_store.h"

namespace vetrack::schools {

// SchoolStore on Redis. Keys (prefix "vt:sr:" by default):
//   inst:{code}  insts (set of codes)  period:{id}           reference data
//   instreg (versioned, no data): advanced by every write of institutions
//   major:{code}  majors (set of codes)                     the major catalog
//   data:{code}:{period}  datarev:{code}:{period}:{n}       data reports, revisions
//   quality:{code}:{period}  qualityrev:{code}:{period}:{n} quality reports, revisions
//   history:{data|quality}:{code}:{period} (list)
//   spotcheck:{id}  spotchecks (sorted set by draw time)  cred:{code} (hash of tallies)
//   counted:{code}:{period}:{revision}:{item}  a figure a tally has counted:
//     the outcome's name, "withdrawn" once its revision was returned, or ""
//     (counted before outcomes were kept)
//   refhistory:{institutions|catalogMajors|periods/{id}} (list)
//   answer:{request_key} (idempotency, with TTL)
// Entities are hashes {v: version, d: serialized proto}; every Write is one
// atomic script (redis/atomic_write.h).
class RedisSchoolStore : public SchoolStore {
 public:
  RedisSchoolStore(redis::Client& client,
                   std::string prefix = "vt:sr:", int64_t answer_ttl_seconds = 30 * 24 * 3600);

  absl::Status Ping() override;
  absl::StatusOr<std::vector<Stored<v1::Institution>>> ListInstitutions() override;
  absl::StatusOr<int64_t> GetInstitutionRegisterVersion() override;
  absl::StatusOr<std::optional<Stored<v1::Institution>>> GetInstitution(
      const std::string& code) override;
  absl::StatusOr<std::vector<Stored<v1::CatalogMajor>>> ListCatalogMajors() override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::CatalogMajor>>>> GetCatalogMajors(
      const std::vector<std::string>& codes) override;
  absl::StatusOr<std::optional<Stored<ReferenceMark>>> GetReferenceMark(
      ReferencePart part) override;
  absl::StatusOr<std::optional<Stored<v1::Period>>> GetPeriod(
      const std::string& period_id) override;
  absl::StatusOr<std::optional<Stored<v1::DataReport>>> GetDataReport(
      const ReportRef& ref) override;
  absl::StatusOr<std::optional<Stored<v1::QualityReport>>> GetQualityReport(
      const ReportRef& ref) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataReports(
      const std::vector<std::string>& institution_codes, const std::string& period_id) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityReports(
      const std::vector<std::string>& institution_codes, const std::string& period_id) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisionsOf(
      const std::vector<std::pair<ReportRef, int>>& revisions) override;
  absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListHistory(const ReportRef& ref, int offset,
                                                                  int limit, int* total) override;
  absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListReferenceHistory(
      const std::string& resource, int offset, int limit, int* total) override;
  absl::StatusOr<std::vector<std::string>> ListSpotCheckIds() override;
  absl::StatusOr<std::vector<std::optional<Stored<v1::SpotCheck>>>> GetSpotChecks(
      const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<CredibilityCount>> GetCredibility(
      const std::vector<std::string>& institution_codes) override;
  absl::StatusOr<std::vector<std::optional<Stored<FigureCount>>>> GetFigureCounts(
      const std::vector<CountedFigure>& figures) override;
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override;
  absl::StatusOr<WriteOutcome> Write(const SchoolWrite& write) override;

 private:
  std::string InstitutionKey(const std::string& code) const;
  std::string CatalogMajorKey(const std::string& code) const;
  std::string PeriodKey(const std::string& period_id) const;
  // The current report (revision 0) or one of its revisions.
  std::string ReportKey(const ReportRef& ref, int revision = 0) const;
  std::string HistoryKey(const ReportRef& ref) const;
  std::string ReferenceHistoryKey(const std::string& resource) const;
  std::string SpotCheckKey(const std::string& id) const;
  std::string CredibilityKey(const std::string& code) const;
  std::string CountedFigureKey(const CountedFigure& figure) const;
  std::string AnswerKey(const std::string& request_key) const;
  std::string ReferenceMarkKey(ReferencePart part) const;

  absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListHistoryAt(const std::string& key,
                                                                    int offset, int limit,
                                                                    int* total);
  template <typename T>
  absl::StatusOr<std::vector<std::optional<Stored<T>>>> GetMany(
      const std::vector<std::string>& keys);

  redis::Client& client_;
  std::string prefix_;
  int64_t answer_ttl_seconds_;
};

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_REDIS_SCHOOL_STORE_H_
