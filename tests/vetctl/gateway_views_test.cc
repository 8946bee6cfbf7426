// How vetctl prints the gateway's views: what a view could not read is said
// to be unknown, and which year results are of is said.
#include "gateway_views.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace vetrack::vetctl {
namespace {

// Found in use: with the task registry down, a dossier printed "report:
// none" and no co-unit owing under its PARTIAL header.
TEST(GatewayViewsTest, ADossierSaysWhatItCouldNotReadIsUnknown) {
  // The line each section decides, as printed with it missing and read.
  auto line_of = [](const std::string& text, const std::string& label) {
    const size_t found = text.find("\n" + label + ":");
    if (found == std::string::npos) return std::string();
    const size_t at = found + 1;
    return text.substr(at, text.find('\n', at) - at);
  };
  for (const char* section : {"report", "progress"}) {
    SCOPED_TRACE(section);
    gw::TaskDossier view;
    view.set_period_id("2026-Q4");
    view.set_partial(true);
    view.add_missing_sections(section);
    auto* error = view.add_section_errors();
    error->set_section(section);
    error->set_code("UNAVAILABLE");
    std::ostringstream printed;
    PrintDossier(printed, view);
    const std::string report = line_of(printed.str(), "report");
    const std::string owing = line_of(printed.str(), "co-units not filed");
    const bool report_missing = std::string(section) == "report";
    EXPECT_EQ(report.find("unknown") != std::string::npos, report_missing) << report;
    EXPECT_EQ(report.find("none") != std::string::npos, !report_missing) << report;
    EXPECT_EQ(owing.find("unknown") != std::string::npos, !report_missing) << owing;
  }
}

// Found in use: a profile printed this year's training beside last year's
// results, neither year said.
TEST(GatewayViewsTest, AProfileSaysWhichYearItsResultsAreOf) {
  gw::InstitutionProfile view;
  view.set_year(2025);
  view.set_training_year(2026);
  view.mutable_training()->mutable_totals()->set_person_times(62223);
  auto* indicator = view.add_indicators();
  indicator->set_indicator("indicators/training-person-times-ratio");
  indicator->set_title("年培训人次");
  std::ostringstream printed;
  PrintProfile(printed, view);
  EXPECT_NE(printed.str().find("training 2026"), std::string::npos) << printed.str();
  EXPECT_NE(printed.str().find("results of 2025"), std::string::npos) << printed.str();
}

}  // namespace
}  // namespace vetrack::vetctl
