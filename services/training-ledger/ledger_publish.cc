// The publication half of TrainingLedger: a year's district statement frozen
// as a numbered revision, handed to the municipal exchange in the same commit.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "exchange_entry.h"
#include "idempotency/idempotency.h"
#include "permissions.h"
#include "status/disclosure.h"
#include "status/errors.h"
#include "training_ledger.h"

namespace vetrack::ledger {
namespace {

// A publication must not freeze "school reporting did not answer" into a
// statement the municipality keeps.
absl::Status CheckEnrolmentKnown(const v1::DistrictTrainingStatement& statement) {
  for (const auto& line : statement.institutions()) {
    if (line.enrolment_status() == v1::ENROLMENT_STATUS_UNAVAILABLE) {
      return WrittenForTheCaller(absl::UnavailableError(absl::StrCat(
          "cannot publish while school reporting does not answer for the enrolment of ",
          line.institution_code(), "; try again later")));
    }
  }
  return absl::OkStatus();
}

// A revision cannot be withdrawn once it is in the outbox, so a year that has
// not begun in the district would hand the municipality figures of nothing.
absl::Status CheckYearBegun(int year, absl::Time now) {
  const int64_t current = absl::ToCivilYear(now, DistrictTimeZone()).year();
  if (year > current) {
    return InvalidField("name", absl::StrCat("the year ", year, " has not begun: it is ", current,
                                             " in the district"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::PublishTrainingStatementResponse> TrainingLedger::PublishTrainingStatement(
    const Principal& caller, const v1::PublishTrainingStatementRequest& req) {
  v1::PublishTrainingStatementResponse response;
  PublishWrite write;
  auto prepare = [&]() -> absl::Status {
    if (absl::Status allowed = CheckCanPublishStatement(caller); !allowed.ok()) return allowed;
    auto year = ParseStatementName(req.name(), "name");
    if (!year.ok()) return year.status();
    if (absl::Status planned = CheckPlanYear("name", *year); !planned.ok()) return planned;
    if (absl::Status begun = CheckYearBegun(*year, clock_.Now()); !begun.ok()) return begun;
    auto identities = directory_.Identities(caller);
    if (!identities.ok()) return identities.status();
    std::vector<std::string> codes;
    for (const auto& identity : *identities) codes.push_back(identity.institution_code());
    auto statement = DistrictStatementOf(caller, codes, *year);
    if (!statement.ok()) return statement.status();
    if (absl::Status known = CheckEnrolmentKnown(*statement); !known.ok()) return known;

    v1::PublishedTrainingStatement candidate;
    candidate.set_name(StatementName(*year));
    candidate.set_year(*year);
    *candidate.mutable_statement() = *std::move(statement);
    std::set<std::string> listed;
    for (const auto& line : candidate.statement().institutions()) {
      listed.insert(line.institution_code());
    }
    for (auto& identity : *identities) {
      if (listed.count(identity.institution_code()) > 0) {
        *candidate.add_institutions() = std::move(identity);
      }
    }
    // Taken before revision, author and time are set: only the content counts.
    const std::string fingerprint = RequestFingerprint(candidate);

    auto latest = store_.GetPublishedStatement(*year, 0);
    if (!latest.ok()) return latest.status();
    if (latest->has_value() && (*latest)->content_fingerprint() == fingerprint) {
      *response.mutable_published() = **latest;
      response.set_unchanged(true);
      return absl::OkStatus();
    }
    const int32_t revision = latest->has_value() ? (*latest)->revision() : 0;
    candidate.set_revision(revision + 1);
    candidate.set_published_by(caller.ToString());
    *candidate.mutable_publish_time() = TimeToProto(clock_.Now());
    candidate.set_content_fingerprint(fingerprint);
    write.expected_revision = revision;
    write.outbox_entry = PublishedStatementEntry(candidate);
    write.published = candidate;
    *response.mutable_published() = std::move(candidate);
    return absl::OkStatus();
  };
  auto commit = [&](const vetrack::Answer& answer) -> absl::StatusOr<WriteOutcome> {
    write.answer = Answer{answer.request_key, answer.fingerprint, answer.response};
    auto outcome = store_.WritePublication(write);
    if (!outcome.ok()) return outcome.status();
    return WriteOutcome{outcome->replayed, outcome->earlier_response};
  };
  absl::Status done = RunOnce(
      caller, req, req.request_id(), &response,
      [this](const std::string& key, const std::string& fingerprint) {
        return store_.FindAnswer(key, fingerprint);
      },
      prepare, commit);
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::PublishedTrainingStatement> TrainingLedger::GetPublishedTrainingStatement(
    const Principal& caller, const v1::GetPublishedTrainingStatementRequest& req) {
  if (absl::Status allowed = CheckCanReadDistrict(caller); !allowed.ok()) return allowed;
  auto year = ParseStatementName(req.name(), "name");
  if (!year.ok()) return year.status();
  auto published = store_.GetPublishedStatement(*year, req.revision());
  if (!published.ok()) return published.status();
  if (!published->has_value()) {
    if (req.revision() != 0) {
      return NotFoundField("revision",
                           absl::StrCat(req.name(), " has no revision ", req.revision()));
    }
    return NotFoundField("name", absl::StrCat(req.name(), " has not been published"));
  }
  return **published;
}

}  // namespace vetrack::ledger
