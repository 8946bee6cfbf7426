// The audit trail on a real redis-server: appends, queries, the hash chain
// and its verification, replicas sharing one chain, and a failed write.
#include <gtest/gtest.h>

#include <limits>
#include <mutex>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit_trail.h"
#include "clock/timestamp.h"
#include "paging/paging.h"
#include "redis_audit_store.h"
#include "testing/redis_server.h"

namespace vetrack::gateway {
namespace {

const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 5, 1, 8, 0, 0), absl::UTCTimeZone());
const Principal kCoordinator{Role::kCoordinator, ""};

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

class AuditTrailTest : public ::testing::Test {
 protected:
  AuditTrailTest() : redis_(server_.options()), store_(redis_, "vt:gw:"), clock_(kStart) {}

  int64_t Append(AuditTrail& trail, const v1::AuditEntry& entry) {
    auto sequence = trail.AppendAndWait(entry);
    EXPECT_TRUE(sequence.ok()) << sequence.status();
    return sequence.ok() ? *sequence : 0;
  }

  // Rewrites the stored trail with `change` applied to entry `sequence`,
  // hashes untouched: what someone with access to Redis might do.
  void Tamper(int64_t sequence, const std::function<void(v1::AuditEntry*)>& change) {
    auto entries = store_.Range(1, 1000);
    ASSERT_TRUE(entries.ok());
    ASSERT_TRUE(redis_.Command({"DEL", store_.LogKey()}).ok());
    for (auto& e : *entries) {
      if (e.sequence() == sequence) change(&e);
      ASSERT_TRUE(redis_.Command({"XADD", store_.LogKey(), "0-" + std::to_string(e.sequence()),
                                  "e", e.SerializeAsString()})
                      .ok());
    }
  }

  testing::RedisServer server_;
  redis::Client redis_;
  RedisAuditStore store_;
  FakeClock clock_;
};

TEST_F(AuditTrailTest, AppendsChainAndVerify) {
  AuditTrail trail(store_, clock_);
  EXPECT_EQ(Append(trail, Attempt("department:hrss", "plans/p/tasks/6", "r1")), 1);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Append(trail, Attempt("department:edu", "plans/p/tasks/6", "r2")), 2);
  EXPECT_EQ(Append(trail, Attempt("coordinator", "plans/p/tasks/7", "r3")), 3);

  auto all = trail.List(kCoordinator, {});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->entries_size(), 3);
  EXPECT_EQ(all->entries(0).previous_hash(), kGenesisHash);
  EXPECT_EQ(all->entries(1).previous_hash(), all->entries(0).hash());
  EXPECT_EQ(all->entries(2).previous_hash(), all->entries(1).hash());
  EXPECT_EQ(TimeFromProto(all->entries(1).time()), kStart + absl::Minutes(1));
  EXPECT_TRUE(all->next_page_token().empty());

  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact());
  EXPECT_EQ(verified->entries(), 3);
  EXPECT_EQ(verified->head_hash(), all->entries(2).hash());
}

// An index key of another type (a corrupted store) refuses the append before
// its first write: had the entry reached the log while its head stayed, every
// later append would fail on that sequence.
TEST_F(AuditTrailTest, AnIndexOfAnotherTypeRefusesTheAppendAndTheTrailGoesOn) {
  AuditTrail trail(store_, clock_);
  EXPECT_EQ(Append(trail, Attempt("coordinator", "plans/p/tasks/6", "r1")), 1);
  const std::string index = "vt:gw:audit:resource:plans/p/tasks/9";
  ASSERT_TRUE(redis_.Command({"SET", index, "not an index"}).ok());
  auto refused = trail.AppendAndWait(Attempt("coordinator", "plans/p/tasks/9", "r2"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(index), std::string::npos) << refused.status();
  EXPECT_EQ(redis_.Command({"XLEN", store_.LogKey()})->integer, 1);

  ASSERT_TRUE(redis_.Command({"DEL", index}).ok());
  EXPECT_EQ(Append(trail, Attempt("coordinator", "plans/p/tasks/9", "r3")), 2);
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact());
}

TEST_F(AuditTrailTest, QueriesByPrincipalResourceAndTime) {
  AuditTrail trail(store_, clock_);
  Append(trail, Attempt("department:hrss", "plans/p/tasks/6", "a"));
  clock_.Advance(absl::Hours(1));
  Append(trail, Attempt("department:edu", "plans/p/tasks/6", "b"));
  clock_.Advance(absl::Hours(1));
  Append(trail, Attempt("department:hrss", "plans/p/tasks/7", "c"));

  v1::ListAuditEntriesRequest by_principal;
  by_principal.set_principal("department:hrss");
  auto hrss = trail.List(kCoordinator, by_principal);
  ASSERT_TRUE(hrss.ok());
  ASSERT_EQ(hrss->entries_size(), 2);
  EXPECT_EQ(hrss->entries(0).request_id(), "a");
  EXPECT_EQ(hrss->entries(1).request_id(), "c");

  v1::ListAuditEntriesRequest by_resource;
  by_resource.set_resource("plans/p/tasks/6");
  auto task6 = trail.List(kCoordinator, by_resource);
  ASSERT_TRUE(task6.ok());
  ASSERT_EQ(task6->entries_size(), 2);
  EXPECT_EQ(task6->entries(1).request_id(), "b");

  v1::ListAuditEntriesRequest both = by_resource;
  both.set_principal("department:hrss");
  auto one = trail.List(kCoordinator, both);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->entries_size(), 1);
  EXPECT_EQ(one->entries(0).request_id(), "a");

  v1::ListAuditEntriesRequest window;
  *window.mutable_start_time() = TimeToProto(kStart + absl::Minutes(30));
  *window.mutable_end_time() = TimeToProto(kStart + absl::Hours(2));
  auto middle = trail.List(kCoordinator, window);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->entries_size(), 1);
  EXPECT_EQ(middle->entries(0).request_id(), "b");

  *window.mutable_start_time() = TimeToProto(kStart + absl::Hours(5));
  window.clear_end_time();
  auto none = trail.List(kCoordinator, window);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->entries_size(), 0);
}

TEST_F(AuditTrailTest, ATimeRangeKeepsEntriesOfOneMillisecondAndOfAClockThatWentBack) {
  AuditTrail trail(store_, clock_);
  for (int i = 1; i <= 8; ++i) {
    Append(trail, Attempt("coordinator", "", absl::StrCat("e", i)));
    clock_.Advance(absl::Seconds(1));
  }
  const absl::Time tied = clock_.Now();
  Append(trail, Attempt("coordinator", "", "e9"));   // 9 and 10 in one millisecond:
  Append(trail, Attempt("coordinator", "", "e10"));  // Redis orders "10" before "9"
  clock_.Advance(-absl::Milliseconds(5500));  // another replica's clock, behind: e11 at 2.5 s
  Append(trail, Attempt("coordinator", "", "e11"));

  auto request_ids = [&](std::optional<absl::Time> start, std::optional<absl::Time> end) {
    v1::ListAuditEntriesRequest window;
    if (start) *window.mutable_start_time() = TimeToProto(*start);
    if (end) *window.mutable_end_time() = TimeToProto(*end);
    auto listed = trail.List(kCoordinator, window);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<std::string> ids;
    for (const auto& e : listed->entries()) ids.push_back(e.request_id());
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(request_ids(tied, std::nullopt), (Ids{"e9", "e10"}));
  EXPECT_EQ(request_ids(tied - absl::Seconds(1), tied + absl::Milliseconds(1)),
            (Ids{"e8", "e9", "e10"}));
  // e11 is stamped before e4 but written after e10: a range by its own time
  // finds it, and does not lose what was written between.
  const absl::Time e11 = kStart + absl::Milliseconds(2500);
  EXPECT_EQ(request_ids(e11 - absl::Milliseconds(300), std::nullopt),
            (Ids{"e4", "e5", "e6", "e7", "e8", "e9", "e10", "e11"}));
  EXPECT_EQ(request_ids(e11 - absl::Milliseconds(300), e11 + absl::Milliseconds(300)),
            (Ids{"e11"}));
}

TEST_F(AuditTrailTest, AReplicaClockFarAheadDoesNotPushOthersOutOfTheirRanges) {
  // Times near now: the index caps an entry at Redis's clock plus the skew.
  FakeClock clock(absl::Now());
  AuditTrail trail(store_, clock);
  Append(trail, Attempt("coordinator", "", "before"));
  clock.Advance(absl::Hours(1));  // one replica an hour fast
  Append(trail, Attempt("coordinator", "", "fast"));
  // Then a replica a little behind Redis's clock (within the skew) writes.
  clock.Advance(-absl::Hours(1) - absl::Seconds(20));
  const absl::Time behind = clock.Now();
  Append(trail, Attempt("coordinator", "", "after"));

  v1::ListAuditEntriesRequest window;
  *window.mutable_start_time() = TimeToProto(behind - absl::Milliseconds(500));
  *window.mutable_end_time() = TimeToProto(behind + absl::Milliseconds(500));
  auto listed = trail.List(kCoordinator, window);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->entries_size(), 1);
  EXPECT_EQ(listed->entries(0).request_id(), "after");
}

TEST_F(AuditTrailTest, PagesFollowTheToken) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 5; ++i) Append(trail, Attempt("coordinator", "", std::to_string(i)));
  v1::ListAuditEntriesRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto response = trail.List(kCoordinator, request);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const auto& e : response->entries()) seen.push_back(e.request_id());
    if (response->next_page_token().empty()) break;
    request.set_page_token(response->next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  // A token holds the last sequence scanned; one past the end of the int64
  // range is no sequence this trail gave out.
  request.clear_page_token();
  const std::string past_the_end =
      KeyPageToken(*ParseKeyPage(request), std::to_string(std::numeric_limits<int64_t>::max()));
  for (const std::string& forged : {std::string("not-a-token"), past_the_end}) {
    request.set_page_token(forged);
    auto refused = trail.List(kCoordinator, request);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << forged;
    EXPECT_TRUE(absl::StartsWith(refused.status().message(), "page_token")) << refused.status();
  }
  // A token is taken only with the filters it was issued for.
  request.clear_page_token();
  auto first = trail.List(kCoordinator, request);
  ASSERT_TRUE(first.ok()) << first.status();
  request.set_page_token(first->next_page_token());
  request.set_principal("department:edu");
  EXPECT_EQ(trail.List(kCoordinator, request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AuditTrailTest, OnlyTheCoordinatorAndOperatorsReadIt) {
  AuditTrail trail(store_, clock_);
  for (Role role : {Role::kDepartment, Role::kSchool, Role::kEvaluator, Role::kExchange}) {
    Principal caller{role, role == Role::kDepartment || role == Role::kSchool ? "edu" : ""};
    EXPECT_EQ(trail.List(caller, {}).status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(trail.Verify(caller).status().code(), absl::StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(trail.List({Role::kOperator, ""}, {}).ok());
}

// The chain's bytes are a stored format: an entry naming no other resources
// hashes as it did before other_resources existed (the value below was
// computed outside this code, from the format audit_chain.h describes), so
// the entries written before still verify.
TEST(AuditChainTest, AnEntryWithoutOtherResourcesHashesAsBefore) {
  v1::AuditEntry entry = Attempt("department:hrss", "plans/p/tasks/6", "r1");
  entry.set_sequence(1);
  *entry.mutable_time() = TimeToProto(kStart);
  EXPECT_EQ(ChainHash(kGenesisHash, entry),
            "73b4ecb892da8960005822a733ec7287cbfb7b93a19a599ddc1823bcd8da6499");
  entry.add_other_resources("institutions/cqvie");
  EXPECT_NE(ChainHash(kGenesisHash, entry),
            "73b4ecb892da8960005822a733ec7287cbfb7b93a19a599ddc1823bcd8da6499");
}

// One append of several entries (replicas' entries go to Redis together)
// indexes each under its own resources: none, one, or three.
TEST_F(AuditTrailTest, EntriesAppendedTogetherAreIndexedByTheirOwnResources) {
  std::vector<v1::AuditEntry> entries = {Attempt("coordinator", "", "a"),
                                         Attempt("coordinator", "institutions/cqvie", "b"),
                                         Attempt("school:cqgsxx", "institutions/cqgsxx", "c")};
  entries[2].add_other_resources("institutions/cqepc");
  entries[2].add_other_resources("institutions/cqvie");
  ChainHead head;
  for (auto& e : entries) {
    *e.mutable_time() = TimeToProto(kStart);
    head = Link(head, &e);
  }
  auto appended = store_.Append(ChainHead{}, entries);
  ASSERT_TRUE(appended.ok()) << appended.status();
  ASSERT_TRUE(appended->appended);

  AuditTrail trail(store_, clock_);
  auto request_ids = [&](const std::string& resource, const std::string& principal) {
    v1::ListAuditEntriesRequest req;
    req.set_resource(resource);
    req.set_principal(principal);
    std::string ids;
    auto listed = trail.List(kCoordinator, req);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (listed.ok()) {
      for (const auto& e : listed->entries()) ids += e.request_id();
    }
    return ids;
  };
  EXPECT_EQ(request_ids("institutions/cqvie", ""), "bc");
  EXPECT_EQ(request_ids("institutions/cqgsxx", ""), "c");
  EXPECT_EQ(request_ids("institutions/cqepc", ""), "c");
  EXPECT_EQ(request_ids("", "coordinator"), "ab");
  EXPECT_EQ(request_ids("", "school:cqgsxx"), "c");
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact()) << verified->problem();
}

// A training import whose rows concern several institutions is found by
// each; what it names is part of its hash, as every other fact is.
TEST_F(AuditTrailTest, AnEntryNamingSeveralResourcesIsFoundByEach) {
  AuditTrail trail(store_, clock_);
  Append(trail, Attempt("coordinator", "plans/p/tasks/6", "a"));
  v1::AuditEntry import = Attempt("coordinator", "institutions/cqvie", "");
  import.add_other_resources("institutions/cqgsxx");
  import.add_other_resources("institutions/cqepc");
  Append(trail, import);
  Append(trail, Attempt("coordinator", "institutions/cqgsxx", "c"));

  for (const char* resource : {"institutions/cqvie", "institutions/cqgsxx", "institutions/cqepc"}) {
    SCOPED_TRACE(resource);
    v1::ListAuditEntriesRequest by_resource;
    by_resource.set_resource(resource);
    auto found = trail.List(kCoordinator, by_resource);
    ASSERT_TRUE(found.ok()) << found.status();
    ASSERT_GE(found->entries_size(), 1);
    EXPECT_EQ(found->entries(0).sequence(), 2);
    EXPECT_EQ(found->entries(0).other_resources_size(), 2);
    EXPECT_EQ(found->entries_size(), std::string(resource) == "institutions/cqgsxx" ? 2 : 1);
  }
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact()) << verified->problem();

  Tamper(2, [](v1::AuditEntry* e) { e->mutable_other_resources()->RemoveLast(); });
  verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_bad_sequence(), 2);
}

TEST_F(AuditTrailTest, ATamperedEntryIsNamed) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 4; ++i) Append(trail, Attempt("department:hrss", "plans/p/tasks/6", "x"));
  Tamper(2, [](v1::AuditEntry* e) { e->set_principal("department:edu"); });
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_bad_sequence(), 2);
  EXPECT_EQ(verified->entries(), 1);
}

TEST_F(AuditTrailTest, ARehashedEntryBreaksTheNextLink) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 4; ++i) Append(trail, Attempt("department:hrss", "r", "x"));
  Tamper(2, [](v1::AuditEntry* e) {
    e->set_code("OK");
    e->set_hash(ChainHash(e->previous_hash(), *e));
  });
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_bad_sequence(), 3);
}

TEST_F(AuditTrailTest, RemovedEntriesAreFound) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 4; ++i) Append(trail, Attempt("coordinator", "r", "x"));
  ASSERT_TRUE(redis_.Command({"XDEL", store_.LogKey(), "0-4"}).ok());
  auto last_removed = trail.Verify(kCoordinator);
  ASSERT_TRUE(last_removed.ok());
  EXPECT_FALSE(last_removed->intact());
  EXPECT_EQ(last_removed->first_bad_sequence(), 4);
  ASSERT_TRUE(redis_.Command({"XDEL", store_.LogKey(), "0-2"}).ok());
  auto middle_removed = trail.Verify(kCoordinator);
  ASSERT_TRUE(middle_removed.ok());
  EXPECT_EQ(middle_removed->first_bad_sequence(), 2);
}

v1::VerifyAuditChainRequest VerifyPage(int page_size, const std::string& token = "") {
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

TEST_F(AuditTrailTest, VerificationGoesPageByPageAndAnAnchorSkipsWhatWasChecked) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 25; ++i) Append(trail, Attempt("coordinator", "r", absl::StrCat("x", i)));
  auto all = store_.Range(1, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 25u);

  std::vector<int64_t> page_entries;
  v1::VerifyAuditChainRequest req = VerifyPage(10);
  for (;;) {
    auto page = trail.Verify(kCoordinator, req);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_TRUE(page->intact()) << page->problem();
    page_entries.push_back(page->entries());
    EXPECT_EQ(page->head_hash(), (*all)[page->last_sequence() - 1].hash());
    if (page->next_page_token().empty()) {
      EXPECT_EQ(page->last_sequence(), 25);
      break;
    }
    ASSERT_LT(page_entries.size(), 5u) << "the pages do not move on";
    req.set_page_token(page->next_page_token());
  }
  EXPECT_EQ(page_entries, (std::vector<int64_t>{10, 10, 5}));

  // The last check's end is the next one's anchor: only what came since is read.
  for (int i = 0; i < 3; ++i) Append(trail, Attempt("coordinator", "r", absl::StrCat("y", i)));
  auto since = trail.Verify(kCoordinator, VerifyAfter(25, all->back().hash()));
  ASSERT_TRUE(since.ok()) << since.status();
  EXPECT_TRUE(since->intact()) << since->problem();
  EXPECT_EQ(since->entries(), 3);
  EXPECT_EQ(since->last_sequence(), 28);
  auto nothing_new = trail.Verify(kCoordinator, VerifyAfter(28, since->head_hash()));
  ASSERT_TRUE(nothing_new.ok()) << nothing_new.status();
  EXPECT_TRUE(nothing_new->intact());
  EXPECT_EQ(nothing_new->entries(), 0);
}

// Someone who can write Redis can rewrite the whole trail with fresh hashes,
// which a verification from the first entry cannot tell; an anchor kept
// outside can.
TEST_F(AuditTrailTest, AnAnchorKeptOutsideCatchesARewrittenOrCutTrail) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 5; ++i) Append(trail, Attempt("department:hrss", "r", absl::StrCat("x", i)));
  auto before = store_.Range(1, 100);
  ASSERT_TRUE(before.ok());
  const std::string kept_hash = (*before)[2].hash();

  // Entry 2 changed, it and every later entry rehashed, the head moved along.
  ASSERT_TRUE(redis_.Command({"DEL", store_.LogKey()}).ok());
  ChainHead head;
  for (v1::AuditEntry e : *before) {
    if (e.sequence() == 2) e.set_principal("department:edu");
    head = Link(head, &e);
    ASSERT_TRUE(redis_
                    .Command({"XADD", store_.LogKey(), "0-" + std::to_string(e.sequence()), "e",
                              e.SerializeAsString()})
                    .ok());
  }
  AuditTrail fresh(store_, clock_);  // a gateway that never saw the old head
  ASSERT_TRUE(redis_.Command({"SET", store_.HeadKey(), EncodeHead(head)}).ok());
  auto whole = fresh.Verify(kCoordinator);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_TRUE(whole->intact()) << "an unkeyed chain rewritten whole looks intact from its start";

  auto anchored = fresh.Verify(kCoordinator, VerifyAfter(3, kept_hash));
  ASSERT_TRUE(anchored.ok()) << anchored.status();
  EXPECT_FALSE(anchored->intact());
  EXPECT_EQ(anchored->first_bad_sequence(), 3);
  EXPECT_TRUE(absl::StrContains(anchored->problem(), "rewritten")) << anchored->problem();
  EXPECT_TRUE(anchored->next_page_token().empty());

  // A trail cut short of an entry checked before.
  auto cut = fresh.Verify(kCoordinator, VerifyAfter(9, kept_hash));
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_FALSE(cut->intact());
  EXPECT_EQ(cut->first_bad_sequence(), 6);
  EXPECT_TRUE(absl::StrContains(cut->problem(), "removed")) << cut->problem();
}

TEST_F(AuditTrailTest, TheHeadIsToldAtMostOncePerIntervalAsAnAnchor) {
  std::vector<ChainHead> told;  // written by the writer thread, read after its appends
  AuditOptions options;
  options.checkpoint_interval = absl::Minutes(10);
  options.on_checkpoint = [&told](const ChainHead& head) { told.push_back(head); };
  AuditTrail trail(store_, clock_, options);
  Append(trail, Attempt("coordinator", "r", "a"));
  clock_.Advance(absl::Minutes(9));
  Append(trail, Attempt("coordinator", "r", "b"));
  clock_.Advance(absl::Minutes(1));
  Append(trail, Attempt("coordinator", "r", "c"));
  Append(trail, Attempt("coordinator", "r", "d"));
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].sequence, 1);
  EXPECT_EQ(told[1].sequence, 3);
  auto stored = store_.Range(1, 10);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(told[1].hash, (*stored)[2].hash());
  auto since = trail.Verify(kCoordinator, VerifyAfter(told[1].sequence, told[1].hash));
  ASSERT_TRUE(since.ok()) << since.status();
  EXPECT_TRUE(since->intact()) << since->problem();
  EXPECT_EQ(since->entries(), 1);
}

// Found in review: the anchor's own content was not looked at, and the next
// entry links only to its hash field.
TEST_F(AuditTrailTest, AnAnchorEntryChangedUnderItsHashOrRemovedIsFound) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 4; ++i) Append(trail, Attempt("department:hrss", "r", absl::StrCat("x", i)));
  auto before = store_.Range(1, 10);
  ASSERT_TRUE(before.ok());
  const std::string kept = (*before)[1].hash();

  Tamper(2, [](v1::AuditEntry* e) { e->set_principal("department:edu"); });
  auto changed = trail.Verify(kCoordinator, VerifyAfter(2, kept));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_FALSE(changed->intact());
  EXPECT_EQ(changed->first_bad_sequence(), 2);
  EXPECT_TRUE(absl::StrContains(changed->problem(), "rewritten")) << changed->problem();
  EXPECT_EQ(changed->last_sequence(), 0) << "an anchor that does not hold is no answer";
  EXPECT_TRUE(changed->head_hash().empty());

  ASSERT_TRUE(redis_.Command({"XDEL", store_.LogKey(), "0-2"}).ok());
  auto missing = trail.Verify(kCoordinator, VerifyAfter(2, kept));
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->intact());
  EXPECT_EQ(missing->first_bad_sequence(), 2);
  EXPECT_TRUE(absl::StrContains(missing->problem(), "missing")) << missing->problem();
}

// Found in review: a head lowered between two pages, still past where the
// first stopped, was taken as the end.
TEST_F(AuditTrailTest, EntriesRemovedBetweenTwoPagesAreFound) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 8; ++i) Append(trail, Attempt("coordinator", "r", absl::StrCat("x", i)));
  auto first = trail.Verify(kCoordinator, VerifyPage(3));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());

  auto stored = store_.Range(1, 10);
  ASSERT_TRUE(stored.ok());
  for (const char* id : {"0-6", "0-7", "0-8"}) {
    ASSERT_TRUE(redis_.Command({"XDEL", store_.LogKey(), id}).ok());
  }
  const ChainHead lowered{5, (*stored)[4].hash()};
  ASSERT_TRUE(redis_.Command({"SET", store_.HeadKey(), EncodeHead(lowered)}).ok());

  auto rest = trail.Verify(kCoordinator, VerifyPage(3, first->next_page_token()));
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_FALSE(rest->intact());
  EXPECT_EQ(rest->first_bad_sequence(), 6);
  EXPECT_TRUE(absl::StrContains(rest->problem(), "removed")) << rest->problem();
  EXPECT_TRUE(rest->next_page_token().empty());
}

TEST_F(AuditTrailTest, ATamperedEntryOnALaterPageEndsTheVerification) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 8; ++i) Append(trail, Attempt("department:hrss", "r", absl::StrCat("x", i)));
  Tamper(5, [](v1::AuditEntry* e) { e->set_code("OK"); });
  v1::VerifyAuditChainRequest req = VerifyPage(2);
  int pages = 0;
  absl::StatusOr<v1::VerifyAuditChainResponse> page;
  do {
    page = trail.Verify(kCoordinator, req);
    ASSERT_TRUE(page.ok()) << page.status();
    req.set_page_token(page->next_page_token());
    ASSERT_LT(++pages, 10);
  } while (!page->next_page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_FALSE(page->intact());
  EXPECT_EQ(page->first_bad_sequence(), 5);
  EXPECT_EQ(page->last_sequence(), 4);
}

// Each call to Now moves the time on by a second.
class TickingClock : public Clock {
 public:
  explicit TickingClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += absl::Seconds(1);
    return now_;
  }

 private:
  mutable std::mutex mu_;
  mutable absl::Time now_;
};

TEST_F(AuditTrailTest, AVerificationStopsAtItsDeadlineAndGoesOnFromThere) {
  TickingClock clock(kStart);
  AuditOptions options;
  options.verify_batch = 2;
  AuditTrail trail(store_, clock, options);
  for (int i = 0; i < 12; ++i) Append(trail, Attempt("coordinator", "r", absl::StrCat("x", i)));

  EXPECT_EQ(trail.Verify(kCoordinator, {}, clock.Now()).status().code(),
            absl::StatusCode::kDeadlineExceeded);

  // The deadline falls on the first look at the clock inside: every page
  // still reads one batch.
  auto verify_all = [&](int64_t* checked, int* calls) {
    v1::VerifyAuditChainResponse page;
    v1::VerifyAuditChainRequest req;
    *checked = 0;
    *calls = 0;
    for (;;) {
      auto got = trail.Verify(kCoordinator, req, clock.Now() + absl::Seconds(2));
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok()) return page;
      page = *std::move(got);
      EXPECT_GT(page.entries(), 0) << "a page that checks nothing would never end";
      *checked += page.entries();
      if (page.next_page_token().empty() || ++*calls >= 12) return page;
      EXPECT_TRUE(page.intact()) << "a page went on past a bad entry";
      req.set_page_token(page.next_page_token());
    }
  };
  int64_t checked = 0;
  int calls = 0;
  v1::VerifyAuditChainResponse last = verify_all(&checked, &calls);
  EXPECT_TRUE(last.intact()) << last.problem();
  EXPECT_GT(calls, 1) << "the deadline did not cut the verification";
  EXPECT_LT(calls, 12) << "the pages did not reach the head";
  EXPECT_EQ(checked, 12);

  // A bad entry in the middle of a batch ends the verification there, even
  // when the deadline falls right after.
  Tamper(8, [](v1::AuditEntry* e) { e->set_code("OK"); });
  last = verify_all(&checked, &calls);
  EXPECT_FALSE(last.intact());
  EXPECT_EQ(last.first_bad_sequence(), 8);
  EXPECT_TRUE(last.next_page_token().empty());
}

TEST_F(AuditTrailTest, ABadAnchorPageSizeOrTokenIsRefusedByName) {
  AuditTrail trail(store_, clock_);
  for (int i = 0; i < 3; ++i) Append(trail, Attempt("coordinator", "r", absl::StrCat("x", i)));
  auto first = trail.Verify(kCoordinator, VerifyPage(1));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());

  v1::VerifyAuditChainRequest other_anchor = VerifyAfter(1, first->head_hash());
  other_anchor.set_page_token(first->next_page_token());
  v1::VerifyAuditChainRequest garbage = VerifyPage(1, "not-a-token");
  // Tokens as the service would sign them, holding what it never writes.
  auto forged = [&](const std::string& point) {
    v1::VerifyAuditChainRequest req = VerifyPage(1);
    auto page = ParseKeyPage(req);
    EXPECT_TRUE(page.ok());
    req.set_page_token(KeyPageToken(*page, point));
    return req;
  };
  const std::string hash = first->head_hash();
  const std::string huge = absl::StrCat(std::numeric_limits<int64_t>::max());
  const std::pair<v1::VerifyAuditChainRequest, std::string> cases[] = {
      {VerifyAfter(0, first->head_hash()), "after_sequence"},
      {VerifyAfter(-1, first->head_hash()), "after_sequence"},
      {VerifyAfter(1, ""), "after_hash"},
      {VerifyAfter(1, "ABC"), "after_hash"},
      {VerifyAfter(1, std::string(64, 'G')), "after_hash"},
      {VerifyPage(-1), "page_size"},
      {VerifyAfter(std::numeric_limits<int64_t>::max(), first->head_hash()), "after_sequence"},
      {other_anchor, "page_token"},
      {garbage, "page_token"},
      {forged(absl::StrCat(huge, ":", hash, ":", huge)), "page_token"},
      {forged(absl::StrCat("1:", hash)), "page_token"},
      {forged(absl::StrCat("1:", hash, ":0")), "page_token"},
      {forged(absl::StrCat("1:", hash, ":3:4")), "page_token"},
  };
  for (const auto& [req, field] : cases) {
    auto refused = trail.Verify(kCoordinator, req);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_TRUE(absl::StrContains(refused.status().message(), field)) << refused.status();
  }
}

TEST_F(AuditTrailTest, ReplicasSharingRedisKeepOneChain) {
  redis::Client other_redis(server_.options());
  RedisAuditStore other_store(other_redis, "vt:gw:");
  AuditTrail a(store_, clock_);
  AuditTrail b(other_store, clock_);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 25; ++i) {
        auto s = (w % 2 == 0 ? a : b).AppendAndWait(Attempt("coordinator", "r", "x"));
        EXPECT_TRUE(s.ok()) << s.status();
      }
    });
  }
  for (auto& t : writers) t.join();
  auto verified = a.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact()) << verified->problem();
  EXPECT_EQ(verified->entries(), 100);
}

TEST_F(AuditTrailTest, AFailedWriteSaysUnavailable) {
  AuditTrail trail(store_, clock_);
  Append(trail, Attempt("coordinator", "r", "x"));
  server_.Kill();
  auto failed = trail.AppendAndWait(Attempt("coordinator", "r", "y"));
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  server_.Start();
  EXPECT_EQ(Append(trail, Attempt("coordinator", "r", "z")), 2);
  auto verified = trail.Verify(kCoordinator);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact());
}

}  // namespace
}  // namespace vetrack::gateway
