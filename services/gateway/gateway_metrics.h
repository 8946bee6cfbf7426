#ifndef VETRACK_SERVICES_GATEWAY_GATEWAY_METRICS_H_
#define VETRACK_SERVICES_GATEWAY_GATEWAY_METRICS_H_

#include <string>

#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace vetrack::gateway {

// What only the gateway knows, beside the per-method grpc_server_* series
// every service exports: how often the audit trail refused a write (every
// change is refused with it), and how complete the views were.
//   vetrack_gateway_audit_write_failures_total{}  entries not written
//   vetrack_gateway_views_assembled_total{view, outcome}  complete|partial|failed
//   vetrack_gateway_view_sections_missing_total{view, section, code}
class GatewayMetrics {
 public:
  explicit GatewayMetrics(prometheus::Registry& registry);

  void AuditWriteFailed(int entries);
  void ViewComplete(const std::string& view);
  void ViewFailed(const std::string& view);
  // The caller's mistake (a bad field, no such thing, not allowed): not the
  // services failing, so not what an alert on "failed" should count.
  void ViewRefused(const std::string& view);
  // Once per view answered partial, then once per section left out.
  void ViewPartial(const std::string& view);
  void SectionMissing(const std::string& view, const std::string& section, const std::string& code);

 private:
  prometheus::Counter& audit_write_failures_;
  prometheus::Family<prometheus::Counter>& views_;
  prometheus::Family<prometheus::Counter>& sections_missing_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_GATEWAY_METRICS_H_
