#include "catalog.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "names.h"
#include "rpc/resource_name.h"
#include "status/errors.h"

namespace vetrack::tasks {
namespace {

constexpr char kOthers[] = "等";  // "and others": the list is not exhaustive.

// Splits the plan's responsible-unit column into names, noting any 等.
std::vector<std::string> SplitResponsible(const std::string& text, bool* open_ended) {
  std::string normalized = absl::StrReplaceAll(text, {{"，", "、"}, {",", "、"}});
  std::vector<std::string> names;
  *open_ended = false;
  for (absl::string_view part : absl::StrSplit(normalized, "、", absl::SkipWhitespace())) {
    absl::string_view name = absl::StripAsciiWhitespace(part);
    if (absl::ConsumeSuffix(&name, kOthers)) *open_ended = true;
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

}  // namespace

absl::StatusOr<v1::Catalog> ReadCatalogFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read catalog file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  v1::Catalog catalog;
  auto parsed = google::protobuf::util::JsonStringToMessage(buffer.str(), &catalog);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("catalog file ", path, ": ", parsed.message().as_string()));
  }
  return catalog;
}

absl::StatusOr<std::string> PlanIdFromName(const std::string& name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "plans/") || !IsValidResourceId(id)) {
    return InvalidField("plan", absl::StrCat("'", name, "' is not plans/{plan_id}"));
  }
  return std::string(id);
}

absl::StatusOr<ResolvedCatalog> ResolveCatalog(const v1::Catalog& catalog) {
  Violations violations;
  ResolvedCatalog out;
  out.plan = catalog.plan();
  auto plan_id = PlanIdFromName(catalog.plan().name());
  if (!plan_id.ok()) violations.Add("catalog.plan.name", "must be plans/{plan_id}");
  if (catalog.plan().start_year() < 2000 ||
      catalog.plan().end_year() < catalog.plan().start_year()) {
    violations.Add("catalog.plan", "start_year and end_year must form a horizon");
  }

  std::set<std::string> section_codes;
  for (const auto& s : catalog.sections()) {
    if (!section_codes.insert(s.code()).second) {
      violations.Add("catalog.sections", absl::StrCat("duplicate section ", s.code()));
    }
    out.sections.push_back(s);
  }

  std::map<std::string, const v1::Unit*> units_by_name;
  std::set<std::string> codes;
  for (int i = 0; i < catalog.units_size(); ++i) {
    const v1::Unit& u = catalog.units(i);
    std::string field = absl::StrCat("catalog.units[", i, "]");
    if (!IsValidResourceId(u.code()))
      violations.Add(field + ".code", "must be lower-case [a-z0-9-]");
    if (!codes.insert(u.code()).second) violations.Add(field + ".code", "duplicate code");
    if (IsBlank(u.display_name())) violations.Add(field + ".display_name", "required");
    if (u.kind() == v1::UNIT_KIND_SCHOOL && u.school_type() == v1::SCHOOL_TYPE_UNSPECIFIED) {
      violations.Add(field + ".school_type", "a school needs its type");
    }
    units_by_name[u.display_name()] = &u;
    v1::Unit unit = u;
    unit.set_name(absl::StrCat("units/", u.code()));
    out.units.push_back(unit);
  }

  std::map<std::string, std::vector<std::string>> groups;  // name → unit codes
  for (const auto& g : catalog.groups()) {
    std::vector<std::string>& members = groups[g.display_name()];
    for (const auto& u : catalog.units()) {
      if (u.kind() != v1::UNIT_KIND_SCHOOL) continue;
      for (int type : g.school_types()) {
        if (u.school_type() == type) members.push_back(u.code());
      }
    }
  }

  std::set<int> numbers;
  for (int i = 0; i < catalog.tasks_size(); ++i) {
    const v1::CatalogTask& t = catalog.tasks(i);
    std::string field = absl::StrCat("catalog.tasks[", i, "]");
    if (t.number() <= 0 || t.number() > kMaxTaskNumber || !numbers.insert(t.number()).second) {
      violations.Add(field + ".number",
                     absl::StrCat("a number from 1 to ", kMaxTaskNumber, ", used once"));
    }
    if (IsBlank(t.text())) violations.Add(field + ".text", "required");
    if (section_codes.count(t.section_code()) == 0) {
      violations.Add(field + ".section_code",
                     absl::StrCat("unknown section '", t.section_code(), "'"));
    }
    v1::Task task;
    task.set_name(TaskName(plan_id.ok() ? *plan_id : "", t.number()));
    task.set_number(t.number());
    task.set_text(t.text());
    task.set_section_code(t.section_code());
    task.set_responsible_text(t.responsible_text());
    bool open_ended = false;
    std::vector<std::string> responsible;
    for (const std::string& name : SplitResponsible(t.responsible_text(), &open_ended)) {
      std::vector<std::string> resolved;
      if (auto unit = units_by_name.find(name); unit != units_by_name.end()) {
        resolved.push_back(unit->second->code());
      } else if (auto group = groups.find(name); group != groups.end()) {
        resolved = group->second;
      } else {
        violations.Add(field + ".responsible_text",
                       absl::StrCat("unknown unit or group '", name, "'"));
      }
      for (const auto& code : resolved) {
        if (std::find(responsible.begin(), responsible.end(), code) == responsible.end()) {
          responsible.push_back(code);
        }
      }
    }
    if (responsible.empty()) {
      violations.Add(field + ".responsible_text", "names no responsible unit");
    } else {
      task.set_lead_unit(responsible.front());
      for (size_t k = 1; k < responsible.size(); ++k) task.add_co_units(responsible[k]);
    }
    task.set_open_ended(open_ended);
    out.tasks.push_back(task);
  }
  if (!violations.empty()) return violations.ToStatus();
  return out;
}

}  // namespace vetrack::tasks
