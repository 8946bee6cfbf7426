#include "institution_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace vetrack::schools {

absl::StatusOr<v1::InstitutionCatalog> ReadInstitutionFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  v1::InstitutionCatalog catalog;
  auto parsed = google::protobuf::util::JsonStringToMessage(buffer.str(), &catalog);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, " is not a vetrack.schools.v1.InstitutionCatalog: ", parsed.message().as_string()));
  }
  return catalog;
}

}  // namespace vetrack::schools
