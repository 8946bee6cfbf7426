// Every request validator of the gateway's own views (validation.h), fuzzed.
#include "clock/timestamp.h"
#include "fuzz_support.h"
#include "validation.h"

namespace vetrack::gateway {
namespace {

using fuzz::Case;
using fuzz::Require;

const std::vector<fuzz::RequestCase>& Cases() {
  static const auto* cases = new std::vector<fuzz::RequestCase>{
      Case<v1::GetDistrictOverviewRequest>(Validate),
      Case<v1::GetDepartmentWorkbenchRequest>(Validate),
      Case<v1::GetTaskDossierRequest>(Validate),
      Case<v1::GetInstitutionProfileRequest>(Validate),
      Case<v1::ListAuditEntriesRequest>(Validate,
                                        [](const v1::ListAuditEntriesRequest& r) {
                                          Require(!r.has_start_time() || !r.has_end_time() ||
                                                      TimeFromProto(r.start_time()) <
                                                          TimeFromProto(r.end_time()),
                                                  "a time range that ends after it starts");
                                        }),
      Case<v1::RevokeTokenRequest>(Validate,
                                   [](const v1::RevokeTokenRequest& r) {
                                     Require(r.token_id().size() == 16, "a token id of 16 digits");
                                   }),
      Case<v1::ListRevokedTokensRequest>(Validate),
  };
  return *cases;
}

}  // namespace
}  // namespace vetrack::gateway

VETRACK_VALIDATOR_FUZZER(vetrack::gateway::Cases)
