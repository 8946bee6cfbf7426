// How vetctl prints the gateway's views: what a view could not read is said
// to be unknown, and which year results are of is said.
#include "gateway_views.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vetrack::vetctl {
namespace {

// Found in use: with the task registry down, a dossier printed "report:
// none" and no co-unit owing under its PARTIAL header.
TEST(GatewayViewsTest, ADossierSaysWhatItCouldNotReadIsUnknown) {
  gw::TaskDossier view;
  view.set_period_id("2026-Q4");
  view.set_partial(true);
  for (const char* section : {"task", "progress", "report"}) {
    view.add_missing_sections(section);
    auto* error = view.add_section_errors();
    error->set_section(section);
    error->set_code("UNAVAILABLE");
  }
  std::ostringstream partial;
  PrintDossier(partial, view);
  EXPECT_EQ(partial.str().find("none"), std::string::npos) << partial.str();
  EXPECT_NE(partial.str().find("report"), std::string::npos);
  EXPECT_NE(partial.str().find("unknown"), std::string::npos) << partial.str();

  gw::TaskDossier whole;
  whole.set_period_id("2026-Q4");
  std::ostringstream printed;
  PrintDossier(printed, whole);
  EXPECT_NE(printed.str().find("none"), std::string::npos) << "no report is none, when read";
  EXPECT_EQ(printed.str().find("unknown"), std::string::npos) << printed.str();
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
