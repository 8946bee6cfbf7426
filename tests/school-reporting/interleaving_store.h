#ifndef VETRACK_TESTS_SCHOOL_REPORTING_INTERLEAVING_STORE_H_
#define VETRACK_TESTS_SCHOOL_REPORTING_INTERLEAVING_STORE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "school_store.h"

namespace vetrack::schools {

// The Redis store, with a change made by someone else right after the domain
// reads the institutions, a quality revision or whether a figure was counted:
// it lands between that read and the write the domain builds on it. Each hook
// runs once.
class InterleavingStore : public SchoolStore {
 public:
  explicit InterleavingStore(SchoolStore& inner) : inner_(inner) {}
  std::function<void()> after_institutions_read;
  std::function<void()> after_revision_read;
  std::function<void()> after_counted_read;

  absl::Status Ping() override { return inner_.Ping(); }
  absl::StatusOr<std::vector<Stored<v1::Institution>>> ListInstitutions() override {
    auto read = inner_.ListInstitutions();
    RunOnce(after_institutions_read);
    return read;
  }
  absl::StatusOr<int64_t> GetInstitutionRegisterVersion() override {
    return inner_.GetInstitutionRegisterVersion();
  }
  absl::StatusOr<std::optional<Stored<v1::Institution>>> GetInstitution(
      const std::string& code) override {
    return inner_.GetInstitution(code);
  }
  absl::StatusOr<std::vector<Stored<v1::CatalogMajor>>> ListCatalogMajors() override {
    return inner_.ListCatalogMajors();
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::CatalogMajor>>>> GetCatalogMajors(
      const std::vector<std::string>& codes) override {
    return inner_.GetCatalogMajors(codes);
  }
  absl::StatusOr<std::optional<Stored<ReferenceMark>>> GetReferenceMark(
      ReferencePart part) override {
    return inner_.GetReferenceMark(part);
  }
  absl::StatusOr<std::optional<Stored<v1::Period>>> GetPeriod(
      const std::string& period_id) override {
    return inner_.GetPeriod(period_id);
  }
  absl::StatusOr<std::optional<Stored<v1::DataReport>>> GetDataReport(
      const ReportRef& ref) override {
    return inner_.GetDataReport(ref);
  }
  absl::StatusOr<std::optional<Stored<v1::QualityReport>>> GetQualityReport(
      const ReportRef& ref) override {
    return inner_.GetQualityReport(ref);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataReports(
      const std::vector<std::string>& codes, const std::string& period_id) override {
    return inner_.GetDataReports(codes, period_id);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityReports(
      const std::vector<std::string>& codes, const std::string& period_id) override {
    return inner_.GetQualityReports(codes, period_id);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) override {
    return inner_.GetDataRevisions(ref, revisions);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::DataReport>>>> GetDataRevisionsOf(
      const std::vector<std::pair<ReportRef, int>>& revisions) override {
    return inner_.GetDataRevisionsOf(revisions);
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::QualityReport>>>> GetQualityRevisions(
      const ReportRef& ref, const std::vector<int>& revisions) override {
    auto read = inner_.GetQualityRevisions(ref, revisions);
    RunOnce(after_revision_read);
    return read;
  }
  absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListHistory(const ReportRef& ref, int offset,
                                                                  int limit, int* total) override {
    return inner_.ListHistory(ref, offset, limit, total);
  }
  absl::StatusOr<std::vector<v1::ReportHistoryEntry>> ListReferenceHistory(
      const std::string& resource, int offset, int limit, int* total) override {
    return inner_.ListReferenceHistory(resource, offset, limit, total);
  }
  absl::StatusOr<std::vector<std::string>> ListSpotCheckIds() override {
    return inner_.ListSpotCheckIds();
  }
  absl::StatusOr<std::vector<std::optional<Stored<v1::SpotCheck>>>> GetSpotChecks(
      const std::vector<std::string>& ids) override {
    return inner_.GetSpotChecks(ids);
  }
  absl::StatusOr<std::vector<CredibilityCount>> GetCredibility(
      const std::vector<std::string>& codes) override {
    return inner_.GetCredibility(codes);
  }
  absl::StatusOr<std::vector<std::optional<Stored<FigureCount>>>> GetFigureCounts(
      const std::vector<CountedFigure>& figures) override {
    auto read = inner_.GetFigureCounts(figures);
    RunOnce(after_counted_read);
    return read;
  }
  absl::StatusOr<std::optional<std::string>> FindAnswer(const std::string& request_key,
                                                        const std::string& fingerprint) override {
    return inner_.FindAnswer(request_key, fingerprint);
  }
  absl::StatusOr<WriteOutcome> Write(const SchoolWrite& write) override {
    return inner_.Write(write);
  }

 private:
  static void RunOnce(std::function<void()>& hook) {
    if (!hook) return;
    auto run = std::move(hook);
    hook = nullptr;
    run();
  }

  SchoolStore& inner_;
};

}  // namespace vetrack::schools

#endif  // VETRACK_TESTS_SCHOOL_REPORTING_INTERLEAVING_STORE_H_
