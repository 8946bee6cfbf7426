#include "items.h"

#include <string>

namespace vetrack::schools {
namespace {

// Which institution types report an item.
enum Types : unsigned {
  kHigher = 1u << 0,
  kSecondary = 1u << 1,
  kTechnical = 1u << 2,
  kAll = kHigher | kSecondary | kTechnical,
  // Programmes of the education ministry's line, which 技工 schools (under
  // 人力社保) do not enter.
  kEducationLine = kHigher | kSecondary,
};

struct ItemRow {
  const char* id;
  const char* display_name;
  const char* unit;
  unsigned types;
  bool required;
  int plan_task;
  const char* at_most_item;
  const char* description;
};

// A data report is the academic year's 学年初 statistics, as the education
// statistics are taken: the state on its first day (1 September), with the
// graduates of the summer before. So ay2025 stands for the end of 2025, the
// year the evaluation reads it for, and nothing in it postdates that year.
// Counts of things built (tasks 15 and 23) and cases (task 24) are what the
// institution holds on that day, recognised since 2021: the latest accepted
// year is the tally, nothing is added across years.
constexpr char kHeld[] = "held on the academic year's first day (学年初), recognised since 2021";

const ItemRow kRows[] = {
    {"enrolled_students", "在校生数", "人", kAll, true, 0, "",
     "full-time students enrolled on the academic year's first day (学年初)"},
    {"fulltime_professional_teachers", "专任专业教师数", "人", kAll, true, 21, "",
     "full-time teachers of professional (vocational) courses, on the academic year's first day"},
    {"dual_qualified_teachers", "“双师型”教师数", "人", kAll, true, 21,
     "fulltime_professional_teachers",
     "双师型 teachers among the full-time professional teachers (技工: 一体化教师)"},
    {"industry_parttime_teachers", "行业企业兼职教师数", "人", kAll, true, 22, "",
     "part-time teachers employed from industry and enterprises"},
    {"graduates", "毕业生数", "人", kAll, true, 0, "",
     "students who graduated in the summer the academic year begins in (上学年毕业生)"},
    {"graduates_further_study", "升学毕业生数", "人", kAll, true, 0, "graduates",
     "graduates going on to higher study"},
    {"graduates_employed", "就业毕业生数", "人", kAll, true, 0, "graduates",
     "graduates in employment"},
    {kMajorsItem, "开设专业", "个", kAll, true, 0, "",
     "majors offered, by 职业教育专业目录（2021年） code, each new, upgraded, closing or "
     "continuing (required of 高职 and 中职; a 技工 school, whose majors follow 技工院校专业目录, "
     "lists those with a 中职 code)"},
    // Task 15: industry–education integration.
    {"industry_education_colleges", "产教融合型职业学院", "个", kAll, false, 15, "", kHeld},
    {"dual_bases", "职业教育“双基地”", "个", kAll, false, 15, "", kHeld},
    {"urgent_featured_majors", "产业急需和骨干特色专业（点）", "个", kAll, false, 15, "", kHeld},
    {"apprenticeship_majors", "现代学徒制专业（点）", "个", kAll, false, 15, "", kHeld},
    {"integration_training_bases", "产教融合实训基地", "个", kAll, false, 15, "", kHeld},
    {"national_integration_training_bases", "国家高水平专业化产教融合实训基地", "个", kAll, false,
     15, "", kHeld},
    {"national_virtual_simulation_bases", "国家级示范性虚拟仿真实训基地", "个", kHigher, false, 15,
     "", kHeld},
    {"municipal_integration_training_bases", "市级高水平专业化产教融合实训基地", "个", kAll, false,
     15, "", kHeld},
    {"industry_colleges", "产业学院", "个", kAll, false, 15, "", kHeld},
    // Task 23: teams, studios and platforms of the teaching staff.
    {"national_teaching_teams", "国家级职业教育教师教学创新团队", "个", kEducationLine, false, 23,
     "", kHeld},
    {"municipal_teaching_teams", "市级职业教育教师教学创新团队", "个", kEducationLine, false, 23,
     "", kHeld},
    {"municipal_research_teams", "市级教学科研团队", "个", kEducationLine, false, 23, "", kHeld},
    {"skill_master_studios", "市级技能大师工作室", "个", kAll, false, 23, "", kHeld},
    {"skill_masters", "市级技能大师或技术能手", "名", kAll, false, 23, "", kHeld},
    {"enterprise_workstations", "企业工作站", "个", kAll, false, 23, "", kHeld},
    {"dual_teacher_training_bases", "“双师型”教师培养培训基地", "个", kAll, false, 23, "", kHeld},
    {"famous_teacher_studios", "教学名师工作室", "个", kAll, false, 23, "", kHeld},
    {"industry_mentor_studios", "现代产业导师工作室", "个", kAll, false, 23, "", kHeld},
    {"teacher_practice_stations", "教师企业实践流动站", "个", kAll, false, 23, "", kHeld},
    {"craft_heritage_platforms", "技艺技能传承创新平台", "个", kAll, false, 23, "", kHeld},
    // Task 24.
    {"classroom_revolution_cases", "“课堂革命”典型案例", "个", kAll, false, 24, "", kHeld},
    {"classroom_revolution_cases_municipal", "其中市级以上“课堂革命”典型案例", "个", kAll, false,
     24, "classroom_revolution_cases", kHeld},
    // Task 6: 年培训人次不低于在校生的2倍. Optional: the evaluation counts the
    // training ledger's records, so a school need not enter its total again.
    {"training_person_times", "年培训人次", "人次", kAll, false, 6, "",
     "optional: social training delivered in the academic year before, in person-times, as the "
     "school counts it; the 2x target is judged on the training ledger's records, not on this "
     "figure"},
};

constexpr v1::InstitutionType kTypes[] = {v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL,
                                          v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL,
                                          v1::INSTITUTION_TYPE_TECHNICAL};

unsigned TypeBit(v1::InstitutionType type) {
  switch (type) {
    case v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL:
      return kHigher;
    case v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL:
      return kSecondary;
    case v1::INSTITUTION_TYPE_TECHNICAL:
      return kTechnical;
    default:
      return 0;
  }
}

std::vector<v1::Item> BuildCatalog() {
  std::vector<v1::Item> items;
  for (const ItemRow& row : kRows) {
    v1::Item item;
    item.set_id(row.id);
    item.set_display_name(row.display_name);
    item.set_unit(row.unit);
    item.set_type(std::string(row.id) == kMajorsItem ? v1::ITEM_TYPE_MAJOR_LIST
                                                     : v1::ITEM_TYPE_COUNT);
    for (v1::InstitutionType type : kTypes) {
      if (row.types & TypeBit(type)) item.add_institution_types(type);
    }
    item.set_required(row.required);
    item.set_plan_task(row.plan_task);
    item.set_at_most_item(row.at_most_item);
    item.set_description(row.description);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

const std::vector<v1::Item>& ItemCatalog() {
  static const auto* catalog = new std::vector<v1::Item>(BuildCatalog());
  return *catalog;
}

const v1::Item* FindItem(absl::string_view id) {
  for (const v1::Item& item : ItemCatalog()) {
    if (item.id() == id) return &item;
  }
  return nullptr;
}

bool AppliesTo(const v1::Item& item, v1::InstitutionType type) {
  for (int t : item.institution_types()) {
    if (t == type) return true;
  }
  return false;
}

std::vector<const v1::Item*> ItemsFor(v1::InstitutionType type) {
  std::vector<const v1::Item*> out;
  for (const v1::Item& item : ItemCatalog()) {
    if (AppliesTo(item, type)) out.push_back(&item);
  }
  return out;
}

const char* TypeLabel(v1::InstitutionType type) {
  switch (type) {
    case v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL:
      return "高职";
    case v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL:
      return "中职";
    case v1::INSTITUTION_TYPE_TECHNICAL:
      return "技工";
    default:
      return "?";
  }
}

}  // namespace vetrack::schools
