#ifndef VETRACK_SERVICES_VETCTL_GATEWAY_VIEWS_H_
#define VETRACK_SERVICES_VETCTL_GATEWAY_VIEWS_H_

#include <ostream>

#include "vetrack/gateway/v1/gateway.pb.h"

// The gateway's views as tables for people (--json prints them whole).
namespace vetrack::vetctl {

namespace gw = ::vetrack::gateway::v1;

void PrintOverview(std::ostream& out, const gw::DistrictOverview& view);
void PrintWorkbench(std::ostream& out, const gw::DepartmentWorkbench& view);
void PrintDossier(std::ostream& out, const gw::TaskDossier& view);
void PrintProfile(std::ostream& out, const gw::InstitutionProfile& view);
void PrintAuditEntries(std::ostream& out, const gw::ListAuditEntriesResponse& entries);
void PrintRevokedToken(std::ostream& out, const gw::RevokedToken& revoked);
void PrintRevokedTokens(std::ostream& out, const gw::ListRevokedTokensResponse& revoked);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_GATEWAY_VIEWS_H_
