#include "audit_chain.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"

namespace vetrack::gateway {
namespace {

void AppendField(std::string* out, absl::string_view value) {
  absl::StrAppend(out, value.size(), ":", value, ";");
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

std::string CanonicalBytes(const v1::AuditEntry& entry) {
  std::string out = "vetrack-audit-1;";
  AppendField(&out, absl::StrCat(entry.sequence()));
  AppendField(&out, absl::StrCat(absl::ToUnixNanos(TimeFromProto(entry.time()))));
  AppendField(&out, v1::AuditEntryKind_Name(entry.kind()));
  AppendField(&out, entry.principal());
  AppendField(&out, entry.method());
  AppendField(&out, entry.resource());
  AppendField(&out, entry.request_id());
  AppendField(&out, entry.code());
  AppendField(&out, absl::StrCat(entry.attempt_sequence()));
  AppendField(&out, entry.key_id());
  // Only when there are any, so the entries written before the field existed
  // keep their hashes.
  if (!entry.other_resources().empty()) {
    AppendField(&out, absl::StrCat(entry.other_resources_size()));
    for (const auto& resource : entry.other_resources()) AppendField(&out, resource);
  }
  // Likewise, and tagged, so that no holder reads as a count of resources.
  if (!entry.holder().empty() || !entry.token_id().empty()) {
    AppendField(&out, "holder");
    AppendField(&out, entry.holder());
    AppendField(&out, entry.token_id());
  }
  return out;
}

std::string ChainHash(const std::string& previous_hash, const v1::AuditEntry& entry) {
  return Sha256Hex(previous_hash + CanonicalBytes(entry));
}

ChainHead Link(const ChainHead& head, v1::AuditEntry* entry) {
  entry->set_sequence(head.sequence + 1);
  entry->set_previous_hash(head.hash);
  entry->set_hash(ChainHash(head.hash, *entry));
  return ChainHead{entry->sequence(), entry->hash()};
}

void ChainVerifier::Fail(int64_t sequence, std::string problem) {
  failed_ = true;
  result_.set_first_bad_sequence(sequence);
  result_.set_problem(std::move(problem));
}

bool ChainVerifier::Add(const v1::AuditEntry& entry) {
  if (failed_) return false;
  const int64_t expected = computed_.sequence + 1;
  if (entry.sequence() != expected) {
    Fail(expected, absl::StrCat("entry ", expected, " is missing (found ", entry.sequence(),
                                " in its place)"));
    return false;
  }
  if (entry.previous_hash() != computed_.hash) {
    Fail(expected, absl::StrCat("entry ", expected,
                                " does not link to the entry before it: that entry, or this "
                                "one, was altered"));
    return false;
  }
  std::string hash = ChainHash(computed_.hash, entry);
  if (hash != entry.hash()) {
    Fail(expected, absl::StrCat("entry ", expected,
                                " was altered: its content does not match "
                                "its hash"));
    return false;
  }
  computed_ = ChainHead{expected, hash};
  ++checked_;
  return true;
}

v1::VerifyAuditChainResponse ChainVerifier::Partial() const {
  v1::VerifyAuditChainResponse result = result_;
  result.set_intact(!failed_);
  result.set_entries(checked_);
  result.set_head_hash(computed_.hash);
  result.set_last_sequence(computed_.sequence);
  return result;
}

v1::VerifyAuditChainResponse ChainVerifier::Finish(const ChainHead& stored_head) {
  if (!failed_ &&
      (stored_head.sequence != computed_.sequence || stored_head.hash != computed_.hash)) {
    Fail(computed_.sequence + 1,
         absl::StrCat("the trail ends at entry ", computed_.sequence, " but its head says ",
                      stored_head.sequence, ": entries were removed"));
  }
  return Partial();
}

}  // namespace vetrack::gateway
