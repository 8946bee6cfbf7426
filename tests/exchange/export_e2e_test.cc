// End to end: vetctl against the real services through the gateway. The
// major catalog is imported from CSV (a malformed row named by its line,
// nothing imported; then the good file); then a year's accepted data go out
// with `vetctl export` as CSV (UTF-8 with BOM, RFC 4180) and as JSON whose
// accepted changes are the outbox's own entries.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "clock/timestamp.h"
#include "command_runner.h"
#include "csv/csv.h"
#include "e2e_fixture.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "redis/redis_client.h"

namespace vetrack::gateway {
namespace {

using exchange::testing::RunCommand;
using exchange::testing::WriteTempFile;
using google::protobuf::Struct;
using SchoolsStub = schools_v1::SchoolReportingService::Stub;
using TasksStub = tasks_v1::TaskRegistryService::Stub;

constexpr char kQuarter2024[] = "2024-Q4";
// A comma and quotes, so the CSV must quote the field.
constexpr char kSummary[] = "两单位协同完成, 含\"双师\"培训";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Struct ParseJson(const std::string& text) {
  Struct parsed;
  auto status = google::protobuf::util::JsonStringToMessage(text, &parsed);
  EXPECT_TRUE(status.ok()) << status.message() << "\n" << text.substr(0, 400);
  return parsed;
}

const google::protobuf::Value& At(const Struct& s, const std::string& key) {
  static const google::protobuf::Value* missing = new google::protobuf::Value();
  auto it = s.fields().find(key);
  EXPECT_TRUE(it != s.fields().end()) << key;
  return it == s.fields().end() ? *missing : it->second;
}

class ExportTest : public GatewayE2ETest {
 protected:
  // vetctl with every address at the gateway and a token for role[:unit].
  exchange::testing::CommandResult Vetctl(const std::string& role, std::vector<std::string> args,
                                          const std::string& unit = "") {
    const std::string gateway = "127.0.0.1:" + std::to_string(gateway_port());
    std::vector<std::string> argv = {VETCTL_BINARY,
                                     "--addr=" + gateway,
                                     "--schools-addr=" + gateway,
                                     "--ledger-addr=" + gateway,
                                     "--evaluation-addr=" + gateway,
                                     "--gateway-addr=" + gateway,
                                     "--token=" + Token(role, unit),
                                     "--as=" + (unit.empty() ? role : role + ":" + unit)};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv);
  }

  template <typename Stub, typename Request, typename Response>
  void Ok(const std::string& role, const std::string& unit, Stub& stub,
          grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
          const Request& request) {
    Response response;
    grpc::Status status = Call(role, unit, stub, method, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // cqgsxx's data report of ay2024, accepted; task 6's report of 2024-Q4,
  // accepted; a training record of 2024.
  void AcceptTheYearsData() {
    schools_v1::UpdatePeriodRequest window;
    window.mutable_period()->set_name("periods/ay2024");
    *window.mutable_period()->mutable_open_time() =
        TimeToProto(absl::FromCivil(absl::CivilDay(2024, 9, 1), absl::UTCTimeZone()));
    *window.mutable_period()->mutable_close_time() =
        TimeToProto(absl::FromCivil(absl::CivilDay(2099, 1, 1), absl::UTCTimeZone()));
    window.set_request_id("window");
    Ok("coordinator", "", *schools_, &SchoolsStub::UpdatePeriod, window);

    schools_v1::UpdateDataReportRequest draft;
    CompleteDataReport(draft.mutable_data_report());
    draft.set_request_id("draft");
    Ok("school", "cqgsxx", *schools_, &SchoolsStub::UpdateDataReport, draft);
    schools_v1::SubmitDataReportRequest submit;
    submit.set_name(kDataReport);
    submit.set_request_id("submit");
    Ok("school", "cqgsxx", *schools_, &SchoolsStub::SubmitDataReport, submit);
    schools_v1::ReviewDataReportRequest accept;
    accept.set_name(kDataReport);
    accept.set_decision(schools_v1::REVIEW_DECISION_ACCEPT);
    accept.set_request_id("accept");
    Ok("coordinator", "", *schools_, &SchoolsStub::ReviewDataReport, accept);

    schools_v1::SubmitQualityReportRequest quality;
    auto* report = quality.mutable_quality_report();
    report->set_name("institutions/cqgsxx/qualityReports/cy2024");
    report->set_title("重庆工商学校 2024年度职业教育质量年度报告");
    report->set_document_uri("https://jj.example.gov.cn/zlnb/2024/cqgsxx.pdf");
    report->set_document_sha256(std::string(64, 'b'));
    auto* figure = report->add_key_figures();
    figure->set_key("employment_rate");
    figure->set_display_name("就业率");
    figure->set_value(96.5);
    figure->set_unit("%");
    quality.set_request_id("quality");
    Ok("school", "cqgsxx", *schools_, &SchoolsStub::SubmitQualityReport, quality);
    schools_v1::ReviewQualityReportRequest quality_review;
    quality_review.set_name(report->name());
    quality_review.set_decision(schools_v1::REVIEW_DECISION_ACCEPT);
    quality_review.set_request_id("quality-accept");
    Ok("coordinator", "", *schools_, &SchoolsStub::ReviewQualityReport, quality_review);

    for (const char* unit : {"hrss", "edu"}) {
      tasks_v1::FileProgressRequest progress;
      progress.set_task(kTask6);
      progress.set_period_id(kQuarter2024);
      progress.set_status(tasks_v1::PROGRESS_STATUS_COMPLETED);
      progress.set_narrative(std::string("完成 ") + unit);
      progress.set_request_id(std::string("progress-") + unit);
      Ok("department", unit, *tasks_, &TasksStub::FileProgress, progress);
    }
    tasks_v1::SubmitReportRequest task_report;
    task_report.set_task(kTask6);
    task_report.set_period_id(kQuarter2024);
    task_report.set_summary(kSummary);
    task_report.set_request_id("task-report");
    Ok("department", "hrss", *tasks_, &TasksStub::SubmitReport, task_report);
    tasks_v1::ReviewReportRequest review;
    review.set_task(kTask6);
    review.set_period_id(kQuarter2024);
    review.set_decision(tasks_v1::REVIEW_DECISION_ACCEPT);
    review.set_request_id("task-accept");
    Ok("coordinator", "", *tasks_, &TasksStub::ReviewReport, review);

    ledger_v1::CreateTrainingRecordRequest training;
    auto* record = training.mutable_training_record();
    record->set_institution_code("cqgsxx");
    record->set_record_id("2024-001");
    record->set_date("2024-11-20");
    record->set_programme(ledger_v1::PROGRAMME_TYPE_EMPLOYMENT_SKILLS);
    record->set_target_group(ledger_v1::TARGET_GROUP_VETERANS);
    record->set_trainees(30);
    record->set_hours_per_trainee(24);
    Ok("school", "cqgsxx", *ledger_, &ledger_v1::TrainingLedgerService::Stub::CreateTrainingRecord,
       training);
  }
};

TEST_F(ExportTest, MajorCsvImportNamesTheLinesOfMalformedRowsAndImportsNothing) {
  const std::string bad = WriteTempFile("majors-bad.csv",
                                        "专业代码,专业名称,层次\n"
                                        "710201,计算机应用,中职\n"
                                        "710202,计算机网络技术,高职专科\n"
                                        "\"730301\",\"会计事务\",中职\n"
                                        "7307,电子商务,中职\n");
  auto refused = Vetctl("operator", {"majors", "import", bad});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "line 3: catalog.majors[1].level"))
      << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "line 5: catalog.majors[3].code"))
      << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "(lines 3, 5) refused; nothing was imported"))
      << refused.output;
  auto listed = Vetctl("school", {"--json", "majors", "list"}, "cqgsxx");
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_FALSE(absl::StrContains(listed.output, "710201")) << listed.output;

  const std::string good =
      WriteTempFile("majors.csv", std::string(kUtf8Bom) +
                                      "专业代码,专业名称,层次,专业大类,专业类\r\n"
                                      "710201,计算机应用,中职,电子与信息大类,计算机类\r\n"
                                      "510201,计算机应用技术,高职专科,电子与信息大类,计算机类\r\n");
  auto imported = Vetctl("operator", {"majors", "import", good});
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_TRUE(absl::StrContains(imported.output, "2 created, 0 updated, 0 unchanged"))
      << imported.output;
  auto again = Vetctl("operator", {"majors", "import", good});
  EXPECT_TRUE(absl::StrContains(again.output, "0 created, 0 updated, 2 unchanged")) << again.output;
}

// What a resubmission changed that its return did not ask for, as a
// reviewer sees it through the gateway.
TEST_F(ExportTest, VetctlShowsWhatAQualityResubmissionChangedUnasked) {
  schools_v1::SubmitQualityReportRequest submit;
  auto* report = submit.mutable_quality_report();
  report->set_name("institutions/cqgsxx/qualityReports/cy2024");
  report->set_title("2024年度质量年报");
  report->set_document_uri("https://jj.example.gov.cn/zlnb/2024/cqgsxx.pdf");
  report->set_document_sha256(std::string(64, 'b'));
  auto* figure = report->add_key_figures();
  figure->set_key("employment_rate");
  figure->set_value(96.5);
  figure->set_unit("%");
  submit.set_request_id("q-1");
  Ok("school", "cqgsxx", *schools_, &SchoolsStub::SubmitQualityReport, submit);
  auto returned =
      Vetctl("coordinator", {"quality", "review", "--period", "cy2024", "--institution", "cqgsxx",
                             "--return", "--item", "employment_rate=口径不符"});
  ASSERT_EQ(returned.exit_code, 0) << returned.output;
  report->set_title("2024年度质量年报（修订）");
  figure->set_value(95.1);
  submit.set_request_id("q-2");
  Ok("school", "cqgsxx", *schools_, &SchoolsStub::SubmitQualityReport, submit);

  auto diff = Vetctl("coordinator", {"quality", "diff", "--period", "cy2024", "--institution",
                                     "cqgsxx", "--from", "1", "--to", "2"});
  ASSERT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_TRUE(absl::StrContains(diff.output, "title (changed, though no return since revision 1"))
      << diff.output;
  EXPECT_TRUE(absl::StrContains(diff.output, "96.5 %")) << diff.output;
  EXPECT_TRUE(absl::StrContains(diff.output, "95.1 %")) << diff.output;
  auto beyond = Vetctl(
      "school", {"quality", "diff", "--period", "cy2024", "--from", "1", "--to", "3"}, "cqgsxx");
  EXPECT_EQ(beyond.exit_code, 1) << beyond.output;
  EXPECT_TRUE(absl::StrContains(beyond.output, "to_revision")) << beyond.output;
}

TEST_F(ExportTest, WritesTheYearAsCsvWithBomAndJsonWithTheOutboxCodes) {
  ASSERT_EQ(Vetctl("operator", {"majors", "import",
                                std::string(VETRACK_SOURCE_DIR) +
                                    "/services/school-reporting/data/majors-2021-subset.json"})
                .exit_code,
            0);
  ASSERT_NO_FATAL_FAILURE(AcceptTheYearsData());

  char tmpl[] = "/tmp/vetrack-export-XXXXXX";
  const std::string out = std::string(mkdtemp(tmpl)) + "/upload";
  auto exported = Vetctl("coordinator", {"export", "--year", "2024", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;

  // CSV: the BOM first, then a header and RFC 4180 records.
  auto csv = [&](const std::string& name) {
    const std::string text = ReadAll(out + "/" + name);
    EXPECT_EQ(text.compare(0, 3, kUtf8Bom), 0) << name << " does not start with the BOM";
    std::vector<CsvRecord> records = SplitCsv(text);
    EXPECT_FALSE(records.empty()) << name;
    return records;
  };
  auto data = csv("data_reports-2024.csv");
  ASSERT_EQ(data.size(), 1u + 8u);  // the header, one row per count item
  EXPECT_EQ(data[0].fields[0], "行政区划代码 district_code");
  for (size_t i = 1; i < data.size(); ++i) {
    EXPECT_EQ(data[i].fields[0], "500116");
    EXPECT_EQ(data[i].fields[1], "cqgsxx");
    EXPECT_EQ(data[i].fields[2], "重庆工商学校");
    EXPECT_EQ(data[i].fields[5], "ay2024");
  }
  EXPECT_EQ(data[1].fields[7], "enrolled_students");
  EXPECT_EQ(data[1].fields[9], "3200");

  auto majors = csv("majors-2024.csv");
  ASSERT_EQ(majors.size(), 2u);
  EXPECT_EQ(majors[1].fields[6], "710201");
  EXPECT_EQ(majors[1].fields[7], "计算机应用");
  EXPECT_EQ(majors[1].fields[8], "secondary");
  EXPECT_EQ(majors[1].fields[11], "upgraded");

  auto quality = csv("quality_reports-2024.csv");
  ASSERT_EQ(quality.size(), 2u);  // the header, one row per key figure
  EXPECT_EQ(quality[1].fields[1], "cqgsxx");
  EXPECT_EQ(quality[1].fields[5], "cy2024");
  EXPECT_EQ(quality[1].fields[9], std::string(64, 'b'));
  EXPECT_EQ(quality[1].fields[10], "employment_rate");
  EXPECT_EQ(quality[1].fields[12], "96.5");

  auto tasks = csv("task_reports-2024.csv");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[1].fields[1], "6");
  EXPECT_EQ(tasks[1].fields[3], kQuarter2024);
  EXPECT_EQ(tasks[1].fields[4], "hrss");
  EXPECT_EQ(tasks[1].fields[6], kSummary);
  EXPECT_TRUE(absl::StrContains(ReadAll(out + "/task_reports-2024.csv"),
                                "\"两单位协同完成, 含\"\"双师\"\"培训\""));

  auto training = csv("training_statements-2024.csv");
  ASSERT_EQ(training.size(), 1u + 9u);  // every institution
  bool found = false;
  for (const auto& row : training) {
    if (row.fields[1] != "cqgsxx") continue;
    found = true;
    EXPECT_EQ(row.fields[7], "30");  // person-times
  }
  EXPECT_TRUE(found);
  EXPECT_GT(csv("indicator_results-2024.csv").size(), 1u);

  // JSON: schema-versioned, with the district's and the institutions' codes,
  // and the accepted changes exactly as the outbox holds them.
  const Struct doc = ParseJson(ReadAll(out + "/dataset-2024.json"));
  EXPECT_EQ(At(doc, "schema").string_value(), "vetrack.export.v1");
  EXPECT_EQ(At(doc, "district_code").string_value(), "500116");
  EXPECT_EQ(At(doc, "year").number_value(), 2024);
  EXPECT_EQ(At(doc, "institutions").list_value().values_size(), 9);
  // Every seeded institution is counted from before the plan.
  EXPECT_EQ(At(At(doc, "institutions").list_value().values(0).struct_value(), "first_year")
                .number_value(),
            0);
  const auto& changes = At(doc, "accepted_changes").list_value();
  ASSERT_EQ(changes.values_size(), 3);
  const Struct& data_entry = changes.values(0).struct_value();
  EXPECT_EQ(At(data_entry, "kind").string_value(), "data_report.accepted");
  const Struct& data_fields = At(data_entry, "data").struct_value();
  EXPECT_EQ(At(data_fields, "institution_code").string_value(), "cqgsxx");
  EXPECT_EQ(At(At(data_fields, "majors").list_value().values(0).struct_value(), "catalog_code")
                .string_value(),
            "710201");
  EXPECT_EQ(At(changes.values(1).struct_value(), "kind").string_value(), "quality_report.accepted");
  const Struct& task_entry = changes.values(2).struct_value();
  EXPECT_EQ(At(task_entry, "kind").string_value(), "task_report.accepted");
  EXPECT_EQ(At(At(task_entry, "data").struct_value(), "task_number").number_value(), 6);
  EXPECT_EQ(At(doc, "training_statements").list_value().values_size(), 9);
  EXPECT_GT(At(doc, "indicator_results").list_value().values_size(), 0);

  redis::Client redis(redis_.options());
  // Outbox order: school reporting's data report, then its quality report; the task report.
  for (const auto& [source, indexes] : std::vector<std::pair<std::string, std::vector<int>>>{
           {"school-reporting", {0, 1}}, {"task-registry", {2}}}) {
    auto outbox = redis.Command({"LRANGE", "vt:ex:outbox:" + source, "0", "-1"});
    ASSERT_TRUE(outbox.ok());
    ASSERT_EQ(outbox->elements.size(), indexes.size()) << source;
    for (size_t i = 0; i < indexes.size(); ++i) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
          ParseJson(outbox->elements[i].str), changes.values(indexes[i]).struct_value()))
          << source << " entry " << i << ": the export's entry differs from the outbox's";
    }
  }
}

TEST_F(ExportTest, AReopenedQualityReportIsExportedAsItsAcceptedRevision) {
  ASSERT_NO_FATAL_FAILURE(AcceptTheYearsData());
  const std::string name = "institutions/cqgsxx/qualityReports/cy2024";
  schools_v1::ReopenQualityReportRequest reopen;
  reopen.set_name(name);
  reopen.set_reason("更正就业率");
  reopen.set_request_id("quality-reopen");
  Ok("coordinator", "", *schools_, &SchoolsStub::ReopenQualityReport, reopen);
  schools_v1::SubmitQualityReportRequest corrected;
  auto* report = corrected.mutable_quality_report();
  report->set_name(name);
  report->set_title("重庆工商学校 2024年度职业教育质量年度报告（更正）");
  report->set_document_uri("https://jj.example.gov.cn/zlnb/2024/cqgsxx-2.pdf");
  report->set_document_sha256(std::string(64, 'c'));
  auto* figure = report->add_key_figures();
  figure->set_key("employment_rate");
  figure->set_display_name("就业率");
  figure->set_value(95.1);
  figure->set_unit("%");
  corrected.set_request_id("quality-corrected");
  Ok("school", "cqgsxx", *schools_, &SchoolsStub::SubmitQualityReport, corrected);

  char tmpl[] = "/tmp/vetrack-export-XXXXXX";
  const std::string out = std::string(mkdtemp(tmpl)) + "/upload";
  auto exported = Vetctl("coordinator", {"export", "--year", "2024", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  // Revision 2 waits for review: the data set still holds revision 1.
  std::vector<CsvRecord> quality = SplitCsv(ReadAll(out + "/quality_reports-2024.csv"));
  ASSERT_EQ(quality.size(), 2u);
  EXPECT_EQ(quality[1].fields[6], "1");
  EXPECT_EQ(quality[1].fields[9], std::string(64, 'b'));
  EXPECT_EQ(quality[1].fields[12], "96.5");

  const Struct doc = ParseJson(ReadAll(out + "/dataset-2024.json"));
  const auto& changes = At(doc, "accepted_changes").list_value();
  ASSERT_EQ(changes.values_size(), 3);
  redis::Client redis(redis_.options());
  auto outbox = redis.Command({"LRANGE", "vt:ex:outbox:school-reporting", "1", "1"});
  ASSERT_TRUE(outbox.ok() && outbox->elements.size() == 1u);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ParseJson(outbox->elements[0].str),
                                                                 changes.values(1).struct_value()))
      << "the export's entry differs from what the outbox delivered at acceptance";
}

}  // namespace
}  // namespace vetrack::gateway
