#include "backends.h"

#include "rpc/service_channel.h"

namespace vetrack::gateway {

Backends::Backends(const BackendAddresses& addresses) {
  const std::string* by_backend[kBackendCount] = {&addresses.tasks, &addresses.schools,
                                                  &addresses.ledger, &addresses.evaluation};
  for (int i = 0; i < kBackendCount; ++i) {
    channels_[i] = ServiceChannel(*by_backend[i]);
    generic_[i] = std::make_unique<grpc::GenericStub>(channels_[i]);
  }
  tasks_ = tasks::v1::TaskRegistryService::NewStub(channels_[0]);
  schools_ = schools::v1::SchoolReportingService::NewStub(channels_[1]);
  ledger_ = ledger::v1::TrainingLedgerService::NewStub(channels_[2]);
  evaluation_ = evaluation::v1::EvaluationService::NewStub(channels_[3]);
}

void Backends::Prepare(grpc::ClientContext* context, const Principal& caller, absl::Time deadline) {
  context->AddMetadata(kRoleMetadataKey, RoleName(caller.role));
  if (!caller.unit.empty()) context->AddMetadata(kUnitMetadataKey, caller.unit);
  context->set_deadline(absl::ToChronoTime(deadline));
}

}  // namespace vetrack::gateway
