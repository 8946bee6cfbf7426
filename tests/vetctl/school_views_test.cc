// How vetctl prints a reference import: what it changed, and what a
// --keep-stored load left as stored.
#include "school_views.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace vetrack::vetctl {
namespace {

TEST(SchoolViewsTest, AnImportSaysWhatItDidNotApplyAndWhatWasKept) {
  schools_v1::ImportInstitutionsResponse response;
  response.set_created(1);
  response.set_unchanged(9);
  schools_v1::InstitutionChange* created = response.add_changes();
  created->set_institution("institutions/cqnew");
  created->set_field("institution");
  created->set_new_value("新学校");
  schools_v1::InstitutionChange* kept = response.add_not_applied();
  kept->set_institution("institutions/cqvie");
  kept->set_field("display_name");
  kept->set_old_value("重庆工程职业技术学院（更名）");
  kept->set_new_value("重庆工程职业技术学院");
  std::ostringstream printed;
  PrintInstitutionImport(printed, response);
  const std::string text = printed.str();
  EXPECT_NE(text.find("1 created, 0 updated, 9 unchanged"), std::string::npos) << text;
  const size_t not_applied = text.find("Not applied");
  ASSERT_NE(not_applied, std::string::npos) << text;
  EXPECT_LT(text.find("institutions/cqnew"), not_applied) << text;
  EXPECT_NE(text.find("重庆工程职业技术学院（更名）", not_applied), std::string::npos) << text;

  schools_v1::ImportMajorCatalogResponse majors;
  majors.set_unchanged(25);
  std::ostringstream quiet;
  PrintMajorImport(quiet, majors);
  EXPECT_EQ(quiet.str().find("Not applied"), std::string::npos) << quiet.str();
  EXPECT_NE(quiet.str().find("0 created, 0 updated, 25 unchanged"), std::string::npos);
}

}  // namespace
}  // namespace vetrack::vetctl
