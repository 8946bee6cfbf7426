#include "institution_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace vetrack::schools {
namespace {

template <typename Message>
absl::StatusOr<Message> ReadJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  Message message;
  auto parsed = google::protobuf::util::JsonStringToMessage(buffer.str(), &message);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a ",
                                                   Message::descriptor()->full_name(), ": ",
                                                   parsed.message().as_string()));
  }
  return message;
}

}  // namespace

absl::StatusOr<v1::InstitutionCatalog> ReadInstitutionFile(const std::string& path) {
  return ReadJsonFile<v1::InstitutionCatalog>(path);
}

absl::StatusOr<v1::MajorCatalog> ReadMajorCatalogFile(const std::string& path) {
  return ReadJsonFile<v1::MajorCatalog>(path);
}

}  // namespace vetrack::schools
