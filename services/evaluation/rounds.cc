#include "rounds.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "csv/csv.h"
#include "google/protobuf/util/json_util.h"
#include "status/errors.h"

namespace vetrack::evaluation {
namespace {

bool IsDimensionId(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// A cell as text a spreadsheet will not run: one starting with = + - @ tab
// or CR is a formula to Excel (=HYPERLINK(...) in a dimension's title), so
// it gets a leading ' that makes it text. Here, at the writer, rather than by
// refusing such titles: it covers every cell, rounds stored before this check
// (a final round never changes) and subject codes, which may start with -;
// the JSON export and the round itself keep the text as entered.
std::string TextCell(const std::string& text) {
  if (!text.empty() && absl::string_view("=+-@\t\r").find(text[0]) != absl::string_view::npos) {
    return "'" + text;
  }
  return text;
}

std::string SafeRow(std::vector<std::string> fields) {
  for (auto& f : fields) f = TextCell(f);
  return CsvRow(fields);
}

}  // namespace

absl::Status CheckDimensions(const std::vector<v1::Dimension>& dimensions,
                             const std::string& field) {
  Violations v;
  // Every read of a round carries its dimensions, as do its CSV header and
  // its exchange entry: a rubric, not a document.
  if (dimensions.empty() || dimensions.size() > kMaxDimensions) {
    v.Add(field, absl::StrCat("from 1 to ", kMaxDimensions, " dimensions"));
  }
  std::set<std::string> ids;
  int64_t total = 0;
  for (size_t i = 0; i < dimensions.size(); ++i) {
    const auto& d = dimensions[i];
    std::string at = absl::StrCat(field, "[", i, "]");
    if (!IsDimensionId(d.id()) || !ids.insert(d.id()).second)
      v.Add(at + ".id", "a unique lower-case id");
    if (IsBlank(d.title()) || Utf8Length(d.title()) > kMaxDimensionTitle) {
      v.Add(at + ".title", absl::StrCat("required, at most ", kMaxDimensionTitle, " characters"));
    }
    if (d.weight_bp() <= 0) v.Add(at + ".weight_bp", "must be positive");
    total += d.weight_bp();
  }
  if (!dimensions.empty() && total != 10000) {
    v.Add(field, absl::StrFormat("weights sum to %.2f%%, not 100%%", total / 100.0));
  }
  return v.ToStatus();
}

absl::Status ApplyScores(const std::vector<v1::Score>& scores, v1::Round* round) {
  std::set<std::string> subjects(round->subjects().begin(), round->subjects().end());
  std::set<std::string> dimensions;
  for (const auto& d : round->dimensions()) dimensions.insert(d.id());
  Violations v;
  std::set<std::pair<std::string, std::string>> scored;  // a second score would silently win
  for (size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    std::string at = absl::StrCat("scores[", i, "]");
    if (!scored.insert({s.subject(), s.dimension()}).second) {
      v.Add(at, absl::StrCat(s.subject(), "/", s.dimension(), " is scored twice in this request"));
    }
    if (subjects.count(s.subject()) == 0) v.Add(at + ".subject", "not a subject of this round");
    if (dimensions.count(s.dimension()) == 0)
      v.Add(at + ".dimension", "not a dimension of this round");
    if (!(s.score() >= 0 && s.score() <= 100)) {
      v.Add(at + ".score", "must be 0–100");
    } else if (std::fabs(s.score() * 100 - std::round(s.score() * 100)) > 1e-6) {
      // The export shows scores to the hundredth; a finer one would print
      // rounded one way there and weigh into the composite unrounded.
      v.Add(at + ".score", "at most two decimal places");
    }
  }
  if (!v.empty()) return v.ToStatus();
  for (const auto& s : scores) {
    auto existing = std::find_if(
        round->mutable_scores()->begin(), round->mutable_scores()->end(), [&](const v1::Score& e) {
          return e.subject() == s.subject() && e.dimension() == s.dimension();
        });
    if (existing != round->mutable_scores()->end()) {
      existing->set_score(s.score());
    } else {
      *round->add_scores() = s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Standing>> Standings(const v1::Round& round) {
  std::map<std::pair<std::string, std::string>, double> scores;
  for (const auto& s : round.scores()) scores[{s.subject(), s.dimension()}] = s.score();
  std::vector<std::string> missing;
  std::vector<v1::Standing> standings;
  for (const auto& subject : round.subjects()) {
    double composite = 0;
    for (const auto& d : round.dimensions()) {
      auto it = scores.find({subject, d.id()});
      if (it == scores.end()) {
        missing.push_back(subject + "/" + d.id());
        continue;
      }
      composite += d.weight_bp() * it->second / 10000.0;
    }
    v1::Standing s;
    s.set_subject(subject);
    s.set_composite(std::floor(composite * 100 + 0.5 + 1e-9) / 100);
    standings.push_back(std::move(s));
  }
  if (!missing.empty()) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat("scores missing for ", absl::StrJoin(missing, ", "))),
                      "SCORES_MISSING");
  }
  std::stable_sort(standings.begin(), standings.end(),
                   [](const auto& a, const auto& b) { return a.composite() > b.composite(); });
  for (size_t i = 0; i < standings.size(); ++i) {
    bool tie = i > 0 && standings[i].composite() == standings[i - 1].composite();
    standings[i].set_rank(tie ? standings[i - 1].rank() : static_cast<int>(i + 1));
  }
  return standings;
}

std::string ExportCsv(const v1::Round& round) {
  std::string out = kUtf8Bom;  // Excel on Chinese Windows then reads UTF-8.
  std::vector<std::string> header = {"排名 rank", "对象 subject", "名称 name"};
  for (const auto& d : round.dimensions()) {
    header.push_back(absl::StrFormat("%s (%.2f%%)", d.title(), d.weight_bp() / 100.0));
  }
  header.push_back("综合得分 composite");
  out += SafeRow(header);
  std::map<std::pair<std::string, std::string>, double> scores;
  for (const auto& s : round.scores()) scores[{s.subject(), s.dimension()}] = s.score();
  for (const auto& st : round.standings()) {
    auto name = round.subject_names().find(st.subject());
    std::vector<std::string> row = {
        absl::StrCat(st.rank()), st.subject(),
        name == round.subject_names().end() ? std::string() : name->second};
    for (const auto& d : round.dimensions()) {
      row.push_back(absl::StrFormat("%.2f", scores[{st.subject(), d.id()}]));
    }
    row.push_back(absl::StrFormat("%.2f", st.composite()));
    out += SafeRow(row);
  }
  return out;
}

std::string ExportJson(const v1::Round& round) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(round, &json, options);
  return json;
}

}  // namespace vetrack::evaluation
