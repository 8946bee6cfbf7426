#ifndef VETRACK_TESTS_GATEWAY_AUDIT_FIXTURE_H_
#define VETRACK_TESTS_GATEWAY_AUDIT_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit_trail.h"
#include "clock/clock.h"
#include "redis/redis_client.h"
#include "redis_audit_store.h"
#include "testing/redis_server.h"

// What the audit trail's tests share: a real redis-server with the trail's
// store, a fake clock, entries to append, and ways to rewrite what is stored
// as someone with access to Redis might.
namespace vetrack::gateway {

inline const absl::Time kAuditStart =
    absl::FromCivil(absl::CivilSecond(2026, 5, 1, 8, 0, 0), absl::UTCTimeZone());
inline const Principal kCoordinator{Role::kCoordinator, ""};

// An ATTEMPT entry of a filing, before the trail links it.
v1::AuditEntry Attempt(const std::string& principal, const std::string& resource,
                       const std::string& request_id);

v1::VerifyAuditChainRequest VerifyPage(int page_size, const std::string& token = "");
v1::VerifyAuditChainRequest VerifyAfter(int64_t sequence, const std::string& hash);

class AuditTrailTest : public ::testing::Test {
 protected:
  AuditTrailTest();

  // Appends and waits; the entry's sequence, 0 (and a test failure) if not written.
  int64_t Append(AuditTrail& trail, const v1::AuditEntry& entry);
  // Replaces the stored log with `entries` as they are (head untouched).
  void Rewrite(const std::vector<v1::AuditEntry>& entries);
  // Rewrites the stored trail with `change` applied to entry `sequence`,
  // hashes untouched.
  void Tamper(int64_t sequence, const std::function<void(v1::AuditEntry*)>& change);

  testing::RedisServer server_;
  redis::Client redis_;
  RedisAuditStore store_;
  FakeClock clock_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_TESTS_GATEWAY_AUDIT_FIXTURE_H_
