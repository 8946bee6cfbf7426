#include "gateway_commands.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "auth/token.h"
#include "clock/clock.h"
#include "clock/timestamp.h"
#include "gateway_views.h"
#include "output.h"
#include "rpc_call.h"
#include "vetrack/gateway/v1/gateway.grpc.pb.h"

namespace vetrack::vetctl {
namespace {

using Stub = gw::GatewayService::Stub;

std::unique_ptr<Stub> Gateway(const CommandContext& context) {
  return gw::GatewayService::NewStub(ChannelTo(context.global, context.global.gateway_address));
}

absl::StatusOr<int> YearOption(const CommandContext& context) {
  std::string text = OptionValue(context.line, "year");
  int year = 0;
  if (!text.empty() && !absl::SimpleAtoi(text, &year)) {
    return UsageError("--year takes a year, e.g. 2025");
  }
  return year;
}

constexpr absl::Duration kMaxTokenTtl = absl::Hours(24 * 366);

// "90s", "30m", "24h", "7d".
absl::StatusOr<absl::Duration> ParseTtl(const std::string& text) {
  absl::Duration ttl;
  int days = 0;
  if (absl::EndsWith(text, "d") && absl::SimpleAtoi(absl::StripSuffix(text, "d"), &days)) {
    ttl = absl::Hours(24) * days;
  } else if (!absl::ParseDuration(text, &ttl)) {
    return UsageError(absl::StrCat("--ttl ", text, ": expected e.g. 30m, 24h or 7d"));
  }
  if (ttl <= absl::ZeroDuration()) return UsageError("--ttl must be positive");
  if (ttl == absl::InfiniteDuration()) return UsageError("--ttl must be finite");
  return ttl;
}

// YYYY-MM-DD (midnight in the district), RFC 3339, or a duration ago (24h, 7d).
absl::StatusOr<absl::Time> ParseWhen(const std::string& option, const std::string& text) {
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", text, DistrictTimeZone(), &time, &error)) return time;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return time;
  auto ago = ParseTtl(text);
  if (ago.ok()) return absl::Now() - *ago;
  return UsageError(absl::StrCat("--", option, " ", text,
                                 ": expected YYYY-MM-DD, an RFC 3339 time, or e.g. 24h or 7d"));
}

template <typename Message>
absl::Status Show(const CommandContext& context, const absl::StatusOr<Message>& result,
                  void (*print)(std::ostream&, const Message&)) {
  if (!result.ok()) return result.status();
  if (context.global.json) return PrintJson(std::cout, *result);
  print(std::cout, *result);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunTokenIssue(const CommandContext& context) {
  absl::StatusOr<std::string> key_file = RequiredOption(context.line, "key-file");
  if (!key_file.ok()) return key_file.status();
  absl::StatusOr<std::string> role = RequiredOption(context.line, "role");
  if (!role.ok()) return role.status();
  absl::StatusOr<Principal> principal = ParsePrincipal(*role, OptionValue(context.line, "unit"));
  if (!principal.ok()) {
    return UsageError(absl::StrCat("--role/--unit: ", principal.status().message()));
  }
  // Who holds a token is who the audit trail says acted: a person by name, or
  // a system; a token is not for sharing.
  absl::StatusOr<std::string> holder = RequiredOption(context.line, "holder");
  if (!holder.ok()) return holder.status();
  if (absl::Status fit = CheckTokenHolder(*holder); !fit.ok()) {
    return UsageError(absl::StrCat("--holder: ", fit.message()));
  }
  std::string ttl_text = OptionValue(context.line, "ttl");
  absl::StatusOr<absl::Duration> ttl = ParseTtl(ttl_text.empty() ? "24h" : ttl_text);
  if (!ttl.ok()) return ttl.status();
  // A lost token may go unnoticed, and so unrevoked: none lives forever.
  if (*ttl > kMaxTokenTtl) return UsageError("--ttl: at most 366d; issue a new token after that");
  absl::StatusOr<TokenKeys> keys = TokenKeys::FromFile(*key_file);
  if (!keys.ok()) return UsageError(absl::StrCat("--key-file: ", keys.status().message()));
  std::cout << keys->Sign(*principal, absl::Now() + *ttl, *holder) << "\n";
  return absl::OkStatus();
}

absl::Status RunWhoAmI(const CommandContext& context) {
  auto stub = Gateway(context);
  auto me = CallUnary(*stub, &Stub::WhoAmI, context.global, gw::WhoAmIRequest());
  if (!me.ok()) return me.status();
  if (context.global.json) return PrintJson(std::cout, *me);
  PrintField(std::cout, "principal", me->principal());
  PrintField(std::cout, "expires", FormatDateTime(me->expire_time()));
  PrintField(std::cout, "key", me->key_id());
  if (!me->holder().empty()) PrintField(std::cout, "holder", me->holder());
  if (!me->token_id().empty()) PrintField(std::cout, "token", me->token_id());
  return absl::OkStatus();
}

absl::Status RunTokenRevoke(const CommandContext& context) {
  absl::StatusOr<std::string> reason = RequiredOption(context.line, "reason");
  if (!reason.ok()) return reason.status();
  gw::RevokeTokenRequest request;
  request.set_token_id(context.args.front());
  request.set_reason(*reason);
  request.set_request_id(context.global.request_id);
  auto stub = Gateway(context);
  return Show(context, CallUnary(*stub, &Stub::RevokeToken, context.global, request),
              &PrintRevokedToken);
}

absl::Status RunTokensRevoked(const CommandContext& context) {
  auto stub = Gateway(context);
  return Show(
      context,
      CallAllPages(*stub, &Stub::ListRevokedTokens, context.global, gw::ListRevokedTokensRequest()),
      &PrintRevokedTokens);
}

absl::Status RunOverview(const CommandContext& context) {
  absl::StatusOr<int> year = YearOption(context);
  if (!year.ok()) return year.status();
  gw::GetDistrictOverviewRequest request;
  request.set_plan(PlanName(context.global));
  request.set_period_id(OptionValue(context.line, "period"));
  request.set_year(*year);
  auto stub = Gateway(context);
  return Show(context, CallUnary(*stub, &Stub::GetDistrictOverview, context.global, request),
              &PrintOverview);
}

absl::Status RunWorkbench(const CommandContext& context) {
  absl::StatusOr<int> year = YearOption(context);
  if (!year.ok()) return year.status();
  absl::StatusOr<std::string> unit = UnitFromArgsOrCaller(context);
  if (!unit.ok()) return unit.status();
  gw::GetDepartmentWorkbenchRequest request;
  request.set_unit(absl::StrCat("units/", *unit));
  request.set_plan(PlanName(context.global));
  request.set_period_id(OptionValue(context.line, "period"));
  request.set_year(*year);
  auto stub = Gateway(context);
  return Show(context, CallUnary(*stub, &Stub::GetDepartmentWorkbench, context.global, request),
              &PrintWorkbench);
}

absl::Status RunDossier(const CommandContext& context) {
  absl::StatusOr<std::string> task = TaskNameFromArgs(context);
  if (!task.ok()) return task.status();
  absl::StatusOr<int> year = YearOption(context);
  if (!year.ok()) return year.status();
  gw::GetTaskDossierRequest request;
  request.set_task(*task);
  request.set_period_id(OptionValue(context.line, "period"));
  request.set_year(*year);
  auto stub = Gateway(context);
  return Show(context, CallUnary(*stub, &Stub::GetTaskDossier, context.global, request),
              &PrintDossier);
}

absl::Status RunProfile(const CommandContext& context) {
  absl::StatusOr<int> year = YearOption(context);
  if (!year.ok()) return year.status();
  gw::GetInstitutionProfileRequest request;
  request.set_institution(absl::StrCat("institutions/", context.args.front()));
  request.set_year(*year);
  auto stub = Gateway(context);
  return Show(context, CallUnary(*stub, &Stub::GetInstitutionProfile, context.global, request),
              &PrintProfile);
}

absl::Status RunAudit(const CommandContext& context) {
  gw::ListAuditEntriesRequest request;
  for (const char* option : {"since", "until"}) {
    std::string text = OptionValue(context.line, option);
    if (text.empty()) continue;
    absl::StatusOr<absl::Time> when = ParseWhen(option, text);
    if (!when.ok()) return when.status();
    *(std::string(option) == "since" ? request.mutable_start_time() : request.mutable_end_time()) =
        TimeToProto(*when);
  }
  request.set_principal(OptionValue(context.line, "principal"));
  request.set_holder(OptionValue(context.line, "holder"));
  request.set_resource(OptionValue(context.line, "resource"));
  auto stub = Gateway(context);
  return Show(context, CallAllPages(*stub, &Stub::ListAuditEntries, context.global, request),
              &PrintAuditEntries);
}

absl::Status RunAuditVerify(const CommandContext& context) {
  gw::VerifyAuditChainRequest request;
  if (std::string after = OptionValue(context.line, "after"); !after.empty()) {
    std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits(':', 1));
    int64_t sequence = 0;
    if (!absl::SimpleAtoi(parts.first, &sequence) || parts.second.empty()) {
      return UsageError("--after takes SEQUENCE:HASH, the last entry and head of a verification");
    }
    request.set_after_sequence(sequence);
    request.set_after_hash(parts.second);
  }
  auto stub = Gateway(context);
  // Page after page to the head; the entries of every page are counted.
  gw::VerifyAuditChainResponse total;
  for (;;) {
    auto page = CallUnary(*stub, &Stub::VerifyAuditChain, context.global, request);
    if (!page.ok()) return page.status();
    const int64_t entries = total.entries() + page->entries();
    total = *std::move(page);
    total.set_entries(entries);
    if (total.next_page_token().empty()) break;
    request.set_page_token(total.next_page_token());
  }
  if (context.global.json) {
    if (absl::Status printed = PrintJson(std::cout, total); !printed.ok()) return printed;
  } else {
    PrintField(std::cout, "entries", absl::StrCat(total.entries()));
    PrintField(std::cout, "last", absl::StrCat(total.last_sequence()));
    PrintField(std::cout, "head", total.head_hash());
    PrintField(std::cout, "intact", YesNo(total.intact()));
    if (total.intact() && total.last_sequence() > 0) {
      // What to keep outside the gateway, so the next check catches a rewrite.
      PrintField(std::cout, "next time",
                 absl::StrCat("--after ", total.last_sequence(), ":", total.head_hash()));
    }
  }
  if (total.intact()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("the audit trail was tampered with at entry ",
                                          total.first_bad_sequence(), ": ", total.problem()));
}

}  // namespace vetrack::vetctl
