#include "numbers/units.h"

#include <set>

namespace vetrack {

bool CountsThings(const std::string& unit) {
  static const std::set<std::string>* const kCountUnits =
      new std::set<std::string>{"所", "个", "人", "名", "人次", "家", "项", "次"};
  return kCountUnits->count(unit) > 0;
}

}  // namespace vetrack
