#include "names.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "periods.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::schools {
namespace {

constexpr char kDataCollection[] = "dataReports";
constexpr char kQualityCollection[] = "qualityReports";

std::string Quoted(const std::string& text) { return absl::StrCat("'", text.substr(0, 128), "'"); }

absl::StatusOr<ReportRef> ParseReport(const std::string& name, const std::string& field,
                                      const ReportKind* wanted) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  const std::string expected =
      wanted == nullptr ? "institutions/{code}/dataReports/{ay…} or …/qualityReports/{cy…}"
      : *wanted == ReportKind::kData ? "institutions/{code}/dataReports/{period_id}"
                                     : "institutions/{code}/qualityReports/{period_id}";
  if (parts.size() != 4 || parts[0] != "institutions" || !IsValidResourceId(parts[1]) ||
      (parts[2] != kDataCollection && parts[2] != kQualityCollection)) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not ", expected));
  }
  ReportRef ref;
  ref.kind = parts[2] == kDataCollection ? ReportKind::kData : ReportKind::kQuality;
  if (wanted != nullptr && ref.kind != *wanted) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not ", expected));
  }
  ref.institution_code = std::string(parts[1]);
  ref.period_id = std::string(parts[3]);
  auto period = ParsePeriodId(ref.period_id, field);
  if (!period.ok()) return period.status();
  if (period->kind != ReportPeriodKind(ref.kind)) {
    return InvalidField(field, ref.kind == ReportKind::kData
                                   ? "data reports are per academic year, e.g. ay2025"
                                   : "quality reports are per calendar year, e.g. cy2025");
  }
  return ref;
}

}  // namespace

std::string InstitutionName(const std::string& code) { return absl::StrCat("institutions/", code); }

absl::StatusOr<std::string> ParseInstitutionName(const std::string& name,
                                                 const std::string& field) {
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "institutions/") || !IsValidResourceId(code)) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not institutions/{code}"));
  }
  return std::string(code);
}

std::string ReportName(const ReportRef& ref) {
  return absl::StrCat("institutions/", ref.institution_code, "/",
                      ref.kind == ReportKind::kData ? kDataCollection : kQualityCollection, "/",
                      ref.period_id);
}

absl::StatusOr<ReportRef> ParseReportName(const std::string& name, ReportKind kind,
                                          const std::string& field) {
  return ParseReport(name, field, &kind);
}

absl::StatusOr<ReportRef> ParseAnyReportName(const std::string& name, const std::string& field) {
  return ParseReport(name, field, nullptr);
}

std::string PeriodName(const std::string& period_id) { return absl::StrCat("periods/", period_id); }

absl::StatusOr<std::string> ParsePeriodName(const std::string& name, const std::string& field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "periods/")) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not periods/{period_id}"));
  }
  auto period = ParsePeriodId(std::string(id), field);
  if (!period.ok()) return period.status();
  return std::string(id);
}

absl::Status CheckReferenceResource(const std::string& resource, const std::string& field) {
  if (resource == kInstitutionsCollection || resource == kCatalogMajorsCollection) {
    return absl::OkStatus();
  }
  if (absl::StartsWith(resource, "periods/")) return ParsePeriodName(resource, field).status();
  return InvalidField(field,
                      absl::StrCat(Quoted(resource), " is none of ", kInstitutionsCollection, ", ",
                                   kCatalogMajorsCollection, " or periods/{period_id}"));
}

std::string SpotCheckName(const std::string& id) { return absl::StrCat("spotChecks/", id); }

absl::StatusOr<std::string> ParseSpotCheckName(const std::string& name, const std::string& field) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "spotChecks/") || !IsValidResourceId(id)) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not spotChecks/{id}"));
  }
  return std::string(id);
}

std::string CatalogMajorName(const std::string& code) {
  return absl::StrCat("catalogMajors/", code);
}

absl::StatusOr<std::string> ParseCatalogMajorName(const std::string& name,
                                                  const std::string& field) {
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "catalogMajors/") || code.size() != 6 ||
      code.find_first_not_of("0123456789") != absl::string_view::npos) {
    return InvalidField(field, absl::StrCat(Quoted(name), " is not catalogMajors/{six digits}"));
  }
  return std::string(code);
}

}  // namespace vetrack::schools
