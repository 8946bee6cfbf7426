// Accepting a school data report puts it in the outbox in the same atomic write.
#include <gtest/gtest.h>

#include "exchange/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "reporting_fixture.h"

namespace vetrack::schools {
namespace {

class SchoolOutboxHookTest : public ReportingTest {
 protected:
  std::vector<std::string> Outbox() {
    auto all = client_.Command({"LRANGE", exchange::OutboxKey("school-reporting"), "0", "-1"});
    EXPECT_TRUE(all.ok());
    std::vector<std::string> entries;
    for (const auto& e : all->elements) entries.push_back(e.str);
    return entries;
  }
};

TEST_F(SchoolOutboxHookTest, OnlyAnAcceptedDataReportEntersTheOutbox) {
  v1::DataReport report = Complete(kCqvie2025);
  ASSERT_TRUE(Save(report, "save").ok());
  ASSERT_TRUE(Submit(report.name(), "submit").ok());
  ASSERT_TRUE(Review(report.name(), "return", {{"graduates", "与就业数据不一致"}}).ok());
  EXPECT_TRUE(Outbox().empty());

  ASSERT_TRUE(Save(report, "save-2").ok());
  ASSERT_TRUE(Submit(report.name(), "submit-2").ok());
  auto accepted = Review(report.name(), "accept", {});
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_TRUE(Review(report.name(), "accept", {}).ok());  // a replay writes nothing

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  google::protobuf::Struct entry;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(entries[0], &entry).ok());
  const auto& f = entry.fields();
  EXPECT_EQ(f.at("schema").string_value(), "vetrack.exchange.v1");
  EXPECT_EQ(f.at("district_code").string_value(), "500116");
  EXPECT_EQ(f.at("kind").string_value(), "data_report.accepted");
  EXPECT_EQ(f.at("change_id").string_value(), accepted->name() + "@" + accepted->etag());
  const auto& data = f.at("data").struct_value().fields();
  EXPECT_EQ(data.at("institution_code").string_value(), "cqvie");
  EXPECT_EQ(data.at("period_id").string_value(), "ay2025");
  EXPECT_EQ(data.at("revision").number_value(), accepted->accepted_revision());
  const auto& counts = data.at("counts").struct_value().fields();
  ASSERT_TRUE(counts.count("enrolled_students"));
  EXPECT_EQ(counts.at("enrolled_students").number_value(),
            static_cast<double>(report.counts().at("enrolled_students")));
  EXPECT_EQ(data.at("majors").list_value().values_size(), report.majors_size());
}

}  // namespace
}  // namespace vetrack::schools
