#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_CODES_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_CODES_H_

#include <string>

#include "absl/strings/string_view.h"

// The national codes an institution carries.
namespace vetrack::schools {

// Why `code` is not a 学校标识码 (10 digits), or "" when it is one.
std::string SchoolIdCodeProblem(absl::string_view code);

// Why `code` is not a 统一社会信用代码 (GB 32100-2015: 18 characters from
// 0-9 and A-Z without I, O, Z, S, V; characters 3–8 the administrative
// division code; the last the check character), or "" when it is one.
std::string CreditCodeProblem(absl::string_view code);

// The check character for the first 17 characters of a credit code; '\0' when
// one of them is outside the code's alphabet.
char CreditCodeCheckCharacter(absl::string_view first17);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_INSTITUTION_CODES_H_
