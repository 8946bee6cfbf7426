#include "commands.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "evaluation_commands.h"
#include "task_commands.h"
#include "workflow_commands.h"

namespace vetrack::vetctl {
namespace {

std::string CommandPath(const CommandSpec& spec) { return absl::StrJoin(spec.words, " "); }

OptionSpec Takes(std::vector<std::string> valued, std::vector<std::string> repeatable = {},
                 std::vector<std::string> switches = {}) {
  return OptionSpec{std::move(valued), std::move(repeatable), std::move(switches)};
}

bool StartsWithWords(const std::vector<std::string>& words, const CommandSpec& spec) {
  if (words.size() < spec.words.size()) return false;
  for (size_t i = 0; i < spec.words.size(); ++i) {
    if (words[i] != spec.words[i]) return false;
  }
  return true;
}

constexpr char kGlobalOptionsHelp[] = R"(
Global options (anywhere on the line):
  --addr HOST:PORT     task registry (default: $VETRACK_TASKS_ADDR, else localhost:50051)
  --schools-addr H:P   school reporting ($VETRACK_SCHOOLS_ADDR, else localhost:50052)
  --ledger-addr H:P    training ledger ($VETRACK_LEDGER_ADDR, else localhost:50053)
  --evaluation-addr H:P  evaluation ($VETRACK_EVALUATION_ADDR, else localhost:50054)
  --as ROLE[:UNIT]     caller identity (default: $VETRACK_AS, else coordinator),
                       e.g. department:edu, school:jjzj
  --plan plans/ID      plan (default: plans/jiangjin-vet-2021)
  --json               print the response as JSON
  --request-id ID      idempotency key for changes (default: random); repeat a
                       command with the same id to retry it safely
  --timeout SECONDS    deadline of each call (default: 10)

Task numbers are plain numbers (21); periods are quarters (2026-Q3).
Exit status: 0 done, 1 the call failed, 2 bad command line.
)";

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {{"catalog", "load"}, "FILE", "load the plan's catalog from a JSON file", 1, {},
       RunCatalogLoad},
      {{"units"}, "[--kind department|school]", "list responsible units", 0, Takes({"kind"}),
       RunUnits},
      {{"sections"}, "", "list the plan's sections", 0, {}, RunSections},
      {{"periods"}, "", "list reporting periods and deadlines", 0, {}, RunPeriods},
      {{"tasks", "list"},
       "[--unit U] [--role lead|co] [--section PREFIX] [--period P]\n"
       "             [--state submitted|returned|accepted]",
       "list tasks", 0, Takes({"unit", "role", "section", "period", "state"}), RunTasksList},
      {{"tasks", "show"}, "N [--period P]",
       "a task, with --period its progress and report, and recent history", 1, Takes({"period"}),
       RunTasksShow},
      {{"progress", "file"},
       "N --period P --status not_started|on_track|delayed|completed\n"
       "             --narrative TEXT [--figure KEY=VALUE[:UNIT]]... [--evidence REF]...\n"
       "             [--unit U] [--etag E]",
       "file a unit's progress (--etag of the last filing to refile)", 1,
       Takes({"period", "status", "narrative", "figure", "evidence", "unit", "etag"},
             {"figure", "evidence"}),
       RunProgressFile},
      {{"progress", "list"}, "N --period P", "progress filed for a task, and who is missing", 1,
       Takes({"period"}), RunProgressList},
      {{"report", "submit"}, "N --period P --summary TEXT [--etag E]",
       "submit the lead unit's report", 1, Takes({"period", "summary", "etag"}), RunReportSubmit},
      {{"report", "show"}, "N --period P", "show a task's report", 1, Takes({"period"}),
       RunReportShow},
      {{"report", "review"}, "N --period P (--accept | --return --reason R [--reason R]...)\n"
                             "             [--etag E]",
       "accept or return a report", 1,
       Takes({"period", "reason", "etag"}, {"reason"}, {"accept", "return"}), RunReportReview},
      {{"history"}, "N", "a task's full history", 1, {}, RunHistory},
      {{"escalations"}, "[--unit U] [--level reminder|yellow|red] [--period P]",
       "what is overdue (--level: that level and above)", 0, Takes({"unit", "level", "period"}),
       RunEscalations},
      {{"indicators"}, "[--unit U] [--section PREFIX]", "the plan's quantitative targets", 0,
       Takes({"unit", "section"}), RunIndicatorsList},
      {{"indicators", "load"}, "FILE", "load the indicator catalog from a JSON file", 1, {},
       RunIndicatorsLoad},
      {{"statistics"}, "[--year Y]", "district statistics entered by the responsible units", 0,
       Takes({"year"}), RunStatisticsList},
      {{"statistics", "record"}, "KEY --year Y --value V --source TEXT --as-of YYYY-MM-DD [--etag E]",
       "enter a district statistic (the unit responsible for it, or the coordinator)", 1,
       Takes({"year", "value", "source", "as-of", "etag"}), RunStatisticsRecord},
      {{"results"}, "--year Y [--indicator ID] [--institution CODE] [--unit U] [--lineage]",
       "indicators computed now against their targets (--lineage: every source figure)", 0,
       Takes({"year", "indicator", "institution", "unit"}, {}, {"lineage"}), RunResults},
      {{"results", "final"}, "[--lineage]", "终期评估: every target at the plan's horizon", 0,
       Takes({}, {}, {"lineage"}), RunResultsFinal},
      {{"rounds"}, "", "third-party evaluation rounds", 0, {}, RunRoundsList},
      {{"rounds", "show"}, "ID", "a round: dimensions, scores, standings", 1, {}, RunRoundsShow},
      {{"rounds", "create"},
       "ID --year Y --title T [--kind institution|unit] [--subject CODE]...\n"
       "             --dimension ID:TITLE:PERCENT...",
       "open a round on a frozen snapshot of the year's results (weights sum to 100)", 1,
       Takes({"year", "title", "kind", "subject", "dimension"}, {"subject", "dimension"}),
       RunRoundsCreate},
      {{"rounds", "score"}, "ID --score SUBJECT:DIMENSION:SCORE... [--etag E]",
       "record the evaluator's scores", 1, Takes({"score", "etag"}, {"score"}), RunRoundsScore},
      {{"rounds", "finalize"}, "ID [--etag E]", "compute the ranking and freeze the round", 1,
       Takes({"etag"}), RunRoundsFinalize},
      {{"rounds", "export"}, "ID [--format csv|json] [--out FILE]",
       "a final round for performance assessment (CSV opens in Excel)", 1,
       Takes({"format", "out"}), RunRoundsExport},
  };
  return *commands;
}

OptionSpec AllOptions() {
  OptionSpec all = GlobalOptionSpec();
  for (const CommandSpec& spec : Commands()) {
    const OptionSpec& options = spec.options;
    all.valued.insert(all.valued.end(), options.valued.begin(), options.valued.end());
    all.repeatable.insert(all.repeatable.end(), options.repeatable.begin(),
                          options.repeatable.end());
    all.switches.insert(all.switches.end(), options.switches.begin(), options.switches.end());
  }
  return all;
}

const CommandSpec* FindCommand(const std::vector<std::string>& words) {
  const CommandSpec* found = nullptr;
  for (const CommandSpec& spec : Commands()) {
    // The longest match wins, should a command ever extend another.
    if (StartsWithWords(words, spec) && (found == nullptr || spec.words.size() > found->words.size())) {
      found = &spec;
    }
  }
  return found;
}

absl::StatusOr<std::vector<std::string>> CheckInvocation(const CommandSpec& spec,
                                                         const CommandLine& line) {
  if (absl::Status options = CheckOptions(line, spec.options); !options.ok()) {
    return UsageError(absl::StrCat(CommandPath(spec), ": ", options.message()));
  }
  std::vector<std::string> args(line.words.begin() + spec.words.size(), line.words.end());
  if (args.size() != spec.arg_count) {
    return UsageError(absl::StrCat("usage: vetctl ", CommandPath(spec), " ", spec.synopsis,
                                   args.size() < spec.arg_count ? "" : " (too many arguments)"));
  }
  return args;
}

std::string UnknownCommandMessage(const std::vector<std::string>& words) {
  std::vector<std::string> subcommands;
  for (const CommandSpec& spec : Commands()) {
    if (spec.words.size() > 1 && spec.words.front() == words.front()) {
      subcommands.push_back(spec.words[1]);
    }
  }
  if (subcommands.empty()) return absl::StrCat("unknown command '", words.front(), "'");
  std::string given = words.size() > 1 ? absl::StrCat(" '", words[1], "'") : "";
  return absl::StrCat(words.front(), given, ": expected ", words.front(), " ",
                      absl::StrJoin(subcommands, "|"));
}

std::string UsageText() {
  std::string text = "usage: vetctl [global options] COMMAND [arguments]\n\nCommands:\n";
  for (const CommandSpec& spec : Commands()) {
    absl::StrAppend(&text, "  ", CommandPath(spec), spec.synopsis.empty() ? "" : " ",
                    spec.synopsis, "\n      ", spec.summary, "\n");
  }
  absl::StrAppend(&text, "  help\n      this text\n", kGlobalOptionsHelp);
  return text;
}

}  // namespace vetrack::vetctl
