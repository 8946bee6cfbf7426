#include "ingest_records.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "clock/clock.h"

namespace vetrack::bench {
namespace {

namespace ledger = ::vetrack::ledger::v1;

constexpr int kFirstYear = 2021;

// How much training each institution records, in the order of Institutions():
// the higher-vocational colleges most, the technical schools least.
const std::vector<int> kSchoolWeights = {4, 10, 18, 7, 12, 6, 4, 14, 25};

// The fields every mix fills alike from the record's number.
void FillAmounts(int64_t n, ledger::TrainingRecord* r) {
  r->set_trainees(1 + n % 50);
  r->set_hours_per_trainee(8 + n % 40);
  r->set_income_fen(100 * (n % 1000));
  r->set_certificates(n % 5);
}

void FillFilesOrWorstCase(bool worst_case, const std::string& run, int64_t n,
                          ledger::ImportRow* row) {
  constexpr int64_t kRowsPerFile = 5000;
  row->set_line(n % kRowsPerFile + 2);
  auto* r = row->mutable_training_record();
  const int64_t school = worst_case ? n : n / kRowsPerFile;
  r->set_institution_code(Institutions()[school % Institutions().size()]);
  r->set_record_id(absl::StrCat(run, "-", n));
  r->set_date(absl::StrFormat("2026-%02d-%02d", 1 + n % 9, 10 + n % 10));
  if (worst_case) {
    r->set_programme(static_cast<ledger::ProgrammeType>(1 + n % ledger::ProgrammeType_MAX));
    r->set_target_group(static_cast<ledger::TargetGroup>(1 + (n / 7) % ledger::TargetGroup_MAX));
    r->set_subsidised(n % 3 == 0);
  } else {
    r->set_programme(
        static_cast<ledger::ProgrammeType>(1 + (school + n % 4) % ledger::ProgrammeType_MAX));
    r->set_target_group(
        static_cast<ledger::TargetGroup>(1 + (school + n % 3) % ledger::TargetGroup_MAX));
    r->set_subsidised(n % 2 == 0);
  }
  FillAmounts(n, r);
}

// The spread mix: one session (file) at a time.
class SpreadSessions {
 public:
  explicit SpreadSessions(uint64_t seed) : rng_(seed) {
    absl::CivilDay today = absl::ToCivilDay(absl::Now(), DistrictTimeZone());
    current_year_ = static_cast<int>(today.year());
    // This year's records end last month (or in January), never in the future.
    months_this_year_ = std::max(1, today.month() - 1);
    std::vector<int> year_weights;
    // Each year records a little more than the one before.
    for (int y = kFirstYear; y <= current_year_; ++y) {
      year_weights.push_back(10 + 3 * (y - kFirstYear));
    }
    years_ = std::discrete_distribution<int>(year_weights.begin(), year_weights.end());
    schools_ = std::discrete_distribution<int>(kSchoolWeights.begin(), kSchoolWeights.end());
  }

  void Fill(const std::string& run, int64_t n, ledger::ImportRow* row) {
    if (left_in_session_ == 0) NextSession();
    --left_in_session_;
    row->set_line(++line_);
    auto* r = row->mutable_training_record();
    r->set_institution_code(Institutions()[school_]);
    r->set_record_id(absl::StrCat(run, "-", n));
    const int months = year_ == current_year_ ? months_this_year_ : 12;
    r->set_date(absl::StrFormat("%d-%02d-%02d", year_, 1 + Uniform(months), 1 + Uniform(28)));
    r->set_programme(programme_);
    r->set_target_group(group_);
    r->set_subsidised(Uniform(10) < 4);
    FillAmounts(n, r);
  }

 private:
  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  void NextSession() {
    const int institution_years =
        static_cast<int>(Institutions().size()) * (current_year_ - kFirstYear + 1);
    if (session_ < institution_years) {
      school_ = session_ % static_cast<int>(Institutions().size());
      year_ = kFirstYear + session_ / static_cast<int>(Institutions().size());
    } else {
      school_ = schools_(rng_);
      year_ = kFirstYear + years_(rng_);
    }
    ++session_;
    line_ = 1;
    left_in_session_ = 1 + Uniform(30);
    // Each school runs four programmes for three groups of its own.
    programme_ =
        static_cast<ledger::ProgrammeType>(1 + (school_ + Uniform(4)) % ledger::ProgrammeType_MAX);
    group_ =
        static_cast<ledger::TargetGroup>(1 + (2 * school_ + Uniform(3)) % ledger::TargetGroup_MAX);
  }

  std::mt19937_64 rng_;
  std::discrete_distribution<int> years_;
  std::discrete_distribution<int> schools_;
  int current_year_ = 0;
  int months_this_year_ = 12;
  int session_ = 0;
  int left_in_session_ = 0;
  int64_t line_ = 1;
  int school_ = 0;
  int year_ = kFirstYear;
  ledger::ProgrammeType programme_ = ledger::PROGRAMME_TYPE_UNSPECIFIED;
  ledger::TargetGroup group_ = ledger::TARGET_GROUP_UNSPECIFIED;
};

}  // namespace

const std::vector<std::string>& Institutions() {
  static const auto* codes = new std::vector<std::string>{
      "cqcjjg", "cqdxzy", "cqepc", "cqgsxx", "cqgyzy", "cqjnzx", "cqjtjg", "cqjtzy", "cqvie"};
  return *codes;
}

bool ParseRecordMix(const std::string& text, RecordMix* mix) {
  if (text == "files" || text == "realistic") {
    *mix = RecordMix::kFiles;
  } else if (text == "worst-case") {
    *mix = RecordMix::kWorstCase;
  } else if (text == "spread") {
    *mix = RecordMix::kSpread;
  } else {
    return false;
  }
  return true;
}

std::vector<ledger::ImportTrainingRecordsRequest> BuildMessages(RecordMix mix,
                                                                const std::string& run,
                                                                int64_t count, int rows_per_message,
                                                                uint64_t seed) {
  SpreadSessions sessions(seed);
  std::vector<ledger::ImportTrainingRecordsRequest> messages;
  for (int64_t n = 0; n < count; ++n) {
    if (n % rows_per_message == 0) messages.emplace_back();
    auto* row = messages.back().add_rows();
    if (mix == RecordMix::kSpread) {
      sessions.Fill(run, n, row);
    } else {
      FillFilesOrWorstCase(mix == RecordMix::kWorstCase, run, n, row);
    }
  }
  return messages;
}

}  // namespace vetrack::bench
