#ifndef VETRACK_SERVICES_TASK_REGISTRY_CATALOG_H_
#define VETRACK_SERVICES_TASK_REGISTRY_CATALOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vetrack/tasks/v1/tasks.pb.h"

namespace vetrack::tasks {

// The catalog with every task's responsible units resolved to unit codes.
struct ResolvedCatalog {
  v1::Plan plan;
  std::vector<v1::Section> sections;
  std::vector<v1::Unit> units;
  std::vector<v1::Task> tasks;
};

// Reads a catalog data file (protobuf JSON of v1::Catalog).
absl::StatusOr<v1::Catalog> ReadCatalogFile(const std::string& path);

// Checks the catalog and resolves each task's responsible-unit column: names
// split on 、 and ，, a trailing 等 marks the list open-ended, the first unit
// named leads, groups (有关高职院校 …) expand to the institutions of their
// types. INVALID_ARGUMENT names the offending entry, e.g. "tasks[4].responsible_text".
absl::StatusOr<ResolvedCatalog> ResolveCatalog(const v1::Catalog& catalog);

// "plans/jiangjin-vet-2021" → "jiangjin-vet-2021"; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> PlanIdFromName(const std::string& name);

}  // namespace vetrack::tasks

#endif  // VETRACK_SERVICES_TASK_REGISTRY_CATALOG_H_
