#include "figures.h"

#include <algorithm>
#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "compute.h"

namespace vetrack::evaluation {
namespace {

// A NO_DATA rule ends in the institutions lacking a figure after one of
// these, so that RuleAsSeenBy can find them (rules frozen in rounds too).
constexpr char kNamesSchoolAbsent[] = " data report from ";
constexpr char kNamesLedgerAbsent[] = " statement does not list ";
constexpr char kNamesNoEnrolment[] = " has no enrolment for ";

// Offers each institution of the scope that `year` counts to `add_figure`,
// which adds its figure or says it has none; the codes of those without, in
// the scope's order.
std::vector<std::string> AddEachCounted(const ScopeSpec& scope, int year,
                                        const std::function<bool(const std::string&)>& add_figure) {
  std::vector<std::string> absent;
  for (const Institution* i : scope.institutions) {
    if (CountedIn(*i, year) && !add_figure(i->code)) absent.push_back(i->code);
  }
  return absent;
}

}  // namespace

bool SumRef(const std::string& ref, const ScopeSpec& scope, const YearInputs& in, double* sum,
            std::vector<v1::SourceFigure>* sources, std::string* missing) {
  auto add = [&](const std::string& institution, double value, std::string origin) {
    v1::SourceFigure f;
    f.set_ref(ref);
    f.set_institution(institution);
    f.set_value(value);
    f.set_origin(std::move(origin));
    sources->push_back(std::move(f));
    *sum += value;
  };
  const bool per_institution = absl::StartsWith(ref, "school:") || absl::StartsWith(ref, "ledger:");
  if (per_institution &&
      std::none_of(scope.institutions.begin(), scope.institutions.end(),
                   [&](const Institution* i) { return CountedIn(*i, in.year); })) {
    // A sum over no institution would be a 0 that never was: before any
    // institution is imported, every district count would read 0 and be
    // judged missed.
    *missing = scope.institutions.empty()
                   ? std::string("no institutions in the scope (none imported yet?)")
                   : absl::StrCat("none of the scope's institutions existed in ", in.year);
    return false;
  }
  if (absl::StartsWith(ref, "school:")) {
    std::string item = ref.substr(7);
    if (!in.school_available) {
      *missing = "school-reporting did not answer";
      return false;
    }
    auto absent = AddEachCounted(scope, in.year, [&](const std::string& code) {
      auto it = in.school.accepted.find(code);
      if (it == in.school.accepted.end()) return false;
      auto count = it->second.counts.find(item);
      add(code, count == it->second.counts.end() ? 0.0 : static_cast<double>(count->second),
          absl::StrCat("school-reporting institutions/", code, "/dataReports/",
                       it->second.period_id, " revision ", it->second.revision));
      return true;
    });
    if (!absent.empty()) {
      *missing = absl::StrCat("no accepted ", AcademicYearOf(in.year), kNamesSchoolAbsent,
                              absl::StrJoin(absent, ", "));
      return false;
    }
    return true;
  }
  if (ref == "ledger:person_times") {
    if (!in.ledger_available) {
      *missing = "training-ledger did not answer";
      return false;
    }
    // The ledger's statement lists every institution it knows that the year
    // counts, 0 for one without records; one it does not list (new since the
    // ledger last learnt the institutions) has no figure yet, not a figure of 0.
    auto absent = AddEachCounted(scope, in.year, [&](const std::string& code) {
      auto it = in.ledger.person_times.find(code);
      if (it == in.ledger.person_times.end()) return false;
      add(code, static_cast<double>(it->second),
          absl::StrCat("training-ledger statement ", code, " ", in.year));
      return true;
    });
    if (!absent.empty()) {
      *missing = absl::StrCat("the training-ledger's ", in.year, kNamesLedgerAbsent,
                              absl::StrJoin(absent, ", "));
      return false;
    }
    return true;
  }
  if (ref == "ledger:enrolment") {
    if (!in.ledger_available) {
      *missing = "training-ledger did not answer";
      return false;
    }
    if (!in.ledger.enrolment_unavailable.empty()) {
      *missing =
          "the training-ledger could not learn the enrolment: " + in.ledger.enrolment_unavailable;
      return false;
    }
    auto absent = AddEachCounted(scope, in.year, [&](const std::string& code) {
      auto it = in.ledger.enrolment.find(code);
      if (it == in.ledger.enrolment.end()) return false;
      const LedgerEnrolment& e = it->second;
      add(code, static_cast<double>(e.students),
          absl::StrCat("training-ledger statement ", code, " ", in.year, ": enrolment from ",
                       e.period_id, " (accepted revision ", e.revision, ")"));
      return true;
    });
    if (!absent.empty()) {
      auto no = in.ledger.no_enrolment.find(absent.front());
      const std::string why = no == in.ledger.no_enrolment.end() ? "" : no->second;
      // The institutions last, as RuleAsSeenBy finds them; the ledger's
      // reason only for one alone (another's would be misread as its own).
      *missing = absl::StrCat("the training-ledger's ", in.year, " statement",
                              absent.size() == 1 && !why.empty() ? " (" + why + ")" : "",
                              kNamesNoEnrolment, absl::StrJoin(absent, ", "));
      return false;
    }
    return true;
  }
  if (absl::StartsWith(ref, "stat:")) {
    std::string key = ref.substr(5);
    auto it = in.statistics.find(key);
    if (it == in.statistics.end()) {
      *missing = absl::StrCat("statistic ", key, " for ", in.year, " not entered");
      return false;
    }
    const v1::Statistic& s = it->second;
    add("", s.value(),
        absl::StrCat("statistic ", key, " ", in.year, ": ", s.source(), ", as of ", s.as_of(),
                     ", entered by ", s.recorded_by(),
                     s.revision() > 0 ? absl::StrCat(", revision ", s.revision()) : ""));
    return true;
  }
  *missing = absl::StrCat("unknown reference ", ref);
  return false;
}

std::string RuleAsSeenBy(const v1::Result& result, const std::string& own) {
  const std::string& rule = result.rule();
  if (result.status() != v1::RESULT_STATUS_NO_DATA) return rule;
  for (const std::string marker : {kNamesSchoolAbsent, kNamesLedgerAbsent, kNamesNoEnrolment}) {
    size_t at = rule.rfind(marker);
    if (at == std::string::npos) continue;
    at += marker.size();
    std::vector<std::string> names = absl::StrSplit(rule.substr(at), ", ");
    bool names_own = !own.empty() && std::find(names.begin(), names.end(), own) != names.end();
    int others = static_cast<int>(names.size()) - (names_own ? 1 : 0);
    if (others == 0) return rule;
    const char* noun = others == 1 ? "institution" : "institutions";
    return rule.substr(0, at) + (names_own ? absl::StrCat(own, " and ", others, " other ", noun)
                                           : absl::StrCat(others, " ", noun));
  }
  return rule;
}

}  // namespace vetrack::evaluation
