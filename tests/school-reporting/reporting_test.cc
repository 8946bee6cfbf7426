// School reporting's domain on its Redis store, against a real redis-server,
// with a fake clock (2026-09-10 in the district): importing reference data,
// the data-report workflow with returns per item, locking, reopening and
// diffs; bad input changing nothing; quality reports and spot checks.
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "google/protobuf/util/message_differencer.h"
#include "institution_file.h"
#include "interleaving_store.h"
#include "reporting_fixture.h"
#include "status/errors.h"
#include "validation.h"

namespace vetrack::schools {
namespace {

using google::protobuf::util::MessageDifferencer;

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

  moved.mutable_institutions(0)->set_first_year(2025);
  ASSERT_TRUE(Import(moved, "open-4").ok());
  EXPECT_EQ(missing().size(), 10u);
  EXPECT_TRUE(lists(missing()));
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
            "window 2026-09-11T02:00:00Z to 2026-09-13T02:00:00Z (was 2026-09-11T02:00:00Z to "
            "2026-09-12T02:00:00Z)");

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
  EXPECT_TRUE(second->next_page_token().empty());
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

TEST_F(ReportingTest, WorkflowReturnsPerItemLocksReopensAndDiffs) {
  auto draft = Save(Complete(kCqvie2025), "save-1");
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(draft->revision(), 0);

  auto submitted = Submit(kCqvie2025, "submit-1");
  ASSERT_TRUE(submitted.ok()) << submitted.status();
  EXPECT_EQ(submitted->state(), v1::REPORT_STATE_SUBMITTED);
  EXPECT_EQ(submitted->revision(), 1);
  EXPECT_FALSE(submitted->late());

  auto returned = Review(kCqvie2025, "review-1",
                         {{"graduates_employed", "与就业质量年报不一致"},
                          {"integration_training_bases", "缺少认定文件"}});
  ASSERT_TRUE(returned.ok()) << returned.status();
  EXPECT_EQ(returned->state(), v1::REPORT_STATE_RETURNED);
  ASSERT_EQ(returned->returns_size(), 2);
  EXPECT_EQ(returned->returns(0).item(), "graduates_employed");

  v1::DataReport fixed = Complete(kCqvie2025);
  (*fixed.mutable_counts())["graduates_employed"] = 3100;
  (*fixed.mutable_counts())["integration_training_bases"] = 2;
  ASSERT_TRUE(Save(fixed, "save-2").ok());
  EXPECT_EQ(Get(kCqvie2025).state(), v1::REPORT_STATE_RETURNED);  // returns stay visible
  auto resubmitted = Submit(kCqvie2025, "submit-2");
  ASSERT_TRUE(resubmitted.ok());
  EXPECT_EQ(resubmitted->revision(), 2);
  EXPECT_EQ(resubmitted->returns_size(), 0);
  auto accepted = Review(kCqvie2025, "review-2", {});
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(accepted->accepted_revision(), 2);

  // Locked.
  auto locked = Save(fixed, "save-3");
  EXPECT_TRUE(absl::IsFailedPrecondition(locked.status()));
  EXPECT_EQ(ReasonOf(locked.status()), "REPORT_LOCKED");
  EXPECT_TRUE(absl::IsFailedPrecondition(Submit(kCqvie2025, "submit-3").status()));
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 2);
  EXPECT_EQ(Figures("cqvie", "ay2025").counts().at("graduates_employed"), 3100);

  // Reopened: a new revision is drafted; revision 2 stays the accepted one.
  v1::ReopenDataReportRequest reopen;
  reopen.set_name(kCqvie2025);
  reopen.set_reason("学籍系统复核后在校生数有误");
  reopen.set_request_id("reopen-1");
  auto reopened = reporting_.ReopenDataReport(coordinator_, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->state(), v1::REPORT_STATE_DRAFT);
  v1::DataReport corrected = fixed;
  (*corrected.mutable_counts())["enrolled_students"] = 11800;
  ASSERT_TRUE(Save(corrected, "save-4").ok());
  ASSERT_TRUE(Submit(kCqvie2025, "submit-4").ok());
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 2);
  ASSERT_TRUE(Review(kCqvie2025, "review-3", {}).ok());
  EXPECT_EQ(Figures("cqvie", "ay2025").revision(), 3);
  EXPECT_EQ(Figures("cqvie", "ay2025").counts().at("enrolled_students"), 11800);

  v1::DiffDataReportRevisionsRequest diff_req;
  diff_req.set_name(kCqvie2025);
  diff_req.set_from_revision(1);
  diff_req.set_to_revision(3);
  auto diff = reporting_.DiffDataReportRevisions({Role::kDepartment, "edu"}, diff_req);
  ASSERT_TRUE(diff.ok()) << diff.status();
  ASSERT_EQ(diff->count_changes_size(), 3);
  EXPECT_EQ(diff->count_changes(0).item(), "enrolled_students");
  EXPECT_EQ(diff->count_changes(0).from_value(), 12000);
  EXPECT_EQ(diff->count_changes(0).to_value(), 11800);
  EXPECT_EQ(diff->count_changes(1).item(), "graduates_employed");
  EXPECT_EQ(diff->count_changes(2).item(), "integration_training_bases");
  diff_req.set_to_revision(4);
  auto missing = reporting_.DiffDataReportRevisions(coordinator_, diff_req);
  EXPECT_TRUE(absl::IsNotFound(missing.status()));
  EXPECT_EQ(FirstField(missing.status()), "to_revision");

  v1::ListDataReportRevisionsRequest revisions_req;
  revisions_req.set_name(kCqvie2025);
  auto revisions = reporting_.ListDataReportRevisions({Role::kSchool, "cqvie"}, revisions_req);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->revisions_size(), 3);
  EXPECT_EQ(revisions->revisions(0).state(), v1::REPORT_STATE_RETURNED);
  EXPECT_EQ(revisions->revisions(0).returns_size(), 2);
  EXPECT_EQ(revisions->revisions(1).state(), v1::REPORT_STATE_ACCEPTED);
  EXPECT_EQ(revisions->revisions(2).counts().at("enrolled_students"), 11800);

  v1::ListReportHistoryRequest history_req;
  history_req.set_report(kCqvie2025);
  auto history = reporting_.ListReportHistory(coordinator_, history_req);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& e : history->entries()) actions.push_back(e.action() + "@" + e.actor());
  EXPECT_EQ(actions, (std::vector<std::string>{"SAVE_DRAFT@school:cqvie", "SUBMIT@school:cqvie",
                                               "RETURN@coordinator", "SAVE_DRAFT@school:cqvie",
                                               "RESUBMIT@school:cqvie", "ACCEPT@coordinator",
                                               "REOPEN@coordinator", "SAVE_DRAFT@school:cqvie",
                                               "RESUBMIT@school:cqvie", "ACCEPT@coordinator"}));
  EXPECT_EQ(history->entries(2).detail(),
            "graduates_employed: 与就业质量年报不一致; integration_training_bases: 缺少认定文件");
}

TEST_F(ReportingTest, EachBadInputIsRefusedNamingItsFieldAndNothingChanges) {
  ASSERT_TRUE(Save(Complete(kCqvie2025), "good").ok());
  const v1::DataReport before = Get(kCqvie2025);

  struct Case {
    std::string item;
    int64_t value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"graduates", -3, "data_report.counts.graduates"},
      {"dual_qualified_teachers", 501, "data_report.counts.dual_qualified_teachers"},
      {"graduates_further_study", 3801, "data_report.counts.graduates_further_study"},
      {"graduates_employed", 3801, "data_report.counts.graduates_employed"},
      {"classroom_revolution_cases_municipal", 1,
       "data_report.counts.classroom_revolution_cases_municipal"},  // no cases at all reported
      {"no_such_item", 1, "data_report.counts.no_such_item"},
  };
  int n = 0;
  for (const Case& c : cases) {
    v1::DataReport bad = Complete(kCqvie2025);
    if (c.item == "classroom_revolution_cases_municipal") {
      (*bad.mutable_counts())["classroom_revolution_cases"] = 0;
    }
    (*bad.mutable_counts())[c.item] = c.value;
    auto refused = Save(bad, "bad-" + std::to_string(++n));
    EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << c.item;
    EXPECT_EQ(FirstField(refused.status()), c.field) << c.item;
  }
  v1::DataReport bad_code = Complete(kCqvie2025);
  bad_code.mutable_majors(0)->set_catalog_code("710201");  // a 中职 code at a 高职
  auto refused = Save(bad_code, "bad-code");
  EXPECT_EQ(FirstField(refused.status()), "data_report.majors[0].catalog_code");

  v1::DataReport stale = Complete(kCqvie2025);
  stale.set_etag("9");
  auto aborted = Save(stale, "stale");
  EXPECT_TRUE(absl::IsAborted(aborted.status()));
  EXPECT_EQ(FirstField(aborted.status()), "data_report.etag");

  const v1::DataReport after = Get(kCqvie2025);
  EXPECT_TRUE(MessageDifferencer::Equals(after, before));

  // A submission checks completeness: every missing item at once.
  v1::DataReport partial;
  partial.set_name("institutions/cqgsxx/dataReports/ay2025");
  (*partial.mutable_counts())["enrolled_students"] = 3000;
  ASSERT_TRUE(Save(partial, "partial", "cqgsxx").ok());
  auto incomplete = Submit(partial.name(), "submit-partial", "cqgsxx");
  ASSERT_TRUE(absl::IsInvalidArgument(incomplete.status()));
  EXPECT_EQ(FieldViolationsOf(incomplete.status()).size(), 8u);  // 7 counts and the majors
  EXPECT_EQ(Get(partial.name()).state(), v1::REPORT_STATE_DRAFT);
  EXPECT_EQ(Get(partial.name()).etag(), "1");
}

// An optional item left out means none: a part of it reported without it is
// saved as a draft (the whole may follow) but cannot be submitted.
TEST_F(ReportingTest, APartWithoutItsWholeIsNotSubmitted) {
  v1::DataReport report = Complete(kCqvie2025);
  (*report.mutable_counts())["classroom_revolution_cases_municipal"] = 5;
  ASSERT_TRUE(Save(report, "save").ok());
  auto refused = Submit(kCqvie2025, "submit");
  ASSERT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_EQ(FieldViolationsOf(refused.status()).size(), 1u);
  EXPECT_EQ(FirstField(refused.status()), "counts.classroom_revolution_cases_municipal");
  EXPECT_EQ(Get(kCqvie2025).state(), v1::REPORT_STATE_DRAFT);

  (*report.mutable_counts())["classroom_revolution_cases"] = 5;
  report.set_etag("1");
  ASSERT_TRUE(Save(report, "save-2").ok());
  auto submitted = Submit(kCqvie2025, "submit-2");
  ASSERT_TRUE(submitted.ok()) << submitted.status();

  // Going on and employed are separate destinations of the graduates.
  v1::DataReport overlapping = Complete("institutions/cqepc/dataReports/ay2025");
  (*overlapping.mutable_counts())["graduates_further_study"] = 801;  // + 3000 > 3800
  auto counted_twice = Save(overlapping, "overlap", "cqepc");
  ASSERT_TRUE(absl::IsInvalidArgument(counted_twice.status())) << counted_twice.status();
  EXPECT_EQ(FirstField(counted_twice.status()), "data_report.counts.graduates_employed");
}

TEST_F(ReportingTest, ReplaysAnswerAsBeforeAndAReusedIdIsRefused) {
  auto first = Save(Complete(kCqvie2025), "same");
  auto replay = Save(Complete(kCqvie2025), "same");
  ASSERT_TRUE(first.ok() && replay.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*first, *replay));
  v1::DataReport other = Complete(kCqvie2025);
  (*other.mutable_counts())["graduates"] = 3900;
  auto reused = Save(other, "same");
  EXPECT_TRUE(absl::IsInvalidArgument(reused.status()));
  EXPECT_EQ(FirstField(reused.status()), "request_id");
  EXPECT_EQ(Get(kCqvie2025).etag(), "1");
}

TEST_F(ReportingTest, LateSubmissionsAreAcceptedButFlaggedAndLargeMovesWarn) {
  // ay2024 closed on 2025-10-01: accepted, flagged late.
  v1::DataReport last_year = Complete("institutions/cqvie/dataReports/ay2024");
  (*last_year.mutable_counts())["enrolled_students"] = 8000;
  Accepted(last_year, "ay2024");
  EXPECT_TRUE(Get(last_year.name()).late());

  v1::DataReport this_year = Complete(kCqvie2025);  // 12000 students: +50%
  ASSERT_TRUE(Save(this_year, "s").ok());
  auto submitted = Submit(kCqvie2025, "t");
  ASSERT_TRUE(submitted.ok());
  EXPECT_FALSE(submitted->late());
  ASSERT_EQ(submitted->warnings_size(), 1);
  EXPECT_EQ(submitted->warnings(0).item(), "enrolled_students");
  EXPECT_EQ(submitted->warnings(0).previous_value(), 8000);
  EXPECT_DOUBLE_EQ(submitted->warnings(0).change_share(), 0.5);

  // A window the coordinator sets: not open yet.
  v1::UpdatePeriodRequest window;
  window.mutable_period()->set_name("periods/ay2026");
  *window.mutable_period()->mutable_open_time() = TimeToProto(clock_.Now() + absl::Hours(24));
  *window.mutable_period()->mutable_close_time() = TimeToProto(clock_.Now() + absl::Hours(24 * 60));
  window.set_request_id("window-1");
  EXPECT_TRUE(absl::IsPermissionDenied(
      reporting_.UpdatePeriod({Role::kDepartment, "edu"}, window).status()));
  auto period = reporting_.UpdatePeriod(coordinator_, window);
  ASSERT_TRUE(period.ok()) << period.status();
  EXPECT_TRUE(period->configured());
  auto early = Save(Complete("institutions/cqvie/dataReports/ay2026"), "early");
  EXPECT_TRUE(absl::IsFailedPrecondition(early.status()));
  EXPECT_EQ(ReasonOf(early.status()), "PERIOD_NOT_OPEN");
  auto before_plan = Save(Complete("institutions/cqvie/dataReports/ay2020"), "old");
  EXPECT_TRUE(absl::IsInvalidArgument(before_plan.status()));
}

TEST_F(ReportingTest, OnlyTheSchoolWritesItsReportsAndOnlyReadersReadThem) {
  auto other_school = Save(Complete(kCqvie2025), "x", "cqepc");
  EXPECT_TRUE(absl::IsPermissionDenied(other_school.status()));
  v1::UpdateDataReportRequest by_coordinator;
  *by_coordinator.mutable_data_report() = Complete(kCqvie2025);
  by_coordinator.set_request_id("y");
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.UpdateDataReport(coordinator_, by_coordinator).status()));
  ASSERT_TRUE(Save(Complete(kCqvie2025), "z").ok());

  v1::GetDataReportRequest get;
  get.set_name(kCqvie2025);
  EXPECT_TRUE(reporting_.GetDataReport({Role::kDepartment, "hrss"}, get).ok());
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.GetDataReport({Role::kSchool, "cqepc"}, get).status()));
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.GetDataReport({Role::kExchange, ""}, get).status()));

  v1::ListDataReportsRequest list;
  list.set_period_id("ay2025");
  auto own = reporting_.ListDataReports({Role::kSchool, "cqvie"}, list);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->data_reports_size(), 1);
  EXPECT_EQ(own->missing_institutions_size(), 0);
  auto all = reporting_.ListDataReports({Role::kEvaluator, ""}, list);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->data_reports_size(), 1);
  EXPECT_EQ(all->missing_institutions_size(), 8);
  EXPECT_TRUE(
      absl::IsPermissionDenied(reporting_.ListDataReports({Role::kOperator, ""}, list).status()));
}

TEST_F(ReportingTest, AReviewQueueListedByStateSkipsNoReportWhenOneLeavesIt) {
  // cqepc, cqjtzy and cqvie (code order) submit for the coordinator's queue.
  for (const std::string school : {"cqvie", "cqepc", "cqjtzy"}) {
    const std::string name = "institutions/" + school + "/dataReports/ay2025";
    ASSERT_TRUE(Save(Complete(name), "save-" + school, school).ok());
    ASSERT_TRUE(Submit(name, "submit-" + school, school).ok());
  }
  v1::ListDataReportsRequest queue;
  queue.set_period_id("ay2025");
  queue.set_state(v1::REPORT_STATE_SUBMITTED);
  queue.set_page_size(1);
  std::vector<std::string> seen;
  for (int page = 0; page < 4; ++page) {
    auto listed = reporting_.ListDataReports(coordinator_, queue);
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(listed->missing_institutions_size(), page == 0 ? 6 : 0) << "page " << page;
    for (const auto& report : listed->data_reports()) {
      seen.push_back(report.institution());
      // The coordinator works the queue: what it accepts leaves it.
      ASSERT_TRUE(Review(report.name(), "review-" + report.institution(), {}).ok());
    }
    if (listed->next_page_token().empty()) break;
    queue.set_page_token(listed->next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"institutions/cqepc", "institutions/cqjtzy",
                                            "institutions/cqvie"}));
}

}  // namespace
}  // namespace vetrack::schools
