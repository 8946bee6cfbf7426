#ifndef VETRACK_SERVICES_GATEWAY_AUDIT_CHAIN_H_
#define VETRACK_SERVICES_GATEWAY_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <utility>

#include "vetrack/gateway/v1/gateway.pb.h"

// The hash chain of the audit trail: each entry's hash is SHA-256 over the
// previous entry's hash (hex) and the entry's canonical bytes, so altering,
// removing or reordering any entry breaks every hash from there on.
namespace vetrack::gateway {

// The "previous hash" of the first entry.
inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The last entry of the chain (sequence 0 and the genesis hash when empty).
struct ChainHead {
  int64_t sequence = 0;
  std::string hash = kGenesisHash;
};

// Every field but the two hashes, each as its length, ':' and its bytes, in a
// fixed order: unambiguous, and independent of protobuf's wire format. The
// other resources, when there are any, come last after their count.
std::string CanonicalBytes(const v1::AuditEntry& entry);
// Lower-case hex SHA-256 of previous_hash followed by the canonical bytes.
std::string ChainHash(const std::string& previous_hash, const v1::AuditEntry& entry);
// Sets sequence, previous_hash and hash to follow `head`, and returns the new head.
ChainHead Link(const ChainHead& head, v1::AuditEntry* entry);

// Checks entries one by one, in sequence order, from the entry after `from`
// (an entry already checked), and remembers the first that does not check out.
class ChainVerifier {
 public:
  explicit ChainVerifier(ChainHead from = {}) : computed_(std::move(from)) {}
  // False once an entry failed (later ones are not looked at).
  bool Add(const v1::AuditEntry& entry);
  // Marks the chain broken at `sequence` for a reason found outside it.
  void Fail(int64_t sequence, std::string problem);
  bool failed() const { return failed_; }
  // The last entry checked.
  const ChainHead& last() const { return computed_; }
  // What was checked so far, when the head is not reached yet.
  v1::VerifyAuditChainResponse Partial() const;
  // After the last entry: compares with the head the store keeps.
  v1::VerifyAuditChainResponse Finish(const ChainHead& stored_head);

 private:
  ChainHead computed_;
  int64_t checked_ = 0;
  bool failed_ = false;
  v1::VerifyAuditChainResponse result_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_AUDIT_CHAIN_H_
