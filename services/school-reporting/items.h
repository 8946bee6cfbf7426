#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_ITEMS_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_ITEMS_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "vetrack/schools/v1/schools.pb.h"

// The item catalog: everything a data report holds, defined once (items.cc).
// The rules, the review, the diff, ListItems and the other services' indicator
// formulas all go by these ids.
namespace vetrack::schools {

// The one list item (DataReport.majors); every other item is a count.
inline constexpr char kMajorsItem[] = "majors";

// No count of a district's school comes near a billion; the bound keeps the
// figures built on them (2 × enrolment in the ledger, sums across schools,
// doubles on the municipal exchange) exact and far from overflow.
inline constexpr int64_t kMaxCount = 1'000'000'000;

// Every item, in the catalog's order.
const std::vector<v1::Item>& ItemCatalog();

// nullptr when no item has this id.
const v1::Item* FindItem(absl::string_view id);

bool AppliesTo(const v1::Item& item, v1::InstitutionType type);

// The items an institution of `type` reports, in the catalog's order.
std::vector<const v1::Item*> ItemsFor(v1::InstitutionType type);

// 高职, 中职, 技工: how the plan names the types.
const char* TypeLabel(v1::InstitutionType type);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_ITEMS_H_
