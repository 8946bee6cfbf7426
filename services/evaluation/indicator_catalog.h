#ifndef VETRACK_SERVICES_EVALUATION_INDICATOR_CATALOG_H_
#define VETRACK_SERVICES_EVALUATION_INDICATOR_CATALOG_H_

#include <string>

#include "absl/status/statusor.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"

namespace vetrack::evaluation {

// Reads the catalog data file (protobuf JSON of v1::IndicatorCatalog).
absl::StatusOr<v1::IndicatorCatalog> ReadIndicatorCatalogFile(const std::string& path);

// INVALID_ARGUMENT naming every offending field ("catalog.indicators[3].formula")
// unless: ids are unique lower-case ids and names indicators/{id}; every
// formula has a numerator and references only school:<item>,
// ledger:person_times, ledger:enrolment (the enrolment the ledger judges its
// 2 × rule on) or a defined stat:<key>; every target has a comparator
// (BETWEEN with upper ≥ value); every deadline is YYYY-MM-DD; an indicator
// whose figures are all district statistics entered by one unit names that
// unit as responsible.
absl::Status CheckIndicatorCatalog(const v1::IndicatorCatalog& catalog);

}  // namespace vetrack::evaluation

#endif  // VETRACK_SERVICES_EVALUATION_INDICATOR_CATALOG_H_
