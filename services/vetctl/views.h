#ifndef VETRACK_SERVICES_VETCTL_VIEWS_H_
#define VETRACK_SERVICES_VETCTL_VIEWS_H_

#include <ostream>
#include <string>

#include "google/protobuf/repeated_field.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// The registry's messages as people read them: tables for lists, labelled
// blocks for single things. (--json bypasses all of this.)
namespace vetrack::vetctl {

namespace v1 = ::vetrack::tasks::v1;

void PrintImportCounts(std::ostream& out, const v1::ImportCatalogResponse& response);
void PrintUnits(std::ostream& out, const v1::ListUnitsResponse& response);
void PrintSections(std::ostream& out, const v1::ListSectionsResponse& response);
void PrintPeriods(std::ostream& out, const v1::ListPeriodsResponse& response);
void PrintTaskTable(std::ostream& out, const v1::ListTasksResponse& response);
void PrintTask(std::ostream& out, const v1::Task& task);
void PrintFiledProgress(std::ostream& out, const v1::Progress& progress);
void PrintProgressTable(std::ostream& out, const v1::ListProgressResponse& response);
void PrintReport(std::ostream& out, const v1::TaskReport& report);
// Each revision in full, oldest first: what it said and how it was reviewed.
void PrintReportRevisions(std::ostream& out, const v1::ListReportRevisionsResponse& response);
void PrintProgressRevisions(std::ostream& out, const v1::ListProgressRevisionsResponse& response);
void PrintHistory(std::ostream& out,
                  const google::protobuf::RepeatedPtrField<v1::HistoryEntry>& entries);
void PrintEscalations(std::ostream& out, const v1::ListEscalationsResponse& response);
// The 督办 column of an escalation: "yellow-progress-hrss issued", "" when no
// notice was issued for it.
std::string NoticeCell(const v1::Escalation& escalation);
void PrintNotice(std::ostream& out, const v1::Notice& notice);
void PrintNotices(std::ostream& out, const v1::ListNoticesResponse& response);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_VIEWS_H_
