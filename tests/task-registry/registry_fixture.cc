#include "registry_fixture.h"

#include <utility>

#include "catalog.h"

namespace vetrack::tasks {
const std::string kCatalogPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/task-registry/data/jiangjin-vet-2021.json";
const std::string kTask8 = "plans/jiangjin-vet-2021/tasks/8";
const absl::TimeZone kTz = absl::FixedTimeZone(8 * 3600);

RegistryTest::RegistryTest()
    : client_(redis_.options()),
      store_(client_),
      clock_(absl::FromCivil(absl::CivilSecond(2026, 9, 20, 10, 0, 0), kTz)),
      registry_(store_, clock_) {}

void RegistryTest::SetUp() {
  auto loaded = Load("load-1");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
}

absl::StatusOr<v1::ImportCatalogResponse> RegistryTest::Load(const std::string& request_id) {
  auto catalog = ReadCatalogFile(kCatalogPath);
  if (!catalog.ok()) return catalog.status();
  v1::ImportCatalogRequest req;
  *req.mutable_catalog() = *catalog;
  req.set_request_id(request_id);
  return registry_.ImportCatalog(coordinator_, req);
}

v1::FileProgressRequest RegistryTest::Filing(const std::string& narrative,
                                             const std::string& request_id, const std::string& etag,
                                             const std::string& task) {
  v1::FileProgressRequest req;
  req.set_task(task);
  req.set_period_id("2026-Q3");
  req.set_status(v1::PROGRESS_STATUS_ON_TRACK);
  req.set_narrative(narrative);
  auto* figure = req.add_figures();
  figure->set_key("projects");
  figure->set_value(3);
  figure->set_unit("个");
  req.set_etag(etag);
  req.set_request_id(request_id);
  return req;
}

absl::StatusOr<v1::Progress> RegistryTest::File(const std::string& unit,
                                                const std::string& narrative,
                                                const std::string& request_id,
                                                const std::string& etag, const std::string& task) {
  return FileThrough(registry_, unit, narrative, request_id, etag, task);
}

absl::StatusOr<v1::Progress> RegistryTest::FileThrough(
    TaskRegistry& registry, const std::string& unit, const std::string& narrative,
    const std::string& request_id, const std::string& etag, const std::string& task) {
  v1::FileProgressRequest req = Filing(narrative, request_id, etag, task);
  req.add_evidence_refs("doc://2026/8/" + unit);
  return registry.FileProgress(Principal{Role::kDepartment, unit}, req);
}

absl::StatusOr<v1::TaskReport> RegistryTest::Submit(const std::string& unit,
                                                    const std::string& request_id,
                                                    const std::string& etag) {
  return SubmitThrough(registry_, unit, "四个单位协同推进，成果转化项目3个", request_id, etag);
}

absl::StatusOr<v1::TaskReport> RegistryTest::SubmitThrough(TaskRegistry& registry,
                                                           const std::string& unit,
                                                           const std::string& summary,
                                                           const std::string& request_id,
                                                           const std::string& etag) {
  v1::SubmitReportRequest req;
  req.set_task(kTask8);
  req.set_period_id("2026-Q3");
  req.set_summary(summary);
  req.set_etag(etag);
  req.set_request_id(request_id);
  return registry.SubmitReport(Principal{Role::kDepartment, unit}, req);
}

absl::StatusOr<v1::TaskReport> RegistryTest::Review(v1::ReviewDecision decision,
                                                    const std::string& request_id,
                                                    std::vector<std::string> reasons) {
  v1::ReviewReportRequest req;
  req.set_task(kTask8);
  req.set_period_id("2026-Q3");
  req.set_decision(decision);
  for (auto& r : reasons) req.add_reasons(r);
  req.set_request_id(request_id);
  return registry_.ReviewReport(coordinator_, req);
}

std::vector<v1::HistoryEntry> RegistryTest::History(const std::string& task) {
  v1::ListTaskHistoryRequest req;
  req.set_task(task);
  req.set_page_size(100);
  auto history = registry_.ListTaskHistory(coordinator_, req);
  EXPECT_TRUE(history.ok()) << history.status();
  if (!history.ok()) return {};
  return {history->entries().begin(), history->entries().end()};
}

v1::ListProgressResponse RegistryTest::Progress() {
  v1::ListProgressRequest req;
  req.set_task(kTask8);
  req.set_period_id("2026-Q3");
  return *registry_.ListProgress(coordinator_, req);
}

absl::StatusOr<v1::Task> RegistryTest::CorrectCoUnits(const std::vector<std::string>& co_units,
                                                      const std::string& etag,
                                                      const std::string& request_id) {
  v1::UpdateTaskRequest req;
  req.mutable_task()->set_name(kTask8);
  req.mutable_task()->set_etag(etag);
  for (const auto& unit : co_units) req.mutable_task()->add_co_units(unit);
  req.add_update_mask("co_units");
  req.set_request_id(request_id);
  return registry_.UpdateTask(coordinator_, req);
}

absl::StatusOr<FilingReads> InterleavingStore::ReadForFiling(const std::string& request_key,
                                                             const std::string& fingerprint,
                                                             const TaskRef& ref,
                                                             const std::string& period_id,
                                                             const std::string& unit) {
  ++filing_reads;
  auto reads = RedisTaskStore::ReadForFiling(request_key, fingerprint, ref, period_id, unit);
  if (after_read) std::exchange(after_read, nullptr)();
  return reads;
}

absl::StatusOr<std::map<std::string, Stored<v1::Progress>>> InterleavingStore::GetProgress(
    const TaskRef& ref, const std::string& period_id, const std::vector<std::string>& units) {
  auto progress = RedisTaskStore::GetProgress(ref, period_id, units);
  if (after_progress_read) std::exchange(after_progress_read, nullptr)();
  return progress;
}

}  // namespace vetrack::tasks
