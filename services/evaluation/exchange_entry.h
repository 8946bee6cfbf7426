#ifndef VETRACK_SERVICES_EVALUATION_EXCHANGE_ENTRY_H_
#define VETRACK_SERVICES_EVALUATION_EXCHANGE_ENTRY_H_

#include <string>
#include <vector>

#include "inputs.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

namespace vetrack::evaluation {

// The outbox list the evaluation appends finalised rounds to.
std::string EvaluationOutboxKey();

// The exchange entry (schema vetrack.exchange.v1, kind
// "evaluation_round.finalized") for a just finalised `round`: its weights,
// standings and the results of its frozen snapshot. `institutions` supply the
// national codes of institution subjects and institution-scoped results; their
// names are those the round froze at creation, as its CSV export has them.
std::string FinalizedRoundEntry(const v1::Round& round,
                                const std::vector<Institution>& institutions);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_EXCHANGE_ENTRY_H_
