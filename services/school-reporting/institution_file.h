#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_FILE_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "vetrack/schools/v1/schools.pb.h"

namespace vetrack::schools {

// Reads reference data (protobuf JSON of v1::InstitutionCatalog), such as
// data/institutions.json. Unknown fields are an error: a misspelt one would
// otherwise drop data without a word.
absl::StatusOr<v1::InstitutionCatalog> ReadInstitutionFile(const std::string& path);

// The same for the major catalog (v1::MajorCatalog), such as
// data/majors-2021-subset.json.
absl::StatusOr<v1::MajorCatalog> ReadMajorCatalogFile(const std::string& path);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_FILE_H_
