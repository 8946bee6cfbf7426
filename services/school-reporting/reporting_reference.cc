// The reference-data half of SchoolReporting: institutions and their import,
// the item catalog, reporting periods and their windows.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "exchange/outbox.h"
#include "idempotency/idempotency.h"
#include "items.h"
#include "paging/paging.h"
#include "school_reporting.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {
namespace {

// Applies the fields `incoming` knows (non-empty) to `stored`, noting each
// change; an empty field is "not known here" and keeps the stored value.
void Merge(const v1::Institution& incoming, v1::Institution* stored,
           std::vector<v1::InstitutionChange>* changes) {
  auto change = [&](const std::string& field, const std::string& before, const std::string& after) {
    v1::InstitutionChange c;
    c.set_institution(InstitutionName(stored->code()));
    c.set_field(field);
    c.set_old_value(before);
    c.set_new_value(after);
    changes->push_back(std::move(c));
  };
  auto text = [&](const std::string& field, const std::string& value, std::string* target) {
    if (IsBlank(value) || value == *target) return;  // blank: not given, as in a partial file
    change(field, *target, value);
    *target = value;
  };
  text("display_name", incoming.display_name(), stored->mutable_display_name());
  text("school_id_code", incoming.school_id_code(), stored->mutable_school_id_code());
  text("credit_code", incoming.credit_code(), stored->mutable_credit_code());
  if (incoming.type() != v1::INSTITUTION_TYPE_UNSPECIFIED && incoming.type() != stored->type()) {
    change("type",
           stored->type() == v1::INSTITUTION_TYPE_UNSPECIFIED
               ? ""
               : v1::InstitutionType_Name(stored->type()),
           v1::InstitutionType_Name(incoming.type()));
    stored->set_type(incoming.type());
  }
  if (incoming.first_year() != 0 && incoming.first_year() != stored->first_year()) {
    change("first_year", stored->first_year() == 0 ? "" : std::to_string(stored->first_year()),
           std::to_string(incoming.first_year()));
    stored->set_first_year(incoming.first_year());
  }
}

// How far past this service's clock a catalog may say it was issued. The
// issuer's clock and ours are never exactly together, but an issue time
// further ahead would become the mark and refuse every catalog issued before
// it (REFERENCE_OUTDATED) until that time came: one bad clock or typo would
// stop imports for years. The exchange allows the same before it forwards.
constexpr absl::Duration kIssueTimeSkew = absl::Minutes(10);

// A period's window as its history says it, in the district's time as the
// coordinator set it (found in use: UTC, and the exclusive end of `--close
// 2026-12-31` read as 2026-12-31T16:00:00Z). A window that closes at
// midnight runs through the day before.
std::string WindowText(const v1::Period& period) {
  const absl::TimeZone tz = DistrictTimeZone();
  auto moment = [&](absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M", t, tz); };
  const absl::Time close = TimeFromProto(period.close_time());
  const absl::CivilSecond closes = absl::ToCivilSecond(close, tz);
  const std::string until =
      closes == absl::CivilSecond(absl::CivilDay(closes))
          ? absl::StrCat("through ", absl::FormatCivilTime(absl::CivilDay(closes) - 1))
          : absl::StrCat("until ", moment(close));
  return absl::StrCat("from ", moment(TimeFromProto(period.open_time())), " ", until, " (UTC+8)");
}

// A national code must name one institution only.
void CheckCodesUnique(const std::map<std::string, v1::Institution>& merged,
                      const v1::InstitutionCatalog& catalog, Violations* violations) {
  std::map<std::string, std::string> owner_of_school_id, owner_of_credit;
  for (const auto& [code, institution] : merged) {
    if (!institution.school_id_code().empty())
      owner_of_school_id[institution.school_id_code()] = code;
    if (!institution.credit_code().empty()) owner_of_credit[institution.credit_code()] = code;
  }
  for (int i = 0; i < catalog.institutions_size(); ++i) {
    // The values to be written, not the file's: one an import held back
    // (keep_stored_values) is not written, and must not refuse the import.
    const v1::Institution& written = merged.at(catalog.institutions(i).code());
    const std::string field = absl::StrCat("catalog.institutions[", i, "].");
    for (const auto& [code, institution] : merged) {
      if (code == written.code()) continue;
      if (!written.school_id_code().empty() &&
          institution.school_id_code() == written.school_id_code()) {
        violations->Add(field + "school_id_code", absl::StrCat("already the code of ", code));
      }
      if (!written.credit_code().empty() && institution.credit_code() == written.credit_code()) {
        violations->Add(field + "credit_code", absl::StrCat("already the code of ", code));
      }
    }
  }
}

}  // namespace

absl::StatusOr<v1::ListInstitutionsResponse> SchoolReporting::ListInstitutions(
    const Principal&, const v1::ListInstitutionsRequest& req) {
  // By code, not offset: an import between two pages adds institutions,
  // and those sorting before the page shown would push others onto it again.
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  auto institutions = store_.ListInstitutions();  // in code order
  if (!institutions.ok()) return institutions.status();
  v1::ListInstitutionsResponse response;
  for (const auto& i : *institutions) {
    if (req.type() != v1::INSTITUTION_TYPE_UNSPECIFIED && i.value.type() != req.type()) continue;
    if (!page->after.empty() && i.value.code() <= page->after) continue;
    if (response.institutions_size() == page->size) {
      response.set_next_page_token(KeyPageToken(*page, response.institutions().rbegin()->code()));
      break;
    }
    *response.add_institutions() = i.value;
  }
  return response;
}

absl::StatusOr<v1::Institution> SchoolReporting::GetInstitution(
    const Principal&, const v1::GetInstitutionRequest& req) {
  auto code = ParseInstitutionName(req.name(), "name");
  if (!code.ok()) return code.status();
  auto institution = LoadInstitution(*code, "name");
  if (!institution.ok()) return institution.status();
  return institution->value;
}

absl::Status SchoolReporting::CheckAndAdvanceReferenceMark(
    ReferencePart part, const google::protobuf::Timestamp* issue_time, SchoolWrite* write) {
  if (issue_time == nullptr) return absl::OkStatus();
  const absl::Time issued = TimeFromProto(*issue_time);
  const absl::Time now = clock_.Now();
  if (issued > now + kIssueTimeSkew) {
    return InvalidField(
        "catalog.issue_time",
        absl::StrCat("issued ", exchange::TimeText(issued), ", more than ",
                     absl::FormatDuration(kIssueTimeSkew), " after this service's clock (",
                     exchange::TimeText(now), "): refused (check the issuer's clock)"));
  }
  auto mark = store_.GetReferenceMark(part);
  if (!mark.ok()) return mark.status();
  const int64_t version = mark->has_value() ? (*mark)->version : 0;
  if (mark->has_value() && issued < (*mark)->value.issued) {
    // A captured older document, replayed, would otherwise revert codes.
    return WithReason(
        WithFieldViolations(
            absl::FailedPreconditionError("the catalog is older than the one last imported"),
            {{"catalog.issue_time",
              absl::StrCat("issued ", exchange::TimeText(issued), ", before the last import's ",
                           exchange::TimeText((*mark)->value.issued), ": refused")}}),
        "REFERENCE_OUTDATED");
  }
  // Written even when equal: the version guard then also refuses this import
  // if a newer one lands between this read and the write.
  write->reference_marks.push_back({{part, issued}, version});
  return absl::OkStatus();
}

v1::ReportHistoryEntry SchoolReporting::ImportHistory(const Principal& caller,
                                                      const std::string& source,
                                                      const google::protobuf::Timestamp* issue_time,
                                                      int created, int updated, int unchanged,
                                                      int not_applied) const {
  std::string detail = source.empty() ? "no source given" : source;
  if (issue_time != nullptr) {
    absl::StrAppend(&detail, ", issued ", exchange::TimeText(TimeFromProto(*issue_time)));
  }
  absl::StrAppend(&detail, ": ", created, " created, ", updated, " updated, ", unchanged,
                  " unchanged");
  if (not_applied > 0) {
    absl::StrAppend(&detail, "; ", not_applied, " change(s) not applied (the stored values kept)");
  }
  return History(caller, "IMPORT", 0, detail);
}

absl::Status SchoolReporting::CheckNotDepartments(const std::map<std::string, int>& created_at,
                                                  absl::Time answer_by, Violations* violations) {
  // Only new schools are asked about: a load of the same file at every start
  // asks nothing of the registry.
  if (created_at.empty() || !options_.department_codes) return absl::OkStatus();
  auto departments = options_.department_codes(answer_by);
  // An empty list is a registry whose catalog is not loaded yet, not a
  // district without departments (found in review).
  if (departments.ok() && departments->empty()) {
    departments = WrittenForTheCaller(
        absl::UnavailableError("it lists no departments yet: load the plan's catalog"));
  }
  if (!departments.ok()) {
    return WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
        "cannot check the new institutions' codes against the task registry's "
        "departments (",
        DisclosedMessage(departments.status(), "task-registry"), "); nothing was imported")));
  }
  for (const auto& [code, index] : created_at) {
    if (departments->count(code) == 0) continue;
    violations->Add(absl::StrCat("catalog.institutions[", index, "].code"),
                    absl::StrCat("'", code,
                                 "' is a department of the district (the task registry's); a "
                                 "school cannot take its code, which its token could not name"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ImportInstitutionsResponse> SchoolReporting::ImportInstitutions(
    const Principal& caller, const v1::ImportInstitutionsRequest& req, absl::Time answer_by) {
  if (absl::Status allowed = CheckCanImportReferenceData(caller); !allowed.ok()) return allowed;
  v1::ImportInstitutionsResponse response;
  const google::protobuf::Timestamp* issue_time =
      req.catalog().has_issue_time() ? &req.catalog().issue_time() : nullptr;
  absl::Status done = OnceUnlessValidating(
      req.validate_only(), caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
        if (absl::Status fresh =
                CheckAndAdvanceReferenceMark(ReferencePart::kInstitutions, issue_time, write);
            !fresh.ok()) {
          return fresh;
        }
        // Uniqueness of the national codes is decided on every institution,
        // and a local load has no issue time to order it against another:
        // the register's version, read first, refuses the write if any
        // institution changed since.
        auto register_version = store_.GetInstitutionRegisterVersion();
        if (!register_version.ok()) return register_version.status();
        write->institution_register_version = *register_version;
        auto existing = store_.ListInstitutions();
        if (!existing.ok()) return existing.status();
        std::map<std::string, v1::Institution> merged;
        std::map<std::string, int64_t> versions;
        for (const auto& stored : *existing) {
          v1::Institution institution = stored.value;
          institution.clear_etag();
          merged[institution.code()] = institution;
          versions[institution.code()] = stored.version;
        }
        Violations violations;
        std::vector<v1::InstitutionChange> changes;
        std::map<std::string, bool> touched;    // code → created
        std::map<std::string, int> created_at;  // code → index in the catalog
        for (int i = 0; i < req.catalog().institutions_size(); ++i) {
          const v1::Institution& entry = req.catalog().institutions(i);
          const std::string field = absl::StrCat("catalog.institutions[", i, "].");
          const bool created = merged.count(entry.code()) == 0;
          if (created) created_at[entry.code()] = i;
          if (created && IsBlank(entry.display_name())) {
            violations.Add(field + "display_name", "required for a new institution");
          }
          if (created && entry.type() == v1::INSTITUTION_TYPE_UNSPECIFIED) {
            violations.Add(field + "type", "required for a new institution");
          }
          v1::Institution& target = merged[entry.code()];
          if (created) {
            target.set_code(entry.code());
            target.set_name(InstitutionName(entry.code()));
          }
          v1::Institution incoming = entry;
          // Found in use: `make run` loads its seed file at every start, and
          // reverted the platform's renames and the coordinator's corrections.
          if (!created && req.keep_stored_values()) {
            v1::Institution scratch = target;
            std::vector<v1::InstitutionChange> would;
            Merge(entry, &scratch, &would);
            HoldBackReplacements(std::move(would), &incoming, response.mutable_not_applied());
          }
          size_t before = changes.size();
          Merge(incoming, &target, &changes);
          if (created) {
            // A new institution is one change, not one per field.
            changes.resize(before);
            v1::InstitutionChange c;
            c.set_institution(target.name());
            c.set_field("institution");
            c.set_new_value(target.display_name());
            changes.push_back(std::move(c));
          }
          if (created || changes.size() > before) touched[entry.code()] = created;
        }
        CheckCodesUnique(merged, req.catalog(), &violations);
        if (absl::Status checked = CheckNotDepartments(created_at, answer_by, &violations);
            !checked.ok()) {
          return checked;
        }
        if (!violations.empty()) return violations.ToStatus();

        for (const auto& [code, created] : touched) {
          write->institutions.push_back({merged[code], created ? 0 : versions[code]});
          (created ? response.set_created(response.created() + 1)
                   : response.set_updated(response.updated() + 1));
        }
        response.set_unchanged(
            static_cast<int>(req.catalog().institutions_size() - touched.size()));
        for (auto& c : changes) *response.add_changes() = std::move(c);
        write->reference_history.push_back(
            {kInstitutionsCollection,
             ImportHistory(caller, req.catalog().source(), issue_time, response.created(),
                           response.updated(), response.unchanged(), response.not_applied_size())});
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListItemsResponse> SchoolReporting::ListItems(const Principal&,
                                                                 const v1::ListItemsRequest& req) {
  v1::ListItemsResponse response;
  for (const v1::Item& item : ItemCatalog()) {
    if (req.institution_type() == v1::INSTITUTION_TYPE_UNSPECIFIED ||
        AppliesTo(item, req.institution_type())) {
      *response.add_items() = item;
    }
  }
  return response;
}

absl::StatusOr<v1::ListPeriodsResponse> SchoolReporting::ListPeriods(
    const Principal&, const v1::ListPeriodsRequest& req) {
  v1::ListPeriodsResponse response;
  for (const PeriodRef& ref : BegunPeriods(req.kind(), options_.periods, clock_.Now())) {
    auto period = LoadPeriod(ref.id(), "kind");
    if (!period.ok()) return period.status();
    period->value.set_etag(std::to_string(period->version));
    *response.add_periods() = period->value;
  }
  return response;
}

absl::StatusOr<v1::Period> SchoolReporting::UpdatePeriod(const Principal& caller,
                                                         const v1::UpdatePeriodRequest& req) {
  if (absl::Status allowed = CheckIsCoordinator(caller, "set reporting windows"); !allowed.ok()) {
    return allowed;
  }
  v1::Period response;
  v1::UpdatePeriodRequest asked = req;  // as its fingerprint sees it
  KeepOnlyFields({"name", "open_time", "close_time"}, asked.mutable_period());
  absl::Status done = Once(caller, asked, req.request_id(), &response, [&](SchoolWrite* write) {
    auto id = ParsePeriodName(req.period().name(), "period.name");
    if (!id.ok()) return id.status();
    auto current = LoadPeriod(*id, "period.name");
    if (!current.ok()) return current.status();
    if (!req.period().etag().empty() && req.period().etag() != std::to_string(current->version)) {
      return StaleEtag("period.etag");
    }
    response = current->value;
    write->reference_history.push_back(
        {response.name(),
         History(
             caller, "SET_WINDOW", 0,
             absl::StrCat("window ", WindowText(req.period()), " (was ", WindowText(current->value),
                          current->value.configured() ? ")" : ", the default)"))});
    *response.mutable_open_time() = req.period().open_time();
    *response.mutable_close_time() = req.period().close_time();
    response.set_configured(true);
    response.set_etag(std::to_string(current->version + 1));
    write->periods.push_back({response, current->version});
    return absl::OkStatus();
  });
  if (!done.ok()) return done;
  return response;
}

}  // namespace vetrack::schools
