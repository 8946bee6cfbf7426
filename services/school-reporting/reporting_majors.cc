// The major-catalog half of SchoolReporting's reference data: 职业教育专业目录
// （2021年） imported whole or not at all, listed and read by anyone.
#include "absl/strings/str_cat.h"
#include "major_catalog.h"
#include "paging/paging.h"
#include "school_reporting.h"
#include "status/errors.h"
#include "workflow.h"

namespace vetrack::schools {

absl::StatusOr<v1::ImportMajorCatalogResponse> SchoolReporting::ImportMajorCatalog(
    const Principal& caller, const v1::ImportMajorCatalogRequest& req) {
  if (absl::Status allowed = CheckCanImportReferenceData(caller); !allowed.ok()) return allowed;
  v1::ImportMajorCatalogResponse response;
  const google::protobuf::Timestamp* issue_time =
      req.catalog().has_issue_time() ? &req.catalog().issue_time() : nullptr;
  absl::Status done = OnceUnlessValidating(
      req.validate_only(), caller, req, req.request_id(), &response, [&](SchoolWrite* write) {
        if (absl::Status fresh =
                CheckAndAdvanceReferenceMark(ReferencePart::kMajors, issue_time, write);
            !fresh.ok()) {
          return fresh;
        }
        std::vector<std::string> codes;
        for (const v1::CatalogMajor& entry : req.catalog().majors()) codes.push_back(entry.code());
        auto stored = store_.GetCatalogMajors(codes);
        if (!stored.ok()) return stored.status();
        for (int i = 0; i < req.catalog().majors_size(); ++i) {
          const v1::CatalogMajor& entry = req.catalog().majors(i);
          const auto& existing = (*stored)[i];
          std::vector<v1::CatalogMajorChange> changes;
          v1::CatalogMajor merged;
          if (existing.has_value()) {
            merged = existing->value;
            merged.clear_etag();
            v1::CatalogMajor incoming = entry;
            if (req.keep_stored_values()) {
              v1::CatalogMajor scratch = merged;
              std::vector<v1::CatalogMajorChange> would;
              MergeCatalogMajor(entry, &scratch, &would);
              HoldBackReplacements(std::move(would), &incoming, response.mutable_not_applied());
            }
            MergeCatalogMajor(incoming, &merged, &changes);
            if (changes.empty()) {
              response.set_unchanged(response.unchanged() + 1);
              continue;
            }
            response.set_updated(response.updated() + 1);
          } else {
            merged.set_name(CatalogMajorName(entry.code()));
            merged.set_code(entry.code());
            MergeCatalogMajor(entry, &merged, &changes);
            // A new major is one change, not one per field.
            changes.clear();
            v1::CatalogMajorChange created;
            created.set_major(merged.name());
            created.set_field("major");
            created.set_new_value(merged.display_name());
            changes.push_back(std::move(created));
            response.set_created(response.created() + 1);
          }
          for (auto& change : changes) *response.add_changes() = std::move(change);
          write->catalog_majors.push_back({merged, existing.has_value() ? existing->version : 0});
        }
        write->reference_history.push_back(
            {kCatalogMajorsCollection,
             ImportHistory(caller, req.catalog().source(), issue_time, response.created(),
                           response.updated(), response.unchanged(), response.not_applied_size())});
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::ListCatalogMajorsResponse> SchoolReporting::ListCatalogMajors(
    const Principal&, const v1::ListCatalogMajorsRequest& req) {
  // By code, not offset, as ListInstitutions: an import between two pages
  // must not bring a page's majors round again.
  auto page = ParseKeyPage(req);
  if (!page.ok()) return page.status();
  auto majors = store_.ListCatalogMajors();  // in code order
  if (!majors.ok()) return majors.status();
  v1::ListCatalogMajorsResponse response;
  for (const auto& major : *majors) {
    if (req.level() != v1::MAJOR_LEVEL_UNSPECIFIED && major.value.level() != req.level()) continue;
    if (!page->after.empty() && major.value.code() <= page->after) continue;
    if (response.majors_size() == page->size) {
      response.set_next_page_token(KeyPageToken(*page, response.majors().rbegin()->code()));
      break;
    }
    *response.add_majors() = major.value;
  }
  return response;
}

absl::StatusOr<v1::CatalogMajor> SchoolReporting::GetCatalogMajor(
    const Principal&, const v1::GetCatalogMajorRequest& req) {
  auto code = ParseCatalogMajorName(req.name(), "name");
  if (!code.ok()) return code.status();
  auto found = store_.GetCatalogMajors({*code});
  if (!found.ok()) return found.status();
  if (!found->front().has_value()) {
    return NotFoundField("name", absl::StrCat("the major catalog holds no ", *code));
  }
  return found->front()->value;
}

}  // namespace vetrack::schools
