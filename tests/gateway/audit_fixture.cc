#include "audit_fixture.h"

namespace vetrack::gateway {

v1::AuditEntry Attempt(const std::string& principal, const std::string& resource,
                       const std::string& request_id) {
  v1::AuditEntry e;
  e.set_kind(v1::AUDIT_ENTRY_KIND_ATTEMPT);
  e.set_principal(principal);
  e.set_method("/vetrack.tasks.v1.TaskRegistryService/FileProgress");
  e.set_resource(resource);
  e.set_request_id(request_id);
  e.set_key_id("k1");
  return e;
}

v1::VerifyAuditChainRequest VerifyPage(int page_size, const std::string& token) {
  v1::VerifyAuditChainRequest req;
  req.set_page_size(page_size);
  req.set_page_token(token);
  return req;
}

v1::VerifyAuditChainRequest VerifyAfter(int64_t sequence, const std::string& hash) {
  v1::VerifyAuditChainRequest req;
  req.set_after_sequence(sequence);
  req.set_after_hash(hash);
  return req;
}

AuditTrailTest::AuditTrailTest()
    : redis_(server_.options()), store_(redis_, "vt:gw:"), clock_(kAuditStart) {}

int64_t AuditTrailTest::Append(AuditTrail& trail, const v1::AuditEntry& entry) {
  auto sequence = trail.AppendAndWait(entry);
  EXPECT_TRUE(sequence.ok()) << sequence.status();
  return sequence.ok() ? *sequence : 0;
}

void AuditTrailTest::Rewrite(const std::vector<v1::AuditEntry>& entries) {
  ASSERT_TRUE(redis_.Command({"DEL", store_.LogKey()}).ok());
  for (const auto& e : entries) {
    ASSERT_TRUE(redis_
                    .Command({"XADD", store_.LogKey(), "0-" + std::to_string(e.sequence()), "e",
                              e.SerializeAsString()})
                    .ok());
  }
}

void AuditTrailTest::Tamper(int64_t sequence, const std::function<void(v1::AuditEntry*)>& change) {
  auto entries = store_.Range(1, 1000);
  ASSERT_TRUE(entries.ok());
  for (auto& e : *entries) {
    if (e.sequence() == sequence) change(&e);
  }
  Rewrite(*entries);
}

}  // namespace vetrack::gateway
