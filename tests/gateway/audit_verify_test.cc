// The audit trail's hash chain and its verification: tampered, rehashed and
// removed entries, pages, deadlines, and anchors kept outside Redis.
#include <gtest/gtest.h>

#include <limits>
#include <mutex>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit_fixture.h"
#include "clock/timestamp.h"
#include "paging/paging.h"

namespace vetrack::gateway {
namespace {

// That a verification found the chain broken first at `sequence`, for a
// reason that says `why`, and offers no page past it.
void ExpectBrokenAt(const absl::StatusOr<v1::VerifyAuditChainResponse>& verified, int64_t sequence,
                    const std::string& why) {
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_FALSE(verified->intact());
  EXPECT_EQ(verified->first_bad_sequence(), sequence);
  EXPECT_TRUE(absl::StrContains(verified->problem(), why)) << verified->problem();
  EXPECT_TRUE(verified->next_page_token().empty());
}

// The chain's bytes are a stored format: an entry naming no other resources
// hashes as it did before other_resources existed (the value below was
// computed outside this code, from the format audit_chain.h describes), so
// the entries written before still verify.
TEST(AuditChainTest, AnEntryWithoutOtherResourcesHashesAsBefore) {
  v1::AuditEntry entry = Attempt("department:hrss", "plans/p/tasks/6", "r1");
  entry.set_sequence(1);
  *entry.mutable_time() = TimeToProto(kAuditStart);
  EXPECT_EQ(ChainHash(kGenesisHash, entry),
            "73b4ecb892da8960005822a733ec7287cbfb7b93a19a599ddc1823bcd8da6499");
  entry.add_other_resources("institutions/cqvie");
  EXPECT_NE(ChainHash(kGenesisHash, entry),
            "73b4ecb892da8960005822a733ec7287cbfb7b93a19a599ddc1823bcd8da6499");
}

// Likewise for the holder and token id: the entry without them hashes as
// before, and with them the hash covers them, so who acted cannot be
// rewritten unnoticed.
TEST(AuditChainTest, TheHolderIsHashedWhenThereIsOne) {
  v1::AuditEntry entry = Attempt("department:hrss", "plans/p/tasks/6", "r1");
  entry.set_sequence(1);
  *entry.mutable_time() = TimeToProto(kAuditStart);
  const std::string before = "73b4ecb892da8960005822a733ec7287cbfb7b93a19a599ddc1823bcd8da6499";
  entry.set_holder("张三");
  entry.set_token_id("0123456789abcdef");
  const std::string held = ChainHash(kGenesisHash, entry);
  EXPECT_NE(held, before);
  entry.set_holder("李四");
  EXPECT_NE(ChainHash(kGenesisHash, entry), held);
  entry.set_holder("张三");
  entry.set_token_id("fedcba9876543210");
  EXPECT_NE(ChainHash(kGenesisHash, entry), held);
  // A holder named like a count of other resources reads as neither.
  v1::AuditEntry counted = Attempt("department:hrss", "plans/p/tasks/6", "r1");
  counted.set_sequence(1);
  *counted.mutable_time() = TimeToProto(kAuditStart);
  counted.add_other_resources("x");
  v1::AuditEntry holder_like = counted;
  holder_like.clear_other_resources();
  holder_like.set_holder("1");
  holder_like.set_token_id("x");
  EXPECT_NE(ChainHash(kGenesisHash, counted), ChainHash(kGenesisHash, holder_like));
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
  std::vector<v1::AuditEntry> rewritten = *before;
  ChainHead head;
  for (v1::AuditEntry& e : rewritten) {
    if (e.sequence() == 2) e.set_principal("department:edu");
    head = Link(head, &e);
  }
  Rewrite(rewritten);
  AuditTrail fresh(store_, clock_);  // a gateway that never saw the old head
  ASSERT_TRUE(redis_.Command({"SET", store_.HeadKey(), EncodeHead(head)}).ok());
  auto whole = fresh.Verify(kCoordinator);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_TRUE(whole->intact()) << "an unkeyed chain rewritten whole looks intact from its start";

  auto anchored = fresh.Verify(kCoordinator, VerifyAfter(3, kept_hash));
  ExpectBrokenAt(anchored, 3, "rewritten");

  // A trail cut short of an entry checked before.
  auto cut = fresh.Verify(kCoordinator, VerifyAfter(9, kept_hash));
  ExpectBrokenAt(cut, 6, "removed");
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
  ExpectBrokenAt(changed, 2, "rewritten");
  EXPECT_EQ(changed->last_sequence(), 0) << "an anchor that does not hold is no answer";
  EXPECT_TRUE(changed->head_hash().empty());

  ASSERT_TRUE(redis_.Command({"XDEL", store_.LogKey(), "0-2"}).ok());
  auto missing = trail.Verify(kCoordinator, VerifyAfter(2, kept));
  ExpectBrokenAt(missing, 2, "missing");
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
  ExpectBrokenAt(rest, 6, "removed");
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
  TickingClock clock(kAuditStart);
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

}  // namespace
}  // namespace vetrack::gateway
