#include "school_reporting.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "clock/timestamp.h"
#include "idempotency/idempotency.h"
#include "major_catalog.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

SchoolReporting::SchoolReporting(SchoolStore& store, const Clock& clock, ReportingOptions options)
    : store_(store), clock_(clock), options_(options) {}

absl::Status SchoolReporting::Once(const Principal& caller,
                                   const google::protobuf::Message& request,
                                   const std::string& request_id,
                                   google::protobuf::Message* response,
                                   const std::function<absl::Status(SchoolWrite*)>& prepare) {
  SchoolWrite write;
  return RunOnce(
      caller, request, request_id, response,
      [this](const std::string& key, const std::string& fingerprint) {
        return store_.FindAnswer(key, fingerprint);
      },
      [&] { return prepare(&write); },
      [&](const Answer& answer) {
        write.answer = answer;
        return store_.Write(write);
      });
}

absl::Status SchoolReporting::OnceUnlessValidating(
    bool validate_only, const Principal& caller, const google::protobuf::Message& request,
    const std::string& request_id, google::protobuf::Message* response,
    const std::function<absl::Status(SchoolWrite*)>& prepare) {
  if (!validate_only) return Once(caller, request, request_id, response, prepare);
  SchoolWrite dropped;
  return prepare(&dropped);
}

absl::StatusOr<std::vector<FieldViolation>> SchoolReporting::CheckMajorsAgainstCatalog(
    v1::DataReport* report, const std::string& prefix) {
  if (report->majors().empty()) return std::vector<FieldViolation>{};
  std::vector<std::string> codes;
  for (const v1::Major& major : report->majors()) codes.push_back(major.catalog_code());
  auto found = store_.GetCatalogMajors(codes);
  if (!found.ok()) return found.status();
  std::set<std::string> known;
  for (int i = 0; i < report->majors_size() && i < static_cast<int>(found->size()); ++i) {
    if (!(*found)[i].has_value()) continue;
    known.insert(codes[i]);
    v1::Major* major = report->mutable_majors(i);
    if (major->display_name().empty()) major->set_display_name((*found)[i]->value.display_name());
  }
  // Only a catalog as its issuer issued it (with an issue time: the
  // municipal platform's reference document, or a file carrying the
  // ministry's date) is whole. A local load without one, such as the seed's
  // excerpt, may hold a few majors only, and would refuse every other real
  // one.
  auto issued = store_.GetReferenceMark(ReferencePart::kMajors);
  if (!issued.ok()) return issued.status();
  if (!issued->has_value()) return std::vector<FieldViolation>{};
  return UnknownMajorViolations(*report, known, prefix);
}

absl::StatusOr<Stored<v1::Institution>> SchoolReporting::LoadInstitution(const std::string& code,
                                                                         const std::string& field) {
  auto institution = store_.GetInstitution(code);
  if (!institution.ok()) return institution.status();
  if (!institution->has_value()) {
    return NotFoundField(field, absl::StrCat("no institution '", code, "'"));
  }
  return **institution;
}

absl::StatusOr<PeriodRef> SchoolReporting::PlanPeriod(const std::string& period_id,
                                                      const std::string& field) const {
  auto ref = ParsePeriodId(period_id, field);
  if (!ref.ok()) return ref.status();
  if (absl::Status within = CheckWithinPlan(*ref, options_.periods, field); !within.ok()) {
    return within;
  }
  return ref;
}

absl::StatusOr<Stored<v1::Period>> SchoolReporting::LoadPeriod(const std::string& period_id,
                                                               const std::string& field) {
  auto ref = PlanPeriod(period_id, field);
  if (!ref.ok()) return ref.status();
  auto configured = store_.GetPeriod(period_id);
  if (!configured.ok()) return configured.status();
  if (configured->has_value()) return **configured;
  return Stored<v1::Period>{DefaultPeriod(*ref, options_.periods), 0};
}

absl::StatusOr<v1::Period> SchoolReporting::LoadOpenPeriod(const std::string& period_id,
                                                           const std::string& field) {
  auto period = LoadPeriod(period_id, field);
  if (!period.ok()) return period.status();
  if (absl::Status open = CheckOpen(period->value, clock_.Now()); !open.ok()) return open;
  return period->value;
}

absl::StatusOr<std::vector<v1::Institution>> SchoolReporting::VisibleInstitutions(
    const Principal& caller) {
  auto institutions = store_.ListInstitutions();
  if (!institutions.ok()) return institutions.status();
  std::vector<v1::Institution> visible;
  for (auto& institution : *institutions) {
    v1::Institution& i = institution.value;
    if (CheckCanRead(caller, i.code()).ok()) visible.push_back(std::move(i));
  }
  return visible;
}

v1::ReportHistoryEntry SchoolReporting::History(const Principal& caller, const std::string& action,
                                                int revision, const std::string& detail) const {
  v1::ReportHistoryEntry entry;
  *entry.mutable_time() = TimeToProto(clock_.Now());
  entry.set_actor(caller.ToString());
  entry.set_action(action);
  entry.set_revision(revision);
  entry.set_detail(detail);
  return entry;
}

}  // namespace vetrack::schools
