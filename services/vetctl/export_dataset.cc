#include "export_dataset.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clock/timestamp.h"
#include "csv/csv.h"
#include "enum_labels.h"
#include "evaluation_commands.h"
#include "exchange/outbox.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "ledger_csv.h"
#include "output.h"
#include "rpc/resource_name.h"
#include "school-reporting/exchange_entry.h"
#include "task-registry/exchange_entry.h"

namespace vetrack::vetctl {
namespace {

// A computed value (a ratio, a gap): to four decimals, trailing zeros cut,
// never in exponent form. Entered figures go out exact (FormatNumber).
std::string Computed(double value) {
  std::string text = absl::StrFormat("%.4f", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

namespace sv1 = ::vetrack::schools::v1;
namespace tv1 = ::vetrack::tasks::v1;
namespace lv1 = ::vetrack::ledger::v1;
namespace ev1 = ::vetrack::evaluation::v1;

using Row = std::vector<std::string>;

std::string Rfc3339(const google::protobuf::Timestamp& time) {
  return exchange::TimeText(TimeFromProto(time));
}

// Protobuf JSON (proto field names) of `message` as a JSON value.
absl::StatusOr<google::protobuf::Value> ValueOf(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  google::protobuf::Value value;
  auto printed = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (printed.ok()) printed = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!printed.ok()) return absl::InternalError(printed.message().as_string());
  return value;
}

absl::StatusOr<google::protobuf::Value> ParsedJson(const std::string& json) {
  google::protobuf::Value value;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!parsed.ok()) return absl::InternalError(parsed.message().as_string());
  return value;
}

// The institution columns every per-institution CSV starts with.
class Institutions {
 public:
  explicit Institutions(const std::vector<sv1::Institution>& institutions) {
    for (const auto& i : institutions) by_code_[i.code()] = &i;
  }
  const sv1::Institution& Find(const std::string& code) const {
    auto it = by_code_.find(code);
    static const sv1::Institution* unknown = new sv1::Institution();
    return it == by_code_.end() ? *unknown : *it->second;
  }
  Row Columns(const std::string& code) const {
    const sv1::Institution& i = Find(code);
    return {exchange::kDistrictCode, code, i.display_name(), i.school_id_code(), i.credit_code()};
  }
  static Row Headers() {
    return {"行政区划代码 district_code", "院校代码 institution_code", "学校名称 institution_name",
            "学校标识码 school_id_code", "统一社会信用代码 credit_code"};
  }

 private:
  std::map<std::string, const sv1::Institution*> by_code_;
};

Row Concat(Row a, const Row& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A CSV file: BOM, header, rows.
ExportFile Csv(const std::string& name, const Row& header, const std::vector<Row>& rows) {
  ExportFile file{name, std::string(kUtf8Bom) + CsvRow(header), static_cast<int>(rows.size())};
  for (const Row& row : rows) file.contents += CsvRow(row);
  return file;
}

std::vector<Row> DataReportRows(const ExportInputs& in, const Institutions& institutions) {
  std::map<std::string, const sv1::Item*> items;
  for (const auto& item : in.items) items[item.id()] = &item;
  std::vector<Row> rows;
  for (const auto& accepted : in.data_reports) {
    const sv1::DataReport& r = accepted.revision;
    // Counts in the item catalog's order, then any the catalog no longer lists.
    std::vector<std::string> ids;
    for (const auto& item : in.items) {
      if (r.counts().count(item.id())) ids.push_back(item.id());
    }
    for (const auto& [id, count] : r.counts()) {
      if (!items.count(id)) ids.push_back(id);
    }
    for (const std::string& id : ids) {
      const sv1::Item* item = items.count(id) ? items[id] : nullptr;
      rows.push_back(Concat(institutions.Columns(ResourceIdOf(accepted.report.institution())),
                            {accepted.report.period_id(), absl::StrCat(r.revision()), id,
                             item ? item->display_name() : "", absl::StrCat(r.counts().at(id)),
                             item ? item->unit() : "", r.reviewed_by(), Rfc3339(r.review_time())}));
    }
  }
  return rows;
}

std::vector<Row> MajorRows(const ExportInputs& in, const Institutions& institutions) {
  std::map<std::string, const sv1::CatalogMajor*> catalog;
  for (const auto& m : in.catalog_majors) catalog[m.code()] = &m;
  std::vector<Row> rows;
  for (const auto& accepted : in.data_reports) {
    for (const auto& major : accepted.revision.majors()) {
      const sv1::CatalogMajor* known =
          catalog.count(major.catalog_code()) ? catalog[major.catalog_code()] : nullptr;
      rows.push_back(Concat(institutions.Columns(ResourceIdOf(accepted.report.institution())),
                            {accepted.report.period_id(), major.catalog_code(),
                             known ? known->display_name() : major.display_name(),
                             known ? EnumLabel(sv1::MajorLevel_descriptor(), known->level()) : "",
                             known ? known->category() : "", known ? known->subcategory() : "",
                             EnumLabel(sv1::MajorStatus_descriptor(), major.status())}));
    }
  }
  return rows;
}

// One row per key figure; a report without key figures still has its row.
std::vector<Row> QualityReportRows(const ExportInputs& in, const Institutions& institutions) {
  std::vector<Row> rows;
  for (const auto& r : in.quality_reports) {
    auto row = [&](const std::string& key, const std::string& name, const std::string& value,
                   const std::string& unit) {
      rows.push_back(Concat(institutions.Columns(ResourceIdOf(r.institution())),
                            {r.period_id(), absl::StrCat(r.revision()), r.title(), r.document_uri(),
                             r.document_sha256(), key, name, value, unit, r.reviewed_by(),
                             Rfc3339(r.review_time())}));
    };
    if (r.key_figures().empty()) row("", "", "", "");
    for (const auto& f : r.key_figures()) {
      row(f.key(), f.display_name(), FormatNumber(f.value()), f.unit());
    }
  }
  return rows;
}

std::vector<Row> TaskReportRows(const ExportInputs& in) {
  std::vector<Row> rows;
  for (const auto& [task, report] : in.task_reports) {
    rows.push_back({exchange::kDistrictCode, absl::StrCat(task.number()), task.text(),
                    report.period_id(), task.lead_unit(), absl::StrJoin(task.co_units(), ";"),
                    report.summary(), absl::StrCat(report.revision()), report.reviewed_by(),
                    Rfc3339(report.review_time())});
  }
  return rows;
}

std::vector<Row> TrainingRows(const ExportInputs& in, const Institutions& institutions) {
  std::vector<Row> rows;
  for (const auto& s : in.training.institutions()) {
    rows.push_back(
        Concat(institutions.Columns(s.institution_code()),
               {absl::StrCat(s.year()), absl::StrCat(s.totals().records()),
                absl::StrCat(s.totals().person_times()), absl::StrCat(s.totals().trainee_hours()),
                FormatYuan(s.totals().income_fen()), absl::StrCat(s.totals().certificates()),
                absl::StrCat(s.subsidised().person_times()), s.enrolment_period_id(),
                absl::StrCat(s.enrolled_students()), absl::StrCat(s.required_person_times()),
                s.person_times_ratio(), EnumLabel(lv1::Compliance_descriptor(), s.compliance()),
                // Blank from a ledger older than the count, rather than a false 0.
                s.has_counted_person_times() ? absl::StrCat(s.counted_person_times()) : "",
                FormatYuan(s.skills_training_income_fen())}));
  }
  return rows;
}

std::vector<Row> ResultRows(const ExportInputs& in) {
  std::vector<Row> rows;
  for (const auto& r : in.indicator_results) {
    rows.push_back({exchange::kDistrictCode, ResourceIdOf(r.indicator()), absl::StrCat(r.year()),
                    r.scope_key(), r.has_value() ? Computed(r.value()) : "", r.unit(),
                    TargetText(r.target(), r.unit()), r.has_value() ? Computed(r.gap()) : "",
                    EnumLabel(ev1::ResultStatus_descriptor(), r.status()), r.rule()});
  }
  return rows;
}

// The JSON document: institutions with their national codes, the accepted
// changes as outbox entries, the catalog majors the reports name, training
// statements and indicator results as protobuf JSON.
absl::StatusOr<ExportFile> Json(const ExportInputs& in, const Institutions& institutions) {
  google::protobuf::Struct doc;
  auto& fields = *doc.mutable_fields();
  fields["schema"].set_string_value(kExportSchema);
  fields["district_code"].set_string_value(exchange::kDistrictCode);
  fields["year"].set_number_value(in.year);
  fields["generated_time"].set_string_value(exchange::TimeText(in.generated_time));
  auto* list = fields["institutions"].mutable_list_value();
  for (const auto& i : in.institutions) {
    auto& entry = *list->add_values()->mutable_struct_value()->mutable_fields();
    entry["institution_code"].set_string_value(i.code());
    entry["institution_name"].set_string_value(i.display_name());
    entry["type"].set_string_value(EnumLabel(sv1::InstitutionType_descriptor(), i.type()));
    entry["school_id_code"].set_string_value(i.school_id_code());
    entry["credit_code"].set_string_value(i.credit_code());
    entry["first_year"].set_number_value(i.first_year());
  }
  int changes = 0;
  auto* accepted = fields["accepted_changes"].mutable_list_value();
  for (const auto& [report, revision] : in.data_reports) {
    sv1::DataReport acceptance = report;
    acceptance.set_reviewed_by(revision.reviewed_by());
    auto entry = ParsedJson(schools::AcceptedDataReportEntry(
        institutions.Find(ResourceIdOf(report.institution())), acceptance, revision,
        TimeFromProto(revision.review_time())));
    if (!entry.ok()) return entry.status();
    *accepted->add_values() = *std::move(entry);
    ++changes;
  }
  for (const auto& report : in.quality_reports) {
    auto entry = ParsedJson(
        schools::AcceptedQualityReportEntry(institutions.Find(ResourceIdOf(report.institution())),
                                            report, report, TimeFromProto(report.review_time())));
    if (!entry.ok()) return entry.status();
    *accepted->add_values() = *std::move(entry);
    ++changes;
  }
  for (const auto& [task, report] : in.task_reports) {
    auto entry =
        ParsedJson(tasks::AcceptedReportEntry(task, report, TimeFromProto(report.review_time())));
    if (!entry.ok()) return entry.status();
    *accepted->add_values() = *std::move(entry);
    ++changes;
  }
  auto* majors = fields["catalog_majors"].mutable_list_value();
  for (const auto& m : in.catalog_majors) {
    auto value = ValueOf(m);
    if (!value.ok()) return value.status();
    *majors->add_values() = *std::move(value);
  }
  auto* statements = fields["training_statements"].mutable_list_value();
  for (const auto& s : in.training.institutions()) {
    auto value = ValueOf(s);
    if (!value.ok()) return value.status();
    *statements->add_values() = *std::move(value);
  }
  auto* results = fields["indicator_results"].mutable_list_value();
  for (const auto& r : in.indicator_results) {
    auto value = ValueOf(r);
    if (!value.ok()) return value.status();
    *results->add_values() = *std::move(value);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  ExportFile file{absl::StrCat("dataset-", in.year, ".json"), "", changes};
  auto printed = google::protobuf::util::MessageToJsonString(doc, &file.contents, options);
  if (!printed.ok()) return absl::InternalError(printed.message().as_string());
  return file;
}

}  // namespace

absl::StatusOr<std::vector<ExportFile>> BuildExport(const ExportInputs& in) {
  const Institutions institutions(in.institutions);
  auto json = Json(in, institutions);
  if (!json.ok()) return json.status();
  const std::string year = absl::StrCat("-", in.year, ".csv");
  return std::vector<ExportFile>{
      *std::move(json),
      Csv("data_reports" + year,
          Concat(Institutions::Headers(),
                 {"学年 period_id", "版本 revision", "指标 item", "指标名称 item_name",
                  "数值 value", "单位 unit", "审核人 reviewed_by", "审核时间 accepted_time"}),
          DataReportRows(in, institutions)),
      Csv("majors" + year,
          Concat(Institutions::Headers(),
                 {"学年 period_id", "专业代码 catalog_code", "专业名称 major_name", "层次 level",
                  "专业大类 category", "专业类 subcategory", "状态 status"}),
          MajorRows(in, institutions)),
      Csv("quality_reports" + year,
          Concat(Institutions::Headers(),
                 {"年度 period_id", "版本 revision", "标题 title", "文档 document_uri",
                  "文档摘要 document_sha256", "关键指标 key", "指标名称 name", "数值 value",
                  "单位 unit", "审核人 reviewed_by", "审核时间 accepted_time"}),
          QualityReportRows(in, institutions)),
      Csv("task_reports" + year,
          {"行政区划代码 district_code", "任务序号 task_number", "任务 task_text", "季度 period_id",
           "牵头单位 lead_unit_code", "配合单位 co_unit_codes", "报告 summary", "版本 revision",
           "审核人 reviewed_by", "审核时间 accepted_time"},
          TaskReportRows(in)),
      Csv("training_statements" + year,
          Concat(Institutions::Headers(),
                 {"年度 year", "记录 records", "培训人次 person_times", "培训学时 trainee_hours",
                  "收入(元) income_yuan", "证书 certificates",
                  "补贴性培训人次 subsidised_person_times", "在校生学年 enrolment_period_id",
                  "在校生 enrolled_students", "应达人次 required_person_times",
                  "人次比 person_times_ratio", "达标 compliance", "计入人次 counted_person_times",
                  "职业技能培训收入(元) skills_training_income_yuan"}),
          TrainingRows(in, institutions)),
      Csv("indicator_results" + year,
          {"行政区划代码 district_code", "指标 indicator", "年度 year", "范围 scope_key",
           "数值 value", "单位 unit", "目标 target", "差距 gap", "状态 status", "规则 rule"},
          ResultRows(in)),
  };
}

}  // namespace vetrack::vetctl
