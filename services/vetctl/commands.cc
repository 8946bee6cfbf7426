#include "commands.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "evaluation_commands.h"
#include "export_command.h"
#include "gateway_commands.h"
#include "ledger_commands.h"
#include "notice_commands.h"
#include "quality_commands.h"
#include "reference_commands.h"
#include "school_commands.h"
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
  --addr HOST:PORT     task registry (default: $VETRACK_TASKS_ADDR, else the
                       gateway, localhost:50050, which forwards to every service)
  --schools-addr H:P   school reporting ($VETRACK_SCHOOLS_ADDR, else the gateway)
  --ledger-addr H:P    training ledger ($VETRACK_LEDGER_ADDR, else the gateway)
  --evaluation-addr H:P  evaluation ($VETRACK_EVALUATION_ADDR, else the gateway)
  --gateway-addr H:P   the gateway's views and audit ($VETRACK_GATEWAY_ADDR)
  --ca-file F          call over TLS, checking the server against this CA
                       ($VETRACK_CA_FILE); any of the TLS options turns TLS on
  --tls-cert F, --tls-key F  this system's client certificate and key, for a
                       gateway that asks for one ($VETRACK_TLS_CERT, _KEY)
  --tls-server-name N  the name in the server's certificate, when the address
                       is an IP or another name ($VETRACK_TLS_SERVER_NAME)
  --token TOKEN        bearer token for the gateway (default: $VETRACK_TOKEN)
  --token-key-file F   sign a 10-minute token for --as with this key file
                       (default: $VETRACK_TOKEN_KEY_FILE)
  --as ROLE[:UNIT]     caller identity (default: $VETRACK_AS, else coordinator),
                       e.g. department:edu, school:cqvie
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
  // One command per entry, packed as written: clang-format would spread each
  // over six lines.
  // clang-format off
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
       "a task, with --period its units, progress and report in that quarter, and recent history", 1,
       Takes({"period"}),
       RunTasksShow},
      {{"tasks", "correct"},
       "N --etag E [--lead U] [--co U]... [--text TEXT] [--section CODE]\n"
       "             [--completed QUARTER]   (--co \"\" alone: no co-units; --completed \"\" reopens)",
       "correct a task's units, text or section, or mark it completed (the coordinator)", 1,
       Takes({"lead", "co", "text", "section", "etag", "completed"}, {"co"}), RunTasksCorrect},
      {{"progress", "file"},
       "N --period P --status not_started|on_track|delayed|completed\n"
       "             --narrative TEXT [--figure KEY=VALUE[:UNIT]]... [--evidence REF]...\n"
       "             [--unit U] [--etag E]",
       "file a unit's progress (--etag of the last filing to refile)", 1,
       Takes({"period", "status", "narrative", "figure", "evidence", "unit", "etag"},
             {"figure", "evidence"}),
       RunProgressFile},
      {{"progress", "list"}, "N --period P", "progress filed for a task, and the co-units that have not filed", 1,
       Takes({"period"}), RunProgressList},
      {{"progress", "revisions"}, "N --period P [--unit U]",
       "every filing a unit made, oldest first (default: the caller's unit)", 1,
       Takes({"period", "unit"}), RunProgressRevisions},
      {{"report", "submit"}, "N --period P --summary TEXT [--etag E]",
       "submit the lead unit's report", 1, Takes({"period", "summary", "etag"}), RunReportSubmit},
      {{"report", "show"}, "N --period P", "show a task's report", 1, Takes({"period"}),
       RunReportShow},
      {{"report", "revisions"}, "N --period P",
       "every submission of a task's report, each as it was reviewed", 1, Takes({"period"}),
       RunReportRevisions},
      {{"report", "review"}, "N --period P (--accept | --return --reason R [--reason R]...)\n"
                             "             [--etag E]",
       "accept or return a report", 1,
       Takes({"period", "reason", "etag"}, {"reason"}, {"accept", "return"}), RunReportReview},
      {{"history"}, "N", "a task's full history", 1, {}, RunHistory},
      {{"escalations"}, "[--unit U] [--level reminder|yellow|red] [--period P]",
       "what is overdue (--level: that level and above)", 0, Takes({"unit", "level", "period"}),
       RunEscalations},
      {{"notices"}, "[N] [--unit U] [--period P] [--outstanding]",
       "督办 notices issued, newest quarter first (--outstanding: still owed)", 0,
       Takes({"unit", "period"}, {}, {"outstanding"}), RunNoticesList, 1},
      {{"notices", "issue"},
       "N --period P --unit U --owed progress|report --message TEXT\n"
       "             [--level yellow|red] [--answer-by YYYY-MM-DD]",
       "issue a 督办 notice for what is overdue (the coordinator; default level: the ladder's)", 1,
       Takes({"period", "unit", "owed", "message", "level", "answer-by"}), RunNoticesIssue},
      {{"notices", "answer"}, "N --period P --id ID --response TEXT [--etag E]",
       "answer a 督办 notice addressed to your unit (ID as `notices` lists it)", 1,
       Takes({"period", "id", "response", "etag"}), RunNoticesAnswer},
      {{"indicators"}, "[--unit U] [--section PREFIX]", "the plan's quantitative targets", 0,
       Takes({"unit", "section"}), RunIndicatorsList},
      {{"indicators", "load"}, "FILE", "load the indicator catalog from a JSON file", 1, {},
       RunIndicatorsLoad},
      {{"statistics"}, "[--year Y]", "district statistics entered by the responsible units", 0,
       Takes({"year"}), RunStatisticsList},
      {{"statistics", "record"}, "KEY --year Y --value V --source TEXT --as-of YYYY-MM-DD [--etag E]",
       "enter a district statistic (the unit responsible for it, or the coordinator)", 1,
       Takes({"year", "value", "source", "as-of", "etag"}), RunStatisticsRecord},
      {{"statistics", "history"}, "KEY --year Y",
       "every figure a district statistic of a year has had, oldest first", 1, Takes({"year"}),
       RunStatisticsHistory},
      {{"results"}, "--year Y [--indicator ID] [--institution CODE] [--unit U] [--lineage]",
       "indicators computed now against their targets (--lineage: every source figure)", 0,
       Takes({"year", "indicator", "institution", "unit"}, {}, {"lineage"}), RunResults},
      {{"results", "final"}, "[--lineage]", "终期评估: every target at the plan's horizon", 0,
       Takes({}, {}, {"lineage"}), RunResultsFinal},
      {{"rounds"}, "", "third-party evaluation rounds", 0, {}, RunRoundsList},
      {{"rounds", "show"}, "ID", "a round: dimensions, scores, standings", 1, {}, RunRoundsShow},
      {{"rounds", "create"},
       "ID --year Y --title T [--kind institution|unit] [--subject CODE]...\n"
       "             --dimension ID:TITLE:PERCENT... [--allow-without-data]",
       "open a round on a frozen snapshot of the year's results (weights sum to 100)", 1,
       Takes({"year", "title", "kind", "subject", "dimension"}, {"subject", "dimension"},
             {"allow-without-data"}),
       RunRoundsCreate},
      {{"rounds", "score"}, "ID --score SUBJECT:DIMENSION:SCORE... [--etag E]",
       "record the evaluator's scores", 1, Takes({"score", "etag"}, {"score"}), RunRoundsScore},
      {{"rounds", "finalize"}, "ID [--etag E]", "compute the ranking and freeze the round", 1,
       Takes({"etag"}), RunRoundsFinalize},
      {{"rounds", "export"}, "ID [--format csv|json] [--out FILE]",
       "a final round for performance assessment (CSV opens in Excel)", 1,
       Takes({"format", "out"}), RunRoundsExport},
      {{"token", "issue"}, "--key-file F --role R [--unit U] --holder H [--ttl 24h]",
       "print a bearer token for the gateway, for the person or system H (ttl: s, m, h or d)", 0,
       Takes({"key-file", "role", "unit", "holder", "ttl"}), RunTokenIssue},
      {{"token", "revoke"}, "ID --reason R",
       "revoke a token before it expires (ID: as whoami shows it); yours, or any as coordinator "
       "or operator",
       1, Takes({"reason"}), RunTokenRevoke},
      {{"token", "revoked"}, "", "the tokens revoked, newest first", 0, {}, RunTokensRevoked},
      {{"whoami"}, "", "who the gateway takes you for", 0, {}, RunWhoAmI},
      {{"overview"}, "[--period P] [--year Y]",
       "the district: tasks by report state, escalations, indicators, institutions", 0,
       Takes({"period", "year"}), RunOverview},
      {{"workbench"}, "[UNIT] [--period P]\n             (no UNIT: the --as unit's own)",
       "a unit's tasks, what it owes this period, its escalations and indicators", 0,
       Takes({"period", "year"}), RunWorkbench, 1},
      {{"dossier"}, "N [--period P]",
       "a task with every unit's progress, its report, history and indicators", 1,
       Takes({"period", "year"}), RunDossier},
      {{"profile"}, "CODE [--year Y]",
       "an institution's reports, training, indicators and standing", 1, Takes({"year"}),
       RunProfile},
      {{"audit"}, "[--since T] [--until T] [--principal P] [--holder H] [--resource R]",
       "the audit trail of changes (T: YYYY-MM-DD, RFC 3339, or 24h/7d ago)", 0,
       Takes({"since", "until", "principal", "holder", "resource"}), RunAudit},
      {{"audit", "verify"}, "[--after SEQUENCE:HASH]",
       "recompute the audit trail's hash chain (after an entry verified before)", 0,
       Takes({"after"}), RunAuditVerify},
      {{"training", "import"}, "FILE.csv",
       "append a CSV file of training records (bad rows are listed; importing again adds nothing)",
       1, {}, RunTrainingImport},
      {{"training", "record"},
       "--id ID --date YYYY-MM-DD --programme P --group G --trainees N --hours H\n"
       "             [--income-fen N] [--certificates N] [--subsidised] [--description T]\n"
       "             [--institution CODE]",
       "append one training record (P, G: label or the plan's words, e.g. 就业技能培训)", 0,
       Takes({"institution", "id", "date", "programme", "group", "trainees", "hours",
              "income-fen", "certificates", "description"},
             {}, {"subsidised"}),
       RunTrainingRecord},
      {{"training", "reverse"}, "ID --reason TEXT [--reversal-id ID] [--institution CODE]",
       "append the reversal of a record (default reversal id: ID-rev)", 1,
       Takes({"reason", "reversal-id", "institution"}), RunTrainingReverse},
      {{"training", "show"}, "ID [--institution CODE]", "one training record", 1,
       Takes({"institution"}), RunTrainingShow},
      {{"training", "list"}, "[--year Y] [--institution CODE]",
       "an institution's records of a year, in the order appended", 0,
       Takes({"year", "institution"}), RunTrainingList},
      {{"training", "statement"}, "[--year Y] [--institution CODE]",
       "the yearly statement of an institution, or without one of the district", 0,
       Takes({"year", "institution"}), RunTrainingStatement},
      {{"training", "publish"}, "[--year Y]",
       "publish the district statement of the year to the municipal exchange (a new revision "
       "only when something changed)",
       0, Takes({"year"}), RunTrainingPublish},
      {{"training", "published"}, "[--year Y] [--revision N]",
       "a published revision of the district statement (default: the latest)", 0,
       Takes({"year", "revision"}), RunTrainingPublished},
      {{"training", "policy", "show"}, "[--year Y]", "the year's accounting policy", 0,
       Takes({"year"}), RunTrainingPolicyShow},
      {{"training", "policy", "set"},
       "--uplift RATE --public-share RATE --fte-per-hour FACTOR [--year Y]\n"
       "             [--note TEXT] [--etag E]",
       "set the year's accounting policy (a new version; decimals such as 0.3)", 0,
       Takes({"year", "uplift", "public-share", "fte-per-hour", "note", "etag"}),
       RunTrainingPolicySet},
      {{"training", "policy", "history"}, "[--year Y]", "every version of the year's policy", 0,
       Takes({"year"}), RunTrainingPolicyHistory},
      {{"institutions", "list"}, "[--type higher_vocational|secondary_vocational|technical]",
       "the plan's vocational institutions and their national codes", 0, Takes({"type"}),
       RunInstitutionsList},
      {{"institutions", "import"}, "FILE [--keep-stored]",
       "create or update institutions from reference data (JSON or CSV), saying what changed; "
       "--keep-stored (a start-up load) adds and fills blanks, and changes no stored value",
       1, Takes({}, {}, {"keep-stored", "defer-to-issued"}), RunInstitutionsImport},
      {{"majors", "list"}, "[--level secondary|junior_college|undergraduate]",
       "the major catalog (职业教育专业目录（2021年）) as loaded", 0, Takes({"level"}),
       RunMajorsList},
      {{"majors", "import"}, "FILE [--keep-stored]",
       "create or update the major catalog from a JSON or CSV file, saying what changed; "
       "--keep-stored as for institutions",
       1, Takes({}, {}, {"keep-stored", "defer-to-issued"}), RunMajorsImport},
      {{"reference", "history"}, "institutions | catalogMajors | periods/ID",
       "every import of the institutions or the major catalog, or every window set for a period,"
       " with who and when",
       1, {}, RunReferenceHistory},
      {{"export"}, "--year Y --out DIR",
       "the district's dataset of a year as JSON and CSV (UTF-8 with BOM) for manual upload", 0,
       Takes({"year", "out"}), RunExport},
      {{"items"}, "[--type T]", "what a school's data report holds (the item catalog)", 0,
       Takes({"type"}), RunItems},
      {{"reporting", "periods"}, "[--kind academic_year|calendar_year]",
       "school reporting periods and their windows", 0, Takes({"kind"}), RunReportingPeriods},
      {{"reporting", "window"}, "PERIOD --open YYYY-MM-DD --close YYYY-MM-DD [--etag E]",
       "set a period's first and last day of reporting (coordinator)", 1,
       Takes({"open", "close", "etag"}),
       RunReportingWindow},
      {{"reports", "list"}, "--period ayYYYY [--state S] [--type T]",
       "schools' data reports of a year, and who has not reported", 0,
       Takes({"period", "state", "type"}), RunReportsList},
      {{"reports", "show"}, "--period P [--institution CODE]", "a school's data report", 0,
       Takes({"period", "institution"}), RunReportsShow},
      {{"reports", "save"},
       "--period P [--set ITEM=N]... [--unset ITEM]... [--major CODE:STATUS[:NAME]]...\n"
       "             [--drop-major CODE]... [--institution CODE] [--etag E]",
       "change the draft data report (a school, its own)", 0,
       Takes({"period", "set", "unset", "major", "drop-major", "institution", "etag"},
             {"set", "unset", "major", "drop-major"}),
       RunReportsSave},
      {{"reports", "submit"}, "--period P [--institution CODE] [--etag E]",
       "submit the draft; every rule is checked at once", 0,
       Takes({"period", "institution", "etag"}), RunReportsSubmit},
      {{"reports", "review"},
       "--period P --institution CODE (--accept | --return --item ITEM=REASON...)\n"
       "             [--etag E]",
       "accept a data report, or return it with a reason per item (coordinator)", 0,
       Takes({"period", "institution", "item", "etag"}, {"item"}, {"accept", "return"}),
       RunReportsReview},
      {{"reports", "reopen"}, "--period P --institution CODE --reason TEXT [--etag E]",
       "unlock accepted data for a correction: a new revision (coordinator)", 0,
       Takes({"period", "institution", "reason", "etag"}), RunReportsReopen},
      {{"reports", "revisions"}, "--period P [--institution CODE]",
       "every submitted revision and how it was reviewed", 0, Takes({"period", "institution"}),
       RunReportsRevisions},
      {{"reports", "diff"}, "--period P --from N --to M [--institution CODE]",
       "what changed between two revisions", 0, Takes({"period", "institution", "from", "to"}),
       RunReportsDiff},
      {{"reports", "history"}, "--period P [--institution CODE]",
       "every transition of a data report, with who and when", 0,
       Takes({"period", "institution"}), RunReportsHistory},
      {{"reports", "figures"}, "--period P [--institution CODE]",
       "the accepted figures other services compute from", 0, Takes({"period", "institution"}),
       RunReportsFigures},
      {{"quality", "submit"},
       "--period cyYYYY --title T --document URI --sha256 HEX --figure KEY=VALUE[:UNIT]...\n"
       "             [--institution CODE] [--etag E]",
       "submit the annual quality report (质量年报)", 0,
       Takes({"period", "title", "document", "sha256", "figure", "institution", "etag"},
             {"figure"}),
       RunQualitySubmit},
      {{"quality", "list"}, "--period cyYYYY [--type T]",
       "quality reports of a year, and who has not submitted", 0, Takes({"period", "type"}),
       RunQualityList},
      {{"quality", "show"}, "--period P [--institution CODE]", "a school's quality report", 0,
       Takes({"period", "institution"}), RunQualityShow},
      {{"quality", "review"},
       "--period P --institution CODE (--accept | --return --item KEY=REASON...)\n"
       "             [--etag E]",
       "accept a quality report, or return it with a reason per figure (coordinator)", 0,
       Takes({"period", "institution", "item", "etag"}, {"item"}, {"accept", "return"}),
       RunQualityReview},
      {{"quality", "reopen"}, "--period P --institution CODE --reason TEXT [--etag E]",
       "unlock an accepted quality report (coordinator)", 0,
       Takes({"period", "institution", "reason", "etag"}), RunQualityReopen},
      {{"quality", "diff"}, "--period P --from N --to M [--institution CODE]",
       "what changed between two revisions, and what of it no return asked for", 0,
       Takes({"period", "institution", "from", "to"}), RunQualityDiff},
      {{"quality", "history"}, "--period P [--institution CODE]",
       "every transition of a quality report", 0, Takes({"period", "institution"}),
       RunQualityHistory},
      {{"spotcheck", "draw"}, "--period cyYYYY --per-type N --items N [--seed S]",
       "draw a spot check (审查抽查) stratified by type; the seed reproduces it", 0,
       Takes({"period", "per-type", "items", "seed"}), RunSpotCheckDraw},
      {{"spotcheck", "list"}, "[--period P]", "spot checks drawn, oldest first", 0,
       Takes({"period"}), RunSpotCheckList},
      {{"spotcheck", "show"}, "ID", "a spot check and the outcome of each check", 1, {},
       RunSpotCheckShow},
      {{"spotcheck", "record"},
       "ID --institution CODE --item KEY (--confirmed | --discrepancy --verified V)\n"
       "             [--note TEXT] [--etag E] [--correct REASON]",
       "record one check's outcome (coordinator); --correct changes one recorded, saying why", 1,
       Takes({"institution", "item", "verified", "note", "etag", "correct"}, {},
             {"confirmed", "discrepancy"}),
       RunSpotCheckRecord},
      {{"spotcheck", "credibility"}, "[--type T]",
       "each institution's credibility score from its check history", 0, Takes({"type"}),
       RunCredibility},
  };
  // clang-format on
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
    if (StartsWithWords(words, spec) &&
        (found == nullptr || spec.words.size() > found->words.size())) {
      found = &spec;
    }
  }
  return found;
}

namespace {

bool HasSubcommands(const std::string& command) {
  for (const CommandSpec& spec : Commands()) {
    if (spec.words.size() > 1 && spec.words.front() == command) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CheckInvocation(const CommandSpec& spec,
                                                         const CommandLine& line) {
  if (absl::Status options = CheckOptions(line, spec.options); !options.ok()) {
    return UsageError(absl::StrCat(CommandPath(spec), ": ", options.message()));
  }
  std::vector<std::string> args(line.words.begin() + spec.words.size(), line.words.end());
  const bool too_many = args.size() > spec.arg_count + spec.optional_arg_count;
  if (too_many && spec.words.size() == 1 && HasSubcommands(spec.words.front())) {
    // "rounds bogus": a subcommand mistyped, not an argument too many (found
    // in use: "too many arguments; usage: vetctl rounds ").
    return UsageError(UnknownCommandMessage(line.words));
  }
  if (args.size() < spec.arg_count || too_many) {
    return UsageError(absl::StrCat(args.size() < spec.arg_count ? "" : "too many arguments; ",
                                   "usage: vetctl ", CommandPath(spec), " ", spec.synopsis));
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
    absl::StrAppend(&text, "  ", CommandPath(spec), spec.synopsis.empty() ? "" : " ", spec.synopsis,
                    "\n      ", spec.summary, "\n");
  }
  absl::StrAppend(&text, "  help\n      this text\n", kGlobalOptionsHelp);
  return text;
}

}  // namespace vetrack::vetctl
