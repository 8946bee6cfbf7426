// The accepted figures other services compute from, asked for one
// institution at a time or for many in one batch, against a real
// redis-server.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "reporting_fixture.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::BatchGetAcceptedFiguresRequest Batch(const std::vector<std::string>& codes,
                                         const std::string& period_id = "ay2025") {
  v1::BatchGetAcceptedFiguresRequest req;
  for (const auto& code : codes) req.add_institutions("institutions/" + code);
  req.set_period_id(period_id);
  return req;
}

TEST_F(ReportingTest, ABatchAnswersEachInstitutionInOrderAsOneCallWould) {
  const v1::DataReport cqvie = Complete(kCqvie2025);
  Accepted(cqvie, "cqvie");
  const std::vector<std::string> codes = {"cqepc", "cqvie", "cqgsxx"};
  auto batch = reporting_.BatchGetAcceptedFigures({Role::kEvaluator, ""}, Batch(codes));
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_EQ(batch->figures_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(batch->figures(i), Figures(codes[i], "ay2025")))
        << codes[i] << ": " << batch->figures(i).DebugString();
  }
  EXPECT_FALSE(batch->figures(0).accepted());
  EXPECT_EQ(batch->figures(0).institution(), "institutions/cqepc");
  EXPECT_TRUE(batch->figures(1).accepted());
  EXPECT_EQ(batch->figures(1).revision(), 1);
  EXPECT_EQ(batch->figures(1).counts().at("enrolled_students"),
            cqvie.counts().at("enrolled_students"));
  EXPECT_EQ(batch->figures(1).majors_size(), cqvie.majors_size());
}

TEST_F(ReportingTest, ABatchIsAllOrNothingAndNamesTheInstitutionThatFailsIt) {
  Accepted(Complete(kCqvie2025), "cqvie");
  auto unknown =
      reporting_.BatchGetAcceptedFigures({Role::kEvaluator, ""}, Batch({"cqvie", "nowhere"}));
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_EQ(FirstField(unknown.status()), "institutions[1]");

  // A school reads its own figures, and no batch that holds another's.
  EXPECT_TRUE(reporting_.BatchGetAcceptedFigures({Role::kSchool, "cqvie"}, Batch({"cqvie"})).ok());
  EXPECT_EQ(reporting_.BatchGetAcceptedFigures({Role::kSchool, "cqvie"}, Batch({"cqvie", "cqepc"}))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reporting_.BatchGetAcceptedFigures({Role::kEvaluator, ""}, Batch({"cqvie"}, "ay1990"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportingTest, ABatchRequestIsCheckedBeforeAnythingIsRead) {
  EXPECT_EQ(FirstField(Validate(Batch({}))), "institutions");
  std::vector<std::string> too_many(kMaxBatchInstitutions + 1);
  for (size_t i = 0; i < too_many.size(); ++i) too_many[i] = absl::StrCat("s", i);
  EXPECT_EQ(FirstField(Validate(Batch(too_many))), "institutions");
  EXPECT_EQ(FirstField(Validate(Batch({"cqvie", "cqvie"}))), "institutions[1]");
  v1::BatchGetAcceptedFiguresRequest malformed = Batch({"cqvie"});
  malformed.add_institutions("cqepc");  // not institutions/{code}
  EXPECT_EQ(FirstField(Validate(malformed)), "institutions[1]");
  EXPECT_EQ(FirstField(Validate(Batch({"cqvie"}, "cy2025"))), "period_id");
  EXPECT_TRUE(Validate(Batch({"cqvie", "cqepc"})).ok());
}

// A school that changes type (here 高职 to 中职, for the items they differ
// in; in life 中职 upgraded to 高职) keeps its earlier years under the type it
// reported them as: their review and correction, and the type their figures
// count under in the evaluation.
TEST_F(ReportingTest, AYearsFiguresStayUnderTheTypeTheyWereSubmittedAs) {
  const std::string kCqepc2025 = "institutions/cqepc/dataReports/ay2025";
  v1::DataReport cqepc = Complete(kCqepc2025);
  (*cqepc.mutable_counts())["national_virtual_simulation_bases"] = 1;  // 高职 only
  ASSERT_TRUE(Save(cqepc, "cqepc-save", "cqepc").ok());
  // A draft never submitted says nothing of the year's type.
  EXPECT_EQ(Figures("cqepc", "ay2025").institution_type(), v1::INSTITUTION_TYPE_UNSPECIFIED);
  ASSERT_TRUE(Submit(kCqepc2025, "cqepc-submit", "cqepc").ok());
  Accepted(Complete(kCqvie2025), "cqvie");
  EXPECT_EQ(Get(kCqepc2025).institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);

  v1::InstitutionCatalog changed;
  changed.set_source("区教委");
  for (const char* code : {"cqvie", "cqepc"}) {
    v1::Institution* institution = changed.add_institutions();
    institution->set_code(code);
    institution->set_type(v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL);
  }
  // And a 中职 school with no 2025 report yet is upgraded.
  v1::Institution* upgraded = changed.add_institutions();
  upgraded->set_code("cqjnzx");
  upgraded->set_type(v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  auto imported = Import(changed, "retype");
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->updated(), 3);

  // The revision under review is the 高职 report it was: a return may name
  // a 高职 item, which the new type does not report.
  auto returned =
      Review(kCqepc2025, "cqepc-return", {{"national_virtual_simulation_bases", "请核实"}});
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  // Not accepted, so no figures; but the year's type is the one it was
  // submitted as, for the evaluation to place the school by meanwhile.
  v1::AcceptedFigures pending = Figures("cqepc", "ay2025");
  EXPECT_FALSE(pending.accepted());
  EXPECT_TRUE(pending.counts().empty());
  EXPECT_EQ(pending.institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  // The school corrects and resubmits it as that report, 高职 majors and all.
  (*cqepc.mutable_counts())["national_virtual_simulation_bases"] = 0;
  auto corrected = Save(cqepc, "cqepc-correct", "cqepc");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  auto resubmitted = Submit(kCqepc2025, "cqepc-resubmit", "cqepc");
  ASSERT_TRUE(resubmitted.ok()) << resubmitted.status();
  EXPECT_EQ(resubmitted->institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);

  // Listed by the type they were submitted as, not their institutions' now.
  v1::ListDataReportsRequest list;
  list.set_period_id("ay2025");
  list.set_institution_type(v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  auto higher = reporting_.ListDataReports(coordinator_, list);
  ASSERT_TRUE(higher.ok()) << higher.status();
  std::vector<std::string> listed;
  for (const auto& r : higher->data_reports()) listed.push_back(r.name());
  EXPECT_EQ(listed, (std::vector<std::string>{kCqepc2025, kCqvie2025}));
  // Who has not reported is listed by today's type: cqjnzx among the 高职 now.
  auto has = [](const auto& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has(higher->missing_institutions(), "institutions/cqjnzx"));
  list.set_institution_type(v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL);
  auto secondary = reporting_.ListDataReports(coordinator_, list);
  ASSERT_TRUE(secondary.ok()) << secondary.status();
  EXPECT_EQ(secondary->data_reports_size(), 0);
  EXPECT_FALSE(has(secondary->missing_institutions(), "institutions/cqjnzx"));

  v1::AcceptedFigures figures = Figures("cqvie", "ay2025");
  EXPECT_EQ(figures.institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  auto batch = reporting_.BatchGetAcceptedFigures({Role::kEvaluator, ""}, Batch({"cqvie"}));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->figures(0).institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  EXPECT_EQ(Figures("cqepc", "ay2025").institution_type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  EXPECT_FALSE(Figures("cqepc", "ay2025").accepted());
  EXPECT_EQ(Figures("cqgsxx", "ay2025").institution_type(), v1::INSTITUTION_TYPE_UNSPECIFIED);

  // A revision accepted before the type was recorded reads as of the
  // institution's current type.
  const ReportRef ref{ReportKind::kData, "cqvie", "ay2025"};
  auto stored = store_.GetDataRevisions(ref, {1});
  ASSERT_TRUE(stored.ok() && stored->front().has_value());
  v1::DataReport unrecorded = stored->front()->value;
  unrecorded.clear_institution_type();
  SchoolWrite rewrite;
  rewrite.data_revisions.push_back({ref, 1, {unrecorded, stored->front()->version}});
  ASSERT_TRUE(store_.Write(rewrite).ok());
  EXPECT_EQ(Figures("cqvie", "ay2025").institution_type(),
            v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL);
}

}  // namespace
}  // namespace vetrack::schools
