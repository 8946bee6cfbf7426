#ifndef VETRACK_SERVICES_TRAINING_LEDGER_PERMISSIONS_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_PERMISSIONS_H_

#include <string>

#include "absl/status/status.h"
#include "auth/principal.h"

// Who may do what in the ledger. Each returns OK or PERMISSION_DENIED saying why.
//   record, reverse      a school for itself; the coordinator for any institution
//                        (loading district-consolidated data)
//   read an institution  coordinator, departments, evaluator; a school itself
//   read the district    coordinator, departments, evaluator
//   set the policy       coordinator
//   read the policy      everyone who reads an institution
//   publish the district statement  coordinator (for the district education unit)
//   read published statements       as the district statement
namespace vetrack::ledger {

absl::Status CheckCanRecord(const Principal& caller, const std::string& institution_code);
absl::Status CheckCanReadInstitution(const Principal& caller, const std::string& institution_code);
absl::Status CheckCanReadDistrict(const Principal& caller);
absl::Status CheckCanSetPolicy(const Principal& caller);
absl::Status CheckCanReadPolicy(const Principal& caller);
absl::Status CheckCanPublishStatement(const Principal& caller);

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_PERMISSIONS_H_
