#ifndef VETRACK_SERVICES_VETCTL_EXPORT_DATASET_H_
#define VETRACK_SERVICES_VETCTL_EXPORT_DATASET_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vetrack/evaluation/v1/evaluation.pb.h"
#include "vetrack/ledger/v1/ledger.pb.h"
#include "vetrack/schools/v1/schools.pb.h"
#include "vetrack/tasks/v1/tasks.pb.h"

// The district's dataset for a year, as files for manual upload to the
// municipal platform when the link is down (services/exchange/SCHEMA.md,
// "Manual export"): one JSON document (schema vetrack.export.v1) whose
// accepted changes are the very entries the outbox delivers, and CSV files
// (UTF-8 with BOM, RFC 4180) that Excel on Chinese Windows opens.
namespace vetrack::vetctl {

inline constexpr char kExportSchema[] = "vetrack.export.v1";

// An accepted data report: the report, and its accepted revision.
struct AcceptedDataReport {
  ::vetrack::schools::v1::DataReport report;
  ::vetrack::schools::v1::DataReport revision;
};

struct AcceptedTaskReport {
  ::vetrack::tasks::v1::Task task;
  ::vetrack::tasks::v1::TaskReport report;
};

// What the export reads from the services for one year.
struct ExportInputs {
  int year = 0;
  absl::Time generated_time;
  std::vector<::vetrack::schools::v1::Institution> institutions;
  // Empty while no catalog is loaded.
  std::vector<::vetrack::schools::v1::CatalogMajor> catalog_majors;
  std::vector<::vetrack::schools::v1::Item> items;
  // Of academic year ay{year}.
  std::vector<AcceptedDataReport> data_reports;
  // 质量年报 of calendar year cy{year}, each as its accepted revision (also
  // while a reopened report is being corrected).
  std::vector<::vetrack::schools::v1::QualityReport> quality_reports;
  // Of the quarters {year}-Q1 … Q4.
  std::vector<AcceptedTaskReport> task_reports;
  ::vetrack::ledger::v1::DistrictTrainingStatement training;
  std::vector<::vetrack::evaluation::v1::Result> indicator_results;
};

struct ExportFile {
  std::string name;
  std::string contents;
  // Data rows (CSV) or accepted changes (JSON).
  int rows = 0;
};

// The JSON document first, then the CSV files; names carry the year.
absl::StatusOr<std::vector<ExportFile>> BuildExport(const ExportInputs& inputs);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_EXPORT_DATASET_H_
