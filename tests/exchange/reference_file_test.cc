// vetctl's reference files: CSV (with or without BOM, RFC 4180 quoting,
// Chinese headers) and JSON read into catalogs with each row's line, rows
// that cannot be read refused whole, and the service's violations mapped
// back to the lines of the file.
#include <gtest/gtest.h>

#include <algorithm>

#include "csv/csv.h"
#include "reference_files.h"
#include "status/errors.h"

namespace vetrack::vetctl {
namespace {

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

TEST(ReferenceFileTest, MajorCsvWithBomChineseHeadersAndQuotedFields) {
  const std::string text =
      std::string(kUtf8Bom) +
      "专业代码,专业名称,层次,专业大类,专业类\r\n"
      "510201,计算机应用技术,高职专科,电子与信息大类,计算机类\r\n"
      "\r\n"
      "710201,\"计算机应用, \"\"中职\"\"\",secondary,\"电子与\n信息大类\",计算机类\r\n"
      "310201,计算机应用工程,undergraduate,,\r\n";
  auto file = ParseMajorFile("majors.csv", text);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->catalog.majors_size(), 3);
  EXPECT_EQ(file->lines, (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(file->catalog.source(), "file majors.csv");
  const auto& quoted = file->catalog.majors(1);
  EXPECT_EQ(quoted.code(), "710201");
  EXPECT_EQ(quoted.display_name(), "计算机应用, \"中职\"");
  EXPECT_EQ(quoted.level(), schools_v1::MAJOR_LEVEL_SECONDARY);
  EXPECT_EQ(quoted.category(), "电子与\n信息大类");
  EXPECT_EQ(file->catalog.majors(0).level(), schools_v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  EXPECT_EQ(file->catalog.majors(2).level(), schools_v1::MAJOR_LEVEL_UNDERGRADUATE);

  // The same file without the BOM and with LF line ends reads the same.
  std::string plain = text.substr(3);
  plain.erase(std::remove(plain.begin(), plain.end(), '\r'), plain.end());
  auto again = ParseMajorFile("majors.csv", plain);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->catalog.SerializeAsString(), file->catalog.SerializeAsString());
  EXPECT_EQ(again->lines, file->lines);
}

TEST(ReferenceFileTest, RowsThatCannotBeReadRefuseTheFileNamingTheirLines) {
  const std::string text =
      "code,display_name,level\n"
      "510201,计算机应用技术,高职专科\n"
      "510202,计算机网络技术,大专\n"
      "510203,软件技术,junior_college\n"
      "510205,\"大数据技术,junior_college\n";
  auto file = ParseMajorFile("m.csv", text);
  ASSERT_TRUE(absl::IsInvalidArgument(file.status()));
  EXPECT_EQ(Fields(file.status()), (std::vector<std::string>{"line 3: catalog.majors[1].level",
                                                             "line 5: catalog.majors[3]"}));
  EXPECT_NE(file.status().message().find("lines 3, 5"), std::string::npos) << file.status();
  EXPECT_NE(file.status().message().find("nothing was imported"), std::string::npos);

  auto no_level = ParseMajorFile("m.csv", "code,display_name\n510201,x\n");
  EXPECT_TRUE(absl::IsInvalidArgument(no_level.status()));
  EXPECT_NE(no_level.status().message().find("lacks level"), std::string::npos);
}

TEST(ReferenceFileTest, TheYearAnInstitutionIsCountedFromIsReadOrRefused) {
  auto file = ParseInstitutionFile("i.csv",
                                   "院校代码,学校名称,类型,开办年份\n"
                                   "cqjnzy,重庆江津职业技术大学,高职,2027\n"
                                   "cqvie,重庆工程职业技术学院,高职,\n");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->catalog.institutions(0).first_year(), 2027);
  EXPECT_EQ(file->catalog.institutions(1).first_year(), 0);  // not known here

  auto bad = ParseInstitutionFile("i.csv",
                                  "code,display_name,type,first_year\n"
                                  "cqjnzy,x,高职,二〇二七\n");
  ASSERT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_EQ(Fields(bad.status()),
            (std::vector<std::string>{"line 2: catalog.institutions[0].first_year"}));
}

TEST(ReferenceFileTest, ServiceViolationsAreMappedToTheFileLines) {
  const std::string text =
      "学校名称,院校代码,类型,学校标识码,统一社会信用代码\n"
      "重庆工程职业技术学院,cqvie,高职,4150013571,\n"
      "\"重庆能源职业学院\n（能源）\",cqepc,higher_vocational,41500,\n"
      "重庆工商学校,cqgsxx,中职,,91350100M000100Y44\n";
  auto file = ParseInstitutionFile("institutions.csv", text);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->lines, (std::vector<int64_t>{2, 3, 5}));
  EXPECT_EQ(file->catalog.institutions(0).type(), schools_v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  EXPECT_EQ(file->catalog.institutions(2).type(),
            schools_v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL);

  // As school reporting answers such a file.
  absl::Status answer = WithReason(
      InvalidFields({{"catalog.institutions[1].school_id_code", "a 学校标识码 is 10 digits"},
                     {"catalog.institutions[2].credit_code", "check character is 4"},
                     {"request_id", "unrelated"}}),
      "SOME_REASON");
  absl::Status named = NameFileLines(answer, "institutions.csv", "institutions", file->lines);
  EXPECT_TRUE(absl::IsInvalidArgument(named));
  EXPECT_EQ(Fields(named), (std::vector<std::string>{
                               "line 3: catalog.institutions[1].school_id_code",
                               "line 5: catalog.institutions[2].credit_code", "request_id"}));
  EXPECT_NE(named.message().find("institutions.csv: rows (lines 3, 5) refused"), std::string::npos)
      << named;
  EXPECT_EQ(ReasonOf(named), "SOME_REASON");
  // Nothing to map: the answer as it was.
  absl::Status other = absl::PermissionDeniedError("no");
  EXPECT_EQ(NameFileLines(other, "f", "institutions", file->lines), other);
}

TEST(ReferenceFileTest, JsonFilesKnowTheLineOfEachRow) {
  const std::string text =
      "{\n"
      "  \"source\": \"a \\\"quoted\\\" [source] {x}\",\n"
      "  \"majors\": [\n"
      "    {\"code\": \"510201\", \"displayName\": \"计算机应用技术\",\n"
      "     \"level\": \"MAJOR_LEVEL_JUNIOR_COLLEGE\"},\n"
      "    {\n"
      "      \"code\": \"510202\",\n"
      "      \"displayName\": \"计算机网络技术\",\n"
      "      \"level\": \"MAJOR_LEVEL_JUNIOR_COLLEGE\"\n"
      "    }\n"
      "  ]\n"
      "}\n";
  auto file = ParseMajorFile("majors.json", text);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->catalog.majors_size(), 2);
  EXPECT_EQ(file->lines, (std::vector<int64_t>{4, 6}));
  absl::Status named = NameFileLines(InvalidField("catalog.majors[1].code", "x"), "majors.json",
                                     "majors", file->lines);
  EXPECT_EQ(Fields(named), (std::vector<std::string>{"line 6: catalog.majors[1].code"}));

  auto misspelt = ParseMajorFile("majors.json", "{\"majorz\": []}");
  EXPECT_TRUE(absl::IsInvalidArgument(misspelt.status()));
}

TEST(CsvTest, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(CsvRow({"a", "b c", "逗号,", "say \"hi\"", "two\nlines"}),
            "a,b c,\"逗号,\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
  std::vector<CsvRecord> back = SplitCsv(CsvRow({"逗号,", "say \"hi\"", ""}));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].fields, (std::vector<std::string>{"逗号,", "say \"hi\"", ""}));
}

// Found in review: a quote inside an unquoted field (an inch mark) opened a
// quoted field and swallowed the following rows into one description.
TEST(CsvTest, AQuoteOpensAFieldOnlyAtItsStart) {
  std::vector<CsvRecord> records = SplitCsv("a,12\" 管件\nb,3\" 接头\n\"c,d\",e\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"a", "12\" 管件"}));
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"b", "3\" 接头"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"c,d", "e"}));
  EXPECT_FALSE(records[0].unterminated_quote);

  // A comma left unquoted shifts a row: it has more fields than the header.
  std::vector<CsvRecord> shifted = SplitCsv("code,name\n510201,计算机,应用\n510202,x\n");
  CsvColumns columns(shifted[0], {});
  EXPECT_TRUE(columns.Overflows(shifted[1]));
  EXPECT_FALSE(columns.Overflows(shifted[2]));
}

TEST(CsvTest, TextThatIsNotUtf8IsFoundWhereItStarts) {
  EXPECT_EQ(FirstInvalidUtf8("plain, 中文, \xF0\x9F\x98\x80"), std::string::npos);
  EXPECT_EQ(FirstInvalidUtf8("ok\n\xB9\xA4\xD7\xF7"), 3u);  // 工作 in GBK
  EXPECT_EQ(FirstInvalidUtf8("\xC0\xAF"), 0u);              // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8("\xED\xA0\x80"), 0u);          // a surrogate
  EXPECT_EQ(FirstInvalidUtf8("ab\xE4\xB8"), 2u);            // cut short
}

}  // namespace
}  // namespace vetrack::vetctl
