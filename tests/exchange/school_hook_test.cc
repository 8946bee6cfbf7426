// Accepting a school data report or a quality report (质量年报) puts it in the
// outbox in the same atomic write, with the institution's national codes.
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

  // cqvie's 学校标识码 and 统一社会信用代码, as the municipal platform sends them.
  void ImportNationalCodes() {
    v1::InstitutionCatalog municipal;
    municipal.set_source("市级平台");
    v1::Institution* cqvie = municipal.add_institutions();
    cqvie->set_code("cqvie");
    cqvie->set_school_id_code("4150013571");
    cqvie->set_credit_code("91350100M000100Y43");
    ASSERT_TRUE(Import(municipal, "municipal", {Role::kExchange, ""}).ok());
  }

  absl::StatusOr<v1::QualityReport> ReviewQuality(const std::string& name, bool accept,
                                                  const std::string& request_id) {
    v1::ReviewQualityReportRequest review;
    review.set_name(name);
    review.set_decision(accept ? v1::REVIEW_DECISION_ACCEPT : v1::REVIEW_DECISION_RETURN);
    if (!accept) {
      v1::ItemReturn* item = review.add_returns();
      item->set_item("employment_rate");
      item->set_reason("口径应为初次就业率");
    }
    review.set_request_id(request_id);
    return reporting_.ReviewQualityReport(coordinator_, review);
  }
};

google::protobuf::Struct Parse(const std::string& json) {
  google::protobuf::Struct entry;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &entry).ok()) << json;
  return entry;
}

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
  EXPECT_EQ(data.at("institution_type").string_value(), "HIGHER_VOCATIONAL");
  const auto& counts = data.at("counts").struct_value().fields();
  ASSERT_TRUE(counts.count("enrolled_students"));
  EXPECT_EQ(counts.at("enrolled_students").number_value(),
            static_cast<double>(report.counts().at("enrolled_students")));
  EXPECT_EQ(data.at("majors").list_value().values_size(), report.majors_size());
}

TEST_F(SchoolOutboxHookTest, AnAcceptedQualityReportEntersTheOutboxWithItsCodes) {
  ImportNationalCodes();
  auto submitted = SubmitQuality("cqvie", {{"employment_rate", 96.5}}, "q-1");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  ASSERT_TRUE(ReviewQuality(submitted->name(), false, "r-1").ok());
  EXPECT_TRUE(Outbox().empty());

  ASSERT_TRUE(SubmitQuality("cqvie", {{"employment_rate", 95.1}, {"graduates", 3800}}, "q-2").ok());
  auto accepted = ReviewQuality(submitted->name(), true, "r-2");
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  ASSERT_TRUE(ReviewQuality(submitted->name(), true, "r-2").ok());   // a replay writes nothing
  EXPECT_FALSE(ReviewQuality(submitted->name(), true, "r-3").ok());  // nor does a refusal

  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  google::protobuf::Struct entry = Parse(entries[0]);
  const auto& f = entry.fields();
  EXPECT_EQ(f.at("district_code").string_value(), "500116");
  EXPECT_EQ(f.at("source").string_value(), "school-reporting");
  EXPECT_EQ(f.at("kind").string_value(), "quality_report.accepted");
  EXPECT_EQ(f.at("change_id").string_value(), accepted->name() + "@" + accepted->etag());
  const auto& data = f.at("data").struct_value().fields();
  EXPECT_EQ(data.at("institution_code").string_value(), "cqvie");
  EXPECT_EQ(data.at("institution_name").string_value(), "重庆工程职业技术学院");
  EXPECT_EQ(data.at("school_id_code").string_value(), "4150013571");
  EXPECT_EQ(data.at("credit_code").string_value(), "91350100M000100Y43");
  EXPECT_EQ(data.at("period_id").string_value(), "cy2025");
  EXPECT_EQ(data.at("revision").number_value(), 2);
  EXPECT_EQ(data.at("document_sha256").string_value(), accepted->document_sha256());
  const auto& figures = data.at("key_figures").list_value().values();
  ASSERT_EQ(figures.size(), 2);
  EXPECT_EQ(figures[0].struct_value().fields().at("key").string_value(), "employment_rate");
  EXPECT_EQ(figures[0].struct_value().fields().at("value").number_value(), 95.1);
  EXPECT_EQ(data.at("reviewed_by").string_value(), "coordinator");
}

TEST_F(SchoolOutboxHookTest, ADataReportCarriesTheNationalCodesOnceImported) {
  ImportNationalCodes();
  Accepted(Complete(kCqvie2025), "a");
  auto entries = Outbox();
  ASSERT_EQ(entries.size(), 1u);
  google::protobuf::Struct entry = Parse(entries[0]);
  const auto& data = entry.fields().at("data").struct_value().fields();
  EXPECT_EQ(data.at("school_id_code").string_value(), "4150013571");
  EXPECT_EQ(data.at("credit_code").string_value(), "91350100M000100Y43");
  const auto& majors = data.at("majors").list_value().values();
  ASSERT_FALSE(majors.empty());
  // The 2021 专业目录 codes are six digits.
  EXPECT_EQ(majors[0].struct_value().fields().at("catalog_code").string_value().size(), 6u);
}

}  // namespace
}  // namespace vetrack::schools
