// School reporting's reference data on its Redis store, against a real
// redis-server, with a fake clock: importing institutions (national codes,
// the year each is counted from), refusing what is wrong, concurrent loads,
// and the history of imports and reporting windows.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "clock/timestamp.h"
#include "institution_file.h"
#include "interleaving_store.h"
#include "registry_departments.h"
#include "reporting_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

TEST_F(ReportingTest, ImportingTwiceChangesNothingAndEmptyFieldsNeverClear) {
  auto again = Import(ReadInstitutionFile(kInstitutionsPath), "load-2");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created() + again->updated(), 0);
  EXPECT_EQ(again->unchanged(), 9);
  EXPECT_EQ(again->changes_size(), 0);

  // The municipal platform knows the codes.
  v1::InstitutionCatalog municipal;
  municipal.set_source("市级平台");
  v1::Institution* cqvie = municipal.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_school_id_code("4150013571");
  cqvie->set_credit_code("91350100M000100Y43");
  auto filled = Import(municipal, "municipal-1", {Role::kExchange, ""});
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(filled->updated(), 1);
  ASSERT_EQ(filled->changes_size(), 2);
  EXPECT_EQ(filled->changes(0).field(), "school_id_code");
  EXPECT_EQ(filled->changes(0).old_value(), "");
  EXPECT_EQ(filled->changes(0).new_value(), "4150013571");

  // The data file does not know them: reloading it keeps them.
  auto reloaded = Import(ReadInstitutionFile(kInstitutionsPath), "load-3");
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->unchanged(), 9);
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  auto institution = reporting_.GetInstitution({Role::kSchool, "cqepc"}, get);
  ASSERT_TRUE(institution.ok());
  EXPECT_EQ(institution->credit_code(), "91350100M000100Y43");
  EXPECT_EQ(institution->type(), v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  EXPECT_EQ(institution->etag(), "2");
}

// Found in use: `make run` loads the local file (no issue time) at every
// start, and reverted every rename the municipal platform's catalog had made.
// A load that keeps the stored values adds what is missing and fills blanks,
// and says what it did not apply; a coordinator's import (a correction)
// still changes what it names.
TEST_F(ReportingTest, AStartUpLoadKeepsWhatTheIssuedCatalogSet) {
  v1::InstitutionCatalog municipal;
  municipal.set_source("市级平台");
  *municipal.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  v1::Institution* cqvie = municipal.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_display_name("重庆工程职业技术学院（更名）");
  ASSERT_TRUE(Import(municipal, "municipal-1", {Role::kExchange, ""}).ok());

  auto local = ReadInstitutionFile(kInstitutionsPath);
  ASSERT_TRUE(local.ok()) << local.status();
  const std::string file_name = local->institutions(0).display_name();
  ASSERT_EQ(local->institutions(0).code(), "cqvie");
  local->mutable_institutions(0)->set_credit_code("91350100M000100Y43");  // blank until now
  v1::Institution* opened = local->add_institutions();
  opened->set_code("cqnew");
  opened->set_display_name("新学校");
  opened->set_type(v1::INSTITUTION_TYPE_TECHNICAL);
  v1::ImportInstitutionsRequest start_up;
  *start_up.mutable_catalog() = *local;
  start_up.set_request_id("restart-load");
  start_up.set_keep_stored_values(true);
  auto reloaded = reporting_.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->created(), 1);
  EXPECT_EQ(reloaded->updated(), 1);  // cqvie's blank credit code, filled
  EXPECT_EQ(reloaded->unchanged(), 8);
  ASSERT_EQ(reloaded->not_applied_size(), 1);
  EXPECT_EQ(reloaded->not_applied(0).institution(), "institutions/cqvie");
  EXPECT_EQ(reloaded->not_applied(0).field(), "display_name");
  EXPECT_EQ(reloaded->not_applied(0).old_value(), "重庆工程职业技术学院（更名）");
  EXPECT_EQ(reloaded->not_applied(0).new_value(), file_name);
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(),
            "重庆工程职业技术学院（更名）");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->credit_code(), "91350100M000100Y43");
  v1::ListReferenceHistoryRequest history;
  history.set_resource("institutions");
  auto entries = reporting_.ListReferenceHistory(coordinator_, history);
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_TRUE(absl::EndsWith(entries->entries().rbegin()->detail(),
                             "1 created, 1 updated, 8 unchanged; 1 change(s) not applied "
                             "(the stored values kept)"))
      << entries->entries().rbegin()->detail();
  get.set_name("institutions/cqnew");
  EXPECT_TRUE(reporting_.GetInstitution(coordinator_, get).ok());

  // The coordinator's own undated import is a correction: it applies.
  v1::InstitutionCatalog correction;
  v1::Institution* named = correction.add_institutions();
  named->set_code("cqvie");
  named->set_display_name(file_name);
  auto corrected = Import(correction, "correction");
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  EXPECT_EQ(corrected->updated(), 1);
  EXPECT_EQ(corrected->not_applied_size(), 0);
  get.set_name("institutions/cqvie");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(), file_name);
}

// Found in review: what is held back is cleared by its field's name, so a
// change named otherwise than its field would be applied silently. Every
// field an import sets goes through it here.
TEST_F(ReportingTest, EveryFieldAnIssuedCatalogStandsOnIsHeldBack) {
  v1::InstitutionCatalog issued;
  *issued.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  v1::Institution* set = issued.add_institutions();
  set->set_code("cqvie");
  set->set_school_id_code("4150013571");
  set->set_credit_code("91350100M000100Y43");
  set->set_first_year(2022);
  ASSERT_TRUE(Import(issued, "issued", {Role::kExchange, ""}).ok());
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  auto before = reporting_.GetInstitution(coordinator_, get);
  ASSERT_TRUE(before.ok()) << before.status();

  v1::ImportInstitutionsRequest start_up;
  v1::Institution* other = start_up.mutable_catalog()->add_institutions();
  other->set_code("cqvie");
  other->set_display_name("另一个名称");
  other->set_type(v1::INSTITUTION_TYPE_TECHNICAL);
  other->set_school_id_code("4150013572");
  other->set_credit_code("91500116MB1234567X");
  other->set_first_year(2023);
  start_up.set_request_id("start-up");
  start_up.set_keep_stored_values(true);
  auto loaded = reporting_.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->updated(), 0);
  std::set<std::string> held;
  for (const auto& change : loaded->not_applied()) held.insert(change.field());
  EXPECT_EQ(held, (std::set<std::string>{"display_name", "type", "school_id_code", "credit_code",
                                         "first_year"}));
  auto after = reporting_.GetInstitution(coordinator_, get);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
}

// Found in review: a start-up load kept the stored values only once an issued
// catalog had been imported, so until then each one set the seed's values
// over a coordinator's correction.
TEST_F(ReportingTest, AStartUpLoadKeepsACoordinatorsCorrection) {
  v1::InstitutionCatalog correction;
  v1::Institution* cqvie = correction.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_first_year(2023);
  ASSERT_TRUE(Import(correction, "correction").ok());

  auto seed = ReadInstitutionFile(kInstitutionsPath);
  ASSERT_TRUE(seed.ok()) << seed.status();
  ASSERT_EQ(seed->institutions(0).code(), "cqvie");
  seed->mutable_institutions(0)->set_first_year(2021);
  v1::ImportInstitutionsRequest start_up;
  *start_up.mutable_catalog() = *seed;
  start_up.set_request_id("start-up");
  start_up.set_keep_stored_values(true);
  auto loaded = reporting_.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->not_applied_size(), 1);
  EXPECT_EQ(loaded->not_applied(0).field(), "first_year");
  EXPECT_EQ(loaded->not_applied(0).old_value(), "2023");
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->first_year(), 2023);
}

// Found in review: a start-up load that read the catalog's issue mark was
// refused (ABORTED, and `make run` stopped) when the reference import landed
// meanwhile, even one that changed no institution. It reads no mark now, and
// keeps what that import set whenever it lands.
TEST_F(ReportingTest, AnIssuedCatalogLandingMidLoadStands) {
  auto catalog = [](const std::string& name) {
    v1::InstitutionCatalog c;
    v1::Institution* cqvie = c.add_institutions();
    cqvie->set_code("cqvie");
    cqvie->set_display_name(name);
    return c;
  };
  ASSERT_TRUE(Import(catalog("平台名称"), "local-name").ok());
  InterleavingStore store(store_);
  SchoolReporting racing(store, clock_);
  store.after_institutions_read = [&] {
    v1::InstitutionCatalog issued = catalog("平台名称");
    *issued.mutable_issue_time() = TimeToProto(clock_.Now());
    ASSERT_TRUE(Import(issued, "issued", {Role::kExchange, ""}).ok());
  };
  v1::ImportInstitutionsRequest start_up;
  *start_up.mutable_catalog() = catalog("种子文件名称");
  start_up.set_request_id("start-up");
  start_up.set_keep_stored_values(true);
  auto raced = racing.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(raced.ok()) << raced.status();
  EXPECT_EQ(raced->not_applied_size(), 1);
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqvie");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(), "平台名称");

  // One that renames it meanwhile: the load, which read the old name, holds
  // its own back all the same, and writes nothing the rename could lose.
  store.after_institutions_read = [&] {
    v1::InstitutionCatalog issued = catalog("平台新名称");
    *issued.mutable_issue_time() = TimeToProto(clock_.Now());
    ASSERT_TRUE(Import(issued, "issued-2", {Role::kExchange, ""}).ok());
  };
  start_up.set_request_id("start-up-2");
  raced = racing.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(raced.ok()) << raced.status();
  EXPECT_EQ(raced->not_applied_size(), 1);
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(), "平台新名称");

  // A load that fills a blank writes the institution as it read it: a rename
  // landing meanwhile refuses it (every institution's write is guarded), and
  // tried again, it fills the blank beside the new name.
  store.after_institutions_read = [&] {
    v1::InstitutionCatalog issued = catalog("平台第三个名称");
    *issued.mutable_issue_time() = TimeToProto(clock_.Now());
    ASSERT_TRUE(Import(issued, "issued-3", {Role::kExchange, ""}).ok());
  };
  start_up.mutable_catalog()->mutable_institutions(0)->set_credit_code("91350100M000100Y43");
  start_up.set_request_id("start-up-3");
  raced = racing.ImportInstitutions(coordinator_, start_up);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(), "平台第三个名称");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->credit_code(), "");
  start_up.set_request_id("start-up-4");
  raced = racing.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(raced.ok()) << raced.status();
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->display_name(), "平台第三个名称");
  EXPECT_EQ(reporting_.GetInstitution(coordinator_, get)->credit_code(), "91350100M000100Y43");
}

// Found in review: codes an issued catalog moved from one school to another
// are held back in the seed file, and must not refuse the whole start-up load.
TEST_F(ReportingTest, ACodeHeldBackDoesNotRefuseTheLoad) {
  v1::InstitutionCatalog issued;
  *issued.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  v1::Institution* cqepc = issued.add_institutions();
  cqepc->set_code("cqepc");
  cqepc->set_credit_code("91350100M000100Y43");
  ASSERT_TRUE(Import(issued, "issued", {Role::kExchange, ""}).ok());
  v1::InstitutionCatalog seed;  // still gives the code to cqvie, which had it once
  v1::Institution* cqvie = seed.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_credit_code("91350100M000100Y43");
  v1::ImportInstitutionsRequest start_up;
  *start_up.mutable_catalog() = seed;
  start_up.set_request_id("start-up");
  start_up.set_keep_stored_values(true);
  // cqvie's credit code is blank, so the seed would fill it: the code is
  // another's, which is refused whatever the load.
  auto refused = reporting_.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  // Once cqvie holds a code of its own, the seed's is held back, not refused.
  v1::InstitutionCatalog own = seed;
  own.mutable_institutions(0)->set_credit_code("91500116MB1234567X");
  *own.mutable_issue_time() = TimeToProto(clock_.Now());
  ASSERT_TRUE(Import(own, "issued-2", {Role::kExchange, ""}).ok());
  start_up.set_request_id("start-up-2");
  auto loaded = reporting_.ImportInstitutions(coordinator_, start_up);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->not_applied_size(), 1);
  EXPECT_EQ(loaded->not_applied(0).field(), "credit_code");
}

// A school that opens during the plan is imported with the year it is
// counted from; a later file that does not know the year keeps it.
TEST_F(ReportingTest, AnInstitutionKeepsTheYearItIsCountedFrom) {
  v1::InstitutionCatalog opening;
  v1::Institution* college = opening.add_institutions();
  college->set_code("cqjnzy");
  college->set_display_name("重庆江津职业技术大学");
  college->set_type(v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL);
  college->set_first_year(2027);
  auto created = Import(opening, "open-1");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->created(), 1);
  // It owes no report for 2025, while it is listed as owing for a year it
  // existed in (below: counted from 2025, once the year is corrected).
  auto missing = [&] {
    v1::ListDataReportsRequest list;
    list.set_period_id("ay2025");
    auto listed = reporting_.ListDataReports({Role::kEvaluator, ""}, list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return std::vector<std::string>(listed->missing_institutions().begin(),
                                    listed->missing_institutions().end());
  };
  auto lists = [](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), "institutions/cqjnzy") != names.end();
  };
  EXPECT_EQ(missing().size(), 9u);
  EXPECT_FALSE(lists(missing()));

  v1::InstitutionCatalog moved;
  moved.add_institutions()->set_code("cqjnzy");
  moved.mutable_institutions(0)->set_first_year(2028);
  auto updated = Import(moved, "open-2");
  ASSERT_TRUE(updated.ok()) << updated.status();
  ASSERT_EQ(updated->changes_size(), 1);
  EXPECT_EQ(updated->changes(0).field(), "first_year");
  EXPECT_EQ(updated->changes(0).old_value(), "2027");
  EXPECT_EQ(updated->changes(0).new_value(), "2028");

  moved.mutable_institutions(0)->clear_first_year();  // not known to this file
  auto kept = Import(moved, "open-3");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->unchanged(), 1);
  v1::GetInstitutionRequest get;
  get.set_name("institutions/cqjnzy");
  auto stored = reporting_.GetInstitution({Role::kEvaluator, ""}, get);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->first_year(), 2028);
  // Nor can it report for 2025: it did not exist, and the report would count
  // nowhere.
  const std::string report_2025 = "institutions/cqjnzy/dataReports/ay2025";
  auto early = Save(Complete(report_2025), "early-data", "cqjnzy");
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition) << early.status();
  EXPECT_EQ(ReasonOf(early.status()), "NOT_YET_COUNTED");
  auto early_quality = SubmitQuality("cqjnzy", {}, "early-quality");
  EXPECT_EQ(ReasonOf(early_quality.status()), "NOT_YET_COUNTED") << early_quality.status();

  moved.mutable_institutions(0)->set_first_year(2025);
  ASSERT_TRUE(Import(moved, "open-4").ok());
  EXPECT_EQ(missing().size(), 10u);
  EXPECT_TRUE(lists(missing()));
  auto saved = Save(Complete(report_2025), "data-2025", "cqjnzy");
  EXPECT_TRUE(saved.ok()) << saved.status();
}

TEST_F(ReportingTest, ImportRefusesWhatIsWrongAndChangesNothing) {
  v1::InstitutionCatalog taken;
  v1::Institution* cqvie = taken.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_credit_code("91350100M000100Y43");
  ASSERT_TRUE(Import(taken, "codes-1").ok());

  v1::InstitutionCatalog bad;
  v1::Institution* duplicate = bad.add_institutions();
  duplicate->set_code("cqepc");
  duplicate->set_credit_code("91350100M000100Y43");
  v1::Institution* unnamed = bad.add_institutions();
  unnamed->set_code("newschool");
  auto refused = Import(bad, "codes-2");
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status()));
  auto fields = FieldViolationsOf(refused.status());
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0].field, "catalog.institutions[1].display_name");
  EXPECT_EQ(fields[1].field, "catalog.institutions[1].type");
  EXPECT_EQ(fields[2].field, "catalog.institutions[0].credit_code");

  auto denied = Import(bad, "codes-3", {Role::kSchool, "cqepc"});
  EXPECT_TRUE(absl::IsPermissionDenied(denied.status()));

  v1::ListInstitutionsRequest list;
  auto all = reporting_.ListInstitutions({Role::kEvaluator, ""}, list);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->institutions_size(), 9);
  for (const auto& i : all->institutions()) {
    if (i.code() == "cqepc") {
      EXPECT_EQ(i.credit_code(), "");
    }
  }
}

// Two local loads (no issue time, so no reference mark orders them) that
// each give one national code to a different institution: the one whose read
// went stale is refused, and decided again it sees the code taken.
TEST_F(ReportingTest, ConcurrentLoadsNeverGiveOneCodeToTwoInstitutions) {
  auto load = [](const std::string& code) {
    v1::InstitutionCatalog catalog;
    v1::Institution* institution = catalog.add_institutions();
    institution->set_code(code);
    institution->set_school_id_code("4150013571");
    return catalog;
  };
  InterleavingStore store(store_);
  SchoolReporting racing(store, clock_);
  store.after_institutions_read = [&] { ASSERT_TRUE(Import(load("cqepc"), "load-cqepc").ok()); };
  v1::ImportInstitutionsRequest req;
  *req.mutable_catalog() = load("cqvie");
  req.set_request_id("load-cqvie");
  auto raced = racing.ImportInstitutions(coordinator_, req);
  EXPECT_TRUE(absl::IsAborted(raced.status())) << raced.status();

  auto retried = racing.ImportInstitutions(coordinator_, req);
  EXPECT_TRUE(absl::IsInvalidArgument(retried.status())) << retried.status();
  EXPECT_EQ(FirstField(retried.status()), "catalog.institutions[0].school_id_code");
  v1::ListInstitutionsRequest list;
  auto all = reporting_.ListInstitutions(coordinator_, list);
  ASSERT_TRUE(all.ok());
  int holders = 0;
  for (const auto& i : all->institutions()) holders += i.school_id_code() == "4150013571";
  EXPECT_EQ(holders, 1);
}

// Found in review: "hrss" (区人力社保局) was imported as a school. The gateway
// refuses a school token naming a department, so nobody could ever report
// for it, and it stayed missing from every statement and round for good.
TEST_F(ReportingTest, ANewInstitutionCannotTakeADepartmentsCode) {
  int reads = 0;
  absl::Status registry = absl::OkStatus();
  std::set<std::string> departments = {"edu", "hrss"};
  const absl::Time kCallersTime = absl::FromUnixSeconds(1'800'000'000);
  ReportingOptions options;
  absl::Time asked_by = absl::InfinitePast();
  options.department_codes = [&](absl::Time answer_by) -> absl::StatusOr<std::set<std::string>> {
    ++reads;
    asked_by = answer_by;
    if (!registry.ok()) return registry;
    return departments;
  };
  SchoolReporting checked(store_, clock_, options);
  auto import = [&](const std::string& request_id, const std::vector<std::string>& codes) {
    v1::ImportInstitutionsRequest req;
    req.mutable_catalog()->set_source("市级平台");
    for (const auto& code : codes) {
      v1::Institution* institution = req.mutable_catalog()->add_institutions();
      institution->set_code(code);
      institution->set_display_name("新学校 " + code);
      institution->set_type(v1::INSTITUTION_TYPE_TECHNICAL);
    }
    req.set_request_id(request_id);
    return checked.ImportInstitutions({Role::kExchange, ""}, req, kCallersTime);
  };

  auto refused = import("with-hrss", {"cqnew", "hrss"});
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  // The registry is read by the importing caller's time, not a fixed one.
  EXPECT_EQ(asked_by, kCallersTime);
  EXPECT_EQ(FirstField(refused.status()), "catalog.institutions[1].code");
  v1::ListInstitutionsRequest list;
  EXPECT_EQ(reporting_.ListInstitutions(coordinator_, list)->institutions_size(), 9);

  // The registry not answering, or without its catalog, nothing is imported.
  departments.clear();
  auto unloaded = import("registry-unloaded", {"cqnew"});
  EXPECT_TRUE(absl::IsUnavailable(unloaded.status())) << unloaded.status();
  departments = {"edu", "hrss"};
  registry = absl::UnavailableError("task-registry is down");
  auto unchecked = import("registry-down", {"cqnew"});
  EXPECT_TRUE(absl::IsUnavailable(unchecked.status())) << unchecked.status();
  EXPECT_EQ(reporting_.ListInstitutions(coordinator_, list)->institutions_size(), 9);

  // Institutions already kept are not asked about again, so a reload of the
  // same file at every start does not need the registry.
  const int before = reads;
  v1::ImportInstitutionsRequest reload;
  *reload.mutable_catalog() = *ReadInstitutionFile(kInstitutionsPath);
  reload.set_request_id("reload");
  EXPECT_TRUE(checked.ImportInstitutions(coordinator_, reload).ok());
  EXPECT_EQ(reads, before);

  registry = absl::OkStatus();
  auto created = import("without-hrss", {"cqnew"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->created(), 1);
}

// Who imported which catalog, and who set a window, when: kept with the
// change, in the history of what it changed.
TEST_F(ReportingTest, ImportsAndWindowChangesAreKeptInTheirHistories) {
  auto history = [&](const std::string& resource) {
    v1::ListReferenceHistoryRequest req;
    req.set_resource(resource);
    auto listed = reporting_.ListReferenceHistory({Role::kDepartment, "edu"}, req);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? std::vector<v1::ReportHistoryEntry>(listed->entries().begin(),
                                                             listed->entries().end())
                       : std::vector<v1::ReportHistoryEntry>{};
  };
  auto loaded = history("institutions");  // the fixture's load
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].action(), "IMPORT");
  EXPECT_EQ(loaded[0].actor(), "coordinator");
  EXPECT_EQ(TimeFromProto(loaded[0].time()), clock_.Now());
  EXPECT_TRUE(absl::EndsWith(loaded[0].detail(), ": 9 created, 0 updated, 0 unchanged"))
      << loaded[0].detail();

  v1::InstitutionCatalog municipal;
  municipal.set_source("市级平台");
  *municipal.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(1));
  v1::Institution* cqvie = municipal.add_institutions();
  cqvie->set_code("cqvie");
  cqvie->set_school_id_code("4150013571");
  ASSERT_TRUE(Import(municipal, "municipal-1", {Role::kExchange, ""}).ok());
  *municipal.mutable_issue_time() = TimeToProto(clock_.Now() - absl::Hours(2));
  ASSERT_FALSE(Import(municipal, "municipal-0", {Role::kExchange, ""}).ok());  // outdated
  loaded = history("institutions");
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[1].actor(), "exchange");
  EXPECT_EQ(loaded[1].detail(),
            "市级平台, issued 2026-09-10T01:00:00Z: 0 created, 1 updated, 0 unchanged");

  auto majors = ReadMajorCatalogFile(std::string(VETRACK_SOURCE_DIR) +
                                     "/services/school-reporting/data/majors-2021-subset.json");
  ASSERT_TRUE(majors.ok()) << majors.status();
  v1::ImportMajorCatalogRequest import;
  *import.mutable_catalog() = *majors;
  import.set_request_id("majors-1");
  import.set_validate_only(true);
  ASSERT_TRUE(reporting_.ImportMajorCatalog({Role::kOperator, ""}, import).ok());
  EXPECT_TRUE(history("catalogMajors").empty());  // nothing was imported
  import.set_validate_only(false);
  auto imported = reporting_.ImportMajorCatalog({Role::kOperator, ""}, import);
  ASSERT_TRUE(imported.ok()) << imported.status();
  auto catalog = history("catalogMajors");
  ASSERT_EQ(catalog.size(), 1u);
  EXPECT_EQ(catalog[0].actor(), "operator");
  EXPECT_EQ(catalog[0].detail(), absl::StrCat(majors->source(), ": ", imported->created(),
                                              " created, 0 updated, 0 unchanged"));

  v1::UpdatePeriodRequest window;
  window.mutable_period()->set_name("periods/ay2026");
  *window.mutable_period()->mutable_open_time() = TimeToProto(clock_.Now() + absl::Hours(24));
  *window.mutable_period()->mutable_close_time() = TimeToProto(clock_.Now() + absl::Hours(48));
  window.set_request_id("window-1");
  ASSERT_TRUE(reporting_.UpdatePeriod(coordinator_, window).ok());
  *window.mutable_period()->mutable_close_time() = TimeToProto(clock_.Now() + absl::Hours(72));
  window.set_request_id("window-2");
  ASSERT_TRUE(reporting_.UpdatePeriod(coordinator_, window).ok());
  auto windows = history("periods/ay2026");
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].action(), "SET_WINDOW");
  EXPECT_EQ(windows[0].actor(), "coordinator");
  EXPECT_TRUE(absl::EndsWith(windows[0].detail(), ", the default)")) << windows[0].detail();
  EXPECT_EQ(windows[1].detail(),
            "window from 2026-09-11 10:00 until 2026-09-13 10:00 (UTC+8) (was from 2026-09-11 "
            "10:00 until 2026-09-12 10:00 (UTC+8))");
  // A window set by days (vetctl --close 2026-12-31) reads by days.
  *window.mutable_period()->mutable_open_time() =
      TimeToProto(absl::FromCivil(absl::CivilDay(2026, 9, 1), DistrictTimeZone()));
  *window.mutable_period()->mutable_close_time() =
      TimeToProto(absl::FromCivil(absl::CivilDay(2027, 1, 1), DistrictTimeZone()));
  window.set_request_id("window-3");
  ASSERT_TRUE(reporting_.UpdatePeriod(coordinator_, window).ok());
  windows = history("periods/ay2026");
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_TRUE(absl::StartsWith(windows[2].detail(),
                               "window from 2026-09-01 00:00 through 2026-12-31 (UTC+8)"))
      << windows[2].detail();

  // Paged like every list; a school reads no reference history; an unknown
  // resource names the field.
  v1::ListReferenceHistoryRequest req;
  req.set_resource("periods/ay2026");
  req.set_page_size(1);
  auto first = reporting_.ListReferenceHistory({Role::kOperator, ""}, req);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->entries_size(), 1);
  EXPECT_EQ(first->entries(0).detail(), windows[0].detail());
  req.set_page_token(first->next_page_token());
  auto second = reporting_.ListReferenceHistory({Role::kOperator, ""}, req);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->entries_size(), 1);
  EXPECT_EQ(second->entries(0).detail(), windows[1].detail());
  req.set_page_token(second->next_page_token());
  auto third = reporting_.ListReferenceHistory({Role::kOperator, ""}, req);
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_EQ(third->entries_size(), 1);
  EXPECT_TRUE(third->next_page_token().empty());
  EXPECT_EQ(reporting_.ListReferenceHistory({Role::kSchool, "cqvie"}, req).status().code(),
            absl::StatusCode::kPermissionDenied);
  for (const char* unknown : {"insts", "periods/ay1999x", "periods/", ""}) {  // malformed
    v1::ListReferenceHistoryRequest bad;
    bad.set_resource(unknown);
    auto refused = reporting_.ListReferenceHistory(coordinator_, bad);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << unknown;
    EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "resource") << unknown;
    EXPECT_EQ(Validate(bad).code(), absl::StatusCode::kInvalidArgument) << unknown;
  }
  v1::ListReferenceHistoryRequest outside;  // well formed, before the plan began
  outside.set_resource("periods/ay1999");
  auto refused = reporting_.ListReferenceHistory(coordinator_, outside);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
  EXPECT_EQ(FieldViolationsOf(refused.status())[0].field, "resource");
}

// The registry's departments are read by the importing caller's time, and
// by `longest` when that is later: with nothing listening at the address, a
// read whose time has passed ends DEADLINE_EXCEEDED before it tries to
// connect, and one with time left ends UNAVAILABLE.
TEST(RegistryDepartmentCodesTest, ReadByTheCallersTimeAndNoLaterThanTheLongest) {
  const std::string nobody = "127.0.0.1:1";
  auto read = RegistryDepartmentCodes(nobody, absl::Seconds(30));
  EXPECT_TRUE(absl::IsDeadlineExceeded(read(absl::Now() - absl::Seconds(1)).status()));
  EXPECT_TRUE(absl::IsUnavailable(read(absl::Now() + absl::Seconds(30)).status()));
  auto no_time = RegistryDepartmentCodes(nobody, absl::ZeroDuration());
  EXPECT_TRUE(absl::IsDeadlineExceeded(no_time(absl::InfiniteFuture()).status()));
}

}  // namespace
}  // namespace vetrack::schools
