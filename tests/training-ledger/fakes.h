#ifndef VETRACK_TESTS_TRAINING_LEDGER_FAKES_H_
#define VETRACK_TESTS_TRAINING_LEDGER_FAKES_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "school_sources.h"

// School reporting as the ledger's domain tests need it: a fixed list of
// institutions and accepted enrolment per (institution, academic year).
namespace vetrack::ledger::testing {

class FakeDirectory : public InstitutionDirectory {
 public:
  explicit FakeDirectory(std::set<std::string> codes) : codes_(std::move(codes)) {}
  absl::StatusOr<std::vector<std::string>> InstitutionCodes(const Principal&) override {
    if (!down_.ok()) return down_;
    return std::vector<std::string>(codes_.begin(), codes_.end());
  }
  absl::StatusOr<bool> IsKnown(const Principal&, const std::string& code) override {
    if (!down_.ok()) return down_;
    return codes_.count(code) > 0;
  }
  absl::StatusOr<std::vector<v1::InstitutionIdentity>> Identities(const Principal&) override {
    if (!down_.ok()) return down_;
    std::vector<v1::InstitutionIdentity> identities;
    for (const auto& code : codes_) {
      v1::InstitutionIdentity identity;
      identity.set_institution_code(code);
      auto known = national_codes_.find(code);
      if (known != national_codes_.end()) {
        identity.set_school_id_code(known->second.first);
        identity.set_credit_code(known->second.second);
      }
      identities.push_back(std::move(identity));
    }
    return identities;
  }
  absl::StatusOr<std::map<std::string, int>> FirstYears(const Principal&) override {
    if (!down_.ok()) return down_;
    return first_years;
  }
  void SetDown(absl::Status status) { down_ = std::move(status); }
  std::map<std::string, int> first_years;  // institutions counted from a later year
  // 学校标识码 and 统一社会信用代码 of an institution, as if imported.
  void SetNationalCodes(const std::string& code, std::string school_id, std::string credit) {
    national_codes_[code] = {std::move(school_id), std::move(credit)};
  }

 private:
  std::set<std::string> codes_;
  std::map<std::string, std::pair<std::string, std::string>> national_codes_;
  absl::Status down_;
};

class FakeEnrolment : public EnrolmentSource {
 public:
  absl::StatusOr<AcceptedEnrolment> Enrolment(const Principal& caller, const std::string& code,
                                              const std::string& period_id) override {
    callers.push_back(caller.ToString());
    if (!down_.ok()) return down_;
    auto it = accepted_.find({code, period_id});
    if (it == accepted_.end()) return AcceptedEnrolment{};
    return it->second;
  }
  void Accept(const std::string& code, const std::string& period_id, int64_t students,
              int32_t revision = 1) {
    accepted_[{code, period_id}] = AcceptedEnrolment{true, students, revision};
  }
  void SetDown(absl::Status status) { down_ = std::move(status); }

  // Who each call was made for, to check the principal is passed on.
  std::vector<std::string> callers;

 private:
  std::map<std::pair<std::string, std::string>, AcceptedEnrolment> accepted_;
  absl::Status down_;
};

}  // namespace vetrack::ledger::testing

#endif  // VETRACK_TESTS_TRAINING_LEDGER_FAKES_H_
