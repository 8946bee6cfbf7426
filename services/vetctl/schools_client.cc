#include "schools_client.h"

namespace vetrack::vetctl {

SchoolsClient::SchoolsClient(const GlobalOptions& options)
    : options_(options),
      stub_(schools_v1::SchoolReportingService::NewStub(
          ChannelTo(options, options.schools_address))) {}

}  // namespace vetrack::vetctl
