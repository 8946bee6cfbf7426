#include "gateway_metrics.h"

namespace vetrack::gateway {

GatewayMetrics::GatewayMetrics(prometheus::Registry& registry)
    : audit_write_failures_(
          prometheus::BuildCounter()
              .Name("vetrack_gateway_audit_write_failures_total")
              .Help("Audit entries that could not be written; each refused its change.")
              .Register(registry)
              .Add({})),
      views_(prometheus::BuildCounter()
                 .Name("vetrack_gateway_views_assembled_total")
                 .Help("Views put together (not served from the cache), by outcome.")
                 .Register(registry)),
      sections_missing_(prometheus::BuildCounter()
                            .Name("vetrack_gateway_view_sections_missing_total")
                            .Help("Sections left out of a view, by the service's status code.")
                            .Register(registry)) {}

void GatewayMetrics::AuditWriteFailed(int entries) { audit_write_failures_.Increment(entries); }

void GatewayMetrics::ViewComplete(const std::string& view) {
  views_.Add({{"view", view}, {"outcome", "complete"}}).Increment();
}

void GatewayMetrics::ViewFailed(const std::string& view) {
  views_.Add({{"view", view}, {"outcome", "failed"}}).Increment();
}

void GatewayMetrics::ViewRefused(const std::string& view) {
  views_.Add({{"view", view}, {"outcome", "refused"}}).Increment();
}

void GatewayMetrics::ViewPartial(const std::string& view) {
  views_.Add({{"view", view}, {"outcome", "partial"}}).Increment();
}

void GatewayMetrics::SectionMissing(const std::string& view, const std::string& section,
                                    const std::string& code) {
  sections_missing_.Add({{"view", view}, {"section", section}, {"code", code}}).Increment();
}

}  // namespace vetrack::gateway
