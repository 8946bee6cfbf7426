#include "plan_registry.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "google/protobuf/util/json_util.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::evaluation {
namespace {

const tasks::v1::Catalog& PlanCatalog() {
  static const tasks::v1::Catalog catalog = [] {
    const std::string path =
        std::string(VETRACK_SOURCE_DIR) + "/services/task-registry/data/jiangjin-vet-2021.json";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    tasks::v1::Catalog parsed;
    if (!in || !google::protobuf::util::JsonStringToMessage(text.str(), &parsed).ok()) {
      throw std::runtime_error("cannot read the plan's catalog " + path);
    }
    return parsed;
  }();
  return catalog;
}

}  // namespace

std::map<std::string, std::string> PlanDepartments() {
  std::map<std::string, std::string> departments;
  for (const auto& unit : PlanCatalog().units()) {
    if (unit.kind() == tasks::v1::UNIT_KIND_DEPARTMENT)
      departments[unit.code()] = unit.display_name();
  }
  return departments;
}

std::set<int> PlanTaskNumbers() {
  std::set<int> numbers;
  for (const auto& task : PlanCatalog().tasks()) numbers.insert(task.number());
  return numbers;
}

}  // namespace vetrack::evaluation
