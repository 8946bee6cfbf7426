// The major catalog (职业教育专业目录（2021年）) as reference data: imported
// whole or not at all, saying what changed, idempotent; once loaded, data
// reports name only majors it holds. Also: an institution import refuses
// every malformed row at once. The domain on a real redis-server; shape
// checks through Validate, as the gRPC edge runs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "clock/timestamp.h"
#include "institution_file.h"
#include "reporting_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

const std::string kMajorsPath =
    std::string(VETRACK_SOURCE_DIR) + "/services/school-reporting/data/majors-2021-subset.json";

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

v1::CatalogMajor Major(const std::string& code, const std::string& name, v1::MajorLevel level) {
  v1::CatalogMajor major;
  major.set_code(code);
  major.set_display_name(name);
  major.set_level(level);
  return major;
}

class MajorCatalogTest : public ReportingTest {
 protected:
  // As the gRPC edge does it: shape first, then the domain.
  absl::StatusOr<v1::ImportMajorCatalogResponse> ImportMajors(
      const v1::MajorCatalog& catalog, const std::string& request_id, bool validate_only = false,
      const Principal& caller = Principal{Role::kOperator, ""}, bool keep_stored_values = false) {
    v1::ImportMajorCatalogRequest req;
    *req.mutable_catalog() = catalog;
    req.set_request_id(request_id);
    req.set_validate_only(validate_only);
    req.set_keep_stored_values(keep_stored_values);
    if (absl::Status shape = Validate(req); !shape.ok()) return shape;
    return reporting_.ImportMajorCatalog(caller, req);
  }

  std::vector<v1::CatalogMajor> ListMajors(v1::MajorLevel level = v1::MAJOR_LEVEL_UNSPECIFIED) {
    v1::ListCatalogMajorsRequest req;
    req.set_page_size(500);
    req.set_level(level);
    auto list = reporting_.ListCatalogMajors({Role::kSchool, "cqvie"}, req);
    EXPECT_TRUE(list.ok()) << list.status();
    return {list->majors().begin(), list->majors().end()};
  }

  v1::MajorCatalog Seed() {
    auto seed = ReadMajorCatalogFile(kMajorsPath);
    EXPECT_TRUE(seed.ok()) << seed.status();
    return *seed;
  }
};

TEST_F(MajorCatalogTest, SeedIsALabelledSubsetWhoseLevelsAgreeWithTheCodes) {
  v1::MajorCatalog seed = Seed();
  EXPECT_NE(seed.source().find("非完整目录"), std::string::npos);
  EXPECT_GT(seed.majors_size(), 10);
  v1::ImportMajorCatalogRequest req;
  *req.mutable_catalog() = seed;
  req.set_request_id("shape");
  EXPECT_TRUE(Validate(req).ok()) << Validate(req);
}

TEST_F(MajorCatalogTest, ImportCreatesThenChangesNothingAndReportsEachFieldItChanges) {
  const v1::MajorCatalog seed = Seed();
  auto first = ImportMajors(seed, "majors-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->created(), seed.majors_size());
  EXPECT_EQ(first->updated() + first->unchanged(), 0);
  ASSERT_EQ(first->changes_size(), seed.majors_size());
  EXPECT_EQ(first->changes(0).field(), "major");
  EXPECT_EQ(first->changes(0).major(), "catalogMajors/" + seed.majors(0).code());

  // A replay answers as the first time; a new request finds nothing to change.
  auto replay = ImportMajors(seed, "majors-1");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->created(), seed.majors_size());
  auto again = ImportMajors(seed, "majors-2");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created() + again->updated(), 0);
  EXPECT_EQ(again->unchanged(), seed.majors_size());
  EXPECT_EQ(again->changes_size(), 0);
  v1::MajorCatalog other = seed;
  other.mutable_majors(0)->set_display_name("另一个名字");
  EXPECT_EQ(FirstField(ImportMajors(other, "majors-2").status()), "request_id");

  std::vector<v1::CatalogMajor> listed = ListMajors();
  ASSERT_EQ(static_cast<int>(listed.size()), seed.majors_size());
  for (size_t i = 1; i < listed.size(); ++i) EXPECT_LT(listed[i - 1].code(), listed[i].code());
  EXPECT_EQ(listed.front().etag(), "1");
  std::vector<v1::CatalogMajor> secondary = ListMajors(v1::MAJOR_LEVEL_SECONDARY);
  ASSERT_FALSE(secondary.empty());
  for (const auto& m : secondary) EXPECT_EQ(m.code().substr(0, 1) >= "6", true) << m.code();

  // The municipal catalog renames one major, fills a 专业类 and adds one;
  // an empty field is "not known here" and keeps what is stored.
  v1::MajorCatalog municipal;
  municipal.set_source("市级平台");
  v1::CatalogMajor renamed =
      Major("510201", "计算机应用技术（更名）", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  renamed.set_subcategory("计算机类（新）");
  *municipal.add_majors() = renamed;
  *municipal.add_majors() = Major("510209", "人工智能技术应用", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  *municipal.add_majors() = Major("710201", "计算机应用", v1::MAJOR_LEVEL_SECONDARY);
  auto changed = ImportMajors(municipal, "municipal-1", false, {Role::kExchange, ""});
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->created(), 1);
  EXPECT_EQ(changed->updated(), 1);
  EXPECT_EQ(changed->unchanged(), 1);
  ASSERT_EQ(changed->changes_size(), 3);
  EXPECT_EQ(changed->changes(0).major(), "catalogMajors/510201");
  EXPECT_EQ(changed->changes(0).field(), "display_name");
  EXPECT_EQ(changed->changes(0).old_value(), "计算机应用技术");
  EXPECT_EQ(changed->changes(0).new_value(), "计算机应用技术（更名）");
  EXPECT_EQ(changed->changes(1).field(), "subcategory");
  EXPECT_EQ(changed->changes(2).field(), "major");
  EXPECT_EQ(changed->changes(2).new_value(), "人工智能技术应用");

  v1::GetCatalogMajorRequest get;
  get.set_name("catalogMajors/510201");
  auto major = reporting_.GetCatalogMajor({Role::kEvaluator, ""}, get);
  ASSERT_TRUE(major.ok());
  EXPECT_EQ(major->category(), "电子与信息大类");  // kept from the seed
  EXPECT_EQ(major->etag(), "2");
  get.set_name("catalogMajors/519999");
  EXPECT_TRUE(absl::IsNotFound(reporting_.GetCatalogMajor({Role::kEvaluator, ""}, get).status()));
}

TEST_F(MajorCatalogTest, MalformedRowsAreRefusedWholeNamingEveryRow) {
  v1::MajorCatalog catalog;
  *catalog.add_majors() = Major("510201", "计算机应用技术", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  *catalog.add_majors() = Major("5102", "半个代码", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  *catalog.add_majors() = Major("710202", "计算机网络技术", v1::MAJOR_LEVEL_SECONDARY);
  *catalog.add_majors() = Major("710201", "计算机应用", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  *catalog.add_majors() = Major("530302", "", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  *catalog.add_majors() = Major("510201", "重复", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  auto refused = ImportMajors(catalog, "bad-1");
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status()));
  EXPECT_EQ(Fields(refused.status()),
            (std::vector<std::string>{"catalog.majors[1].code", "catalog.majors[3].level",
                                      "catalog.majors[4].display_name", "catalog.majors[5].code"}));
  EXPECT_TRUE(ListMajors().empty());  // not even the good rows

  auto denied = ImportMajors(Seed(), "school-1", false, {Role::kSchool, "cqvie"});
  EXPECT_TRUE(absl::IsPermissionDenied(denied.status()));
  EXPECT_TRUE(ListMajors().empty());
}

TEST_F(MajorCatalogTest, ValidateOnlySaysWhatWouldChangeAndStoresNothing) {
  auto dry = ImportMajors(Seed(), "dry-1", true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->created(), Seed().majors_size());
  EXPECT_TRUE(ListMajors().empty());
  // Not recorded as the answer to its request_id: the real import runs.
  auto real = ImportMajors(Seed(), "dry-1");
  ASSERT_TRUE(real.ok()) << real.status();
  EXPECT_EQ(static_cast<int>(ListMajors().size()), Seed().majors_size());
}

TEST_F(MajorCatalogTest, OnceIssuedDataReportsNameOnlyMajorsTheCatalogHolds) {
  // No catalog yet: a well-formed code is enough.
  v1::DataReport report = Complete(kCqvie2025);
  report.mutable_majors(0)->set_catalog_code("510299");
  ASSERT_TRUE(Save(report, "save-1").ok());

  // A local load without an issue time (the seed's excerpt, 25 majors) may be
  // partial: it does not make every other real major unknown (found in
  // review: production loads it at bootstrap).
  ASSERT_TRUE(ImportMajors(Seed(), "majors-0").ok());
  ASSERT_TRUE(Save(report, "save-0").ok());

  // As issued (the municipal platform's document carries its time).
  v1::MajorCatalog issued = Seed();
  *issued.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  ASSERT_TRUE(ImportMajors(issued, "majors-1").ok());
  // The draft saved before the catalog came is checked again at submission.
  auto submitted = Submit(kCqvie2025, "submit-1");
  ASSERT_TRUE(absl::IsInvalidArgument(submitted.status()));
  EXPECT_EQ(Fields(submitted.status()), (std::vector<std::string>{"majors[0].catalog_code"}));

  v1::Major* known = report.add_majors();
  known->set_catalog_code("510203");
  known->set_status(v1::MAJOR_STATUS_NEW);
  v1::Major* unknown = report.add_majors();
  unknown->set_catalog_code("510298");
  unknown->set_status(v1::MAJOR_STATUS_NEW);
  auto refused = Save(report, "save-2");
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status()));
  EXPECT_EQ(Fields(refused.status()),
            (std::vector<std::string>{"data_report.majors[0].catalog_code",
                                      "data_report.majors[2].catalog_code"}));
  EXPECT_EQ(Get(kCqvie2025).majors(0).catalog_code(), "510299");  // unchanged

  report.mutable_majors()->DeleteSubrange(2, 1);
  report.mutable_majors(0)->set_catalog_code("510201");
  ASSERT_TRUE(Save(report, "save-3").ok());
  ASSERT_TRUE(Submit(kCqvie2025, "submit-2").ok());
}

// Found in use: majors saved by code alone were listed without a name.
TEST_F(MajorCatalogTest, AMajorSavedWithoutANameTakesTheCatalogs) {
  // Saved before any catalog is loaded: named when submitted (found in review).
  const std::string cqepc = "institutions/cqepc/dataReports/ay2025";
  v1::DataReport early = Complete(cqepc);
  early.clear_majors();
  v1::Major* unnamed = early.add_majors();
  unnamed->set_catalog_code("510201");
  unnamed->set_status(v1::MAJOR_STATUS_CONTINUING);
  ASSERT_TRUE(Save(early, "save-0", "cqepc").ok());
  EXPECT_EQ(Get(cqepc).majors(0).display_name(), "");
  ASSERT_TRUE(ImportMajors(Seed(), "majors-0").ok());
  auto submitted = Submit(cqepc, "submit-0", "cqepc");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_FALSE(submitted->majors(0).display_name().empty());
  std::string catalog_name;
  for (const auto& m : ListMajors()) {
    if (m.code() == "510201") catalog_name = m.display_name();
  }
  ASSERT_FALSE(catalog_name.empty());

  v1::DataReport report = Complete(kCqvie2025);
  report.clear_majors();
  v1::Major* by_code = report.add_majors();
  by_code->set_catalog_code("510201");
  by_code->set_status(v1::MAJOR_STATUS_CONTINUING);
  v1::Major* own_name = report.add_majors();
  own_name->set_catalog_code("510203");
  own_name->set_display_name("软件技术（订单班）");
  own_name->set_status(v1::MAJOR_STATUS_NEW);
  v1::Major* not_held = report.add_majors();  // the seed is an excerpt
  not_held->set_catalog_code("510299");
  not_held->set_status(v1::MAJOR_STATUS_NEW);
  auto saved = Save(report, "save-1");
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->majors(0).display_name(), catalog_name);

  v1::DataReport stored = Get(kCqvie2025);
  ASSERT_EQ(stored.majors_size(), 3);
  EXPECT_EQ(stored.majors(0).display_name(), catalog_name);
  EXPECT_EQ(stored.majors(1).display_name(), "软件技术（订单班）");
  EXPECT_EQ(stored.majors(2).display_name(), "");
}

TEST_F(MajorCatalogTest, InstitutionImportRefusesEveryMalformedRowAtOnce) {
  v1::ImportInstitutionsRequest req;
  req.set_request_id("bad-institutions");
  v1::Institution* good = req.mutable_catalog()->add_institutions();
  good->set_code("cqvie");
  good->set_school_id_code("4150013571");
  v1::Institution* bad_id = req.mutable_catalog()->add_institutions();
  bad_id->set_code("cqepc");
  bad_id->set_school_id_code("41500");
  v1::Institution* bad_code = req.mutable_catalog()->add_institutions();
  bad_code->set_code("Not A Code");
  v1::Institution* bad_credit = req.mutable_catalog()->add_institutions();
  bad_credit->set_code("cqjtzy");
  bad_credit->set_credit_code("91350100M000100Y44");
  v1::Institution* bad_year = req.mutable_catalog()->add_institutions();
  bad_year->set_code("cqgyzy");
  bad_year->set_first_year(25);
  absl::Status shape = Validate(req);
  ASSERT_TRUE(absl::IsInvalidArgument(shape));
  EXPECT_EQ(Fields(shape),
            (std::vector<std::string>{
                "catalog.institutions[1].school_id_code", "catalog.institutions[2].code",
                "catalog.institutions[3].credit_code", "catalog.institutions[4].first_year"}));

  // validate_only answers what would change and stores nothing.
  req.mutable_catalog()->mutable_institutions()->DeleteSubrange(1, 4);
  req.set_validate_only(true);
  auto dry = reporting_.ImportInstitutions(coordinator_, req);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(dry->updated(), 1);
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->school_id_code(), "");
}

// The platform's documents carry an issue time: one older than the last
// imported is a replay and must not revert anything, not even checked.
TEST_F(MajorCatalogTest, ACatalogIssuedBeforeTheLastImportedOneIsRefused) {
  // Issued in the past of the service's clock, as every accepted catalog is.
  const absl::Time monday = clock_.Now() - absl::Hours(24 * 7);
  auto catalog = [](const std::string& name, std::optional<absl::Time> issued) {
    v1::MajorCatalog c;
    *c.add_majors() = Major("510201", name, v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
    if (issued.has_value()) *c.mutable_issue_time() = TimeToProto(*issued);
    return c;
  };
  ASSERT_TRUE(ImportMajors(catalog("计算机应用技术", monday + absl::Hours(24)), "tue").ok());

  for (bool validate_only : {true, false}) {
    auto replayed = ImportMajors(catalog("旧名称", monday), "mon", validate_only);
    ASSERT_TRUE(absl::IsFailedPrecondition(replayed.status())) << replayed.status();
    EXPECT_EQ(ReasonOf(replayed.status()), "REFERENCE_OUTDATED");
    EXPECT_EQ(Fields(replayed.status()), std::vector<std::string>{"catalog.issue_time"});
  }
  EXPECT_EQ(ListMajors()[0].display_name(), "计算机应用技术");

  // The same time again is a rerun; a local load without a time passes and
  // leaves the mark where it was. A start-up load (keep_stored_values) adds what
  // is missing but changes nothing the issued catalog set (found in use:
  // `make run` loads its excerpt at every start, and reverted the platform's
  // names).
  EXPECT_TRUE(ImportMajors(catalog("计算机应用技术", monday + absl::Hours(24)), "tue-2").ok());
  v1::MajorCatalog local = catalog("本地名称", std::nullopt);
  *local.add_majors() = Major("510202", "计算机网络技术", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  auto kept = ImportMajors(local, "local", false, Principal{Role::kOperator, ""}, true);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->created(), 1);
  EXPECT_EQ(kept->updated(), 0);
  EXPECT_EQ(kept->unchanged(), 1);
  ASSERT_EQ(kept->not_applied_size(), 1);
  EXPECT_EQ(kept->not_applied(0).field(), "display_name");
  EXPECT_EQ(kept->not_applied(0).old_value(), "计算机应用技术");
  EXPECT_EQ(kept->not_applied(0).new_value(), "本地名称");
  ASSERT_EQ(ListMajors().size(), 2u);
  EXPECT_EQ(ListMajors()[0].display_name(), "计算机应用技术");
  // An operator's own undated import is a correction, and applies.
  ASSERT_TRUE(ImportMajors(catalog("本地名称", std::nullopt), "local-correction").ok());
  EXPECT_EQ(ListMajors()[0].display_name(), "本地名称");
  EXPECT_TRUE(
      absl::IsFailedPrecondition(ImportMajors(catalog("旧名称", monday), "mon-2").status()));
  auto wednesday = ImportMajors(catalog("新名称", monday + absl::Hours(48)), "wed");
  ASSERT_TRUE(wednesday.ok()) << wednesday.status();
  EXPECT_EQ(ListMajors()[0].display_name(), "新名称");
  EXPECT_TRUE(absl::IsFailedPrecondition(
      ImportMajors(catalog("计算机应用技术", monday + absl::Hours(24)), "tue-3").status()));

  // Institutions keep a mark of their own: the majors' does not hold them back.
  v1::ImportInstitutionsRequest institutions;
  institutions.set_request_id("institutions-mon");
  v1::Institution* cqvie = institutions.mutable_catalog()->add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_school_id_code("4150013571");
  *institutions.mutable_catalog()->mutable_issue_time() = TimeToProto(monday);
  ASSERT_TRUE(reporting_.ImportInstitutions(coordinator_, institutions).ok());
  institutions.set_request_id("institutions-sun");
  cqvie->set_school_id_code("4150013572");
  *institutions.mutable_catalog()->mutable_issue_time() = TimeToProto(monday - absl::Hours(24));
  EXPECT_EQ(ReasonOf(reporting_.ImportInstitutions(coordinator_, institutions).status()),
            "REFERENCE_OUTDATED");

  v1::ImportMajorCatalogRequest bad_time;
  bad_time.set_request_id("bad-time");
  *bad_time.mutable_catalog() = catalog("x", std::nullopt);
  bad_time.mutable_catalog()->mutable_issue_time()->set_nanos(-1);
  EXPECT_EQ(Fields(Validate(bad_time)), std::vector<std::string>{"catalog.issue_time"});

  // Found in review: an issued catalog that kept the stored values would
  // move the mark past values it never applied, and refuse the next.
  v1::ImportMajorCatalogRequest issued_but_kept;
  issued_but_kept.set_request_id("issued-kept");
  *issued_but_kept.mutable_catalog() = catalog("x", monday);
  issued_but_kept.set_keep_stored_values(true);
  EXPECT_EQ(Fields(Validate(issued_but_kept)), std::vector<std::string>{"keep_stored_values"});
  institutions.set_keep_stored_values(true);
  EXPECT_EQ(Fields(Validate(institutions)), std::vector<std::string>{"keep_stored_values"});
}

// As the institutions' (reference_data_test.cc): what is held back is
// cleared by its field's name, so every field a major's import sets goes
// through it here.
TEST_F(MajorCatalogTest, EveryFieldAnIssuedMajorCatalogStandsOnIsHeldBack) {
  v1::MajorCatalog issued;
  *issued.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  v1::CatalogMajor* set = issued.add_majors();
  *set = Major("510201", "计算机应用技术", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  set->set_category("电子与信息大类");
  set->set_subcategory("计算机类");
  ASSERT_TRUE(ImportMajors(issued, "issued").ok());
  const std::vector<v1::CatalogMajor> before = ListMajors();
  ASSERT_EQ(before.size(), 1u);

  v1::ImportMajorCatalogRequest start_up;
  v1::CatalogMajor* other = start_up.mutable_catalog()->add_majors();
  *other = Major("510201", "另一个名称", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  other->set_category("另一个大类");
  other->set_subcategory("另一个类");
  start_up.set_request_id("start-up");
  start_up.set_keep_stored_values(true);
  ASSERT_TRUE(Validate(start_up).ok());
  // The level agrees with the code in every import the edge lets through; a
  // level stored otherwise (before that rule) is what the domain would meet.
  other->set_level(v1::MAJOR_LEVEL_SECONDARY);
  auto loaded = reporting_.ImportMajorCatalog(Principal{Role::kOperator, ""}, start_up);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->updated(), 0);
  std::set<std::string> held;
  for (const auto& change : loaded->not_applied()) held.insert(change.field());
  EXPECT_EQ(held, (std::set<std::string>{"display_name", "level", "category", "subcategory"}));
  const std::vector<v1::CatalogMajor> after = ListMajors();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].SerializeAsString(), before[0].SerializeAsString());
}

// An issue time far ahead would become the mark and refuse every later import
// issued before it: it is refused itself, and the mark stays where it was.
TEST_F(MajorCatalogTest, ACatalogIssuedAfterTheClockIsRefusedAndHoldsNothingBack) {
  auto catalog = [](const std::string& name, absl::Time issued) {
    v1::MajorCatalog c;
    *c.add_majors() = Major("510201", name, v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
    *c.mutable_issue_time() = TimeToProto(issued);
    return c;
  };
  const absl::Time far_ahead = absl::FromCivil(absl::CivilDay(9999, 12, 31), absl::UTCTimeZone());
  const absl::Time now = clock_.Now();
  for (absl::Time issued : {far_ahead, now + absl::Minutes(10) + absl::Seconds(1)}) {
    for (bool validate_only : {true, false}) {
      auto refused = ImportMajors(catalog("未来名称", issued), "ahead", validate_only);
      ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
      EXPECT_EQ(Fields(refused.status()), std::vector<std::string>{"catalog.issue_time"});
    }
  }
  EXPECT_TRUE(ListMajors().empty());
  // Within the clocks' allowance it passes; a later document still imports.
  ASSERT_TRUE(ImportMajors(catalog("计算机应用技术", now + absl::Minutes(10)), "skewed").ok());
  auto later = ImportMajors(catalog("新名称", now + absl::Hours(1)), "later");
  EXPECT_TRUE(absl::IsInvalidArgument(later.status())) << later.status();
  clock_.Advance(absl::Hours(2));
  later = ImportMajors(catalog("新名称", now + absl::Hours(1)), "later-2");
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(ListMajors()[0].display_name(), "新名称");

  v1::ImportInstitutionsRequest institutions;
  v1::Institution* cqvie = institutions.mutable_catalog()->add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_school_id_code("4150013571");
  *institutions.mutable_catalog()->mutable_issue_time() = TimeToProto(far_ahead);
  institutions.set_request_id("institutions-ahead");
  auto refused = reporting_.ImportInstitutions({Role::kExchange, ""}, institutions);
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_EQ(Fields(refused.status()), std::vector<std::string>{"catalog.issue_time"});
  *institutions.mutable_catalog()->mutable_issue_time() = TimeToProto(clock_.Now());
  institutions.set_request_id("institutions-now");
  auto imported = reporting_.ImportInstitutions({Role::kExchange, ""}, institutions);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->updated(), 1);
}

// Found in review: pages were by offset, so an import between two pages that
// added majors sorting before the page shown brought its majors round again.
TEST_F(MajorCatalogTest, PagesGoByCodeSoAnImportBetweenThemRepeatsNothing) {
  ASSERT_TRUE(ImportMajors(Seed(), "majors-1").ok());
  const size_t all = ListMajors().size();
  v1::ListCatalogMajorsRequest req;
  req.set_page_size(3);
  auto page = reporting_.ListCatalogMajors({Role::kSchool, "cqvie"}, req);
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<std::string> seen;
  for (const auto& m : page->majors()) seen.push_back(m.code());

  v1::MajorCatalog earlier;
  *earlier.add_majors() = Major("410101", "作物生产与经营管理", v1::MAJOR_LEVEL_JUNIOR_COLLEGE);
  ASSERT_TRUE(ImportMajors(earlier, "majors-2").ok());
  while (!page->next_page_token().empty()) {
    req.set_page_token(page->next_page_token());
    page = reporting_.ListCatalogMajors({Role::kSchool, "cqvie"}, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& m : page->majors()) seen.push_back(m.code());
  }
  EXPECT_EQ(seen.size(), all);  // the new one sorts before the first page
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

}  // namespace
}  // namespace vetrack::schools
