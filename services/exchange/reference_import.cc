#include "reference_import.h"

#include <grpcpp/create_channel.h>
#include <httplib.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "auth/token.h"
#include "batch_sender.h"
#include "server/tls.h"
#include "status/errors.h"
#include "status/grpc_status.h"

namespace vetrack::exchange {
namespace {

namespace sv1 = ::vetrack::schools::v1;
using Stub = sv1::SchoolReportingService::StubInterface;

constexpr absl::Duration kTokenLifetime = absl::Minutes(10);

const char* PartName(ReferencePart part) {
  return part == ReferencePart::kInstitutions ? "institutions" : "majors";
}

// What one part's import answered, for people.
struct PartOutcome {
  int created = 0, updated = 0, unchanged = 0;
  std::vector<std::string> changes;
};

template <typename Change>
std::string Describe(const std::string& resource, const Change& change) {
  if (change.old_value().empty() && change.field() != "display_name") {
    return absl::StrCat(resource, "  ", change.field(), ": ", change.new_value());
  }
  return absl::StrCat(resource, "  ", change.field(), ": ", change.old_value(), " -> ",
                      change.new_value());
}

// Sends `catalog` with `method` and tells what the answer says changed;
// `resource` names the resource of each change.
template <typename Request, typename Response, typename Catalog, typename Change>
absl::StatusOr<PartOutcome> Send(
    Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const std::function<void(grpc::ClientContext*)>& prepare, const Catalog& catalog,
    const std::string& request_id, bool validate_only,
    const std::string& (Change::*resource)() const) {
  Request request;
  *request.mutable_catalog() = catalog;
  request.set_request_id(request_id);
  request.set_validate_only(validate_only);
  grpc::ClientContext context;
  prepare(&context);
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  PartOutcome outcome{response.created(), response.updated(), response.unchanged(), {}};
  for (const Change& c : response.changes()) {
    outcome.changes.push_back(Describe((c.*resource)(), c));
  }
  return outcome;
}

absl::StatusOr<PartOutcome> ImportPart(ReferencePart part, const ReferenceDocument& document,
                                       Stub& stub,
                                       const std::function<void(grpc::ClientContext*)>& prepare,
                                       const std::string& run_id, bool validate_only) {
  const std::string request_id = absl::StrCat(run_id, "-", PartName(part));
  if (part == ReferencePart::kInstitutions) {
    return Send(stub, &Stub::ImportInstitutions, prepare, *document.institutions, request_id,
                validate_only, &sv1::InstitutionChange::institution);
  }
  return Send(stub, &Stub::ImportMajorCatalog, prepare, *document.majors, request_id, validate_only,
              &sv1::CatalogMajorChange::major);
}

// " (cqvie)" for a violation on "catalog.institutions[3]…": the row's code.
std::string RowCode(ReferencePart part, const ReferenceDocument& document,
                    const std::string& field) {
  absl::string_view rest = field;
  size_t row = 0;
  if (!absl::ConsumePrefix(&rest, absl::StrCat("catalog.", PartName(part), "[")) ||
      !absl::SimpleAtoi(rest.substr(0, rest.find(']')), &row)) {
    return "";
  }
  const bool institutions = part == ReferencePart::kInstitutions;
  const int rows =
      institutions ? document.institutions->institutions_size() : document.majors->majors_size();
  if (static_cast<int>(row) >= rows) return "";
  return absl::StrCat(" (",
                      institutions ? document.institutions->institutions(row).code()
                                   : document.majors->majors(row).code(),
                      ")");
}

// The bearer token the exchange calls the gateway with: --token-file (a
// service-account token for role "exchange", e.g. from `vetctl token issue
// --role exchange --holder exchange`), else one signed here with --token-key-file.
absl::StatusOr<std::string> ExchangeToken(const Config& config) {
  if (std::string file = config.Get("token-file", ""); !file.empty()) {
    std::string token = ReadFirstLine(file);
    if (token.empty()) return absl::InvalidArgumentError(absl::StrCat(file, " holds no token"));
    return token;
  }
  if (std::string file = config.Get("token-key-file", ""); !file.empty()) {
    auto keys = TokenKeys::FromFile(file);
    if (!keys.ok()) return keys.status();
    return keys->Sign(Principal{Role::kExchange, ""}, absl::Now() + kTokenLifetime, "exchange");
  }
  return absl::InvalidArgumentError(
      "the reference import calls the gateway as the exchange: give --token-file or "
      "--token-key-file");
}

}  // namespace

absl::StatusOr<std::vector<ReferencePart>> ParseReferenceParts(const std::string& list) {
  std::vector<ReferencePart> parts;
  for (absl::string_view name : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    ReferencePart part;
    if (name == "institutions") {
      part = ReferencePart::kInstitutions;
    } else if (name == "majors") {
      part = ReferencePart::kMajors;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--import-reference: '", name, "' is neither institutions nor majors"));
    }
    for (ReferencePart seen : parts) {
      if (seen == part) {
        return absl::InvalidArgumentError(
            absl::StrCat("--import-reference: ", name, " is named twice"));
      }
    }
    parts.push_back(part);
  }
  if (parts.empty()) {
    return absl::InvalidArgumentError("--import-reference: name institutions, majors or both");
  }
  return parts;
}

absl::StatusOr<FetchedReference> FetchReference(const std::string& endpoint,
                                                const HttpEndpointOptions& options) {
  auto opened = OpenHttpEndpoint(endpoint, options);
  if (!opened.ok()) return opened.status();
  std::optional<httplib::Result> got;
  const bool cut = RunWithin(*opened->client, opened->timeout,
                             [&] { got.emplace(opened->client->Get(opened->path)); });
  const httplib::Result& result = *got;
  // A cut answer without a length looks whole: its end is the cut.
  if (cut) {
    return absl::UnavailableError(absl::StrCat("GET ", endpoint, ": cut: no whole answer within ",
                                               absl::FormatDuration(opened->timeout)));
  }
  if (!result) {
    return absl::UnavailableError(
        absl::StrCat("GET ", endpoint, ": ", DescribeHttpError(static_cast<int>(result.error()))));
  }
  if (result->status < 200 || result->status >= 300) {
    return absl::UnavailableError(absl::StrCat("GET ", endpoint, " answered ", result->status));
  }
  return FetchedReference{result->body, result->get_header_value(kSignatureHeader)};
}

absl::Status ImportReference(const ReferenceDocument& document,
                             const std::vector<ReferencePart>& parts, Stub& stub,
                             const std::function<void(grpc::ClientContext*)>& prepare,
                             const std::string& run_id, std::ostream& out) {
  for (ReferencePart part : parts) {
    const bool present = part == ReferencePart::kInstitutions ? document.institutions.has_value()
                                                              : document.majors.has_value();
    if (!present) {
      return absl::InvalidArgumentError(
          absl::StrCat("the reference document carries no ", PartName(part)));
    }
  }
  // Checked first, all of them: a malformed row anywhere refuses the document.
  bool refused = false;
  absl::Status first_refusal;
  for (ReferencePart part : parts) {
    auto checked = ImportPart(part, document, stub, prepare, run_id, true);
    if (checked.ok()) continue;
    // Malformed rows, or a document older than the last one imported.
    if (!absl::IsInvalidArgument(checked.status()) &&
        !absl::IsFailedPrecondition(checked.status())) {
      return checked.status();
    }
    if (!refused) {
      out << "reference import refused, nothing changed:\n";
      first_refusal = checked.status();
    }
    refused = true;
    for (const FieldViolation& v : FieldViolationsOf(checked.status())) {
      out << "  " << PartName(part) << ": " << v.field << RowCode(part, document, v.field) << ": "
          << v.description << "\n";
    }
  }
  if (refused) return first_refusal;
  std::vector<std::string> done;
  for (ReferencePart part : parts) {
    auto applied = ImportPart(part, document, stub, prepare, run_id, false);
    if (!applied.ok() && !done.empty()) {
      // Each part is applied in one step of its own; the ones before stay.
      return absl::Status(
          applied.status().code(),
          absl::StrCat(
              PartName(part),
              absl::IsUnavailable(applied.status()) || absl::IsDeadlineExceeded(applied.status())
                  ? " not known to be applied ("  // its answer was lost
                  : " not applied (",
              applied.status().message(), "); ", absl::StrJoin(done, " and "),
              " applied already: run the import again to apply the rest (the same "
              "document is taken again, and what is applied changes nothing)"));
    }
    if (!applied.ok()) return applied.status();
    done.push_back(PartName(part));
    out << PartName(part) << ": " << applied->created << " created, " << applied->updated
        << " updated, " << applied->unchanged << " unchanged\n";
    for (const std::string& change : applied->changes) out << "  " << change << "\n";
  }
  return absl::OkStatus();
}

int RunReferenceImport(const Config& config) {
  auto parts = ParseReferenceParts(config.Get("import-reference", ""));
  const std::string endpoint = config.Get("reference-endpoint", "");
  const std::string secret = ReadFirstLine(config.Get("secret-file", ""));
  auto token = ExchangeToken(config);
  for (const absl::Status& status : {parts.status(), token.status()}) {
    if (!status.ok()) {
      std::cerr << "exchange: " << status.message() << "\n";
      return 2;
    }
  }
  if (endpoint.empty() || secret.empty()) {
    std::cerr << "exchange: --import-reference needs --reference-endpoint and --secret-file\n";
    return 2;
  }
  // The gateway in prod speaks TLS only and asks systems for a certificate.
  TlsFiles tls{config.Get("gateway-cert", ""),
               config.Get("gateway-key", ""),
               config.Get("gateway-ca-file", ""),
               "gateway-cert",
               "gateway-key",
               "gateway-ca-file"};
  auto credentials = ChannelCredentialsFromFiles(tls);
  if (!credentials.ok()) {
    std::cerr << "exchange: " << credentials.status().message() << "\n";
    return 2;
  }
  HttpEndpointOptions endpoint_options;
  endpoint_options.timeout = absl::Milliseconds(config.GetInt("timeout-ms", 10000, 1));
  endpoint_options.ca_file = config.Get("ca-file", "");
  const std::string gateway = config.Get("gateway", "127.0.0.1:50050");
  const std::string gateway_server_name = config.Get("gateway-server-name", "");
  if (!config.EveryFlagWasRead()) return 2;
  auto fetched = FetchReference(endpoint, endpoint_options);
  // Nothing of an unsigned or badly signed document is even parsed.
  absl::Status verified = fetched.ok()
                              ? VerifyReferenceSignature(fetched->body, fetched->signature, secret)
                              : fetched.status();
  absl::StatusOr<ReferenceDocument> document =
      verified.ok() ? ParseReferenceDocument(fetched->body) : verified;
  if (document.ok()) {
    if (absl::Status timely = CheckIssuedTime(*document, absl::Now()); !timely.ok()) {
      document = timely;
    }
  }
  if (!document.ok()) {
    std::cerr << "exchange: " << document.status().message() << "\n";
    return 1;
  }
  auto stub = sv1::SchoolReportingService::NewStub(
      grpc::CreateCustomChannel(gateway, *credentials, TlsChannelArguments(gateway_server_name)));
  auto prepare = [&](grpc::ClientContext* context) {
    context->AddMetadata(kAuthorizationMetadataKey, kBearerPrefix + *token);
    context->set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::microseconds(absl::ToInt64Microseconds(endpoint_options.timeout)));
  };
  const std::string run_id = absl::StrCat("reference-", absl::ToUnixMicros(absl::Now()));
  absl::Status imported = ImportReference(*document, *parts, *stub, prepare, run_id, std::cout);
  if (!imported.ok()) {
    std::cerr << "exchange: " << imported.message() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace vetrack::exchange
