#ifndef VETRACK_LIBS_NUMBERS_UNITS_H_
#define VETRACK_LIBS_NUMBERS_UNITS_H_

#include <string>

namespace vetrack {

// Units that count things (schools, majors, people: 所, 个, 人, 人次 …): a
// fraction of one, or fewer than none, is a typo or a share entered where a
// count belongs; a whole one prints whole. Shared by the evaluation's
// statistics and the registry's progress figures.
bool CountsThings(const std::string& unit);

}  // namespace vetrack

#endif  // VETRACK_LIBS_NUMBERS_UNITS_H_
