#include "evaluation_commands.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "decimal.h"
#include "enum_labels.h"
#include "google/protobuf/util/json_util.h"
#include "output.h"
#include "reference_files.h"
#include "rpc_call.h"
#include "vetrack/evaluation/v1/evaluation.grpc.pb.h"

namespace vetrack::vetctl {
namespace {

namespace ev = ::vetrack::evaluation::v1;
using Stub = ev::EvaluationService::Stub;

std::unique_ptr<Stub> Evaluation(const CommandContext& context) {
  return ev::EvaluationService::NewStub(
      ChannelTo(context.global, context.global.evaluation_address));
}

absl::StatusOr<int> IntOption(const CommandContext& context, const std::string& name,
                              int fallback) {
  std::string text = OptionValue(context.line, name);
  if (text.empty()) return fallback;
  int value;
  if (!absl::SimpleAtoi(text, &value)) return UsageError("--" + name + " takes a whole number");
  return value;
}

std::string Id(const std::string& name) { return name.substr(name.find('/') + 1); }

void PrintResults(const google::protobuf::RepeatedPtrField<ev::Result>& results, bool lineage) {
  Table table({"INDICATOR", "SCOPE", "VALUE", "TARGET", "STATUS", "RULE"});
  for (const auto& r : results) {
    table.AddRow({Id(r.indicator()), r.scope_key(), ValueText(r), TargetText(r.target(), r.unit()),
                  EnumLabel(ev::ResultStatus_descriptor(), r.status()), r.rule()});
  }
  table.Print(std::cout);
  if (!lineage) return;
  for (const auto& r : results) {
    if (r.sources().empty()) continue;
    std::cout << "\n" << Id(r.indicator()) << " @ " << r.scope_key() << ":\n";
    for (const auto& s : r.sources()) {
      std::cout << "  " << s.ref() << (s.institution().empty() ? "" : " " + s.institution())
                << " = " << FormatNumber(s.value()) << "  (" << s.origin() << ")\n";
    }
  }
}

// Empty for a round created before subjects were named.
std::string SubjectName(const ev::Round& round, const std::string& subject) {
  auto name = round.subject_names().find(subject);
  return name == round.subject_names().end() ? "" : name->second;
}

// Each subject's score in each dimension, "-" where none is recorded yet
// (found in use: only "Scores: 2 of 27" was shown, so an evaluator could not
// check what it had entered nor see what was left).
void PrintScores(std::ostream& out, const ev::Round& round, const std::string& only_subject) {
  std::map<std::pair<std::string, std::string>, double> scored;
  for (const auto& s : round.scores()) scored[{s.subject(), s.dimension()}] = s.score();
  std::vector<std::string> subjects(round.subjects().begin(), round.subjects().end());
  if (!only_subject.empty()) {
    // A school in a round of units is no subject of it.
    const bool subject =
        std::find(subjects.begin(), subjects.end(), only_subject) != subjects.end();
    subjects = subject ? std::vector<std::string>{only_subject} : std::vector<std::string>{};
    for (auto it = scored.begin(); it != scored.end();) {
      it = it->first.first == only_subject ? std::next(it) : scored.erase(it);
    }
  }
  const int expected = static_cast<int>(subjects.size()) * round.dimensions_size();
  PrintField(out, "Scores", absl::StrCat(scored.size(), " of ", expected, " recorded"));
  if (subjects.empty() || round.dimensions().empty()) return;
  std::vector<std::string> header = {"SUBJECT", "NAME"};
  for (const auto& d : round.dimensions()) header.push_back(absl::AsciiStrToUpper(d.id()));
  Table table(header);
  for (const auto& subject : subjects) {
    std::vector<std::string> row = {subject, SubjectName(round, subject)};
    for (const auto& d : round.dimensions()) {
      auto it = scored.find({subject, d.id()});
      row.push_back(it == scored.end() ? "-" : absl::StrFormat("%.2f", it->second));
    }
    table.AddRow(row);
  }
  table.Print(out);
}

}  // namespace

void PrintRound(std::ostream& out, const ev::Round& round, const std::string& only_subject) {
  PrintField(out, "Round", round.name());
  PrintField(out, "Title", round.title());
  PrintField(out, "Year", absl::StrCat(round.year()));
  PrintField(out, "State", EnumLabel(ev::RoundState_descriptor(), round.state()));
  PrintField(out, "Etag", round.etag());
  int without_data = 0;
  for (const auto& r : round.snapshot()) without_data += r.has_value() ? 0 : 1;
  PrintField(
      out, "Snapshot",
      absl::StrCat(round.snapshot_size(), " results frozen",
                   without_data == 0 ? "" : absl::StrCat(", ", without_data, " without data")));
  Table dims({"DIMENSION", "TITLE", "WEIGHT"});
  for (const auto& d : round.dimensions()) {
    dims.AddRow({d.id(), d.title(), absl::StrFormat("%.2f%%", d.weight_bp() / 100.0)});
  }
  dims.Print(out);
  if (!round.standings().empty()) {
    Table standings({"RANK", "SUBJECT", "NAME", "COMPOSITE"});
    for (const auto& s : round.standings()) {
      standings.AddRow({absl::StrCat(s.rank()), s.subject(), SubjectName(round, s.subject()),
                        absl::StrFormat("%.2f", s.composite())});
    }
    standings.Print(out);
  }
  PrintScores(out, round, only_subject);
}

namespace {

std::string RoundName(const CommandContext& context) { return "rounds/" + context.args[0]; }

// A school is shown its own scores alone, not the others' as missing (found
// in use: "Scores: 3 of 27 recorded"); the service sends it no others.
std::string OnlySubject(const CommandContext& context) {
  return context.global.role == "school" ? context.global.unit : "";
}

}  // namespace

std::string ValueText(const ev::Result& result) {
  if (!result.has_value()) return "-";
  // The service fills value_text, for results frozen before it too; an older
  // service may not.
  if (result.value_text().empty()) return FormatNumber(result.value()) + result.unit();
  return result.value_text() + result.unit();
}

std::string TargetText(const ev::Target& t, const std::string& unit) {
  auto n = [](double v) { return FormatNumber(v); };
  switch (t.comparator()) {
    case ev::COMPARATOR_AT_MOST:
      return "≤" + n(t.value()) + unit;
    case ev::COMPARATOR_EXACTLY:
      return "=" + n(t.value()) + unit;
    case ev::COMPARATOR_BETWEEN:
      return n(t.value()) + "–" + n(t.upper()) + unit;
    default:
      return "≥" + n(t.value()) + unit;
  }
}

absl::Status RunIndicatorsLoad(const CommandContext& context) {
  absl::StatusOr<std::string> text = ReadTextFile(context.args[0]);
  if (!text.ok()) return UsageError(std::string(text.status().message()));
  ev::ImportIndicatorsRequest request;
  auto parsed = google::protobuf::util::JsonStringToMessage(*text, request.mutable_catalog());
  if (!parsed.ok()) return UsageError(context.args[0] + ": " + parsed.message().as_string());
  request.set_request_id(context.global.request_id);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::ImportIndicators, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintField(std::cout, "Indicators",
             absl::StrCat(response->created(), " created, ", response->updated(), " updated, ",
                          response->unchanged(), " unchanged"));
  if (!response->retired().empty()) {
    PrintField(std::cout, "Retired", absl::StrJoin(response->retired(), ", "));
  }
  PrintField(std::cout, "Statistics", absl::StrCat(response->statistics_defined(), " defined"));
  return absl::OkStatus();
}

absl::Status RunIndicatorsList(const CommandContext& context) {
  ev::ListIndicatorsRequest request;
  request.set_responsible_unit(OptionValue(context.line, "unit"));
  request.set_section_prefix(OptionValue(context.line, "section"));
  auto stub = Evaluation(context);
  auto response = CallAllPages(*stub, &Stub::ListIndicators, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  Table table({"ID", "SECTION", "TASK", "TARGET", "UNIT", "TITLE"});
  for (const auto& i : response->indicators()) {
    std::string targets;
    for (const auto& t : i.targets()) {
      if (!targets.empty()) targets += " ";
      targets += TargetText(t, i.unit());
    }
    table.AddRow({i.id(), i.section_code(), i.task_number() ? absl::StrCat(i.task_number()) : "-",
                  targets, i.responsible_unit(), i.title()});
  }
  table.Print(std::cout);
  return absl::OkStatus();
}

absl::Status RunStatisticsRecord(const CommandContext& context) {
  ev::RecordStatisticRequest request;
  request.set_key(context.args[0]);
  auto year = IntOption(context, "year", 0);
  if (!year.ok()) return year.status();
  request.set_year(*year);
  double value;
  if (!ParseDecimal(OptionValue(context.line, "value"), &value)) {
    return UsageError("--value takes a number");
  }
  request.set_value(value);
  request.set_source(OptionValue(context.line, "source"));
  request.set_as_of(OptionValue(context.line, "as-of"));
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::RecordStatistic, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintField(std::cout, "Recorded", response->name());
  PrintField(std::cout, "Value", FormatNumber(response->value()));
  PrintField(std::cout, "Etag", response->etag());
  return absl::OkStatus();
}

absl::Status RunStatisticsList(const CommandContext& context) {
  ev::ListStatisticsRequest request;
  auto year = IntOption(context, "year", 0);
  if (!year.ok()) return year.status();
  request.set_year(*year);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::ListStatistics, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  Table table({"KEY", "YEAR", "VALUE", "AS OF", "SOURCE", "BY"});
  for (const auto& s : response->statistics()) {
    table.AddRow({s.key(), absl::StrCat(s.year()), FormatNumber(s.value()), s.as_of(), s.source(),
                  s.recorded_by()});
  }
  table.Print(std::cout);
  return absl::OkStatus();
}

absl::Status RunStatisticsHistory(const CommandContext& context) {
  ev::ListStatisticRevisionsRequest request;
  auto year = IntOption(context, "year", 0);
  if (!year.ok()) return year.status();
  if (*year == 0) return UsageError("--year is required: the year of the figure");
  request.set_name(absl::StrCat("statistics/", context.args[0], "/years/", *year));
  request.set_page_size(500);
  auto stub = Evaluation(context);
  Table table({"REVISION", "VALUE", "AS OF", "SOURCE", "BY", "RECORDED"});
  ev::ListStatisticRevisionsResponse all;
  do {
    auto response = CallUnary(*stub, &Stub::ListStatisticRevisions, context.global, request);
    if (!response.ok()) return response.status();
    for (const auto& s : response->statistics()) *all.add_statistics() = s;
    request.set_page_token(response->next_page_token());
  } while (!request.page_token().empty());
  if (context.global.json) return PrintJson(std::cout, all);
  for (const auto& s : all.statistics()) {
    table.AddRow({absl::StrCat(s.revision()), FormatNumber(s.value()), s.as_of(), s.source(),
                  s.recorded_by(), FormatDateTime(s.record_time())});
  }
  table.Print(std::cout);
  return absl::OkStatus();
}

absl::Status RunResults(const CommandContext& context) {
  ev::ListResultsRequest request;
  auto year = IntOption(context, "year", 0);
  if (!year.ok()) return year.status();
  if (*year == 0) return UsageError("results: --year is required");
  request.set_year(*year);
  if (std::string id = OptionValue(context.line, "indicator"); !id.empty()) {
    // The id, or the name as the service prints it.
    request.set_indicator(absl::StartsWith(id, "indicators/") ? id : "indicators/" + id);
  }
  request.set_institution(OptionValue(context.line, "institution"));
  request.set_responsible_unit(OptionValue(context.line, "unit"));
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::ListResults, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintResults(response->results(), HasSwitch(context.line, "lineage"));
  for (const auto& u : response->unavailable_sources()) std::cout << "unavailable: " << u << "\n";
  return absl::OkStatus();
}

absl::Status RunResultsFinal(const CommandContext& context) {
  auto stub = Evaluation(context);
  auto response =
      CallUnary(*stub, &Stub::GetFinalEvaluation, context.global, ev::GetFinalEvaluationRequest());
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintResults(response->results(), HasSwitch(context.line, "lineage"));
  std::cout << "\n终期评估 " << response->year() << ": " << response->met() << " met, "
            << response->missed() << " missed, " << response->no_data() << " without data";
  if (response->undecided() > 0) std::cout << ", " << response->undecided() << " undecided";
  std::cout << "\n";
  return absl::OkStatus();
}

absl::Status RunRoundsList(const CommandContext& context) {
  auto stub = Evaluation(context);
  auto response = CallAllPages(*stub, &Stub::ListRounds, context.global, ev::ListRoundsRequest());
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  Table table({"ROUND", "YEAR", "STATE", "SUBJECTS", "TITLE"});
  for (const auto& r : response->rounds()) {
    table.AddRow({Id(r.name()), absl::StrCat(r.year()),
                  EnumLabel(ev::RoundState_descriptor(), r.state()),
                  absl::StrCat(r.subjects_size()), r.title()});
  }
  table.Print(std::cout);
  return absl::OkStatus();
}

absl::Status RunRoundsShow(const CommandContext& context) {
  ev::GetRoundRequest request;
  request.set_name(RoundName(context));
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::GetRound, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintRound(std::cout, *response, OnlySubject(context));
  return absl::OkStatus();
}

absl::Status RunRoundsCreate(const CommandContext& context) {
  ev::CreateRoundRequest request;
  request.set_round_id(context.args[0]);
  ev::Round* round = request.mutable_round();
  round->set_title(OptionValue(context.line, "title"));
  auto year = IntOption(context, "year", 0);
  if (!year.ok()) return year.status();
  round->set_year(*year);
  auto kind = ParseEnumLabel(
      ev::SubjectKind_descriptor(),
      OptionValue(context.line, "kind").empty() ? "institution" : OptionValue(context.line, "kind"),
      "kind");
  if (!kind.ok()) return kind.status();
  round->set_subject_kind(static_cast<ev::SubjectKind>(*kind));
  for (const auto& s : OptionValues(context.line, "subject")) round->add_subjects(s);
  for (const auto& spec : OptionValues(context.line, "dimension")) {
    std::vector<std::string> parts = absl::StrSplit(spec, ':');
    if (parts.size() != 3) {
      return UsageError("--dimension takes ID:TITLE:PERCENT, e.g. quality:办学质量:60");
    }
    // Weights are kept in hundredths of a percent: a third decimal would be
    // rounded away and the sum then not be the one typed (found in use).
    absl::StatusOr<int64_t> hundredths = ParseHundredths(parts[2]);
    if (!hundredths.ok() || *hundredths < 1 || *hundredths > 10000) {
      return UsageError(absl::StrCat("--dimension ", spec,
                                     ": the weight is a percent from 0.01 to 100 with at most "
                                     "two decimals, e.g. 33.33"));
    }
    auto* d = round->add_dimensions();
    d->set_id(parts[0]);
    d->set_title(parts[1]);
    d->set_weight_bp(static_cast<int>(*hundredths));
  }
  request.set_allow_snapshot_without_data(HasSwitch(context.line, "allow-without-data"));
  request.set_request_id(context.global.request_id);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::CreateRound, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintRound(std::cout, *response, OnlySubject(context));
  return absl::OkStatus();
}

absl::Status RunRoundsScore(const CommandContext& context) {
  ev::RecordScoresRequest request;
  request.set_round(RoundName(context));
  for (const auto& spec : OptionValues(context.line, "score")) {
    std::vector<std::string> parts = absl::StrSplit(spec, ':');
    double value;
    if (parts.size() != 3 || !ParseDecimal(parts[2], &value)) {
      return UsageError("--score takes SUBJECT:DIMENSION:SCORE, e.g. cqvie:quality:88.5");
    }
    auto* s = request.add_scores();
    s->set_subject(parts[0]);
    s->set_dimension(parts[1]);
    s->set_score(value);
  }
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::RecordScores, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintRound(std::cout, *response, OnlySubject(context));
  return absl::OkStatus();
}

absl::Status RunRoundsFinalize(const CommandContext& context) {
  ev::FinalizeRoundRequest request;
  request.set_round(RoundName(context));
  request.set_etag(OptionValue(context.line, "etag"));
  request.set_request_id(context.global.request_id);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::FinalizeRound, context.global, request);
  if (!response.ok()) return response.status();
  if (context.global.json) return PrintJson(std::cout, *response);
  PrintRound(std::cout, *response, OnlySubject(context));
  return absl::OkStatus();
}

absl::Status RunRoundsExport(const CommandContext& context) {
  ev::ExportRoundRequest request;
  request.set_round(RoundName(context));
  std::string format = OptionValue(context.line, "format");
  if (!format.empty() && format != "json" && format != "csv") {
    return UsageError("--format takes csv or json");
  }
  // The global --json asks for JSON too, unless --format says otherwise.
  if (format.empty() && context.global.json) format = "json";
  request.set_format(format == "json" ? ev::EXPORT_FORMAT_JSON : ev::EXPORT_FORMAT_CSV);
  auto stub = Evaluation(context);
  auto response = CallUnary(*stub, &Stub::ExportRound, context.global, request);
  if (!response.ok()) return response.status();
  std::string out = OptionValue(context.line, "out");
  if (out.empty()) {
    std::cout << response->content();
    return absl::OkStatus();
  }
  std::ofstream file(out, std::ios::binary);
  file << response->content();
  file.close();  // a full disk shows at the close
  // A local failure, not the service's (it read UNAVAILABLE, as if down).
  if (!file) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", out, ": ", std::strerror(errno)));
  }
  std::cerr << "wrote " << out << " (" << response->content().size() << " bytes)\n";
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
