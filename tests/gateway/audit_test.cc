// The audit trail on a real redis-server: appends, queries by principal,
// resource and time, replicas sharing one chain, a failed write, and the
// head told as an anchor. audit_verify_test.cc checks the chain.
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit_fixture.h"
#include "clock/timestamp.h"
#include "paging/paging.h"

namespace vetrack::gateway {
namespace {

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
  EXPECT_EQ(TimeFromProto(all->entries(1).time()), kAuditStart + absl::Minutes(1));
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
  ::testing::internal::CaptureStderr();
  auto refused = trail.AppendAndWait(Attempt("coordinator", "plans/p/tasks/9", "r2"));
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_FALSE(refused.ok());
  // The key is named in the log, under the reference the callers get.
  const std::string message(refused.status().message());
  const std::string reference = message.substr(message.rfind(' ') + 1, 16);
  EXPECT_EQ(message.find(index), std::string::npos) << message;
  EXPECT_NE(log.find(index), std::string::npos) << log;
  EXPECT_NE(log.find(R"("reference":")" + reference + "\""), std::string::npos) << log;
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
  *window.mutable_start_time() = TimeToProto(kAuditStart + absl::Minutes(30));
  *window.mutable_end_time() = TimeToProto(kAuditStart + absl::Hours(2));
  auto middle = trail.List(kCoordinator, window);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->entries_size(), 1);
  EXPECT_EQ(middle->entries(0).request_id(), "b");

  *window.mutable_start_time() = TimeToProto(kAuditStart + absl::Hours(5));
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
  const absl::Time e11 = kAuditStart + absl::Milliseconds(2500);
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
    *e.mutable_time() = TimeToProto(kAuditStart);
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
