#include "backends.h"

namespace vetrack::gateway {

Backends::Backends(const BackendAddresses& addresses) {
  const std::string* by_backend[kBackendCount] = {&addresses.tasks, &addresses.schools,
                                                  &addresses.ledger, &addresses.evaluation};
  for (int i = 0; i < kBackendCount; ++i) {
    grpc::ChannelArguments args;
    // A stopped backend should fail calls quickly and be retried soon after
    // it is back, not after gRPC's default back-off of up to two minutes.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    channels_[i] =
        grpc::CreateCustomChannel(*by_backend[i], grpc::InsecureChannelCredentials(), args);
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
