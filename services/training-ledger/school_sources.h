#ifndef VETRACK_SERVICES_TRAINING_LEDGER_SCHOOL_SOURCES_H_
#define VETRACK_SERVICES_TRAINING_LEDGER_SCHOOL_SOURCES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "auth/principal.h"
#include "vetrack/ledger/v1/ledger.pb.h"

// What the ledger needs from school reporting, as the domain sees it. The
// production implementation calls the school-reporting service over gRPC
// (grpc_school_sources.h); tests plug in fakes. Calls are made on behalf of
// `caller`, so school reporting applies its own permissions.
namespace vetrack::ledger {

// The institutions records may be kept for.
class InstitutionDirectory {
 public:
  virtual ~InstitutionDirectory() = default;
  // Sorted institution codes, as listed about a second ago at most (a
  // district statement names each; the held list answers while a new read is
  // under way). UNAVAILABLE when nobody can tell.
  virtual absl::StatusOr<std::vector<std::string>> InstitutionCodes(const Principal& caller) = 0;
  virtual absl::StatusOr<bool> IsKnown(const Principal& caller, const std::string& code) = 0;
  // Every institution with its name and national codes, in code order, as
  // school reporting holds them now (a published statement carries them).
  virtual absl::StatusOr<std::vector<v1::InstitutionIdentity>> Identities(
      const Principal& caller) = 0;
  // The institutions counted only from a year after the plan began (opened
  // or joined the district then), with that year. A district statement of an
  // earlier year leaves them out unless they have records in it.
  virtual absl::StatusOr<std::map<std::string, int>> FirstYears(const Principal& caller) = 0;
};

struct AcceptedEnrolment {
  // False while no revision of the period's report is accepted, or the
  // accepted report has no enrolled_students figure.
  bool accepted = false;
  int64_t enrolled_students = 0;
  int32_t revision = 0;
};

// Accepted enrolment of an institution for an academic year ("ay2025").
class EnrolmentSource {
 public:
  virtual ~EnrolmentSource() = default;
  virtual absl::StatusOr<AcceptedEnrolment> Enrolment(const Principal& caller,
                                                      const std::string& institution_code,
                                                      const std::string& period_id) = 0;
  // Entry i answers institution_codes[i]. An implementation over the network
  // asks for all at once; this one asks one after another.
  virtual std::vector<absl::StatusOr<AcceptedEnrolment>> Enrolments(
      const Principal& caller, const std::vector<std::string>& institution_codes,
      const std::string& period_id) {
    std::vector<absl::StatusOr<AcceptedEnrolment>> out;
    for (const auto& code : institution_codes) out.push_back(Enrolment(caller, code, period_id));
    return out;
  }
};

}  // namespace vetrack::ledger

#endif  // VETRACK_SERVICES_TRAINING_LEDGER_SCHOOL_SOURCES_H_
