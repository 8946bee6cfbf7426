#ifndef VETRACK_SERVICES_TRAINING_LEDGER_EXCHANGE_ENTRY_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_EXCHANGE_ENTRY_H_

#include <string>

#include "vetrack/ledger/v1/ledger.pb.h"

namespace vetrack::ledger {

// The exchange entry (schema vetrack.exchange.v1, source "training-ledger",
// kind "training_statement.published") for a just published revision of a
// year's district statement.
std::string PublishedStatementEntry(const v1::PublishedTrainingStatement& published);

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_EXCHANGE_ENTRY_H_
