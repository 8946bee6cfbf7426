// The shared Redis layer against a real redis-server.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <cmath>
#include <limits>
#include <thread>

#include "redis/atomic_write.h"
#include "redis/durability.h"
#include "redis/hiredis_glue.h"
#include "redis/redis_client.h"
#include "status/errors.h"
#include "testing/redis_server.h"

namespace vetrack::redis {
namespace {

class RedisTest : public ::testing::Test {
 protected:
  vetrack::testing::RedisServer server_;
  Client client_{server_.options()};
};

TEST_F(RedisTest, CommandsAndPipelines) {
  ASSERT_TRUE(client_.Command({"SET", "k", std::string("a\0b", 3)}).ok());
  auto got = client_.Command({"GET", "k"});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str, std::string("a\0b", 3));
  auto replies = client_.Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "missing"}});
  ASSERT_TRUE(replies.ok());
  EXPECT_EQ((*replies)[1].integer, 2);
  EXPECT_TRUE((*replies)[2].is_nil());
}

// A managed Redis wants a password: every new connection, pooled or the
// scripts' batch connection, sends AUTH first.
TEST_F(RedisTest, AClientWithThePasswordGetsInAndOthersAreRefused) {
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "requirepass", "s3cret"}).ok());
  Options with = server_.options();
  with.password = "s3cret";
  Client authenticated(with);
  EXPECT_TRUE(authenticated.Ping().ok());
  Script incr("return redis.call('INCR', KEYS[1])");
  auto counted = authenticated.Eval(incr, {"n"}, {});
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->integer, 1);

  Client without(server_.options());
  absl::Status refused = without.Ping();
  EXPECT_FALSE(refused.ok());
  Options wrong = with;
  wrong.password = "guess";
  absl::Status wrong_password = Client(wrong).Ping();
  EXPECT_EQ(wrong_password.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(wrong_password.message().find("refused the credentials"), std::string::npos)
      << wrong_password;
  EXPECT_EQ(wrong_password.message().find("guess"), std::string::npos);
  ASSERT_TRUE(authenticated.Command({"CONFIG", "SET", "requirepass", ""}).ok());
}

TEST(FormatCommandTest, WritesWhatHiredisWouldForAnyBytes) {
  const std::vector<std::string> argv = {"EVALSHA", std::string("a\0b\r\n", 5), "", "12345"};
  std::vector<const char*> parts;
  std::vector<size_t> lengths;
  for (const auto& arg : argv) {
    parts.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* formatted = nullptr;
  int length = redisFormatCommandArgv(&formatted, static_cast<int>(argv.size()), parts.data(),
                                      lengths.data());
  ASSERT_GT(length, 0);
  EXPECT_EQ(FormatCommand(argv), std::string(formatted, length));
  redisFreeCommand(formatted);
  EXPECT_EQ(FormatCommand({"PING"}), "*1\r\n$4\r\nPING\r\n");
}

TEST_F(RedisTest, ErrorReplyIsAStatusAndConnectionStaysUsable) {
  ASSERT_TRUE(client_.Command({"SET", "s", "x"}).ok());
  auto wrong = client_.Command({"INCR", "s"});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(client_.Ping().ok());
}

// Found in review: Redis refusing a command only for now (loading its data,
// a replica after a failover) came back INTERNAL, which callers do not
// retry; it applied nothing, so it is UNAVAILABLE, as a lost connection is.
TEST_F(RedisTest, ARedisThatRefusesForNowIsUnavailable) {
  ASSERT_TRUE(client_.Command({"SET", "kept", "1"}).ok());
  // A replica of a primary that is not there: writes are READONLY.
  const int nowhere = vetrack::testing::FreePort();
  ASSERT_TRUE(client_.Command({"REPLICAOF", "127.0.0.1", std::to_string(nowhere)}).ok());
  auto write = client_.Command({"SET", "kept", "2"});
  EXPECT_EQ(write.status().code(), absl::StatusCode::kUnavailable) << write.status();
  AtomicWrite scripted;  // the script's own write is refused the same way
  scripted.HashIncrBy("totals", "n", 1);
  auto commit = Commit(client_, scripted);
  EXPECT_EQ(commit.status().code(), absl::StatusCode::kUnavailable) << commit.status();
  EXPECT_NE(commit.status().message().find("READONLY"), std::string::npos) << commit.status();
  // Reads too, once the replica will not serve what it may have missed.
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "replica-serve-stale-data", "no"}).ok());
  auto read = client_.Command({"GET", "kept"});
  EXPECT_EQ(read.status().code(), absl::StatusCode::kUnavailable) << read.status();

  ASSERT_TRUE(client_.Command({"REPLICAOF", "NO", "ONE"}).ok());
  EXPECT_EQ(client_.Command({"GET", "kept"})->str, "1");
  // A refused connection is not kept: after a failover that moved the
  // primary, the address names another server, reached only by connecting.
  Options one_connection = server_.options();
  one_connection.pool_size = 1;
  Client single(one_connection);
  const int64_t before = single.Command({"CLIENT", "ID"})->integer;
  ASSERT_TRUE(single.Command({"REPLICAOF", "127.0.0.1", std::to_string(nowhere)}).ok());
  EXPECT_TRUE(absl::IsUnavailable(single.Command({"SET", "kept", "3"}).status()));
  ASSERT_TRUE(single.Command({"REPLICAOF", "NO", "ONE"}).ok());
  EXPECT_NE(single.Command({"CLIENT", "ID"})->integer, before);
  EXPECT_EQ(client_.Command({"EXISTS", "totals"})->integer, 0);
  // Out of memory under noeviction: refused until someone makes room.
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "maxmemory", "1"}).ok());
  auto full = Commit(client_, scripted);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kUnavailable) << full.status();
  EXPECT_NE(full.status().message().find("OOM"), std::string::npos) << full.status();
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "maxmemory", "0"}).ok());
  EXPECT_TRUE(Commit(client_, scripted).ok());
}

TEST(ErrorReplyStatusTest, EachRefusalHasItsCode) {
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyStatus("LOADING Redis is loading the dataset")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyStatus("BUSY Redis is busy running a script.")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyStatus("MASTERDOWN Link with MASTER is down")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyStatus("OOM command not allowed")));
  EXPECT_TRUE(RefusedAsReplica(ErrorReplyStatus("READONLY You can't write against a replica")));
  EXPECT_TRUE(RefusedAsReplica(ErrorReplyStatus("MASTERDOWN Link with MASTER is down")));
  EXPECT_FALSE(RefusedAsReplica(ErrorReplyStatus("OOM command not allowed")));
  EXPECT_FALSE(RefusedAsReplica(ErrorReplyStatus("LOADING Redis is loading")));
  EXPECT_TRUE(absl::IsDataLoss(ErrorReplyStatus("WRONGTYPE Operation against a key")));
  absl::Status other = ErrorReplyStatus("ERR value is not an integer");
  EXPECT_TRUE(absl::IsInternal(other));
  EXPECT_EQ(other.message(), "redis: ERR value is not an integer");
  EXPECT_TRUE(absl::IsInternal(ErrorReplyStatus("LOADINGS is not a code")));
}

TEST_F(RedisTest, UnreachableRedisIsUnavailable) {
  Options options;
  options.port = vetrack::testing::FreePort();
  options.connect_timeout = std::chrono::milliseconds(100);
  Client nowhere(options);
  EXPECT_EQ(nowhere.Ping().code(), absl::StatusCode::kUnavailable);
}

TEST_F(RedisTest, ClientRecoversAfterRedisRestart) {
  ASSERT_TRUE(client_.Command({"SET", "durable", "1"}).ok());
  server_.Restart();
  // The pooled connection is dead; the client reconnects by itself.
  auto got = client_.Command({"GET", "durable"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, "1");
}

TEST_F(RedisTest, EveryPooledConnectionIsRenewedAfterRestart) {
  // Fill the pool with several idle connections, all of which die with Redis.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([this] { ASSERT_TRUE(client_.Command({"BLPOP", "never", "0.2"}).ok()); });
  }
  for (auto& t : threads) t.join();
  server_.Restart();
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(client_.Ping().ok()) << "call " << i;
  }
}

TEST_F(RedisTest, AtomicWriteAppliesEverythingAndBumpsVersions) {
  AtomicWrite write;
  write.ExpectVersion("e", 0, "entity e");
  write.PutVersioned("e", 1, "first");
  write.ListAppend("history", "created");
  write.HashIncrBy("totals", "n", 5);
  write.SetAdd("index", "e");
  write.RecordIdempotent("idem:r1", Fingerprint("req"), "answer", 60);
  auto result = Commit(client_, write);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->replayed);

  auto entity = GetVersioned(client_, "e");
  ASSERT_TRUE(entity.ok());
  ASSERT_TRUE(entity->has_value());
  EXPECT_EQ((*entity)->version, 1);
  EXPECT_EQ((*entity)->data, "first");
  EXPECT_EQ(client_.Command({"HGET", "totals", "n"})->str, "5");
  EXPECT_EQ(client_.Command({"LLEN", "history"})->integer, 1);
}

// A revision kept in the entity's own hash stays when the entity moves on,
// and a write refused by its guard keeps nothing.
TEST_F(RedisTest, AKeptRevisionStaysWhenTheEntityMovesOn) {
  AtomicWrite first;
  first.PutGuarded("e", 0, "said first", "entity e", "r1");
  ASSERT_TRUE(Commit(client_, first).ok());
  AtomicWrite second;
  second.PutGuarded("e", 1, "said second", "entity e", "r2");
  ASSERT_TRUE(Commit(client_, second).ok());
  AtomicWrite stale;
  stale.PutGuarded("e", 1, "never said", "entity e", "r3");
  EXPECT_EQ(Commit(client_, stale).status().code(), absl::StatusCode::kAborted);

  auto entity = GetVersioned(client_, "e");
  ASSERT_TRUE(entity.ok() && entity->has_value());
  EXPECT_EQ((*entity)->version, 2);
  EXPECT_EQ((*entity)->data, "said second");
  auto kept = GetKept(client_, "e", {"r1", "r2", "r3"});
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept,
            (std::vector<std::optional<std::string>>{"said first", "said second", std::nullopt}));
  EXPECT_TRUE(GetKept(client_, "absent", {"r1"})->front() == std::nullopt);
}

TEST_F(RedisTest, StaleVersionAbortsAndWritesNothing) {
  AtomicWrite first;
  first.PutVersioned("e", 1, "v1");
  ASSERT_TRUE(Commit(client_, first).ok());

  AtomicWrite stale;
  stale.ExpectVersion("other", 0, "plans/p/tasks/2");
  stale.ExpectVersion("e", 0, "plans/p/tasks/1");
  stale.PutVersioned("e", 1, "lost update");
  stale.ListAppend("history", "should not appear");
  auto result = Commit(client_, stale);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(ReasonOf(result.status()), "STALE_ETAG");
  // The caller learns what changed by its name, not by a Redis key.
  EXPECT_EQ(result.status().message(),
            "concurrent modification: plans/p/tasks/1 changed since it was read; read it again "
            "and retry");
  EXPECT_EQ((*GetVersioned(client_, "e"))->data, "v1");
  EXPECT_EQ(client_.Command({"EXISTS", "history"})->integer, 0);
}

// Found in review: Redis does not undo a script's earlier writes when a later
// one fails, and ZADD fails on a NaN score; EXPIRE 0 deletes the record.
TEST_F(RedisTest, AWriteRedisWouldRefuseHalfWayIsNotSent) {
  AtomicWrite nan_score;
  nan_score.HashIncrBy("totals", "n", 1);
  nan_score.SortedSetAdd("due", std::nan(""), "task-1");
  auto refused = Commit(client_, nan_score);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInternal) << refused.status();
  EXPECT_NE(refused.status().message().find("NaN score for due"), std::string::npos);

  AtomicWrite no_ttl;
  no_ttl.HashIncrBy("totals", "n", 1);
  no_ttl.RecordIdempotent("idem:r", Fingerprint("payload"), "answer", 0);
  EXPECT_EQ(Commit(client_, no_ttl).status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(client_.Command({"EXISTS", "totals"})->integer, 0);

  // A key that holds another type than its write expects (a corrupted
  // store, a key named twice): Redis would apply the writes before the one
  // it refuses, so the script refuses the commit before any.
  ASSERT_TRUE(client_.Command({"SET", "history:t1", "not a list"}).ok());
  AtomicWrite corrupt;
  corrupt.HashIncrBy("totals", "n", 1);
  corrupt.ListAppend("history:t1", "filed");
  auto wrong = Commit(client_, corrupt);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kDataLoss) << wrong.status();
  EXPECT_NE(wrong.status().message().find("history:t1 holds a string"), std::string::npos)
      << wrong.status();
  AtomicWrite mixed;  // one new key written as a list and then as a set
  mixed.HashIncrBy("totals", "n", 1);
  mixed.ListAppend("fresh", "a");
  mixed.SetAdd("fresh", "b");
  EXPECT_EQ(Commit(client_, mixed).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(client_.Command({"EXISTS", "totals", "fresh"})->integer, 0);
  ASSERT_TRUE(client_.Command({"HSET", "counters", "checked", "many"}).ok());
  AtomicWrite not_a_number;  // a counter that is not one
  not_a_number.HashIncrBy("totals", "n", 1);
  not_a_number.HashIncrBy("counters", "checked", 1);
  auto not_counted = Commit(client_, not_a_number);
  EXPECT_EQ(not_counted.status().code(), absl::StatusCode::kDataLoss) << not_counted.status();
  EXPECT_EQ(client_.Command({"EXISTS", "totals"})->integer, 0);
  AtomicWrite guarded;  // a versioned key read by its guard, then written
  guarded.ExpectVersion("report:1", 0, "report 1");
  guarded.PutVersioned("report:1", 1, "data");
  guarded.ListAppend("history:t2", "filed");
  guarded.ListAppend("history:t2", "again");
  EXPECT_TRUE(Commit(client_, guarded).ok());
  EXPECT_EQ(client_.Command({"LLEN", "history:t2"})->integer, 2);

  AtomicWrite infinite;  // a valid score in Redis: the end of a sorted set
  infinite.SortedSetAdd("due", std::numeric_limits<double>::infinity(), "task-1");
  EXPECT_TRUE(Commit(client_, infinite).ok());
}

TEST_F(RedisTest, DurabilityIsAofWithAnFsyncPerWrite) {
  EXPECT_TRUE(CheckDurable(client_).ok());  // the test Redis runs as shipped
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "appendfsync", "everysec"}).ok());
  absl::Status everysec = CheckDurable(client_);
  EXPECT_EQ(everysec.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(everysec.message().find("appendfsync everysec"), std::string::npos) << everysec;
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "appendfsync", "always"}).ok());
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "appendonly", "no"}).ok());
  EXPECT_EQ(CheckDurable(client_).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "appendonly", "yes"}).ok());
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "no-appendfsync-on-rewrite", "yes"}).ok());
  absl::Status skips = CheckDurable(client_);
  EXPECT_EQ(skips.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(skips.message().find("no-appendfsync-on-rewrite yes"), std::string::npos) << skips;
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "no-appendfsync-on-rewrite", "no"}).ok());
  EXPECT_TRUE(CheckDurable(client_).ok());

  Options nowhere;
  nowhere.port = vetrack::testing::FreePort();
  nowhere.connect_timeout = std::chrono::milliseconds(100);
  Client unreachable(nowhere);
  absl::Status unknown = CheckDurable(unreachable);
  EXPECT_FALSE(unknown.ok());
  EXPECT_FALSE(absl::IsFailedPrecondition(unknown)) << unknown;
}

TEST_F(RedisTest, IdempotentReplayReturnsFirstAnswerAndReuseIsRefused) {
  AtomicWrite write;
  write.HashIncrBy("totals", "n", 1);
  write.RecordIdempotent("idem:r", Fingerprint("payload"), "first answer", 60);
  ASSERT_TRUE(Commit(client_, write).ok());

  auto replay = Commit(client_, write);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->response, "first answer");
  EXPECT_EQ(client_.Command({"HGET", "totals", "n"})->str, "1");

  AtomicWrite other;
  other.HashIncrBy("totals", "n", 1);
  other.RecordIdempotent("idem:r", Fingerprint("other payload"), "x", 60);
  auto reused = Commit(client_, other);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(reused.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(reused.status())[0].field, "request_id");
  EXPECT_EQ(client_.Command({"HGET", "totals", "n"})->str, "1");

  auto looked_up = LookupIdempotent(client_, "idem:r", Fingerprint("payload"));
  ASSERT_TRUE(looked_up.ok());
  EXPECT_EQ(looked_up->value_or(""), "first answer");
}

TEST_F(RedisTest, AnswerAndEntitiesAreReadTogether) {
  auto nothing = LookupIdempotentWith(client_, "idem:q", Fingerprint("payload"), {"e1", "e2"});
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->answer.has_value());
  ASSERT_EQ(nothing->entities.size(), 2u);
  EXPECT_FALSE(nothing->entities[0].has_value());

  AtomicWrite write;
  write.PutVersioned("e2", 3, "second");
  write.RecordIdempotent("idem:q", Fingerprint("payload"), "the answer", 60);
  ASSERT_TRUE(Commit(client_, write).ok());
  auto both = LookupIdempotentWith(client_, "idem:q", Fingerprint("payload"), {"e1", "e2"});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->answer.value_or(""), "the answer");
  EXPECT_FALSE(both->entities[0].has_value());
  ASSERT_TRUE(both->entities[1].has_value());
  EXPECT_EQ(both->entities[1]->version, 3);
  EXPECT_EQ(both->entities[1]->data, "second");

  auto reused = LookupIdempotentWith(client_, "idem:q", Fingerprint("other"), {"e2"});
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(reused.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(reused.status())[0].field, "request_id");
}

TEST_F(RedisTest, ScriptIsReloadedAfterScriptFlush) {
  AtomicWrite write;
  write.Set("a", "1");
  ASSERT_TRUE(Commit(client_, write).ok());
  ASSERT_TRUE(client_.Command({"SCRIPT", "FLUSH"}).ok());
  ASSERT_TRUE(Commit(client_, write).ok());
}

TEST_F(RedisTest, ScriptShaIsTheOneRedisComputes) {
  Script script("return 42");
  auto loaded = client_.Command({"SCRIPT", "LOAD", script.source()});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(script.sha(), loaded->str);
}

TEST_F(RedisTest, ScriptsGoOnAfterRedisRestarts) {
  AtomicWrite write;
  write.HashIncrBy("h", "n", 1);
  ASSERT_TRUE(Commit(client_, write).ok());
  server_.Restart();  // The batcher's connection dies; it is replaced before the next batch.
  ASSERT_TRUE(Commit(client_, write).ok());
  auto n = client_.Command({"HGET", "h", "n"});
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->str, "2");
}

// Counts its call, then keeps Redis busy past the client's command timeout,
// so the reply is lost after Redis has applied the call.
const Script kCountThenStall(R"lua(
redis.call('INCR', KEYS[1])
local function micros(t) return tonumber(t[1]) * 1000000 + tonumber(t[2]) end
local start = micros(redis.call('TIME'))
while micros(redis.call('TIME')) - start < 400000 do end
return 1
)lua");

// Redis is done with the stalling call (and anything sent after it) once a
// fresh connection is answered.
std::string CountOnceRedisIsFree(const Options& options) {
  Client fresh(options);
  auto n = fresh.Command({"GET", "calls"});
  return n.ok() ? n->str : n.status().ToString();
}

TEST_F(RedisTest, AScriptWhoseReplyIsLostIsNotSentAgain) {
  Options impatient = server_.options();
  impatient.command_timeout = std::chrono::milliseconds(150);
  Client client(impatient);
  auto reply = client.Eval(kCountThenStall, {"calls"}, {});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CountOnceRedisIsFree(server_.options()), "1");
}

TEST_F(RedisTest, ACommandWhoseReplyIsLostIsNotSentAgain) {
  Options impatient = server_.options();
  impatient.command_timeout = std::chrono::milliseconds(150);
  Client client(impatient);
  auto reply = client.Command({"EVAL", kCountThenStall.source(), "1", "calls"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CountOnceRedisIsFree(server_.options()), "1");
}

TEST_F(RedisTest, AcknowledgedWriteSurvivesSigkill) {
  AtomicWrite write;
  write.PutVersioned("kept", 1, "acknowledged");
  ASSERT_TRUE(Commit(client_, write).ok());
  server_.Restart();  // SIGKILL, then start on the same AOF.
  auto entity = GetVersioned(client_, "kept");
  ASSERT_TRUE(entity.ok()) << entity.status();
  ASSERT_TRUE(entity->has_value());
  EXPECT_EQ((*entity)->data, "acknowledged");
}

}  // namespace
}  // namespace vetrack::redis
