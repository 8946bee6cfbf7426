// Accepting a task report puts it in the outbox in the same atomic write.
#include <gtest/gtest.h>

#include "catalog.h"
#include "exchange/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "redis_task_store.h"
#include "task_registry.h"
#include "testing/redis_server.h"

namespace vetrack::tasks {
namespace {

const std::string kTask8 = "plans/jiangjin-vet-2021/tasks/8";  // edu leads; hrss, ndrc, sci share

class OutboxHookTest : public ::testing::Test {
 protected:
  OutboxHookTest()
      : client_(redis_.options()),
        store_(client_),
        clock_(absl::FromCivil(absl::CivilSecond(2026, 9, 20, 10, 0, 0),
                               absl::FixedTimeZone(8 * 3600))),
        registry_(store_, clock_) {}

  void SetUp() override {
    auto catalog = ReadCatalogFile(std::string(VETRACK_SOURCE_DIR) +
                                   "/services/task-registry/data/jiangjin-vet-2021.json");
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    v1::ImportCatalogRequest load;
    *load.mutable_catalog() = *catalog;
    load.set_request_id("load");
    ASSERT_TRUE(registry_.ImportCatalog(coordinator_, load).ok());
    for (const std::string unit : {"edu", "hrss", "ndrc", "sci"}) {
      v1::FileProgressRequest req;
      req.set_task(kTask8);
      req.set_period_id("2026-Q3");
      req.set_status(v1::PROGRESS_STATUS_ON_TRACK);
      req.set_narrative(unit + " 推进");
      req.set_request_id("f-" + unit);
      auto filed = registry_.FileProgress(Principal{Role::kDepartment, unit}, req);
      ASSERT_TRUE(filed.ok()) << filed.status();
    }
    Submit("s-1");
  }

  void Submit(const std::string& request_id) {
    v1::SubmitReportRequest req;
    req.set_task(kTask8);
    req.set_period_id("2026-Q3");
    req.set_summary("成果转化项目3个");
    req.set_request_id(request_id);
    auto submitted = registry_.SubmitReport(Principal{Role::kDepartment, "edu"}, req);
    ASSERT_TRUE(submitted.ok()) << submitted.status();
  }

  absl::StatusOr<v1::TaskReport> Review(v1::ReviewDecision decision, const std::string& id) {
    v1::ReviewReportRequest req;
    req.set_task(kTask8);
    req.set_period_id("2026-Q3");
    req.set_decision(decision);
    if (decision == v1::REVIEW_DECISION_RETURN) req.add_reasons("缺少佐证材料");
    req.set_request_id(id);
    return registry_.ReviewReport(coordinator_, req);
  }

  std::vector<std::string> Outbox() {
    auto all = client_.Command({"LRANGE", exchange::OutboxKey("task-registry"), "0", "-1"});
    EXPECT_TRUE(all.ok());
    std::vector<std::string> entries;
    for (const auto& e : all->elements) entries.push_back(e.str);
    return entries;
  }

  testing::RedisServer redis_;
  redis::Client client_;
  RedisTaskStore store_;
  FakeClock clock_;
  TaskRegistry registry_;
  Principal coordinator_{Role::kCoordinator, ""};
};

TEST_F(OutboxHookTest, OnlyAnAcceptanceEntersTheOutboxAndOnlyOnce) {
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_RETURN, "v-1").ok());
  EXPECT_TRUE(Outbox().empty());
  Submit("s-2");
  auto accepted = Review(v1::REVIEW_DECISION_ACCEPT, "v-2");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  // A replay answers from the idempotency record and writes nothing.
  ASSERT_TRUE(Review(v1::REVIEW_DECISION_ACCEPT, "v-2").ok());
  // A refused review (already accepted) writes nothing either.
  EXPECT_FALSE(Review(v1::REVIEW_DECISION_ACCEPT, "v-3").ok());

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  google::protobuf::Struct entry;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(entries[0], &entry).ok());
  const auto& f = entry.fields();
  EXPECT_EQ(f.at("schema").string_value(), "vetrack.exchange.v1");
  EXPECT_EQ(f.at("district_code").string_value(), "500116");
  EXPECT_EQ(f.at("kind").string_value(), "task_report.accepted");
  EXPECT_EQ(f.at("change_id").string_value(), accepted->name() + "@" + accepted->etag());
  EXPECT_EQ(f.at("accepted_time").string_value(), "2026-09-20T02:00:00Z");
  const auto& data = f.at("data").struct_value().fields();
  EXPECT_EQ(data.at("task_number").number_value(), 8);
  EXPECT_EQ(data.at("period_id").string_value(), "2026-Q3");
  EXPECT_EQ(data.at("summary").string_value(), "成果转化项目3个");
  EXPECT_EQ(data.at("lead_unit_code").string_value(), "edu");
  EXPECT_EQ(data.at("co_unit_codes").list_value().values_size(), 3);
  EXPECT_EQ(data.at("revision").number_value(), 2);
}

}  // namespace
}  // namespace vetrack::tasks
