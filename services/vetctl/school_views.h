#ifndef VETRACK_SERVICES_VETCTL_SCHOOL_VIEWS_H_
#define VETRACK_SERVICES_VETCTL_SCHOOL_VIEWS_H_

#include <ostream>

#include "google/protobuf/repeated_field.h"
#include "vetrack/schools/v1/schools.pb.h"

// School reporting's messages as people read them: tables for lists,
// labelled blocks for single things. (--json bypasses all of this.)
namespace vetrack::vetctl {

namespace schools_v1 = ::vetrack::schools::v1;

void PrintInstitutions(std::ostream& out, const schools_v1::ListInstitutionsResponse& response);
void PrintInstitutionImport(std::ostream& out,
                            const schools_v1::ImportInstitutionsResponse& response);
void PrintMajorImport(std::ostream& out, const schools_v1::ImportMajorCatalogResponse& response);
void PrintItems(std::ostream& out, const schools_v1::ListItemsResponse& response);
void PrintReportingPeriods(std::ostream& out, const schools_v1::ListPeriodsResponse& response);
// `items` (from ListItems) names the counts; ids are shown where it lacks one.
void PrintDataReport(std::ostream& out, const schools_v1::DataReport& report,
                     const schools_v1::ListItemsResponse& items);
void PrintDataReports(std::ostream& out, const schools_v1::ListDataReportsResponse& response);
void PrintRevisions(std::ostream& out, const schools_v1::ListDataReportRevisionsResponse& response);
void PrintDiff(std::ostream& out, const schools_v1::DataReportDiff& diff);
void PrintAcceptedFigures(std::ostream& out, const schools_v1::AcceptedFigures& figures);
void PrintReportHistory(
    std::ostream& out,
    const google::protobuf::RepeatedPtrField<schools_v1::ReportHistoryEntry>& entries);
void PrintQualityReport(std::ostream& out, const schools_v1::QualityReport& report);
void PrintQualityDiff(std::ostream& out, const schools_v1::QualityReportDiff& diff);
void PrintQualityReports(std::ostream& out, const schools_v1::ListQualityReportsResponse& response);
void PrintSpotCheck(std::ostream& out, const schools_v1::SpotCheck& spot_check);
void PrintSpotChecks(std::ostream& out, const schools_v1::ListSpotChecksResponse& response);
void PrintCredibility(std::ostream& out, const schools_v1::ListCredibilityResponse& response);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_SCHOOL_VIEWS_H_
