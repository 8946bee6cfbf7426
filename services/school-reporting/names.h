#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_NAMES_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Resource names of school reporting (AIP-122): institutions/{code}, below it
// dataReports/{ay…} and qualityReports/{cy…}; periods/{id}; spotChecks/{id};
// catalogMajors/{code}.
namespace vetrack::schools {

enum class ReportKind { kData, kQuality };

// One institution's report for one period.
struct ReportRef {
  ReportKind kind = ReportKind::kData;
  std::string institution_code;
  std::string period_id;
};

// The collections an import changes, as the histories of imports name them.
inline constexpr char kInstitutionsCollection[] = "institutions";
inline constexpr char kCatalogMajorsCollection[] = "catalogMajors";
// INVALID_ARGUMENT on `field` unless `resource` has a reference history:
// either collection above, or periods/{period_id}.
absl::Status CheckReferenceResource(const std::string& resource, const std::string& field);

std::string InstitutionName(const std::string& code);
// The code in institutions/{code}; INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<std::string> ParseInstitutionName(const std::string& name, const std::string& field);

std::string ReportName(const ReportRef& ref);
// INVALID_ARGUMENT on `field` unless `name` names a report of `kind` for a
// period of the matching kind (ay… for data, cy… for quality).
absl::StatusOr<ReportRef> ParseReportName(const std::string& name, ReportKind kind,
                                          const std::string& field);
// Either kind of report.
absl::StatusOr<ReportRef> ParseAnyReportName(const std::string& name, const std::string& field);

std::string PeriodName(const std::string& period_id);
absl::StatusOr<std::string> ParsePeriodName(const std::string& name, const std::string& field);

std::string SpotCheckName(const std::string& id);
absl::StatusOr<std::string> ParseSpotCheckName(const std::string& name, const std::string& field);

std::string CatalogMajorName(const std::string& code);
// The code in catalogMajors/{code} (six digits); INVALID_ARGUMENT on `field` otherwise.
absl::StatusOr<std::string> ParseCatalogMajorName(const std::string& name,
                                                  const std::string& field);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_NAMES_H_
