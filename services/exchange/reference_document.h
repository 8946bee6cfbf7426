#ifndef VETRACK_SERVICES_EXCHANGE_REFERENCE_DOCUMENT_H_
#define VETRACK_SERVICES_EXCHANGE_REFERENCE_DOCUMENT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vetrack/schools/v1/schools.pb.h"

// Reference data as the municipal endpoint sends it (SCHEMA.md, "Reference
// data"): one signed JSON document with the institutions and the major
// catalog. Pure functions; fetching and importing are reference_import.h's.
namespace vetrack::exchange {

inline constexpr char kReferenceSchema[] = "vetrack.reference.v1";

struct ReferenceDocument {
  // When the platform issued it (`issued_time`, inside the signed body). Each
  // part carries it as its catalog's issue_time, so school reporting refuses
  // a document older than the last one imported: a captured document,
  // replayed, cannot revert codes.
  absl::Time issued_time;
  // Each part is absent when the document does not carry it.
  std::optional<::vetrack::schools::v1::InstitutionCatalog> institutions;
  std::optional<::vetrack::schools::v1::MajorCatalog> majors;
};

// UNAUTHENTICATED unless `signature` is the lower-case hex HMAC-SHA256 of
// `body` under `secret` (compared in constant time); a missing signature is
// refused as unsigned.
absl::Status VerifyReferenceSignature(const std::string& body, const std::string& signature,
                                      const std::string& secret);

// INVALID_ARGUMENT unless `body` is a reference document (schema
// vetrack.reference.v1) for this district (500116) with an RFC 3339
// issued_time, whose parts are protobuf JSON of InstitutionCatalog and
// MajorCatalog. Fields this version does not know are ignored, so the
// platform can add some without breaking the import.
absl::StatusOr<ReferenceDocument> ParseReferenceDocument(const std::string& body);

// How far ahead of this clock a document may say it was issued.
inline constexpr absl::Duration kIssuedTimeSkew = absl::Minutes(10);

// INVALID_ARGUMENT when the document says it was issued more than
// kIssuedTimeSkew after `now`: imported, it would hold back every document
// issued before that time.
absl::Status CheckIssuedTime(const ReferenceDocument& document, absl::Time now);

}  // namespace vetrack::exchange

#endif  // VETRACK_SERVICES_EXCHANGE_REFERENCE_DOCUMENT_H_
