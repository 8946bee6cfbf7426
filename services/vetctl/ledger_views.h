#ifndef VETRACK_SERVICES_VETCTL_LEDGER_VIEWS_H_
#define VETRACK_SERVICES_VETCTL_LEDGER_VIEWS_H_

#include <ostream>

#include "vetrack/ledger/v1/ledger.pb.h"

// The training ledger's messages as people read them (--json bypasses this).
// Money is shown in yuan with two decimals.
namespace vetrack::vetctl {

namespace ledger_v1 = ::vetrack::ledger::v1;

void PrintTrainingRecord(std::ostream& out, const ledger_v1::TrainingRecord& record);
void PrintTrainingRecords(std::ostream& out, const ledger_v1::ListTrainingRecordsResponse& list);
void PrintStatement(std::ostream& out, const ledger_v1::TrainingStatement& statement);
void PrintDistrictStatement(std::ostream& out,
                            const ledger_v1::DistrictTrainingStatement& district);
// A published revision: who published it and when, the institutions' national
// codes, then the statement as frozen.
void PrintPublishedStatement(std::ostream& out,
                             const ledger_v1::PublishedTrainingStatement& published);
void PrintPolicy(std::ostream& out, const ledger_v1::AccountingPolicy& policy);
void PrintPolicyVersions(std::ostream& out,
                         const ledger_v1::ListAccountingPolicyVersionsResponse& versions);
// Counts, then every rejected row with its line and reasons.
void PrintImportResult(std::ostream& out, const ledger_v1::ImportTrainingRecordsResponse& result);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_LEDGER_VIEWS_H_
