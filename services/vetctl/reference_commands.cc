#include "reference_commands.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "enum_labels.h"
#include "output.h"
#include "reference_files.h"
#include "school_commands.h"
#include "school_views.h"
#include "schools_client.h"

namespace vetrack::vetctl {
namespace {

using Stub = SchoolsClient::Stub;

void PrintCatalogMajors(std::ostream& out, const schools_v1::ListCatalogMajorsResponse& response) {
  Table table({"CODE", "MAJOR", "LEVEL", "专业大类", "专业类"});
  for (const auto& m : response.majors()) {
    table.AddRow({m.code(), m.display_name(),
                  EnumLabel(schools_v1::MajorLevel_descriptor(), m.level()), m.category(),
                  m.subcategory()});
  }
  table.Print(out);
}

// Reads the file named by the command's argument with `parse`, sends its
// catalog with `method`, and names the file's lines in a refusal.
template <typename File, typename Request, typename Response>
absl::Status ImportFile(const CommandContext& context, const std::string& collection,
                        absl::StatusOr<File> (*parse)(const std::string&, const std::string&),
                        UnaryMethod<Stub, Request, Response> method,
                        void (*print)(std::ostream&, const Response&)) {
  const std::string& path = context.args.front();
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<File> file = parse(path, *text);
  if (!file.ok()) return file.status();
  Request request;
  *request.mutable_catalog() = file->catalog;
  request.set_request_id(context.global.request_id);
  // --defer-to-issued: its name in session 32's release, which scripts may use.
  request.set_keep_stored_values(HasSwitch(context.line, "keep-stored") ||
                                 HasSwitch(context.line, "defer-to-issued"));
  SchoolsClient client(context.global);
  absl::StatusOr<Response> response = client.Call(method, request);
  if (!response.ok()) return NameFileLines(response.status(), path, collection, file->lines);
  return Show(context, response, print);
}

}  // namespace

absl::Status RunInstitutionsImport(const CommandContext& context) {
  return ImportFile(context, "institutions", &ParseInstitutionFile, &Stub::ImportInstitutions,
                    &PrintInstitutionImport);
}

absl::Status RunMajorsImport(const CommandContext& context) {
  return ImportFile(context, "majors", &ParseMajorFile, &Stub::ImportMajorCatalog,
                    &PrintMajorImport);
}

absl::Status RunMajorsList(const CommandContext& context) {
  schools_v1::ListCatalogMajorsRequest request;
  if (std::string level = OptionValue(context.line, "level"); !level.empty()) {
    absl::StatusOr<int> parsed =
        ParseEnumLabel(schools_v1::MajorLevel_descriptor(), level, "level");
    if (!parsed.ok()) return parsed.status();
    request.set_level(static_cast<schools_v1::MajorLevel>(*parsed));
  }
  SchoolsClient client(context.global);
  return Show(context, client.CallAll(&Stub::ListCatalogMajors, request), &PrintCatalogMajors);
}

absl::Status RunReferenceHistory(const CommandContext& context) {
  schools_v1::ListReferenceHistoryRequest request;
  request.set_resource(context.args.front());
  SchoolsClient client(context.global);
  absl::StatusOr<schools_v1::ListReferenceHistoryResponse> history =
      client.CallAll(&Stub::ListReferenceHistory, request);
  if (!history.ok()) return history.status();
  if (context.global.json) return PrintJson(std::cout, *history);
  PrintReportHistory(std::cout, history->entries());
  return absl::OkStatus();
}

}  // namespace vetrack::vetctl
