#include "institution_codes.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace vetrack::schools {
namespace {

// GB 32100-2015's alphabet: the value of a character is its index.
constexpr absl::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kModulus = 31;
// Weight of position i is 3^i mod 31.
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string SchoolIdCodeProblem(absl::string_view code) {
  if (code.size() != 10 || !AllDigits(code)) return "a 学校标识码 is 10 digits";
  return "";
}

char CreditCodeCheckCharacter(absl::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t value = kCreditAlphabet.find(first17[i]);
    if (value == absl::string_view::npos) return '\0';
    sum += static_cast<int>(value) * kWeights[i];
  }
  return kCreditAlphabet[(kModulus - sum % kModulus) % kModulus];
}

std::string CreditCodeProblem(absl::string_view code) {
  if (code.size() != 18) {
    return absl::StrCat("a 统一社会信用代码 has 18 characters, not ", code.size());
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (kCreditAlphabet.find(code[i]) == absl::string_view::npos) {
      return absl::StrCat("character ", i + 1,
                          " is not one of 0-9 and upper-case A-Z without I, O, Z, S, V");
    }
  }
  if (!AllDigits(code.substr(2, 6))) {
    return "characters 3–8 (the administrative division code) must be digits";
  }
  const char expected = CreditCodeCheckCharacter(code.substr(0, 17));
  if (code[17] != expected) {
    return absl::StrCat("check character is ", std::string(1, code[17]), " but GB 32100 gives ",
                        std::string(1, expected), ": the code is mistyped");
  }
  return "";
}

}  // namespace vetrack::schools
